"""Loading a synthetic register in bulk, for the demo and for benchmarks.

The synthetic facts are seeded as they stand (the regime and the registrations the
generator chose, registered on their own days), not registered anew under today's window.
Every frist is derived by the same rules as the services, from the facts the same row
store reads back; the rows go through ``PendingRows`` and ``write_rows``, the batch
upsert's set-based path (services/new_participants.py), one transaction per chunk (a
crash loses at most the chunk in progress, never half a participant). Each participation
gets the ``participation_seeded`` event, and its termination the event as registered on
its own day, from the event catalogue, with the seed channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

from django.db import models, transaction

from nir.register.models import (
    Absence,
    Decision,
    Extension,
    Kommune,
    Leave,
    Measure,
    Participation,
    Person,
    SluttmaalVersion,
    Stop,
    TerminationSource,
)
from nir.register.services import events
from nir.register.services.context import ALL_SCHEMES, Actor, Channel
from nir.register.services.history import NewEvent, history_event
from nir.register.services.new_participants import RESERVED, PendingRows, reserve_ids, write_rows
from nir.register.services.participations import apply_frist, termination_state
from nir.register.services.planner_statistics import refresh_planner_statistics
from nir.register.synthetic import SyntheticParticipation
from nir.rules.config import RuleConfig
from nir.rules.identity import parse_identity_number
from nir.rules.participation import derive_frist

OSLO = ZoneInfo("Europe/Oslo")
SEED_ACTOR = "syntetiske data"
SEED = Actor(SEED_ACTOR, Channel.SEED, None, ALL_SCHEMES)
SEED_FIELDS: dict[str, object] = {"registered_by": SEED_ACTOR, "channel": Channel.SEED.value}
# The decisions every seeded participation starts with, and how long before the start.
START_DECISIONS = (("innvilget", dt.timedelta(days=14)), ("oppstart", dt.timedelta()))


def _instant(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=OSLO)


def load_synthetic(
    items: Iterable[SyntheticParticipation],
    *,
    config: RuleConfig,
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    kommuner = {k.number: k.pk for k in Kommune.objects.filter(valid_to__isnull=True)}
    iterator = iter(items)
    total = 0
    while chunk := list(islice(iterator, chunk_size)):
        with transaction.atomic():
            _load_chunk(chunk, kommuner, config)
        total += len(chunk)
        if progress is not None:
            progress(len(chunk))
    # The planner must see the loaded register, not the one before the load.
    refresh_planner_statistics()
    return total


def _load_chunk(
    chunk: list[SyntheticParticipation], kommuner: dict[str, int], config: RuleConfig
) -> None:
    ids = {model: reserve_ids(model, _rows_of(model, chunk)) for model in RESERVED}
    store = PendingRows(ids, {})
    for item in chunk:
        _seed(store, item, kommuner[item.kommune_number], config)
    write_rows([store])


def _rows_of(model: type[models.Model], chunk: list[SyntheticParticipation]) -> int:
    """How many rows of ``model`` the chunk makes (ids are reserved for that many)."""
    counts: dict[type[models.Model], Callable[[SyntheticParticipation], int]] = {
        Person: lambda i: 1,
        Participation: lambda i: 1,
        SluttmaalVersion: lambda i: i.sluttmaal is not None,
        Decision: lambda i: len(START_DECISIONS),
        Leave: lambda i: len(i.leaves),
        Extension: lambda i: len(i.extensions),
        Stop: lambda i: (i.temporary_stop is not None) + (i.permanent_stop and bool(i.termination)),
        Measure: lambda i: len(i.measures),
        Absence: lambda i: 0,
    }
    if model not in counts:
        return 0  # made beside this load (the related items: services/seed_extras.py)
    return sum(counts[model](i) for i in chunk)


def _person(item: SyntheticParticipation, kommune_id: int) -> Person:
    # The loader loads synthetic numbers only; where that is allowed is the caller's
    # decision (``nir seed`` refuses where test data is not).
    number = parse_identity_number(item.identity_number, allow_synthetic=True)
    return Person(
        identity_number=number.value,
        identity_kind=number.kind.value,
        duf_number=item.duf_number,
        given_name=item.given_name,
        family_name=item.family_name,
        birth_date=item.birth_date,
        sex=item.sex,
        permit_type=item.permit_type.value,
        permit_date=item.permit_date,
        arrival_date=item.arrival_date,
        settlement_date=item.settlement_date,
        has_upper_secondary=item.has_upper_secondary,
        registered_by_kommune_id=kommune_id,
    )


def _registrations(item: SyntheticParticipation, p: Participation) -> Iterator[models.Model]:
    """The rows of the registrations the generator made for the participation."""
    if item.sluttmaal is not None:
        yield SluttmaalVersion(
            participation=p,
            sluttmaal=item.sluttmaal.value,
            valid_from=item.start_date,
            **SEED_FIELDS,
        )
    for kind, before in START_DECISIONS:
        yield Decision(
            participation=p, decision_type=kind, decided_on=item.start_date - before, **SEED_FIELDS
        )
    for t, s, e, d in item.leaves:
        yield Leave(
            participation=p, leave_type=t, start_date=s, end_date=e, decided_on=d, **SEED_FIELDS
        )
    for months, decided_on in item.extensions:
        yield Extension(participation=p, months=months, decided_on=decided_on, **SEED_FIELDS)
    if item.temporary_stop:
        s, e, d = item.temporary_stop
        yield Stop(
            participation=p,
            kind="midlertidig",
            start_date=s,
            end_date=e,
            decided_on=d,
            **SEED_FIELDS,
        )
    if item.permanent_stop and item.termination:
        end = item.termination[0]
        yield Stop(
            participation=p,
            kind="varig",
            start_date=end,
            end_date=None,
            decided_on=end,
            **SEED_FIELDS,
        )
    for measure_type, start, last, hours in item.measures:
        yield Measure(
            participation=p,
            measure_type=measure_type,
            start_date=start,
            end_date=last,
            hours_per_week=Decimal(str(hours)),
            **SEED_FIELDS,
        )


def _seed(
    store: PendingRows, item: SyntheticParticipation, kommune_id: int, config: RuleConfig
) -> None:
    """One synthetic participant: the person, the participation with its frist, its
    registrations, and their history."""
    person = _person(item, kommune_id)
    store.add(person)
    end, reason, _ = item.termination or (None, "", None)
    participation = Participation(
        person=person,
        kommune_id=kommune_id,
        case_id=item.case_id,
        regime=item.regime.value,
        category=item.category,
        start_date=item.start_date,
        end_date=end,
        termination_reason=reason,
        termination_source=TerminationSource.USER.value if end else "",
    )
    store.add(participation)
    for row in _registrations(item, participation):
        store.add(row)
    apply_frist(participation, derive_frist(store.facts(participation), config))
    opened = {**termination_state(participation), **events.OPEN_TERMINATION}
    seeded = {"regime": participation.regime, "start_date": participation.start_date, **opened}
    store.add(
        history_event(
            SEED,
            _instant(item.start_date),
            NewEvent(events.PARTICIPATION_SEEDED, participation.pk, participation, after=seeded),
        )
    )
    # The termination as registered on its own day, so that the register can be read as it
    # stood on any earlier date (the annual cut-off).
    if item.termination is not None:
        termination = NewEvent(
            events.TERMINATION_REGISTERED,
            participation.pk,
            participation,
            before=opened,
            after=termination_state(participation),
        )
        store.add(history_event(SEED, _instant(item.termination[2]), termination))
