"""Upserting a batch of records of either scheme: worked out before its transaction, the
records new to the register run through the services on pending rows and are written
together (services/new_participants.py); the others go one at a time (``upsert``,
``norsk_upsert``). A scheme says how its new records are applied (``NewPath``); the
planning, the ids, the write and the fall-back are one."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone

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
from nir.register.related_item_models import RelatedItemRecord
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, WriteContext, resolve_time
from nir.register.services.new_participants import (
    PendingRows,
    ids_can_be_reserved,
    reserve_all_ids,
    write_rows,
)
from nir.register.services.persons import add_person
from nir.register.services.stores import Grants
from nir.register.services.upsert.canonical import content_hash, pending_items, person_data
from nir.register.services.upsert.records import ParticipantRecord, normalised_person
from nir.register.services.upsert.results import (
    Outcome,
    RecordError,
    RecordResult,
    Rejected,
    on_field,
)
from nir.register.services.upsert.upsert import (
    SchemeRecord,
    check_screened,
    input_errors,
    register_items,
    start,
    upsert_participant,
)
from nir.register.services.validation import invalid

BATCH_MAX_RECORDS = 1000

# A new record on pending rows: its row (the participation or the ordning) and the items
# the write registered, for the content hash.
Applied = tuple[Any, dict[str, list[Any]]]


@dataclass(frozen=True, slots=True)
class NewPath:
    """How one scheme's records new to the register take the set-based path.

    ``apply`` runs a record the batch has screened (``screen_records``) through the
    scheme's services on the context's pending rows,
    with the person the register holds (None: a new person, registered on the same rows);
    ``lists`` names the record's list each registration table's rows come from (ids are
    reserved for as many rows as the lists hold, and one ``row_model`` row a record);
    ``one`` is the scheme's one-at-a-time upsert, for the rest and for the fall-back;
    ``free_persons`` picks, of the register's persons the records name, those a new record
    may start on pending rows with (None: a record of a known person goes one at a time)."""

    row_model: type[models.Model]
    apply: Callable[[WriteContext, Any, Person | None, PendingRows], Applied]
    lists: Mapping[type[models.Model], str]
    hash_of: Callable[[Any, Any], str]
    one: Callable[..., RecordResult]
    free_persons: Callable[[Sequence[Person]], set[int]] | None = None


@dataclass(slots=True)
class BatchPlan:
    """A batch worked out before its transaction: the refusals known at once, and the
    records new to the register already run through the rules on pending rows."""

    actor: Actor
    path: NewPath
    at: dt.datetime
    results: dict[int, RecordResult]
    new: list[int]
    stores: list[PendingRows]
    one_at_a_time: list[int]


def plan_batch(
    *,
    actor: Actor,
    records: Sequence[SchemeRecord],
    at: dt.datetime | None = None,
    path: NewPath | None = None,
) -> BatchPlan:
    """Everything about a batch that needs no transaction of its own, so the rules for new
    records run while other requests write, and the write lock is held only for the write
    (SQLite has one for the whole database). ``path``: the scheme's, the programme's when
    None.

    Records whose case id is new to the municipality's scheme, and whose person is new to
    the register or one ``path.free_persons`` lets start with facts equal to the record's,
    named once in the batch, go through the services on pending rows; the others are left
    for one at a time. Neither kind can affect the other, so the results are what sending
    the records one by one would give.
    """
    path = path or PROGRAMME
    at, _ = resolve_time(at)
    results, first = screen_records(records)
    new = _new_records(actor, records, sorted(first.values()), path)
    stores = _plan_new(actor, (records, new), at, results, path) if new else []
    chosen = {index for index, _ in new}
    return BatchPlan(
        actor,
        path,
        at,
        results,
        sorted(chosen),
        stores,
        sorted(set(first.values()) - chosen),
    )


def screen_records(
    records: Sequence[SchemeRecord],
) -> tuple[dict[int, RecordResult], dict[str, int]]:
    """What a batch of either scheme refuses before any record is read against the register:
    too many records, a text or date out of bounds, a case id twice. Returns those
    refusals by index, and the index of each case id's first record (the ones to write)."""
    if len(records) > BATCH_MAX_RECORDS:
        raise invalid(
            "records",
            "batch.too_large",
            f"En forespørsel kan ha høyst {BATCH_MAX_RECORDS} poster.",
            max=BATCH_MAX_RECORDS,
        )
    results: dict[int, RecordResult] = {}
    first: dict[str, int] = {}
    for index, record in enumerate(records):
        errors = input_errors(record)
        if errors:
            results[index] = RecordResult(index, record.case_id, Outcome.REJECTED, errors=errors)
        elif record.case_id in first:
            violation = invalid(
                "case_id",
                "case_id.duplicate_in_batch",
                f"Saksnummeret «{record.case_id}» står flere ganger i samme forespørsel.",
                case_id=record.case_id,
            )
            results[index] = RecordResult(
                index, record.case_id, Outcome.REJECTED, errors=[RecordError("case_id", violation)]
            )
        else:
            first[record.case_id] = index
    return results, first


def write_batch(
    plan: BatchPlan, records: Sequence[SchemeRecord], dry_run: bool = False
) -> list[RecordResult]:
    """Write a planned batch of either scheme: one result per record, in order; a bad record
    never blocks the others. The new records' rows are written together, one insert per
    table; the rest one at a time. With ``dry_run`` everything is rolled back."""
    results = dict(plan.results)
    one = plan.path.one
    with transaction.atomic():
        if plan.new:
            try:
                with transaction.atomic():
                    write_rows(plan.stores)
            except (IntegrityError, DataError):
                # Another writer registered one of the same persons or case ids since the
                # plan was made (or a value failed in the database): these records go one at
                # a time, and find what it wrote; a bad one is refused alone.
                for index in plan.new:
                    results[index] = one(
                        actor=plan.actor, record=records[index], index=index, at=plan.at
                    )
        for index in plan.one_at_a_time:
            results[index] = one(actor=plan.actor, record=records[index], index=index, at=plan.at)
        if dry_run:
            transaction.set_rollback(True)
    return [results[index] for index in range(len(records))]


def upsert_participants(
    *,
    actor: Actor,
    records: Sequence[ParticipantRecord],
    dry_run: bool = False,
    at: dt.datetime | None = None,
    plan: BatchPlan | None = None,
) -> list[RecordResult]:
    """Upsert a batch of the programme's records (``write_batch``).

    ``plan`` is what ``plan_batch`` worked out for these records, when the caller did that
    before opening its transaction. With ``dry_run`` every record is checked by the real
    services and everything is rolled back, so the results say exactly what a real run
    would do now.
    """
    plan = plan or plan_batch(actor=actor, records=records, at=at)
    return write_batch(plan, records, dry_run)


def _new_records(
    actor: Actor, records: Sequence[SchemeRecord], indexes: Sequence[int], path: NewPath
) -> list[tuple[int, Person | None]]:
    """The records whose case id is new to the municipality's scheme and whose person is
    named once in the batch and is new to the register or free to start (``NewPath``), each
    with the register's person (None: new). One query for the case ids, one for the
    persons, and the scheme's one for its free persons."""
    if actor.kommune_id is None or not ids_can_be_reserved():
        return []
    numbers = Counter(normalised_person(records[i].person).identity_number for i in indexes)
    # As sent and trimmed: the Norwegian-training scheme stores its case ids trimmed.
    cases = {c for i in indexes for c in (records[i].case_id, records[i].case_id.strip())}
    known_cases = set(
        path.row_model._default_manager.filter(
            kommune_id=actor.kommune_id, case_id__in=list(cases)
        ).values_list("case_id", flat=True)
    )
    known = {p.identity_number: p for p in Person.objects.filter(identity_number__in=list(numbers))}
    free = path.free_persons(list(known.values())) if path.free_persons and known else set()
    chosen: list[tuple[int, Person | None]] = []
    for i in indexes:
        data = normalised_person(records[i].person)
        person = known.get(data.identity_number)
        case_id = records[i].case_id
        if {case_id, case_id.strip()} & known_cases or numbers[data.identity_number] != 1:
            continue
        if person is None:
            chosen.append((i, None))
        elif person.pk in free and person_data(person) == data:
            # No fact of the person to change: nothing of the record writes outside its rows.
            chosen.append((i, person))
    return chosen


def _plan_new(
    actor: Actor,
    batch: tuple[Sequence[SchemeRecord], Sequence[tuple[int, Person | None]]],
    at: dt.datetime,
    results: dict[int, RecordResult],
    path: NewPath,
) -> list[PendingRows]:
    """The new records through the scheme's services on pending rows; each result goes into
    ``results``, and the rows of the accepted ones come back for the write."""
    records, new = batch
    chosen = [records[i] for i, _ in new]
    new_persons = sum(person is None for _, person in new)
    ids = reserve_all_ids(
        lambda model: new_persons if model is Person else _most_rows(path, model, chosen)
    )
    grants: dict[int, Grants] = {}
    stores: list[PendingRows] = []
    config = rule_config()
    for (index, person), record in zip(new, chosen, strict=True):
        store = PendingRows(ids, grants)
        ctx = WriteContext(actor, at, timezone.localdate(at), config, store)
        try:
            row, items = path.apply(ctx, record, person, store)
        except Rejected as rejected:
            results[index] = RecordResult(
                index, record.case_id, Outcome.REJECTED, errors=rejected.errors
            )
            continue
        stores.append(store)
        results[index] = RecordResult(
            index,
            record.case_id,
            Outcome.CREATED,
            participation_id=row.pk,
            version=row.version,
            content_hash=path.hash_of(row, items),
        )
    return stores


def _apply_new(
    ctx: WriteContext, record: ParticipantRecord, person: Person | None, store: PendingRows
) -> Applied:
    """A record whose person and case id are both new to the register, on pending rows: the
    same services and the same order as ``upsert``, with nothing to look up."""
    kommune = Kommune(pk=check_screened(ctx.actor, record))
    new_person = on_field("person.", lambda: add_person(ctx, record.person))
    participation, created = start(ctx, record, new_person, kommune)
    register_items(ctx, participation, record, created)
    return participation, pending_items(store)


_PROGRAMME_ROWS: dict[type[models.Model], str] = {
    SluttmaalVersion: "sluttmaal",
    Decision: "decisions",
    Measure: "measures",
    Leave: "leaves",
    Absence: "absences",
    Extension: "extensions",
    Stop: "stops",
    RelatedItemRecord: "related_items",
}


def _most_rows(path: NewPath, model: type[models.Model], records: Sequence[Any]) -> int:
    """The most rows of ``model`` the scheme's records can make (none of the other
    scheme's)."""
    if model is path.row_model:
        return len(records)
    name = path.lists.get(model)
    return sum(len(getattr(r, name)) for r in records) if name else 0


def _programme_hash(row: Participation, items: dict[str, list[Hashable]]) -> str:
    return content_hash(row, items)


PROGRAMME = NewPath(Participation, _apply_new, _PROGRAMME_ROWS, _programme_hash, upsert_participant)
