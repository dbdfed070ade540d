"""Training in Norwegian and social studies: the start, the frist, the end and the
system's ends (rules-norsk.md N1, N3, N6), each write in one transaction with its history;
the registrations on an ordning are in services/norsk_registrations.py.

Shared with the programme where the law is: the writer's scope, scheme and optimistic
version; the registration window and late-registration grants (``check_window``); the
leave types and their day-for-day clock stops (``clock_stop``); the regime the permit
gives (``determine_regime``); the history catalogue. The frist is the scheme's own
(``rules.norsk.frist``) and is recomputed on every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from nir.register.models import Person
from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskLeave,
    NorskParticipation,
)
from nir.register.services import events
from nir.register.services.context import (
    SYSTEM,
    Actor,
    Channel,
    OutOfScope,
    OversightOnly,
    StaleVersion,
    WriteContext,
    write_context,
)
from nir.register.services.history import NewEvent, record
from nir.register.services.items import NorskEndItem
from nir.register.services.norsk_facts import system_end_facts
from nir.register.services.participations import check_window
from nir.register.services.rows import new_row
from nir.register.services.validation import invalid
from nir.rules.basis import LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.frist import ClockStop
from nir.rules.norsk.end_reasons import (
    BASIS_END_REASONS,
    SetBy,
    end_reason,
    system_end,
)
from nir.rules.norsk.frist import (
    ExtendedNorwegian,
    NorskFristDerivation,
    NorskFristFacts,
    compute_norsk_frist,
    norsk_derivation_as_json,
)
from nir.rules.norsk.norskmaal import (
    EducationBackground,
)
from nir.rules.norsk.rights import (
    NorskCategory,
    NorskPersonFacts,
    PermitList,
    determine_rights,
)
from nir.rules.participation import DatedStop, clock_stop
from nir.rules.regime import PermitType, Regime, determine_regime
from nir.rules.schemes import Scheme


def check_norsk_writer(actor: Actor, kommune_id: int, entity: str) -> None:
    """Scope first (another municipality's row answers as one that does not exist), then
    IMDi's oversight, then the scheme's role."""
    if not actor.may_act_for(kommune_id):
        raise OutOfScope(entity=entity)
    if actor.oversees_only:
        raise OversightOnly()
    actor.require_scheme(Scheme.NORSK)


def lock_norsk_participation(
    norsk_participation_id: int, actor: Actor, expected_version: int | None
) -> NorskParticipation:
    found = (
        NorskParticipation.objects.select_for_update()
        .select_related("person")
        .filter(pk=norsk_participation_id)
        .first()
    )
    if found is None:
        raise OutOfScope(entity="norsk_participation")
    check_norsk_writer(actor, found.kommune_id, "norsk_participation")
    if expected_version is not None and found.version != expected_version:
        raise StaleVersion(
            entity="norsk_participation", expected=expected_version, current=found.version
        )
    return found


def _has_upper_secondary(row: NorskParticipation) -> bool | None:
    """The three-value background where registered (N2-a), else the person's flag, which
    both schemes share (N7-a); None: not known, and the frist is not computable (N3-b)."""
    if row.education_background:
        return row.education_background == EducationBackground.VIDEREGAENDE
    has: bool | None = row.person.has_upper_secondary
    return has


def norsk_frist_facts(ctx: WriteContext, row: NorskParticipation) -> NorskFristFacts:
    """What the frist rules need, from the ordning's rows (none before it is saved)."""
    leaves: list[ClockStop] = [
        clock_stop(
            DatedStop(str(leave.pk), leave.leave_type, leave.start_date, leave.end_date),
            leave=True,
            config=ctx.config,
        )
        for leave in ctx.store.norsk_rows(NorskLeave, row)
    ]
    extended = [
        ExtendedNorwegian(str(d.pk), d.decision_date, d.months)
        for d in ctx.store.norsk_rows(ExtendedNorwegianDecision, row)
    ]
    return NorskFristFacts(
        Regime(row.regime),
        NorskCategory(row.category),
        row.right_start,
        row.start_date,
        _has_upper_secondary(row),
        tuple(leaves),
        tuple(extended),
    )


def _apply_frist(ctx: WriteContext, row: NorskParticipation, facts: NorskFristFacts) -> None:
    result = compute_norsk_frist(facts, ctx.config.norsk.frist)
    row.frist_derivation = norsk_derivation_as_json(result)
    row.frist = result.frist if isinstance(result, NorskFristDerivation) else None


def set_frist_flag(
    ctx: WriteContext,
    row: NorskParticipation,
    flagged_on: dt.date | None,
    basis: Iterable[LegalBasis] = (),
) -> None:
    """Set or lift the «frist utløpt» flag (N3-d) with its history event; the caller saves."""
    before = row.frist_flagged_on
    row.frist_flagged_on = flagged_on
    record(
        ctx,
        NewEvent(
            events.NORSK_FRIST_PASSED,
            row.pk,
            norsk_participation=row,
            before={"frist_flagged_on": before},
            after={"frist_flagged_on": flagged_on},
            basis=basis,
        ),
    )


def _lift_frist_flag(ctx: WriteContext, row: NorskParticipation) -> None:
    """A frist moved past the day (leave, a § 43 g decision) lifts the «frist utløpt» flag."""
    if row.frist_flagged_on is None or row.frist is None or row.frist < ctx.as_of:
        return
    set_frist_flag(ctx, row, None)


def recompute_norsk_frist(ctx: WriteContext, row: NorskParticipation) -> None:
    """Recompute the frist from the rows, save the row with a new version, and record the
    change of frist when there is one. The caller holds the row lock."""
    before = row.frist
    _apply_frist(ctx, row, norsk_frist_facts(ctx, row))
    row.version += 1
    _lift_frist_flag(ctx, row)
    ctx.store.save(row)
    if row.frist != before:
        record(
            ctx,
            NewEvent(
                events.NORSK_FRIST_RECOMPUTED,
                row.pk,
                norsk_participation=row,
                before={"frist": before},
                after={"frist": row.frist, "derivation": row.frist_derivation},
            ),
        )


@dataclass(frozen=True, slots=True)
class NewNorskParticipation:
    """What the municipality registers to start the ordning; the register derives the
    regime, the category and the frist."""

    start_date: dt.date
    permit_list: PermitList
    permit_granted_abroad: bool = False
    education_background: EducationBackground | None = None
    case_id: str = ""  # the municipality's case id in its case system (the API's key)


def _rights_facts(person: Person, regime: Regime, new: NewNorskParticipation) -> NorskPersonFacts:
    return NorskPersonFacts(
        regime,
        new.permit_list,
        person.birth_date,
        person.permit_date,
        permit_granted_abroad=new.permit_granted_abroad,
        arrival_date=person.arrival_date,
        settlement_date=person.settlement_date if person.settled_by_agreement else None,
    )


def _new_row(
    ctx: WriteContext, person: Person, kommune_id: int, new: NewNorskParticipation
) -> tuple[NorskParticipation, tuple[LegalBasis, ...]]:
    """The ordning as it starts, with the basis of its category; refused outside the
    groups (a permit granted before 18 never grows into them, N1)."""
    regime = determine_regime(
        permit_type=PermitType(person.permit_type),
        permit_date=person.permit_date,
        arrival_date=person.arrival_date,
        programme_start=new.start_date,
        config=ctx.config,
    ).regime
    rights = determine_rights(
        _rights_facts(person, regime, new), new.start_date, ctx.config.norsk.rights
    )
    if rights.category is None:
        raise RuleViolation(
            field="category",
            code="norsk.rights.not_in_group",
            message=f"Personen er ikke i målgruppen for opplæring i norsk ({rights.reason_nb}).",
            basis=rights.basis[0],
            params={"reason": rights.reason_nb},
        )
    row = new_row(
        NorskParticipation,
        person=person,
        kommune_id=kommune_id,
        regime=regime.value,
        permit_list=new.permit_list.value,
        permit_granted_abroad=new.permit_granted_abroad,
        case_id=new.case_id.strip(),
        category=rights.category.value,
        right_start=rights.starts_on,
        start_date=new.start_date,
        education_background=new.education_background.value if new.education_background else "",
    )
    _apply_frist(ctx, row, norsk_frist_facts(ctx, row))
    return row, rights.basis


def start_norsk_participation(
    *,
    actor: Actor,
    person_id: int,
    kommune_id: int,
    new: NewNorskParticipation,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    ctx = write_context(actor, at)
    check_norsk_writer(actor, kommune_id, "kommune")
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise invalid("person", "person.not_found", "Personen finnes ikke i registeret.")
        return start_norsk(ctx, person, kommune_id, new)


def start_norsk(
    ctx: WriteContext, person: Person, kommune_id: int, new: NewNorskParticipation
) -> NorskParticipation:
    """Start the ordning of a person the caller holds, inside the caller's transaction:
    one open ordning a person, a case id once in the municipality, the window, the
    category and frist, the history."""
    check_norsk_writer(ctx.actor, kommune_id, "kommune")
    if ctx.store.has_open_norsk(person):
        raise invalid(
            "person",
            "norsk.participation.open",
            "Personen har allerede en åpen ordning for opplæring i norsk. Avslutt den før "
            "en ny registreres.",
        )
    case_id = new.case_id.strip()
    if case_id and ctx.store.norsk_case_id_taken(kommune_id, case_id):
        raise invalid(
            "case_id",
            "case_id.exists",
            f"Saksnummeret «{case_id}» er allerede brukt i kommunen.",
            case_id=case_id,
        )
    window, grant = check_window(ctx, kommune_id, new.start_date, "start_date")
    row, basis = _new_row(ctx, person, kommune_id, new)
    ctx.store.add(row)
    started = events.NORSK_PARTICIPATION_STARTED
    record(
        ctx,
        NewEvent(
            started,
            row.pk,
            norsk_participation=row,
            after={key: getattr(row, key) for key in started.after or ()},
            basis=[window.basis, *basis],
            grant=grant,
        ),
    )
    return row


def require_open(row: NorskParticipation) -> None:
    if row.end_date is not None:
        raise invalid(
            "norsk_participation",
            "norsk.participation.ended",
            "Ordningen er avsluttet. Endre avslutningen først dersom opplæringen skal fortsette.",
        )


def _end_state(row: NorskParticipation) -> dict[str, Any]:
    return {key: getattr(row, key) for key in events.NORSK_END_STATE}


def end_norsk(
    ctx: WriteContext,
    row: NorskParticipation,
    end: NorskEndItem,
    by_system: bool,
    basis: LegalBasis | None = None,
) -> None:
    """End an open ordning the caller holds with a reason of N6, on the context's store; the
    system's reasons (the 67th birthday, the norskmaal reached from results, the frist
    behind its switch) only when the system ends it. The municipality's end is a
    registration within its window; the system's is not (as the programme's sweep), and
    carries the rule that ends it (``basis``)."""
    chosen = end_reason(end.reason, by_system=by_system, params=ctx.config.norsk.frist)
    require_open(row)
    if end.end_date < row.start_date:
        raise invalid(
            "end_date", "norsk.end.before_start", "Sluttdatoen kan ikke være før oppstart."
        )
    if end.end_date > ctx.as_of:
        raise invalid(
            "end_date",
            "termination.in_future",
            "Avslutning kan ikke registreres med en dato fram i tid.",
        )
    grant = None
    if by_system:
        bases = [basis or BASIS_END_REASONS]
    else:
        window, grant = check_window(ctx, row.kommune_id, end.end_date, "end_date")
        bases = [window.basis]
    before = _end_state(row)
    row.end_date, row.end_reason = end.end_date, chosen.code
    row.end_set_by = SetBy.SYSTEM.value if by_system else SetBy.MUNICIPALITY.value
    row.version += 1
    ctx.store.save(row)
    record(
        ctx,
        NewEvent(
            events.NORSK_PARTICIPATION_ENDED,
            row.pk,
            norsk_participation=row,
            before=before,
            after=_end_state(row),
            basis=bases,
            grant=grant,
        ),
    )


def end_norsk_participation(
    *,
    actor: Actor,
    norsk_participation_id: int,
    end: NorskEndItem,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """End the ordning now (lock, scope, version first); the system's reasons only for the
    system's own actor."""
    ctx = write_context(actor, at)
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        end_norsk(ctx, row, end, by_system=actor.channel is Channel.SYSTEM)
        return row


def end_by_system_now(ctx: WriteContext, row: NorskParticipation) -> bool:
    """End an open ordning the caller holds where the system's ends of N6 say so on the
    context's day: the norskmaal reached from the test results, a duty-only person's hours
    completed, a training exemption that ends the right, the 67th birthday, and the frist
    only behind ``auto_end_norsk_at_frist`` (off by default, N3-d), the earliest first."""
    found = system_end(system_end_facts(ctx, row), ctx.as_of, ctx.config.norsk.frist)
    if found is None:
        return False
    end = NorskEndItem(found.end_date, found.reason.code)
    end_norsk(ctx, row, end, by_system=True, basis=found.basis)
    return True


def end_norsk_by_system(as_of: dt.date, at: dt.datetime | None = None) -> int:
    """The system's ends (``end_by_system_now``) for every open ordning on ``as_of``, each
    in its own transaction. Idempotent: an ended ordning is not looked at again."""
    ctx = replace(write_context(SYSTEM, at), as_of=as_of)
    ended = 0
    open_ids = NorskParticipation.objects.filter(end_date__isnull=True).order_by("pk")
    for pk in open_ids.values_list("pk", flat=True):
        with transaction.atomic():
            row = lock_norsk_participation(pk, SYSTEM, None)
            if row.end_date is None and end_by_system_now(ctx, row):
                ended += 1
    return ended
