"""Idempotency-Key: a retried write gets the first reply, and is never applied twice.

The reply is stored in the same transaction as the writes it describes, so either both are
committed or neither: a client whose connection dropped can resend and get the reply it
missed. Two concurrent requests with one key meet at the unique constraint; the loser's
writes roll back and it answers with the winner's reply.

A write is one unit (one transaction) from ``open_unit``, which the handler calls once the
caller is known and the body parsed (so nothing slow holds the write lock), to the close
that ``make_units_close`` wraps around every operation, after ninja has rendered the reply
and checked it against its declared schema: the reply kept is the reply sent. A refusal the
handler raises (an ApiProblem) is kept as its reply, as a refusal it returned would be;
anything else it raises, and any reply of 500 or more, rolls the unit back and keeps
nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.transaction import Atomic
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from ninja import Router

from nir.api.models import IdempotencyRecord
from nir.api.problems import (
    ApiProblem,
    IdempotencyKeyReused,
    ValidationFailed,
    malformed_key_error,
)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Printable ASCII, no space at either end (HTTP trims it): what docs/openapi.json declares.
KEY_FORM = re.compile(r"[!-~](?:[ -~]{0,253}[!-~])?")


def request_hash(request: HttpRequest, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(b"\n" + request.get_full_path().encode() + b"\n")
    digest.update(request.headers.get("If-Match", "").encode() + b"\n")
    digest.update(body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        record.body, status=record.status_code, content_type=record.content_type
    )
    if record.etag:
        response["ETag"] = record.etag
    response["Idempotent-Replayed"] = "true"
    return response


def _reused(key: str) -> IdempotencyKeyReused:
    return IdempotencyKeyReused(
        f"The Idempotency-Key {key!r} was first used with a different request (method, URL, "
        "If-Match or body). Use a new key for a new request."
    )


def _cutoff() -> dt.datetime:
    hours: Any = settings.NIR_API["idempotency_hours"]
    return timezone.now() - dt.timedelta(hours=hours)


def _expired(principal_key: str, key: str) -> QuerySet[IdempotencyRecord]:
    return IdempotencyRecord.objects.filter(
        principal=principal_key, key=key, created_at__lt=_cutoff()
    )


def _live(principal_key: str, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(
        principal=principal_key, key=key, created_at__gte=_cutoff()
    ).first()


# Where the open unit waits on the request for the operation around the handler to close it.
_UNIT = "_nir_idempotent_unit"


@dataclass(slots=True)
class _Unit:
    """One write's open transaction, and what is needed to keep its reply (``key`` None:
    no reply is kept; ``store`` False: a dry run, whose reply is not kept either)."""

    atomic: Atomic
    principal_key: str
    key: str | None
    fingerprint: str
    store: bool
    # The handler failed with something other than a refusal it chose: roll back, keep nothing.
    failed: bool = False

    def _keep(self, response: HttpResponseBase) -> None:
        if self.failed or response.status_code >= 500:
            transaction.set_rollback(True)
        elif self.store and self.key is not None:
            # An expired record under the same key gives way to the new request; a live one
            # (a concurrent twin that committed first) must not: its unique key makes this
            # insert fail, and the twin's reply is the answer.
            _expired(self.principal_key, self.key).delete()
            IdempotencyRecord.objects.create(
                principal=self.principal_key,
                key=self.key,
                request_hash=self.fingerprint,
                status_code=response.status_code,
                content_type=response.get("Content-Type", "application/json"),
                body=getattr(response, "content", b"").decode(),
                etag=response.get("ETag", ""),
            )

    def close(self, response: HttpResponseBase) -> HttpResponseBase:
        """Keep the reply with the writes and commit both, or roll back a failed write."""
        try:
            try:
                self._keep(response)
            except BaseException as error:
                self.atomic.__exit__(type(error), error, error.__traceback__)
                raise
            self.atomic.__exit__(None, None, None)
        except IntegrityError:
            found = _live(self.principal_key, self.key or "")
            if found is None:
                raise
            if found.request_hash != self.fingerprint:
                return _reused(found.key).response()
            return _replay(found)
        return response


def open_unit(
    request: HttpRequest, principal_key: str, *, body: bytes, store: bool = True
) -> HttpResponse | None:
    """Open the write's transaction; or, for a key already answered, the stored reply.

    ``store=False`` (a dry run) runs the write without keeping the reply: nothing was
    written. Only an operation of a router passed to ``make_units_close`` may call it.
    """
    key = request.headers.get(HEADER)
    fingerprint = ""
    if key is not None:
        if not KEY_FORM.fullmatch(key):
            # The contract's pattern, for a key that reached here unchecked: refused alike.
            raise ValidationFailed(
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
                errors=[malformed_key_error()],
            )
        fingerprint = request_hash(request, body)
        found = _live(principal_key, key)
        if found is not None:
            if found.request_hash != fingerprint:
                raise _reused(key)
            return _replay(found)
    atomic = transaction.atomic()
    atomic.__enter__()
    setattr(request, _UNIT, _Unit(atomic, principal_key, key, fingerprint, store))
    return None


def _take_unit(request: HttpRequest) -> _Unit | None:
    unit: _Unit | None = getattr(request, _UNIT, None)
    if unit is not None:
        delattr(request, _UNIT)
    return unit


def _closes_unit(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Around the operation: closes the unit its handler opened once the reply is rendered."""

    @functools.wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = run(request, *args, **kwargs)
        except BaseException as error:
            unit = _take_unit(request)
            if unit is not None:
                unit.atomic.__exit__(type(error), error, error.__traceback__)
            raise
        unit = _take_unit(request)
        return response if unit is None else unit.close(response)

    return wrapped


def _fails_unit_on_fault(view: Callable[..., Any]) -> Callable[..., Any]:
    """Around the handler: anything it raises but a refusal it chose (an ApiProblem, whose
    reply is kept as a handler's reply is) rolls the unit back, as a raised write does."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except ApiProblem:
            raise
        except BaseException:
            unit: _Unit | None = getattr(request, _UNIT, None)
            if unit is not None:
                unit.failed = True
            raise

    return wrapped


def make_units_close(router: Router) -> None:
    """Makes every operation of ``router`` close the unit its handler opens."""
    router.add_decorator(_closes_unit, mode="view")
    router.add_decorator(_fails_unit_on_fault, mode="operation")


def forget_expired() -> int:
    """Delete the replies no retry can ask for any more (for a periodic clean-up)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=_cutoff()).delete()
    return deleted
