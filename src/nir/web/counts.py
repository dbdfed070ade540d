"""Counts and pages over a municipality's participations, cached until one of them changes.

A count over a large municipality (the worklist's, a report's) costs the database a scan of
thousands of rows on every request, and a page of rows its queries and its rendering; the
caseworker's next request, and their colleagues', usually asks the same. The cache key
holds the municipality's latest ``Participation.updated_at`` (one index-backed lookup):
every write to a participation or its registrations bumps it (the API's change detection
relies on the same), and so does a change to a person's facts, which recomputes each of
their participations. The time limit only bounds how long a deletion (retention), which
bumps nothing, could go uncounted.

One write could still leave the latest ``updated_at`` where it was: a transaction that
commits after a later-stamped one, or a server whose clock is behind another's. So that a
caseworker never reads a page from before their own write, the key also holds a token of
the user's last successful write through the web, which ``OwnWritesMiddleware`` renews in
the session: after it, their pages are computed afresh, and cached under their own key.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse

from nir.register.selectors import visible_norsk_participations, visible_participations

COUNTS_SECONDS = 300


def _latest_update(rows: QuerySet[Any]) -> str:
    last = rows.order_by().aggregate(last=Max("updated_at"))["last"]
    return last.isoformat() if last else "-"


def last_change(kommune_id: int | None) -> str:
    """What changes whenever one of the municipality's participations does."""
    return _latest_update(visible_participations(kommune_id))


def last_norsk_change(kommune_id: int | None) -> str:
    """What changes whenever one of the municipality's Norwegian-training ordninger does
    (every registration on one bumps its ``updated_at``, as a participation's)."""
    return _latest_update(visible_norsk_participations(kommune_id))


# A token of the signed-in user's last write through the web ("" when none), for the
# request being served: set by OwnWritesMiddleware, read by every cache key below.
_own_write: contextvars.ContextVar[str] = contextvars.ContextVar("nir_own_write", default="")
OWN_WRITE_SESSION_KEY = "nir_own_write"


class OwnWritesMiddleware:
    """Keeps, in the session, when the user last wrote through the web (a POST answered
    without an error), so the cached counts and pages they read next are computed after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        token = _own_write.set(session.get(OWN_WRITE_SESSION_KEY, "") if session else "")
        try:
            response = self.get_response(request)
        finally:
            _own_write.reset(token)
        user = getattr(request, "user", None)
        if (
            session is not None
            and request.method == "POST"
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
        ):
            # A new token, not the time: two writes in the same instant (or under a
            # stopped clock) must still give two keys.
            session[OWN_WRITE_SESSION_KEY] = secrets.token_hex(8)
        return response


def cache_key(
    name: str,
    kommune_id: int | None,
    as_of: dt.date,
    extra: str = "",
    changed: str | None = None,
) -> str:
    """The key of ``name`` for this municipality, day and ``extra`` (the filters, or what
    else the result depends on), as of its participations' last change (``changed``, where
    the caller has read ``last_change`` already) and the user's own last write."""
    changed = last_change(kommune_id) if changed is None else changed
    parts = f"{kommune_id or 'alle'}:{as_of:%Y%m%d}:{changed}:{_own_write.get()}:{extra}"
    # Hashed: the filters' text holds spaces and brackets, which some cache backends refuse.
    return f"nir:web:{name}:{hashlib.sha256(parts.encode()).hexdigest()}"


def cached[T](key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its result cached under ``key`` (from ``cache_key``)."""
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, COUNTS_SECONDS)
    return found


def cached_counts[T](
    name: str,
    kommune_id: int | None,
    as_of: dt.date,
    compute: Callable[[], T],
    extra: str = "",
    changed: str | None = None,
) -> T:
    """``compute()``, or its result cached for this municipality, day and ``extra`` since its
    participations last changed."""
    return cached(cache_key(name, kommune_id, as_of, extra, changed), compute)
