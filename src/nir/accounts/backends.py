"""Local sign-in with growing delays after repeated failures (for development, demos and
small installs; national use signs in through ID-porten).

Throttled by user name *and* client address: someone guessing from one address slows only
themselves, and the account's owner signs in from their own. A throttled attempt gets the
same answer as a wrong password, after the same work (the password is still checked, and the
result thrown away), so neither the reply nor its timing tells an account is held back.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from nir.accounts.models import LoginThrottle


def client_address(request: HttpRequest | None) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy
    (NIR_TRUSTED_PROXIES), the last address the proxy added to X-Forwarded-For."""
    if request is None:
        return ""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if forwarded and _trusted(peer):
        return forwarded.split(",")[-1].strip()[:45]
    return peer[:45]


def _trusted(peer: str) -> bool:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(proxy, strict=False)
        for proxy in settings.NIR_TRUSTED_PROXIES
    )


def delay_after(failures: int) -> dt.timedelta:
    """How long the next attempt waits after ``failures`` failures in a row: nothing for the
    first NIR_LOGIN_MAX_FAILURES, then 1, 2, 4, ... seconds, at most NIR_LOGIN_LOCKOUT_MINUTES."""
    over = failures - settings.NIR_LOGIN_MAX_FAILURES
    if over < 0:
        return dt.timedelta(0)
    longest = settings.NIR_LOGIN_LOCKOUT_MINUTES * 60
    return dt.timedelta(seconds=min(2 ** min(over, 30), longest))


def is_throttled(username: str, address: str) -> bool:
    throttle = LoginThrottle.objects.filter(username=username, address=address).first()
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
        address = client_address(request)
        throttled = is_throttled(username, address)
        # Always the same work: the password is checked even while throttled.
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if throttled:
            return None
        with transaction.atomic():
            if user is not None:
                LoginThrottle.objects.filter(username=username, address=address).delete()
                return user
            try:
                with transaction.atomic():
                    throttle, _ = LoginThrottle.objects.get_or_create(
                        username=username, address=address
                    )
            except IntegrityError:  # created at the same moment by another attempt
                throttle = LoginThrottle.objects.get(username=username, address=address)
            LoginThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1)
            throttle.refresh_from_db()
            wait = delay_after(throttle.failures)
            if wait:
                throttle.locked_until = timezone.now() + wait
                throttle.save(update_fields=["locked_until"])
        return None
