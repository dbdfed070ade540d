"""Loading a synthetic register in bulk, for the demo and for benchmarks.

The synthetic participants are registered through the same services as a municipality's:
the person (``add_person``), the participation with its first sluttmål
(``start_participation``), the Norwegian-training ordning (``start_norsk``), each
registration and related item (``add_item``) and the termination
(``end_participation``), each on its own day: the write context's ``at`` and ``as_of`` are
the day the generator has it registered, so the registration window passes as it did when
it was registered on time, and the regime, the category check, the frist and the history
are what the services make of them. A registration the register would refuse is left out,
as the register would leave it out.

The store is ``PendingRows``, the batch upsert's set-based path
(services/new_participants.py): ids reserved ahead, the chunk's participants registered in
memory, then ``write_rows`` in one transaction per chunk (a crash loses at most the chunks
in progress, never half a participant). The writer is a municipality's seed actor, on the
seed channel.

``load_synthetic_in_parallel`` spreads the chunks over worker processes, each with its own
database connection: the registering is Python's work and takes one core, so a machine's
other cores register the next chunks while one is written. The participants are the same
as one process loads; only which chunk gets the lower ids may differ.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

from django.db import connections, models, transaction

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
)
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.services.context import ALL_SCHEMES, Actor, Channel, WriteContext
from nir.register.services.items import (
    DecisionItem,
    ExtensionItem,
    Item,
    LeaveItem,
    MeasureItem,
    RelatedItemStatusItem,
    StopItem,
    TerminationItem,
)
from nir.register.services.new_participants import (
    PendingRows,
    reserve_all_ids,
    without_collection,
    write_rows,
)
from nir.register.services.norsk import NewNorskParticipation, start_norsk
from nir.register.services.participations import (
    NewParticipation,
    end_participation,
    start_participation,
)
from nir.register.services.persons import PersonData, add_person
from nir.register.services.planner_statistics import refresh_planner_statistics
from nir.register.services.registrations import add_item
from nir.register.services.stores import Grants
from nir.register.synthetic import SyntheticParticipation
from nir.register.synthetic_norsk import SyntheticNorsk
from nir.rules.config import RuleConfig
from nir.rules.errors import RuleViolation

logger = logging.getLogger(__name__)
OSLO = ZoneInfo("Europe/Oslo")
SEED_ACTOR = "syntetiske data"
# The decisions every seeded participation starts with, and how long before the start.
START_DECISIONS = (("innvilget", dt.timedelta(days=14)), ("oppstart", dt.timedelta()))


def seed_instant(as_of: dt.date) -> dt.datetime:
    """A seeded registration's instant: ten in the morning, Oslo time, on its day."""
    return dt.datetime(as_of.year, as_of.month, as_of.day, 10, tzinfo=OSLO)


@dataclass(slots=True)
class _Seeding:
    """What every participant of a load shares: the rules (synthetic numbers allowed: the
    loader loads nothing else, and where that is allowed is the caller's decision, ``nir
    seed`` refuses where test data is not), the municipalities with their seed actors, and
    the grants read once."""

    config: RuleConfig
    kommuner: dict[str, tuple[Kommune, Actor]]
    grants: dict[int, Grants]
    refused: int = 0
    outside_norsk: int = 0

    def context(self, actor: Actor, store: PendingRows, as_of: dt.date) -> WriteContext:
        return WriteContext(actor, seed_instant(as_of), as_of, self.config, store)


def _seeding(config: RuleConfig) -> _Seeding:
    return _Seeding(
        replace(config, allow_synthetic_identity_numbers=True),
        {
            k.number: (k, Actor(SEED_ACTOR, Channel.SEED, k.pk, ALL_SCHEMES))
            for k in Kommune.objects.filter(valid_to__isnull=True)
        },
        {},
    )


def load_synthetic(
    items: Iterable[SyntheticParticipation],
    *,
    config: RuleConfig,
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Load the participants in this process, a chunk at a time."""
    seeding = _seeding(config)
    iterator = iter(items)
    total = 0
    while chunk := list(islice(iterator, chunk_size)):
        _load_chunk(chunk, seeding)
        total += len(chunk)
        if progress is not None:
            progress(len(chunk))
    _loaded(seeding.refused)
    return total


def _loaded(refused: int) -> None:
    if refused:
        logger.info("seed: %d synthetic registrations refused by the register", refused)
    # The planner must see the loaded register, not the one before the load.
    refresh_planner_statistics()


# A worker process's own municipalities, actors and grants (set by _start_worker).
_worker_seeding: _Seeding | None = None


def _start_worker(config: RuleConfig) -> None:
    global _worker_seeding  # one per worker process, set once as it starts
    _worker_seeding = _seeding(config)


def _load_chunk_in_worker(chunk: list[SyntheticParticipation]) -> tuple[int, int]:
    assert _worker_seeding is not None, "the worker was started without its seeding"
    refused = _worker_seeding.refused
    _load_chunk(chunk, _worker_seeding)
    return len(chunk), _worker_seeding.refused - refused


def load_synthetic_in_parallel(
    items: Iterable[SyntheticParticipation],
    *,
    config: RuleConfig,
    workers: int,
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Load the participants with ``workers`` processes, each registering and writing whole
    chunks, each chunk committed as it is written. The items are made here, in their order,
    and at most two chunks a worker wait, so memory stays that of a few chunks however many
    are loaded."""
    if workers <= 1 or transaction.get_connection().in_atomic_block:
        # Inside the caller's transaction the load stays in it, in this process: workers
        # commit on their own connections, which that transaction could not take back.
        return load_synthetic(items, config=config, chunk_size=chunk_size, progress=progress)
    # Each worker opens its own connection; a connection must not cross a fork.
    connections.close_all()
    iterator = iter(items)
    total = refused = 0
    pending: set[Future[tuple[int, int]]] = set()
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(config,),
    ) as pool:
        while True:
            while len(pending) < 2 * workers and (chunk := list(islice(iterator, chunk_size))):
                pending.add(pool.submit(_load_chunk_in_worker, chunk))
            if not pending:
                break
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                loaded, chunk_refused = future.result()
                total += loaded
                refused += chunk_refused
                if progress is not None:
                    progress(loaded)
    _loaded(refused)
    return total


def _load_chunk(chunk: list[SyntheticParticipation], seeding: _Seeding) -> None:
    """Register the chunk's participants in memory, then write them in one transaction."""
    store = PendingRows(reserve_all_ids(lambda model: _rows_of(model, chunk)), seeding.grants)
    with without_collection():
        for item in chunk:
            _seed(seeding, store, item)
        with transaction.atomic():
            write_rows([store])


def _rows_of(model: type[models.Model], chunk: list[SyntheticParticipation]) -> int:
    """How many rows of ``model`` the chunk makes at most (ids are reserved for that many)."""
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
        RelatedItemRecord: lambda i: len(i.related_items),
        NorskParticipation: lambda i: i.norsk is not None,
    }
    if model not in counts:
        # The ordning's registrations: the seed registers none after its start.
        return 0
    return sum(counts[model](i) for i in chunk)


def _person_data(item: SyntheticParticipation) -> PersonData:
    return PersonData(
        identity_number=item.identity_number,
        given_name=item.given_name,
        family_name=item.family_name,
        birth_date=item.birth_date,
        permit_type=item.permit_type.value,
        permit_date=item.permit_date,
        sex=item.sex,
        duf_number=item.duf_number,
        arrival_date=item.arrival_date,
        settlement_date=item.settlement_date,
        has_upper_secondary=item.has_upper_secondary,
    )


def _registrations(item: SyntheticParticipation) -> Iterator[tuple[dt.date, Item]]:
    """The registrations the generator made, each with the day it is registered on (never
    before the participation starts: nothing is registered on a participation before it
    exists)."""
    start = item.start_date
    for kind, before in START_DECISIONS:
        yield start, DecisionItem(kind, start - before)
    for t, s, e, d in item.leaves:
        yield max(d, start), LeaveItem(t, s, e, d)
    for months, decided_on in item.extensions:
        yield max(decided_on, start), ExtensionItem(months, decided_on)
    if item.temporary_stop:
        s, e, d = item.temporary_stop
        yield max(d, start), StopItem("midlertidig", s, e, d)
    for measure_type, first, last, hours in item.measures:
        yield max(first, start), MeasureItem(measure_type, first, last, Decimal(str(hours)))
    if item.permanent_stop and item.termination:
        end = item.termination[0]
        yield end, StopItem("varig", end, None, end)
    for r in item.related_items:
        status = RelatedItemStatusItem(
            r.kind.value, r.status.value, r.date_completed, r.source.value, r.marked_applicable
        )
        yield max(r.date_completed or start, start), status


def _start_norsk(
    ctx: WriteContext, person: Person, kommune: Kommune, norsk: SyntheticNorsk, seeding: _Seeding
) -> None:
    """The participant's Norwegian-training ordning, on the programme's day, through the
    scheme's service; a person the rules put outside the target group (N1) gets none."""
    new = NewNorskParticipation(
        start_date=norsk.start_date,
        permit_list=norsk.permit_list,
        education_background=norsk.education_background,
    )
    try:
        start_norsk(ctx, person, kommune.pk, new)
    except RuleViolation:
        seeding.outside_norsk += 1


def _seed(seeding: _Seeding, store: PendingRows, item: SyntheticParticipation) -> None:
    """One synthetic participant, registered through the services in the order of the days
    its registrations were made."""
    kommune, actor = seeding.kommuner[item.kommune_number]
    ctx = seeding.context(actor, store, item.start_date)
    person = add_person(ctx, _person_data(item))
    new = NewParticipation(
        start_date=item.start_date,
        category=item.category,
        case_id=item.case_id,
        sluttmaal=item.sluttmaal.value if item.sluttmaal else None,
    )
    participation = start_participation(ctx, person, kommune, new)
    if item.norsk is not None:
        _start_norsk(ctx, person, kommune, item.norsk, seeding)
    steps: list[tuple[dt.date, Item | TerminationItem]] = list(_registrations(item))
    if item.termination is not None and not item.permanent_stop:
        end, reason, registered_on = item.termination
        steps.append((registered_on, TerminationItem(end, reason)))
    # sorted is stable: registrations of one day keep the generator's order.
    for as_of, step in sorted(steps, key=lambda s: s[0]):
        day_ctx = seeding.context(actor, store, as_of)
        try:
            if isinstance(step, TerminationItem):
                end_participation(day_ctx, participation, step)
            else:
                add_item(day_ctx, participation, step)
        except RuleViolation:
            seeding.refused += 1
