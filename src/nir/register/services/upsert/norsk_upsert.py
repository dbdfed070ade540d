"""Upserting one Norwegian-training record, in its own savepoint, with the programme's
machinery (``upsert``): the same check of the record and the writer's scheme, the same
person handling, the same multiset of new items, the same warnings about what the record
leaves out, the same outcomes. The ordning found by its case id is updated, or started
through ``services.norsk.start_norsk``; then the registrations the register does not hold
yet, each through ``add_norsk_item`` (the window, the item's rule, the frist, the history,
the system's ends), then the end.

A batch's new ordninger (``upsert_norsk_participations``) take the programme's set-based
path (``batch``): the same start and registrations on pending rows, written together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from nir.register import labels
from nir.register.models import Person
from nir.register.norsk_models import (
    NorskParticipation,
)
from nir.register.rule_messages import OPERATIONS
from nir.register.services.context import (
    Actor,
    OutOfScope,
    WriteContext,
    resolve_time,
    write_context,
)
from nir.register.services.items import NorskEducationItem, NorskItem
from nir.register.services.new_participants import PendingRows
from nir.register.services.norsk import (
    NewNorskParticipation,
    lock_norsk_participation,
    recompute_norsk_frist,
    start_norsk,
)
from nir.register.services.norsk_registrations import add_norsk_item
from nir.register.services.persons import add_person
from nir.register.services.upsert.batch import Applied as NewApplied
from nir.register.services.upsert.batch import BatchPlan, NewPath, plan_batch, write_batch
from nir.register.services.upsert.left_out import end_left_out, left_out_items
from nir.register.services.upsert.norsk_canonical import (
    NORSK_ROW_MODEL,
    municipality_end,
    norsk_content_hash,
    pending_norsk_items,
    stored_norsk_items,
)
from nir.register.services.upsert.norsk_records import (
    NORSK_ITEM_KINDS,
    NORSK_KINDS,
    NorskRecord,
    item_json,
    norsk_record_items,
)
from nir.register.services.upsert.results import (
    Applied,
    Outcome,
    RecordError,
    RecordResult,
    Rejected,
    on_field,
    reject,
    settled,
)
from nir.register.services.upsert.upsert import (
    check_record,
    check_same_key,
    check_screened,
    in_savepoint,
    new_items,
    record_person,
    register_new,
    update_person_facts,
)
from nir.register.services.validation import invalid
from nir.rules.schemes import Scheme

Items = dict[str, list[Any]]
# The rules' fields that name a registration as a whole: a refusal is on the item
# (``extended_norwegian[0]``).
_WHOLE_ITEM = frozenset({"extended_norwegian", "fritak", "norskmaal", "test_result"})


def _reload(pk: int) -> NorskParticipation:
    return NorskParticipation.objects.select_related("person", "kommune").get(pk=pk)


def _immutable(record: NorskRecord, row: NorskParticipation) -> None:
    """What no service changes once the ordning is registered: refused, not approximated."""
    check_same_key(record, row.person.identity_number, row.start_date)
    if (row.permit_list, row.permit_granted_abroad) != (
        record.permit_list.value,
        record.permit_granted_abroad,
    ):
        # Decision N1-b: the category is frozen at the start; a new permit needs a new decision.
        raise reject(
            "permit_list",
            "permit_list.immutable",
            "Tillatelsesgrunnlaget for en registrert ordning kan ikke endres; kategorien "
            "ble fastsatt da ordningen startet. Registeret har "
            f"«{labels.label(labels.PERMIT_LISTS, row.permit_list)}».",
            stored=row.permit_list,
        )


def _start(
    ctx: WriteContext, record: NorskRecord, person: Person, kommune_id: int
) -> NorskParticipation:
    """The one start of a record's ordning, on the context's store."""
    new = NewNorskParticipation(
        start_date=record.start_date,
        permit_list=record.permit_list,
        permit_granted_abroad=record.permit_granted_abroad,
        education_background=record.education_background,
        case_id=record.case_id,
    )
    row: NorskParticipation = on_field("", lambda: start_norsk(ctx, person, kommune_id, new))
    return row


def _started(ctx: WriteContext, record: NorskRecord, kommune_id: int) -> NorskParticipation:
    person = record_person(ctx, record.person)
    return _reload(_start(ctx, record, person, kommune_id).pk)


def _register(
    ctx: WriteContext, row: NorskParticipation, record: NorskRecord, stored: Items
) -> bool:
    """The record's education, registrations and end the register does not hold yet, in the
    order of ``NORSK_ITEM_KINDS``. True when anything was written."""

    def add(item: NorskItem) -> None:
        add_norsk_item(ctx, row, item)

    wrote = False
    background = record.education_background
    if background is not None and background.value != row.education_background:
        on_field("education_background.", lambda: add(NorskEducationItem(background)))
        wrote = True
    for name in NORSK_ITEM_KINDS:
        new = new_items(getattr(record, name), stored[name], NORSK_KINDS.key)
        wrote |= register_new(name, new, add, _WHOLE_ITEM)
    end = record.end
    if end is not None and (row.end_date, row.end_reason) != (end.end_date, end.reason):
        on_field("end.", lambda: add(end))
        wrote = True
    return wrote


def _left_out(row: NorskParticipation, record: NorskRecord, stored: Items) -> list[RecordError]:
    warnings = left_out_items(norsk_record_items(record), stored, NORSK_KINDS)
    if record.education_background is None and row.education_background:
        warnings.append(
            RecordError(
                "education_background",
                invalid(
                    "education_background",
                    "education_background.not_in_record",
                    "Registeret har utdanningsbakgrunnen "
                    f"«{labels.label(labels.EDUCATION_BACKGROUNDS, row.education_background)}» "
                    "som posten ikke har. Å utelate den endrer den ikke.",
                    stored=row.education_background,
                ),
            )
        )
    end = municipality_end(row)
    if end is not None and record.end is None:
        warnings.append(
            end_left_out(
                f"Registeret har avslutningen {end.end_date:%d.%m.%Y} som posten ikke har. "
                "Å utelate avslutningen gjenåpner ikke ordningen; angre den med "
                f"{OPERATIONS['undoNorskEnd']}, med en begrunnelse.",
                {"termination": item_json(end), "operation": "undoNorskEnd"},
            )
        )
    return warnings


def _apply(ctx: WriteContext, record: NorskRecord, expected_version: int | None) -> Applied:
    """One record, inside the caller's savepoint. Raises Rejected on the first refusal."""
    kommune_id = check_record(ctx.actor, record, Scheme.NORSK)
    existing = (
        NorskParticipation.objects.filter(kommune_id=kommune_id, case_id=record.case_id.strip())
        .values_list("pk", flat=True)
        .first()
    )
    if existing is not None:
        pk: int = existing
        row = on_field("", lambda: lock_norsk_participation(pk, ctx.actor, expected_version))
        _immutable(record, row)
        outcome = Outcome.UNCHANGED
    elif expected_version is not None:
        # The caller expected an ordning that is not there (or not theirs).
        raise Rejected([RecordError("case_id", OutOfScope(entity="norsk_participation"))])
    else:
        row = _started(ctx, record, kommune_id)
        outcome = Outcome.CREATED
    wrote = update_person_facts(ctx, row.person, record.person)
    if wrote:
        row = lock_norsk_participation(row.pk, ctx.actor, None)
        if row.end_date is None:
            # The frist reads the person's education flag where the ordning has none.
            recompute_norsk_frist(ctx, row)
    stored = stored_norsk_items(row)
    warnings = _left_out(row, record, stored) if outcome is Outcome.UNCHANGED else []
    wrote |= _register(ctx, row, record, stored)
    items = None if wrote else stored
    return Applied(settled(outcome, wrote, warnings), _reload(row.pk), items, warnings)


def upsert_norsk_participation(
    *,
    actor: Actor,
    record: NorskRecord,
    expected_version: int | None = None,
    index: int = 0,
    at: dt.datetime | None = None,
) -> RecordResult:
    """Upsert one Norwegian-training record in its own savepoint; a refusal comes back as a
    rejected result. A dry run is the caller's: it rolls back the transaction around it."""
    instant, _ = resolve_time(at)
    return in_savepoint(
        index,
        record.case_id,
        lambda: _apply(write_context(actor, instant), record, expected_version).result(
            index, record.case_id, norsk_content_hash
        ),
    )


def _apply_new(
    ctx: WriteContext, record: NorskRecord, person: Person | None, store: PendingRows
) -> NewApplied:
    """A new ordning on pending rows (``batch``), of a new person or of one the register
    holds with the record's facts: the same services in the same order as ``_apply``."""
    kommune_id = check_screened(ctx.actor, record, Scheme.NORSK)
    if person is None:
        person = on_field("person.", lambda: add_person(ctx, record.person))
    row = _start(ctx, record, person, kommune_id)
    _register(ctx, row, record, {name: [] for name in NORSK_ITEM_KINDS})
    return row, pending_norsk_items(store)


def _free_persons(persons: Sequence[Person]) -> set[int]:
    """The persons without an open ordning (one a person), in one query."""
    open_ = set(
        NorskParticipation.objects.filter(person__in=persons, end_date__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    return {p.pk for p in persons} - open_


NORSK_PATH = NewPath(
    NorskParticipation,
    _apply_new,
    {model: name for name, model in NORSK_ROW_MODEL.items()},
    norsk_content_hash,
    upsert_norsk_participation,
    free_persons=_free_persons,
)


def plan_norsk_batch(
    *, actor: Actor, records: Sequence[NorskRecord], at: dt.datetime | None = None
) -> BatchPlan:
    """What a batch of the scheme's records needs no transaction for (``plan_batch``)."""
    return plan_batch(actor=actor, records=records, at=at, path=NORSK_PATH)


def upsert_norsk_participations(
    *,
    actor: Actor,
    records: Sequence[NorskRecord],
    at: dt.datetime | None = None,
    plan: BatchPlan | None = None,
) -> list[RecordResult]:
    """Upsert a batch of Norwegian-training records: one result per record, in order; a bad
    record never blocks the others. The refusals of the batch's screening are the
    programme's; the new ordninger are written together, the others go one at a time, each
    in its own savepoint (``write_batch``). ``plan`` is ``plan_norsk_batch``'s for these
    records, when the caller made it before opening its transaction. The caller's
    transaction holds them all: a dry run rolls it back."""
    plan = plan or plan_norsk_batch(actor=actor, records=records, at=at)
    return write_batch(plan, records)
