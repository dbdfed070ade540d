"""Local sign-in with a lockout after repeated failures (for development, demos and small
installs; national use signs in through ID-porten)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from nir.accounts.models import LoginThrottle


def is_locked(username: str) -> bool:
    throttle = LoginThrottle.objects.filter(username=username).first()
    return bool(throttle and throttle.locked_until and throttle.locked_until > timezone.now())


class LockoutBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username:
            return None
        if is_locked(username):
            # Refused without checking the password, so guessing during the lock gains nothing.
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        with transaction.atomic():
            if user is not None:
                LoginThrottle.objects.filter(username=username).delete()
                return user
            throttle, _ = LoginThrottle.objects.get_or_create(username=username)
            LoginThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1)
            throttle.refresh_from_db()
            if throttle.failures >= settings.NIR_LOGIN_MAX_FAILURES:
                throttle.locked_until = timezone.now() + dt.timedelta(
                    minutes=settings.NIR_LOGIN_LOCKOUT_MINUTES
                )
                throttle.failures = 0
                throttle.save(update_fields=["locked_until", "failures"])
        return None
