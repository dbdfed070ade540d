"""Upserting a batch of records: worked out before its transaction, the records entirely
new to the register run through the services on pending rows and are written together
(services/new_participants.py); the others go one at a time (``upsert``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

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
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, WriteContext, resolve_time
from nir.register.services.new_participants import (
    RESERVED,
    PendingRows,
    ids_can_be_reserved,
    reserve_ids,
    write_rows,
)
from nir.register.services.persons import add_person
from nir.register.services.stores import Grants
from nir.register.services.upsert.canonical import content_hash, pending_items
from nir.register.services.upsert.records import ParticipantRecord, normalised_person
from nir.register.services.upsert.results import (
    Outcome,
    RecordError,
    RecordResult,
    Rejected,
    on_field,
)
from nir.register.services.upsert.upsert import (
    Items,
    SchemeRecord,
    check_record,
    input_errors,
    register_items,
    start,
    upsert_participant,
)
from nir.register.services.validation import invalid

BATCH_MAX_RECORDS = 1000


@dataclass(slots=True)
class BatchPlan:
    """A batch worked out before its transaction: the refusals known at once, and the
    entirely new participants already run through the rules on pending rows."""

    at: dt.datetime
    results: dict[int, RecordResult]
    new: list[int]
    stores: list[PendingRows]
    one_at_a_time: list[int]


def plan_batch(
    *, actor: Actor, records: Sequence[ParticipantRecord], at: dt.datetime | None = None
) -> BatchPlan:
    """Everything about a batch that needs no transaction of its own, so the rules for new
    participants run while other requests write, and the write lock is held only for the
    write (SQLite has one for the whole database).

    Records whose person and case id are both new to the register (and appear once in the
    batch) go through the services on pending rows; the others are left for one at a time.
    Neither kind can affect the other, so the results are what sending the records one by
    one would give.
    """
    at, _ = resolve_time(at)
    results, first = screen_records(records)
    new = _entirely_new(actor, records, sorted(first.values()))
    stores = _plan_new(actor, records, new, at, results) if new else []
    return BatchPlan(at, results, new, stores, sorted(set(first.values()) - set(new)))


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


def upsert_participants(
    *,
    actor: Actor,
    records: Sequence[ParticipantRecord],
    dry_run: bool = False,
    at: dt.datetime | None = None,
    plan: BatchPlan | None = None,
) -> list[RecordResult]:
    """Upsert a batch: one result per record, in order; a bad record never blocks the others.

    ``plan`` is what ``plan_batch`` worked out for these records, when the caller did that
    before opening its transaction. New participants are written together, one insert per
    table (services/new_participants.py); the rest one at a time.

    With ``dry_run`` every record is checked by the real services and everything is rolled
    back, so the results say exactly what a real run would do now.
    """
    plan = plan or plan_batch(actor=actor, records=records, at=at)
    results = dict(plan.results)
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
                    results[index] = upsert_participant(
                        actor=actor, record=records[index], index=index, at=plan.at
                    )
        for index in plan.one_at_a_time:
            results[index] = upsert_participant(
                actor=actor, record=records[index], index=index, at=plan.at
            )
        if dry_run:
            transaction.set_rollback(True)
    return [results[index] for index in range(len(records))]


def _entirely_new(
    actor: Actor, records: Sequence[ParticipantRecord], indexes: Sequence[int]
) -> list[int]:
    """The records whose case id is new to the municipality and whose person is new to the
    register and to the rest of the batch."""
    if actor.kommune_id is None or not ids_can_be_reserved():
        return []
    numbers = Counter(normalised_person(records[i].person).identity_number for i in indexes)
    known_cases = set(
        Participation.objects.filter(
            kommune_id=actor.kommune_id, case_id__in=[records[i].case_id for i in indexes]
        ).values_list("case_id", flat=True)
    )
    known_persons = set(
        Person.objects.filter(identity_number__in=list(numbers)).values_list(
            "identity_number", flat=True
        )
    )
    fresh = []
    for i in indexes:
        number = normalised_person(records[i].person).identity_number
        if (
            records[i].case_id not in known_cases
            and number not in known_persons
            and numbers[number] == 1
        ):
            fresh.append(i)
    return fresh


def _apply_new(
    ctx: WriteContext, record: ParticipantRecord, store: PendingRows
) -> tuple[Participation, Items]:
    """A record whose person and case id are both new to the register, on pending rows: the
    same services and the same order as ``upsert``, with nothing to look up."""
    kommune = Kommune(pk=check_record(ctx.actor, record))
    person = on_field("person.", lambda: add_person(ctx, record.person))
    participation, created = start(ctx, record, person, kommune)
    register_items(ctx, participation, record, created)
    return participation, pending_items(store)


def _plan_new(
    actor: Actor,
    records: Sequence[ParticipantRecord],
    indexes: Sequence[int],
    at: dt.datetime,
    results: dict[int, RecordResult],
) -> list[PendingRows]:
    """The entirely new records through the services on pending rows; each result goes into
    ``results``, and the rows of the accepted ones come back for the write."""
    chosen = [records[i] for i in indexes]
    ids = {model: reserve_ids(model, _most_rows(model, chosen)) for model in RESERVED}
    grants: dict[int, Grants] = {}
    stores: list[PendingRows] = []
    config = rule_config()
    for index, record in zip(indexes, chosen, strict=True):
        store = PendingRows(ids, grants)
        ctx = WriteContext(actor, at, timezone.localdate(at), config, store)
        try:
            participation, items = _apply_new(ctx, record, store)
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
            participation_id=participation.pk,
            version=participation.version,
            content_hash=content_hash(participation, items),
        )
    return stores


def _most_rows(model: type[models.Model], records: Sequence[ParticipantRecord]) -> int:
    """The most rows of ``model`` the records can make (ids are reserved for that many)."""
    if model in (Person, Participation):
        return len(records)
    if model is NorskParticipation:
        return 0  # the programme's records start no Norwegian-training ordning
    kinds: dict[type[models.Model], str] = {
        SluttmaalVersion: "sluttmaal",
        Decision: "decisions",
        Measure: "measures",
        Leave: "leaves",
        Absence: "absences",
        Extension: "extensions",
        Stop: "stops",
        RelatedItemRecord: "related_items",
    }
    return sum(len(getattr(r, kinds[model])) for r in records)
