"""Counts over a municipality's participations, cached until one of them changes.

A count over a large municipality (the worklist's, a report's) costs the database a scan of
thousands of rows on every request; the caseworker's next request usually asks the same.
The cache key holds the municipality's latest ``Participation.updated_at`` (one index-backed
lookup): every write to a participation or its registrations bumps it (the API's change
detection relies on the same), so a change is counted at once. The time limit only bounds
how long a deletion (retention), which bumps nothing, could go uncounted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Max, QuerySet

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


def cached_counts[T](
    name: str,
    kommune_id: int | None,
    as_of: dt.date,
    compute: Callable[[], T],
    extra: str = "",
) -> T:
    """``compute()``, or its result cached for this municipality, day and ``extra`` (the
    filters, or what else the counts depend on) since its participations last changed."""
    parts = f"{kommune_id or 'alle'}:{as_of:%Y%m%d}:{last_change(kommune_id)}:{extra}"
    # Hashed: the filters' text holds spaces and brackets, which some cache backends refuse.
    key = f"nir:web:{name}:{hashlib.sha256(parts.encode()).hexdigest()}"
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, COUNTS_SECONDS)
    return found
