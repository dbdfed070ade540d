"""What the synthetic register holds beside the programme, loaded after ``load_synthetic``
(services/bulk_load.py): the intro participants' related items (rules-norsk.md N8) and their
Norwegian-training ordninger (most kap. 6A participants have both schemes).

The related items go through the set-based path (``PendingRows``, ``write_rows``) with their
history from the event catalogue. The Norwegian ordninger start through the scheme's own
service (``start_norsk_participation``) on their own day, so each gets its category, frist
and derivation from the rules exactly as a caseworker's would; a person the rules put outside
the target group gets none. The seed is reproducible for a given ``seed``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from nir.register.models import Participation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.services import events
from nir.register.services.bulk_load import OSLO, SEED_ACTOR
from nir.register.services.context import ALL_SCHEMES, Actor, Channel
from nir.register.services.history import NewEvent, history_event
from nir.register.services.new_participants import PendingRows, reserve_ids, write_rows
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.rules.errors import RuleViolation
from nir.rules.norsk.norskmaal import EducationBackground
from nir.rules.norsk.related_items import ItemSource, ItemStatus, RelatedItemKind
from nir.rules.norsk.rights import PermitList
from nir.rules.regime import PermitType, Regime

SEED = Actor(SEED_ACTOR, Channel.SEED, None, ALL_SCHEMES)
SEED_FIELDS: dict[str, object] = {"registered_by": SEED_ACTOR, "channel": Channel.SEED.value}
# How often a seeded programme participant also has the Norwegian scheme, by regime.
NORSK_SHARE = {Regime.INTEGRERINGSLOVEN_KAP6A: 0.85, Regime.INTEGRERINGSLOVEN: 0.6}
PERMIT_LISTS = {
    PermitType.KOLLEKTIV_BESKYTTELSE: PermitList.KOLLEKTIV_BESKYTTELSE,
    PermitType.FAMILIEINNVANDRING: PermitList.RETT_OG_PLIKT,
}


@dataclass(frozen=True)
class SeededExtras:
    norsk_participations: int
    related_items: int


def _oslo_instant(day: dt.date) -> dt.datetime:
    """A registration on its own day, as the synthetic load writes its own."""
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=OSLO)


def _related(p: Participation, today: dt.date, rng: random.Random) -> Iterator[RelatedItemRecord]:
    """The items of one integreringsloven participant as a municipality would hold them."""

    def record(
        kind: RelatedItemKind, status: ItemStatus, done: dt.date | None, **extra: Any
    ) -> RelatedItemRecord:
        if done is not None and done > today:
            status, done = ItemStatus.PABEGYNT, None
        return RelatedItemRecord(
            participation=p,
            item_kind=kind.value,
            status=status.value,
            date_completed=done,
            **extra,
            **SEED_FIELDS,
        )

    start = p.start_date
    done = ItemStatus.GJENNOMFORT
    if rng.random() < 0.9:  # mapped before the decision, mostly as read from IMDinett
        source = ItemSource.IMDINETT_READONLY if rng.random() < 0.7 else ItemSource.NIR
        day = start - dt.timedelta(days=rng.randint(15, 75))
        yield record(RelatedItemKind.KOMPETANSEKARTLEGGING, done, day, source=source.value)
    if rng.random() < 0.75:
        day = start - dt.timedelta(days=rng.randint(0, 20))
        yield record(RelatedItemKind.KARRIEREVEILEDNING, done, day)
    if rng.random() < 0.85:
        yield record(RelatedItemKind.INTEGRERINGSKONTRAKT, done, start)
    if (today - start).days > 120 and rng.random() < 0.8:
        day = start + dt.timedelta(days=rng.randint(40, 110))
        yield record(RelatedItemKind.LIVSMESTRING, done, day)
    elif rng.random() < 0.6:
        yield record(RelatedItemKind.LIVSMESTRING, ItemStatus.PABEGYNT, None)
    if rng.random() < 0.3:  # has or is expecting a child under 18
        day = start + dt.timedelta(days=rng.randint(60, 200))
        yield record(RelatedItemKind.FORELDREVEILEDNING, done, day, marked_applicable=True)


def _education(has_upper_secondary: bool | None, rng: random.Random) -> EducationBackground | None:
    if has_upper_secondary is None:
        return None
    if has_upper_secondary:
        return EducationBackground.VIDEREGAENDE
    return (
        EducationBackground.GRUNNSKOLE
        if rng.random() < 0.7
        else EducationBackground.UTEN_GRUNNSKOLE
    )


def _load_related(chunk: list[Participation], today: dt.date, rng: random.Random) -> int:
    rows = [
        r for p in chunk if p.regime != Regime.INTRODUKSJONSLOVEN for r in _related(p, today, rng)
    ]
    store = PendingRows({RelatedItemRecord: reserve_ids(RelatedItemRecord, len(rows))}, {})
    kind = events.RELATED_ITEM_REGISTERED
    for row in rows:
        store.add(row)
        after = {
            "item_kind": row.item_kind,
            "status": row.status,
            "date_completed": row.date_completed,
            "source": row.source,
            "marked_applicable": row.marked_applicable,
        }
        on = row.date_completed or row.participation.start_date
        event = NewEvent(kind, row.pk, row.participation, after=after)
        store.add(history_event(SEED, _oslo_instant(on), event))
    write_rows([store])
    return len(rows)


def _start_norsk(p: Participation, rng: random.Random) -> bool:
    share = NORSK_SHARE.get(Regime(p.regime), 0.0)
    if rng.random() >= share:
        return False
    person = p.person
    new = NewNorskParticipation(
        start_date=p.start_date,
        permit_list=PERMIT_LISTS.get(PermitType(person.permit_type), PermitList.RETT_OG_PLIKT),
        education_background=_education(person.has_upper_secondary, rng),
    )
    try:
        start_norsk_participation(
            actor=SEED,
            person_id=person.pk,
            kommune_id=p.kommune_id,
            new=new,
            at=_oslo_instant(p.start_date),
        )
    except RuleViolation:
        return False  # outside the scheme's target group by the rules (N1)
    return True


def load_synthetic_extras(
    *,
    after_participation: int,
    today: dt.date,
    seed: int,
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> SeededExtras:
    """The related items and Norwegian ordninger of the participations with ids above
    ``after_participation`` (those the synthetic load just wrote)."""
    rng = random.Random(seed)
    loaded = Participation.objects.filter(pk__gt=after_participation).select_related("person")
    norsk = items = 0
    last = after_participation
    while chunk := list(loaded.filter(pk__gt=last).order_by("pk")[:chunk_size]):
        last = chunk[-1].pk
        with transaction.atomic():
            items += _load_related(chunk, today, rng)
        norsk += sum(_start_norsk(p, rng) for p in chunk)
        if progress is not None:
            progress(len(chunk))
    return SeededExtras(norsk, items)
