"""Upserting participants from a municipality's case system (fagsystem).

A record is the case system's view of one participation: the person, the participation keyed
by the municipality's own case id, its registrations and its termination. Resending a record
updates what differs and writes nothing when it already matches, so a case system may send
its whole state again and again without making copies.

Every write goes through the ordinary services, so every rule, the registration window and
the history hold exactly as in the caseworker UI. A record for a known person or case id
runs in its own savepoint; the records entirely new to the register run through the same
services on pending rows and are written together (services/new_participants.py). Either
way a refused record leaves nothing behind, and never stops the others.

Semantics a vendor relies on (docs/api.md):

* Person facts are replaced by the record's (last writer wins for the person; the
  participation itself is guarded by its version where the caller sends one).
* Registrations are additive: an item equal to a stored one is skipped, a new one is
  registered, and a stored one the record leaves out stays: leaving an item out is not a
  cancellation, which has its own operation with a reason (services/corrections.py).
* An absent termination never reopens an ended participation; undoing one has its own
  operation too.
* Neither is silent: a stored registration or termination the record lacks comes back as a
  warning naming the operation that removes it, and a record that differs only so is
  ``not_applied``, never ``unchanged`` (which means the record equals what is stored).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import partial
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
    StopKind,
    TerminationSource,
)
from nir.register.rule_config import rule_config
from nir.register.services.context import (
    Actor,
    OutOfScope,
    WriteContext,
    resolve_time,
    write_context,
)
from nir.register.services.items import (
    AbsenceItem,
    DecisionItem,
    ExtensionItem,
    Item,
    LeaveItem,
    MeasureItem,
    SluttmaalItem,
    StopItem,
)
from nir.register.services.new_participants import (
    RESERVED,
    PendingRows,
    ids_can_be_reserved,
    reserve_ids,
    write_rows,
)
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    end_participation,
    lock_participation,
    start_participation,
)
from nir.register.services.persons import PersonData, add_person, register_person, update_person
from nir.register.services.registrations import add_item
from nir.register.services.stores import Grants
from nir.register.services.validation import invalid
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.input_limits import value_violations
from nir.rules.termination import STANS

# --- the record ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TerminationItem:
    end_date: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    case_id: str
    person: PersonData
    start_date: dt.date
    category: str | None = None
    sluttmaal: Sequence[SluttmaalItem] = ()
    decisions: Sequence[DecisionItem] = ()
    measures: Sequence[MeasureItem] = ()
    leaves: Sequence[LeaveItem] = ()
    absences: Sequence[AbsenceItem] = ()
    extensions: Sequence[ExtensionItem] = ()
    stops: Sequence[StopItem] = ()
    termination: TerminationItem | None = None


# --- the result ----------------------------------------------------------------------------


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    # Nothing written, yet the record differs from the register in what an upsert does not
    # apply (a stored registration or termination it leaves out); the warnings say which.
    NOT_APPLIED = "not_applied"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class RecordError:
    """A refusal, with the field as a path inside the record (``leaves[0].start_date``)."""

    field: str
    violation: RuleViolation


@dataclass(slots=True)
class RecordResult:
    index: int
    case_id: str
    outcome: Outcome
    participation_id: int | None = None
    version: int | None = None
    content_hash: str | None = None
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)


# --- what is stored, in the record's own shape -----------------------------------------------


def _person_data(person: Person) -> PersonData:
    return PersonData(
        identity_number=person.identity_number,
        given_name=person.given_name,
        family_name=person.family_name,
        birth_date=person.birth_date,
        permit_type=person.permit_type,
        permit_date=person.permit_date,
        sex=person.sex,
        duf_number=person.duf_number,
        arrival_date=person.arrival_date,
        settlement_date=person.settlement_date,
        settled_by_agreement=person.settled_by_agreement,
        has_upper_secondary=person.has_upper_secondary,
        research_reservation=person.research_reservation,
    )


def _normalised_person(data: PersonData) -> PersonData:
    # The person service stores the number without spaces and the names stripped; compare
    # in that form so a resend with a stray space is still "unchanged".
    return replace(
        data,
        identity_number="".join(data.identity_number.split()),
        given_name=data.given_name.strip(),
        family_name=data.family_name.strip(),
    )


_ITEM_KINDS = ("sluttmaal", "decisions", "measures", "leaves", "absences", "extensions", "stops")


def _items_from_rows(
    *,
    sluttmaal: Iterable[SluttmaalVersion],
    decisions: Iterable[Decision],
    measures: Iterable[Measure],
    leaves: Iterable[Leave],
    absences: Iterable[Absence],
    extensions: Iterable[Extension],
    stops: Iterable[Stop],
) -> dict[str, list[Hashable]]:
    return {
        "sluttmaal": [SluttmaalItem(v.sluttmaal, v.valid_from) for v in sluttmaal],
        "decisions": [
            DecisionItem(d.decision_type, d.decided_on, d.reason, d.programme_months)
            for d in decisions
        ],
        "measures": [
            MeasureItem(m.measure_type, m.start_date, m.end_date, m.hours_per_week)
            for m in measures
        ],
        "leaves": [LeaveItem(x.leave_type, x.start_date, x.end_date, x.decided_on) for x in leaves],
        "absences": [
            AbsenceItem(a.absence_type, a.start_date, a.end_date, a.hours) for a in absences
        ],
        "extensions": [ExtensionItem(e.months, e.decided_on) for e in extensions],
        "stops": [StopItem(s.kind, s.start_date, s.end_date, s.decided_on) for s in stops],
    }


def _stored_items(p: Participation) -> dict[str, list[Hashable]]:
    return _items_from_rows(
        sluttmaal=p.sluttmaal_versions.all(),
        decisions=p.decisions.all(),
        measures=p.measures.all(),
        leaves=p.leaves.all(),
        absences=p.absences.all(),
        extensions=p.extensions.all(),
        stops=p.stops.all(),
    )


def _pending_items(store: PendingRows) -> dict[str, list[Hashable]]:
    return _items_from_rows(
        sluttmaal=store.of(SluttmaalVersion),
        decisions=store.of(Decision),
        measures=store.of(Measure),
        leaves=store.of(Leave),
        absences=store.of(Absence),
        extensions=store.of(Extension),
        stops=store.of(Stop),
    )


def _user_termination(p: Participation) -> TerminationItem | None:
    if p.end_date is None or p.termination_source != TerminationSource.USER:
        return None
    return TerminationItem(p.end_date, p.termination_reason)


_OMITTED_WHEN_EMPTY = frozenset({"programme_months"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # One canonical spelling of a number of hours: 7.5 and 7.50 hash alike.
        return format(value.normalize(), "f")
    if hasattr(value, "__dataclass_fields__"):
        # A field added later and left empty is left out, so a record that does not use it
        # keeps the content hash its case system already holds.
        return {
            name: _jsonable(getattr(value, name))
            for name in value.__dataclass_fields__
            if not (name in _OMITTED_WHEN_EMPTY and getattr(value, name) is None)
        }
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def stored_record(
    p: Participation, items: dict[str, list[Hashable]] | None = None
) -> dict[str, Any]:
    """The participation as a case system would send it, plus what the register computed."""
    items = items if items is not None else _stored_items(p)
    record: dict[str, Any] = {
        "case_id": p.case_id,
        "person": _jsonable(_person_data(p.person)),
        "start_date": p.start_date.isoformat(),
        "category": p.category,
        **{
            name: sorted(
                (_jsonable(i) for i in values), key=lambda i: json.dumps(i, sort_keys=True)
            )
            for name, values in items.items()
        },
        "termination": _jsonable(_user_termination(p)),
    }
    record["computed"] = {
        "regime": p.regime,
        "frist": p.frist.isoformat(),
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "termination_reason": p.termination_reason,
        "termination_source": p.termination_source,
    }
    return record


def content_hash(p: Participation, items: dict[str, list[Hashable]] | None = None) -> str:
    """sha256 of the canonical JSON of ``stored_record``: equal hash, equal content."""
    canonical = json.dumps(
        stored_record(p, items), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


# --- the upsert ----------------------------------------------------------------------------

BATCH_MAX_RECORDS = 1000


class _Rejected(Exception):
    def __init__(self, errors: list[RecordError]) -> None:
        super().__init__("record rejected")
        self.errors = errors


def _reject(field: str, code: str, message: str, **params: object) -> _Rejected:
    """A refusal of the record as a whole, on ``field`` of the record."""
    name = field.rsplit(".", 1)[-1]
    return _Rejected([RecordError(field, invalid(name, code, message, **params))])


def _at(prefix: str, call: Callable[[], Any]) -> Any:
    """Run one service call, naming the record's field on a refusal."""
    try:
        return call()
    except RuleViolation as violation:
        raise _Rejected([RecordError(f"{prefix}{violation.field}", violation)]) from violation


def _reload(pk: int) -> Participation:
    return Participation.objects.select_related("person", "kommune").get(pk=pk)


def _new_items[T: Hashable](
    incoming: Iterable[T], stored: Iterable[Hashable]
) -> list[tuple[int, T]]:
    """The incoming items (with their index) that are not already stored, as a multiset."""
    left = Counter(stored)
    new: list[tuple[int, T]] = []
    for index, item in enumerate(incoming):
        if left[item] > 0:
            left[item] -= 1
        else:
            new.append((index, item))
    return new


def _register_new[T: Hashable](
    name: str,
    incoming: Sequence[T],
    stored: Iterable[Hashable],
    add: Callable[[T], object],
    *,
    last: Callable[[T], bool] | None = None,
) -> bool:
    """Register each incoming item not already stored; True when anything was written."""
    new = _new_items(incoming, stored)
    if last is not None:
        new.sort(key=lambda pair: last(pair[1]))
    for index, item in new:
        _at(f"{name}[{index}].", partial(add, item))
    return bool(new)


def input_errors(record: ParticipantRecord) -> list[RecordError]:
    """Every text with a control character and every date outside the register's range in
    the record, by its field path; checked before anything reads or writes the database."""
    config = rule_config()
    return [
        RecordError(violation.field, violation)
        for violation in value_violations(record, config.earliest_date, config.latest_date)
    ]


def _check_record(actor: Actor, record: ParticipantRecord) -> int:
    """The municipality the record is for; refuses what no service should see."""
    errors = input_errors(record)
    if errors:
        raise _Rejected(errors)
    if actor.kommune_id is None:
        raise _reject(
            "case_id",
            "actor.kommune_required",
            "Bare en klient som handler for én kommune kan sende deltakere.",
        )
    if not record.case_id.strip():
        raise _reject("case_id", "case_id.required", "Saksnummer mangler.")
    return actor.kommune_id


def _register_items(
    ctx: WriteContext,
    participation: Participation,
    record: ParticipantRecord,
    stored: dict[str, list[Hashable]],
) -> bool:
    """The record's registrations that are not stored yet, in the order the rules need: what
    moves the frist before what ends it. True when anything was written."""

    def add(item: Item) -> None:
        add_item(ctx, participation, item)

    wrote = False
    for name in _ITEM_KINDS[:-1]:
        wrote |= _register_new(name, getattr(record, name), stored[name], add)
    wrote |= _register_new(
        "stops",
        # The register keeps a permanent stop without an end date: compare it that way.
        [replace(s, end_date=None) if s.kind == StopKind.VARIG else s for s in record.stops],
        stored["stops"],
        add,
        # A permanent stop ends the participation: the temporary ones go first.
        last=lambda s: s.kind == StopKind.VARIG,
    )
    term = record.termination
    if term is not None and _user_termination(participation) != term:
        _at(
            "termination.",
            lambda: end_participation(ctx, participation, term.end_date, term.reason),
        )
        wrote = True
    return wrote


# The correction entity (services/corrections.py) of each kind of item in a record, with the
# noun a message names it by.
_CORRECTION_ENTITY = {
    "sluttmaal": ("sluttmaal", "et sluttmål"),
    "decisions": ("decision", "et vedtak"),
    "measures": ("measure", "et tiltak"),
    "leaves": ("leave", "en permisjon"),
    "absences": ("absence", "et fravær"),
    "extensions": ("extension", "en utvidelse av programtiden"),
    "stops": ("stop", "en stans"),
}
BASIS_LEFT_OUT = LegalBasis(
    "upsert.left_out",
    "Registerets regel: det en post utelater, står; en registrering annulleres og en "
    "avslutning angres bare med begrunnelse og historikk",
    BasisKind.BESLUTNING,
)
CANCEL_OPERATION = "cancelRegistration (POST /api/v1/corrections/cancel-registration)"
UNDO_OPERATION = "undoTermination (POST /api/v1/corrections/undo-termination)"


def _record_items(record: ParticipantRecord) -> dict[str, list[Hashable]]:
    """The record's registrations as the register stores them."""
    return {
        "sluttmaal": list(record.sluttmaal),
        "decisions": list(record.decisions),
        "measures": list(record.measures),
        "leaves": list(record.leaves),
        "absences": list(record.absences),
        "extensions": list(record.extensions),
        # The register keeps a permanent stop without an end date.
        "stops": [
            replace(s, end_date=None) if s.kind == StopKind.VARIG else s for s in record.stops
        ],
    }


def _dated(item: Hashable) -> str:
    """The item's dates as a caseworker reads them: «01.12.2026–20.12.2026, vedtak 25.11.2026»."""
    parts = []
    valid_from = getattr(item, "valid_from", None)
    start, end = getattr(item, "start_date", None), getattr(item, "end_date", None)
    decided_on = getattr(item, "decided_on", None)
    if valid_from is not None:
        parts.append(f"fra {valid_from:%d.%m.%Y}")
    if start is not None:
        parts.append(f"{start:%d.%m.%Y}–{end:%d.%m.%Y}" if end else f"fra {start:%d.%m.%Y}")
    if decided_on is not None:
        parts.append(f"vedtak {decided_on:%d.%m.%Y}")
    return ", ".join(parts)


def left_out(
    participation: Participation,
    record: ParticipantRecord,
    stored: dict[str, list[Hashable]],
) -> list[RecordError]:
    """What the register holds and the record lacks, which an upsert never removes: one
    warning each, naming the operation that does (a cancellation or an undone termination,
    each with its reason and history)."""
    warnings: list[RecordError] = []
    incoming = _record_items(record)
    for name in _ITEM_KINDS:
        entity, noun = _CORRECTION_ENTITY[name]
        left = Counter(incoming[name])
        for item in stored[name]:
            if left[item] > 0:
                left[item] -= 1
                continue
            permanent = isinstance(item, StopItem) and item.kind == StopKind.VARIG
            how = (
                "Varig stans avsluttet deltakelsen og kan ikke annulleres."
                if permanent
                else f"Den står til den annulleres med {CANCEL_OPERATION}, med en begrunnelse."
            )
            warnings.append(
                RecordError(
                    name,
                    RuleViolation(
                        field=name,
                        code="registration.not_in_record",
                        basis=BASIS_LEFT_OUT,
                        message=f"Registeret har {noun} ({_dated(item)}) som posten ikke har. "
                        "Å utelate en registrering annullerer den ikke. " + how,
                        params={
                            "entity": entity,
                            "item": _jsonable(item),
                            "operation": "" if permanent else "cancelRegistration",
                        },
                    ),
                )
            )
    stored_end = _user_termination(participation)
    # A termination by permanent stop is the stop's: the record holds it with the stop, and
    # without the stop the stop's own warning says what stands.
    by_permanent_stop = stored_end is not None and stored_end.reason == STANS
    if stored_end is not None and record.termination is None and not by_permanent_stop:
        warnings.append(
            RecordError(
                "termination",
                RuleViolation(
                    field="termination",
                    code="termination.not_in_record",
                    basis=BASIS_LEFT_OUT,
                    message=f"Registeret har avslutningen {stored_end.end_date:%d.%m.%Y} som "
                    "posten ikke har. Å utelate avslutningen gjenåpner ikke deltakelsen; angre den "
                    f"med {UNDO_OPERATION}, med en begrunnelse.",
                    params={"termination": _jsonable(stored_end), "operation": "undoTermination"},
                ),
            )
        )
    return warnings


def _apply(
    actor: Actor,
    record: ParticipantRecord,
    moment: dt.datetime,
    expected_version: int | None,
) -> tuple[Outcome, Participation, dict[str, list[Hashable]] | None, list[RecordError]]:
    """One record, inside the caller's savepoint. Raises _Rejected on the first refusal.

    Returns the outcome, the participation as stored now, its registrations when they are
    known unchanged since they were read (so the content hash needs no second read), and
    the warnings about what the record lacks and the upsert leaves as it is.
    """
    kommune_id = _check_record(actor, record)
    incoming_person = _normalised_person(record.person)
    wrote = False
    known: dict[str, list[Hashable]] | None = None
    existing = (
        Participation.objects.filter(kommune_id=kommune_id, case_id=record.case_id)
        .values_list("pk", flat=True)
        .first()
    )
    if existing is not None:
        participation = _at("", lambda: lock_participation(existing, actor, expected_version))
        if participation.person.identity_number != incoming_person.identity_number:
            raise _reject(
                "person.identity_number",
                "case_id.identity_mismatch",
                f"Saksnummeret «{record.case_id}» tilhører en annen person i registeret. "
                "Kontroller saksnummer og fødselsnummer.",
            )
        # No service changes these once registered; refuse rather than approximate.
        if participation.start_date != record.start_date:
            raise _reject(
                "start_date",
                "start_date.immutable",
                "Oppstartsdatoen for en registrert deltakelse kan ikke endres. "
                f"Registeret har {participation.start_date:%d.%m.%Y}.",
                stored=participation.start_date,
            )
        if record.category is not None and record.category != participation.category:
            raise _reject(
                "category",
                "category.immutable",
                "Kategorien for en registrert deltakelse kan ikke endres. "
                f"Registeret har «{participation.category}».",
                stored=participation.category,
            )
        outcome = Outcome.UNCHANGED
    else:
        if expected_version is not None:
            # The caller expected an existing participation that is not there (or not theirs).
            raise _Rejected([RecordError("case_id", OutOfScope(entity="participation"))])
        person = Person.objects.filter(identity_number=incoming_person.identity_number).first()
        if person is None:
            person = _at(
                "person.", lambda: register_person(actor=actor, data=record.person, at=moment)
            )
        start_goal = _start_goal(record)
        person_id = person.pk
        created = _at(
            "",
            lambda: create_participation(
                actor=actor,
                person_id=person_id,
                kommune_id=kommune_id,
                new=_new_participation(record, start_goal),
                at=moment,
            ),
        )
        participation = _reload(created.pk)
        outcome = Outcome.CREATED
        # What the creation registered, known without asking the database again.
        known = _created_items(start_goal)
    pk = participation.pk

    # The person's facts (the frist of every participation follows them).
    person = participation.person
    if _person_data(person) != incoming_person:
        _at(
            "person.",
            lambda: update_person(
                actor=actor,
                person_id=person.pk,
                expected_version=person.version,
                data=record.person,
                at=moment,
            ),
        )
        wrote = True
        participation = lock_participation(pk, actor, None)

    stored = known if known is not None else _stored_items(participation)
    warnings = left_out(participation, record, stored) if outcome is Outcome.UNCHANGED else []
    wrote |= _register_items(write_context(actor, moment), participation, record, stored)

    if outcome is Outcome.UNCHANGED and wrote:
        outcome = Outcome.UPDATED
    elif outcome is Outcome.UNCHANGED and warnings:
        outcome = Outcome.NOT_APPLIED
    # Nothing written: what was read at the start is still what is stored.
    known_items = None if wrote or outcome is Outcome.CREATED else stored
    return outcome, _reload(pk), known_items, warnings


def _start_goal(record: ParticipantRecord) -> SluttmaalItem | None:
    """The sluttmål that holds from the start is registered with the participation."""
    return next((g for g in record.sluttmaal if g.valid_from == record.start_date), None)


def _new_participation(
    record: ParticipantRecord, start_goal: SluttmaalItem | None
) -> NewParticipation:
    return NewParticipation(
        start_date=record.start_date,
        category=record.category,
        case_id=record.case_id,
        sluttmaal=start_goal.sluttmaal if start_goal else None,
    )


def _created_items(start_goal: SluttmaalItem | None) -> dict[str, list[Hashable]]:
    known: dict[str, list[Hashable]] = {name: [] for name in _ITEM_KINDS}
    if start_goal is not None:
        known["sluttmaal"] = [start_goal]
    return known


def _apply_new(
    ctx: WriteContext, record: ParticipantRecord, store: PendingRows
) -> tuple[Participation, dict[str, list[Hashable]]]:
    """A record whose person and case id are both new to the register, on pending rows: the
    same services and the same order as ``_apply``, with nothing to look up."""
    kommune = Kommune(pk=_check_record(ctx.actor, record))
    person = _at("person.", lambda: add_person(ctx, record.person))
    start_goal = _start_goal(record)
    participation = _at(
        "",
        lambda: start_participation(ctx, person, kommune, _new_participation(record, start_goal)),
    )
    _register_items(ctx, participation, record, _created_items(start_goal))
    return participation, _pending_items(store)


def upsert_participant(
    *,
    actor: Actor,
    record: ParticipantRecord,
    expected_version: int | None = None,
    index: int = 0,
    dry_run: bool = False,
    at: dt.datetime | None = None,
) -> RecordResult:
    """Upsert one record in its own savepoint; a refusal comes back as a rejected result.

    With ``dry_run`` the record is checked by the real services and rolled back.
    """
    moment, _ = resolve_time(at)
    try:
        with transaction.atomic():
            outcome, participation, items, warnings = _apply(
                actor, record, moment, expected_version
            )
            result = RecordResult(
                index,
                record.case_id,
                outcome,
                participation_id=participation.pk,
                version=participation.version,
                content_hash=content_hash(participation, items),
                warnings=warnings,
            )
            if dry_run:
                transaction.set_rollback(True)
    except _Rejected as rejected:
        return RecordResult(index, record.case_id, Outcome.REJECTED, errors=rejected.errors)
    except IntegrityError:
        # Another writer created the same case id or person between our read and our write.
        violation = invalid(
            "case_id",
            "record.concurrent_write",
            "Posten ble endret samtidig av en annen forespørsel. Send den på nytt.",
        )
        return RecordResult(
            index, record.case_id, Outcome.REJECTED, errors=[RecordError("case_id", violation)]
        )
    except DataError:
        # A value the database cannot hold that no check above caught: this record is
        # refused and rolled back to its savepoint; the batch goes on.
        violation = invalid(
            "case_id", "record.unstorable", "Posten inneholder en verdi registeret ikke kan lagre."
        )
        return RecordResult(
            index, record.case_id, Outcome.REJECTED, errors=[RecordError("case_id", violation)]
        )
    return result


@dataclass(slots=True)
class BatchPlan:
    """A batch worked out before its transaction: the refusals known at once, and the
    entirely new participants already run through the rules on pending rows."""

    moment: dt.datetime
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
    if len(records) > BATCH_MAX_RECORDS:
        raise invalid(
            "records",
            "batch.too_large",
            f"En forespørsel kan ha høyst {BATCH_MAX_RECORDS} poster.",
            max=BATCH_MAX_RECORDS,
        )
    moment, _ = resolve_time(at)
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
            )
            results[index] = RecordResult(
                index, record.case_id, Outcome.REJECTED, errors=[RecordError("case_id", violation)]
            )
        else:
            first[record.case_id] = index
    new = _entirely_new(actor, records, sorted(first.values()))
    stores = _plan_new(actor, records, new, moment, results) if new else []
    return BatchPlan(moment, results, new, stores, sorted(set(first.values()) - set(new)))


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
                        actor=actor, record=records[index], index=index, at=plan.moment
                    )
        for index in plan.one_at_a_time:
            results[index] = upsert_participant(
                actor=actor, record=records[index], index=index, at=plan.moment
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
    numbers = Counter(_normalised_person(records[i].person).identity_number for i in indexes)
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
        number = _normalised_person(records[i].person).identity_number
        if (
            records[i].case_id not in known_cases
            and number not in known_persons
            and numbers[number] == 1
        ):
            fresh.append(i)
    return fresh


def _plan_new(
    actor: Actor,
    records: Sequence[ParticipantRecord],
    indexes: Sequence[int],
    moment: dt.datetime,
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
        ctx = WriteContext(actor, moment, timezone.localdate(moment), config, store)
        try:
            participation, items = _apply_new(ctx, record, store)
        except _Rejected as rejected:
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
    kinds: dict[type[models.Model], str] = {
        SluttmaalVersion: "sluttmaal",
        Decision: "decisions",
        Measure: "measures",
        Leave: "leaves",
        Absence: "absences",
        Extension: "extensions",
        Stop: "stops",
    }
    return sum(len(getattr(r, kinds[model])) for r in records)


_KIND_OF_ENTITY = {entity: name for name, (entity, _) in _CORRECTION_ENTITY.items()}


def stored_registration_id(participation: Participation, entity: str, item: Hashable) -> int | None:
    """The id of a stored registration equal to ``item`` (in the record's shape), for a case
    system that names what to cancel as it sent it; the newest when several are equal."""
    name = _KIND_OF_ENTITY.get(entity)
    if name is None:
        return None
    if isinstance(item, StopItem) and item.kind == StopKind.VARIG:
        item = replace(item, end_date=None)
    relation = {
        "sluttmaal": "sluttmaal_versions",
        "decisions": "decisions",
        "measures": "measures",
        "leaves": "leaves",
        "absences": "absences",
        "extensions": "extensions",
        "stops": "stops",
    }[name]
    rows = list(getattr(participation, relation).order_by("-pk"))
    items = _items_from_rows(**{kind: rows if kind == name else [] for kind in _ITEM_KINDS})[name]
    return next((row.pk for row, stored in zip(rows, items, strict=True) if stored == item), None)
