"""The synthetic intro participants' related items (rules-norsk.md N8), as a municipality
would hold them: mostly a kompetansekartlegging (most of them read from IMDinett) and an
integreringskontrakt, often a karriereveiledning, livsmestring after some months, and
foreldreveiledning for about a third. Plain values: the loader registers each through the
services (services/bulk_load.py), on the day it was completed, or the start for a status
without a date.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from nir.rules.norsk.related_items import ItemSource, ItemStatus, RelatedItemKind


@dataclass(frozen=True, slots=True)
class SyntheticRelatedItem:
    kind: RelatedItemKind
    status: ItemStatus
    date_completed: dt.date | None
    source: ItemSource = ItemSource.NIR
    marked_applicable: bool = False


def related_items(start: dt.date, today: dt.date, rng: random.Random) -> list[SyntheticRelatedItem]:
    """The items of one integreringsloven participant who started on ``start``."""
    items: list[SyntheticRelatedItem] = []

    def add(
        kind: RelatedItemKind,
        status: ItemStatus,
        done: dt.date | None,
        source: ItemSource = ItemSource.NIR,
        marked_applicable: bool = False,
    ) -> None:
        if done is not None and done > today:
            status, done = ItemStatus.PABEGYNT, None
        items.append(SyntheticRelatedItem(kind, status, done, source, marked_applicable))

    done = ItemStatus.GJENNOMFORT
    if rng.random() < 0.9:  # mapped before the decision, mostly as read from IMDinett
        source = ItemSource.IMDINETT_READONLY if rng.random() < 0.7 else ItemSource.NIR
        add(RelatedItemKind.KOMPETANSEKARTLEGGING, done, start - _days(rng, 10, 55), source)
    if rng.random() < 0.75:
        add(RelatedItemKind.KARRIEREVEILEDNING, done, start - _days(rng, 0, 20))
    if rng.random() < 0.85:
        add(RelatedItemKind.INTEGRERINGSKONTRAKT, done, start)
    if (today - start).days > 120 and rng.random() < 0.8:
        add(RelatedItemKind.LIVSMESTRING, done, start + _days(rng, 40, 110))
    elif rng.random() < 0.6:
        add(RelatedItemKind.LIVSMESTRING, ItemStatus.PABEGYNT, None)
    if rng.random() < 0.3:  # has or is expecting a child under 18
        day = start + _days(rng, 60, 200)
        add(RelatedItemKind.FORELDREVEILEDNING, done, day, marked_applicable=True)
    return items


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))
