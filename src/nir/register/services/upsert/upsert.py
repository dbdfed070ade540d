"""Upserting one record, in its own savepoint: the participation found by its case id is
updated, or created through the one create path (``start``) the batch's new participants
take too; then the registrations the register does not hold yet, then the termination."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from functools import partial
from typing import Any, Protocol

from django.db import DataError, IntegrityError, transaction

from nir.register.models import Kommune, Participation, Person, StopKind
from nir.register.rule_config import rule_config
from nir.register.services.context import (
    Actor,
    OutOfScope,
    SchemeNotHeld,
    WriteContext,
    resolve_time,
    write_context,
)
from nir.register.services.items import Item, SluttmaalItem
from nir.register.services.participations import (
    NewParticipation,
    end_participation,
    free_to_start,
    lock_participation,
    start_participation,
)
from nir.register.services.persons import PersonData, register_person, update_person
from nir.register.services.registrations import add_item
from nir.register.services.upsert.canonical import (
    content_hash,
    person_data,
    stored_items,
    user_termination,
)
from nir.register.services.upsert.left_out import left_out
from nir.register.services.upsert.records import (
    ITEM_KINDS,
    ParticipantRecord,
    as_stored,
    normalised_person,
    start_goal,
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
from nir.register.services.validation import invalid
from nir.rules.errors import RuleViolation
from nir.rules.input_limits import value_violations
from nir.rules.schemes import Scheme

Items = dict[str, list[Hashable]]


def input_errors(record: object) -> list[RecordError]:
    """Every text with a control character and every date outside the register's range in
    the record (either scheme's), by its field path; checked before anything reads or
    writes the database."""
    config = rule_config()
    return [
        RecordError(violation.field, violation)
        for violation in value_violations(record, config.earliest_date, config.latest_date)
    ]


class SchemeRecord(Protocol):
    """What both schemes' records share: the case id, the person and the start."""

    @property
    def case_id(self) -> str: ...

    @property
    def person(self) -> PersonData: ...

    @property
    def start_date(self) -> dt.date: ...


def check_record(
    actor: Actor, record: SchemeRecord, scheme: Scheme = Scheme.INTRODUKSJONSPROGRAM
) -> int:
    """The municipality the record is for; refuses what no service should see, and a
    record of a scheme the actor does not write."""
    errors = input_errors(record)
    if errors:
        raise Rejected(errors)
    return check_screened(actor, record, scheme)


def check_screened(
    actor: Actor, record: SchemeRecord, scheme: Scheme = Scheme.INTRODUKSJONSPROGRAM
) -> int:
    """``check_record`` for a record whose values a batch's screening has checked
    (``batch.screen_records``): the writer, the scheme and the case id."""
    if actor.kommune_id is None:
        raise reject(
            "case_id",
            "actor.kommune_required",
            "Bare en klient som handler for én kommune kan sende deltakere.",
        )
    if scheme not in actor.schemes:
        raise Rejected([RecordError("case_id", SchemeNotHeld(scheme))])
    if not record.case_id.strip():
        raise reject("case_id", "case_id.required", "Saksnummer mangler.")
    return actor.kommune_id


def _same(item: Hashable) -> Hashable:
    return item


def new_items[T](
    incoming: Iterable[T],
    stored: Iterable[Any],
    key: Callable[[Any], Hashable] = _same,
) -> list[tuple[int, T]]:
    """The incoming items (with their index) that are not already stored, as a multiset of
    their ``key`` (the item itself where it is hashable)."""
    left = Counter(key(item) for item in stored)
    if not left:
        # Nothing stored (a new participation or ordning): every item is new, and no key
        # needs computing.
        return list(enumerate(incoming))
    new: list[tuple[int, T]] = []
    for index, item in enumerate(incoming):
        if left[key(item)] > 0:
            left[key(item)] -= 1
        else:
            new.append((index, item))
    return new


def register_new[T](
    name: str,
    new: Sequence[tuple[int, T]],
    add: Callable[[T], object],
    whole: Collection[str] = (),
) -> bool:
    """Register each new item (``new_items``) of the record's list ``name``, naming its
    place in the list on a refusal (``on_field``); True when anything was written."""
    for index, item in new:
        on_field(f"{name}[{index}].", partial(add, item), whole)
    return bool(new)


def register_items(
    ctx: WriteContext, participation: Participation, record: ParticipantRecord, stored: Items
) -> bool:
    """The record's registrations that are not stored yet, in the order the rules need: what
    moves the frist before what ends it. True when anything was written."""

    def add(item: Item) -> None:
        add_item(ctx, participation, item)

    wrote = False
    for name in ITEM_KINDS[:-1]:
        wrote |= register_new(name, new_items(getattr(record, name), stored[name]), add)
    stops = new_items([as_stored(s) for s in record.stops], stored["stops"])
    # A permanent stop ends the participation: the temporary ones go first.
    wrote |= register_new(
        "stops", sorted(stops, key=lambda pair: pair[1].kind == StopKind.VARIG), add
    )
    term = record.termination
    if term is not None and user_termination(participation) != term:
        on_field(
            "termination.",
            lambda: end_participation(ctx, participation, term),
        )
        wrote = True
    return wrote


def start(
    ctx: WriteContext, record: ParticipantRecord, person: Person, kommune: Kommune
) -> tuple[Participation, Items]:
    """The one create path of a record's participation, on the context's store: the
    participation with the sluttmål that holds from its start. Returns it and the
    registrations the creation made."""
    goal = start_goal(record)
    new = NewParticipation(
        start_date=record.start_date,
        category=record.category,
        case_id=record.case_id,
        sluttmaal=goal.sluttmaal if goal else None,
    )
    participation: Participation = on_field(
        "", lambda: start_participation(ctx, person, kommune, new)
    )
    return participation, _created_items(goal)


def _created_items(goal: SluttmaalItem | None) -> Items:
    known: Items = {name: [] for name in ITEM_KINDS}
    if goal is not None:
        known["sluttmaal"] = [goal]
    return known


def _reload(pk: int) -> Participation:
    return Participation.objects.select_related("person", "kommune").get(pk=pk)


def check_same_key(record: SchemeRecord, identity_number: str, start_date: dt.date) -> None:
    """A stored case id (either scheme's) is the same person's, from the same start: a
    case id never moves to another person, and no service changes a start."""
    if identity_number != normalised_person(record.person).identity_number:
        raise reject(
            "person.identity_number",
            "case_id.identity_mismatch",
            f"Saksnummeret «{record.case_id}» tilhører en annen person i registeret. "
            "Kontroller saksnummer og fødselsnummer.",
            case_id=record.case_id,
        )
    if start_date != record.start_date:
        raise reject(
            "start_date",
            "start_date.immutable",
            "Oppstartsdatoen for en registrert deltakelse kan ikke endres. "
            f"Registeret har {start_date:%d.%m.%Y}.",
            stored=start_date,
        )


def _stored_participation(
    actor: Actor, record: ParticipantRecord, pk: int, expected_version: int | None
) -> Participation:
    """The stored participation of the record's case id, locked, when the record is about
    the same person and start; refuses rather than approximate what no service changes."""
    participation: Participation = on_field(
        "", lambda: lock_participation(pk, actor, expected_version)
    )
    check_same_key(record, participation.person.identity_number, participation.start_date)
    if record.category is not None and record.category != participation.category:
        raise reject(
            "category",
            "category.immutable",
            "Kategorien for en registrert deltakelse kan ikke endres. "
            f"Registeret har «{participation.category}».",
            stored=participation.category,
        )
    return participation


def record_person(ctx: WriteContext, data: PersonData) -> Person:
    """The person a record names: the register's, or registered now when it does not know
    them (either scheme's record)."""
    number = normalised_person(data).identity_number
    person = Person.objects.filter(identity_number=number).first()
    if person is None:
        person = on_field("person.", lambda: register_person(actor=ctx.actor, data=data, at=ctx.at))
    return person


def update_person_facts(ctx: WriteContext, person: Person, data: PersonData) -> bool:
    """Replace the person's facts by the record's where they differ (last writer wins for
    the person); True when anything was written."""
    if person_data(person) == normalised_person(data):
        return False
    on_field(
        "person.",
        lambda: update_person(
            actor=ctx.actor,
            person_id=person.pk,
            expected_version=person.version,
            data=data,
            at=ctx.at,
        ),
    )
    return True


def _created(ctx: WriteContext, record: ParticipantRecord, kommune_id: int) -> Participation:
    """A new participation for the record, of the person it names (registered now when the
    register does not know them), on the database."""
    person_id = record_person(ctx, record.person).pk
    with transaction.atomic():
        free, kommune = on_field("", lambda: free_to_start(person_id, kommune_id, record.case_id))
        participation, _ = start(ctx, record, free, kommune)
    return _reload(participation.pk)


def _apply(ctx: WriteContext, record: ParticipantRecord, expected_version: int | None) -> Applied:
    """One record, inside the caller's savepoint. Raises Rejected on the first refusal."""
    kommune_id = check_record(ctx.actor, record)
    existing = (
        Participation.objects.filter(kommune_id=kommune_id, case_id=record.case_id)
        .values_list("pk", flat=True)
        .first()
    )
    known: Items | None = None
    if existing is not None:
        participation = _stored_participation(ctx.actor, record, existing, expected_version)
        outcome = Outcome.UNCHANGED
    elif expected_version is not None:
        # The caller expected an existing participation that is not there (or not theirs).
        raise Rejected([RecordError("case_id", OutOfScope(entity="participation"))])
    else:
        participation = _created(ctx, record, kommune_id)
        outcome = Outcome.CREATED
        # What the creation registered, known without asking the database again.
        known = _created_items(start_goal(record))
    pk = participation.pk
    # The person's facts (the frist of every participation follows them).
    wrote = update_person_facts(ctx, participation.person, record.person)
    if wrote:
        participation = lock_participation(pk, ctx.actor, None)
    stored = known if known is not None else stored_items(participation)
    warnings = left_out(participation, record, stored) if outcome is Outcome.UNCHANGED else []
    wrote |= register_items(ctx, participation, record, stored)
    # Nothing written: what was read at the start is still what is stored.
    known_items = None if wrote or outcome is Outcome.CREATED else stored
    return Applied(settled(outcome, wrote, warnings), _reload(pk), known_items, warnings)


def _refused(index: int, case_id: str, violation: RuleViolation) -> RecordResult:
    return RecordResult(
        index, case_id, Outcome.REJECTED, errors=[RecordError("case_id", violation)]
    )


def in_savepoint(index: int, case_id: str, apply: Callable[[], RecordResult]) -> RecordResult:
    """One record's write in its own savepoint (either scheme's): a refusal, a concurrent
    writer or a value the database cannot hold comes back as a rejected result and leaves
    nothing behind. A dry run is the caller's: it rolls back the transaction around it."""
    try:
        with transaction.atomic():
            return apply()
    except Rejected as rejected:
        return RecordResult(index, case_id, Outcome.REJECTED, errors=rejected.errors)
    except IntegrityError:
        # Another writer created the same case id or person between our read and our write.
        return _refused(
            index,
            case_id,
            invalid(
                "case_id",
                "record.concurrent_write",
                "Posten ble endret samtidig av en annen forespørsel. Send den på nytt.",
            ),
        )
    except DataError:
        # A value the database cannot hold that no check above caught: this record is
        # refused and rolled back to its savepoint; the batch goes on.
        return _refused(
            index,
            case_id,
            invalid(
                "case_id",
                "record.unstorable",
                "Posten inneholder en verdi registeret ikke kan lagre.",
            ),
        )


def upsert_participant(
    *,
    actor: Actor,
    record: ParticipantRecord,
    expected_version: int | None = None,
    index: int = 0,
    at: dt.datetime | None = None,
) -> RecordResult:
    """Upsert one record in its own savepoint; a refusal comes back as a rejected result.

    A dry run is the caller's: it rolls back the transaction around this savepoint."""
    instant, _ = resolve_time(at)
    return in_savepoint(
        index,
        record.case_id,
        lambda: _apply(write_context(actor, instant), record, expected_version).result(
            index, record.case_id, content_hash
        ),
    )
