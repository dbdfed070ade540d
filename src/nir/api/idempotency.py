"""Idempotency-Key: a retried write gets the first reply, and is never applied twice.

The reply is stored in the same transaction as the writes it describes, so either both are
committed or neither: a client whose connection dropped can resend and get the reply it
missed. Two concurrent requests with one key meet at the unique constraint; the loser's
writes roll back and it answers with the winner's reply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nir.api.models import IdempotencyRecord
from nir.api.problems import malformed_key_error, problem

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


def _reused(key: str) -> HttpResponse:
    return problem(
        "idempotency-key-reused",
        422,
        f"The Idempotency-Key {key!r} was first used with a different request (method, URL, "
        "If-Match or body). Use a new key for a new request.",
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


def run_once(
    request: HttpRequest,
    principal_key: str,
    handler: Callable[[], HttpResponse],
    *,
    body: bytes,
    store: bool = True,
) -> HttpResponse:
    """Run ``handler`` in one transaction, or repeat the stored reply for a known key.

    ``store=False`` (a dry run) runs it without keeping the reply: nothing was written.
    """
    key = request.headers.get(HEADER)
    if key is None:
        with transaction.atomic():
            return handler()
    if not KEY_FORM.fullmatch(key):
        # The contract's pattern, for a key that reached here unchecked: refused alike (422).
        return problem(
            "validation",
            422,
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            errors=[malformed_key_error()],
        )
    fingerprint = request_hash(request, body)
    found = _live(principal_key, key)
    if found is not None:
        return _replay(found) if found.request_hash == fingerprint else _reused(key)
    try:
        with transaction.atomic():
            response = handler()
            if store and response.status_code < 500:
                # An expired record under the same key gives way to the new request; a live
                # one (a concurrent twin that committed first) must not: its unique key makes
                # this insert fail, and the twin's reply is the answer.
                _expired(principal_key, key).delete()
                IdempotencyRecord.objects.create(
                    principal=principal_key,
                    key=key,
                    request_hash=fingerprint,
                    status_code=response.status_code,
                    content_type=response.get("Content-Type", "application/json"),
                    body=response.content.decode(),
                    etag=response.get("ETag", ""),
                )
    except IntegrityError:
        found = _live(principal_key, key)
        if found is None:
            raise
        return _replay(found) if found.request_hash == fingerprint else _reused(key)
    return response


def forget_expired() -> int:
    """Delete the replies no retry can ask for any more (for a periodic clean-up)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=_cutoff()).delete()
    return deleted
