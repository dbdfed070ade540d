"""Participations: creating them, their frist, the automatic termination, and ending them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from nir.register.models import (
    Kommune,
    LateRegistrationGrant,
    Participation,
    Person,
    SluttmaalVersion,
    TerminationSource,
)
from nir.register.services import events
from nir.register.services.context import (
    Actor,
    OutOfScope,
    OversightOnly,
    StaleVersion,
    WriteContext,
    write_context,
)
from nir.register.services.history import NewEvent, record
from nir.register.services.items import TerminationItem
from nir.register.services.rows import new_row
from nir.register.services.stores import Grants
from nir.register.services.validation import invalid, parse_enum
from nir.rules.config import RuleConfig
from nir.rules.participation import (
    FristResult,
    ParticipationFacts,
    derivation_as_json,
    derive_frist,
)
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import (
    Category,
    PermitType,
    RegimeResult,
    age_on,
    check_category,
    determine_regime,
    suggest_category,
)
from nir.rules.registration_window import WindowDecision, check_registration_window
from nir.rules.schemes import Scheme
from nir.rules.termination import (
    BASIS_REASON,
    IKKE_REGISTRERT,
    AutomaticAction,
    AutomaticDecision,
    check_end_date,
    decide_automatic_termination,
    termination_reason,
)


def check_window(
    ctx: WriteContext, kommune_id: int, event_date: dt.date, field: str
) -> tuple[WindowDecision, LateRegistrationGrant | None]:
    """The registration window for an event of ``event_date``, and the grant that admits it
    when it is late."""
    return check_window_with(ctx.store.grants(kommune_id), event_date, ctx.as_of, field, ctx.config)


def check_window_with(
    grants: Grants, event_date: dt.date, as_of: dt.date, field: str, config: RuleConfig
) -> tuple[WindowDecision, LateRegistrationGrant | None]:
    decision = check_registration_window(
        event_date=event_date,
        as_of=as_of,
        grants=[g for g, _ in grants],
        config=config,
        field=field,
    )
    used = next((row for g, row in grants if g.ref == decision.grant_ref), None)
    return decision, used


def termination_state(participation: Participation) -> dict[str, Any]:
    """The participation's termination as the history records it (events.TERMINATION_STATE)."""
    return {key: getattr(participation, key) for key in events.TERMINATION_STATE}


def apply_frist(participation: Participation, result: FristResult) -> None:
    """The frist, its derivation and the rule row it came from, onto the participation."""
    participation.frist = result.derivation.frist
    participation.frist_derivation = derivation_as_json(result)
    participation.programme_group = result.group.group.value
    participation.rule_row = result.row.row_id
    participation.sluttmaal_missing = result.group.sluttmaal_missing


def _apply_automatic(participation: Participation, decision: AutomaticDecision) -> None:
    if decision.action is AutomaticAction.END:
        participation.end_date = decision.end_date
        participation.termination_reason = IKKE_REGISTRERT
        participation.termination_source = TerminationSource.SYSTEM
    elif decision.action is AutomaticAction.LIFT:
        participation.end_date = None
        participation.termination_reason = ""
        participation.termination_source = ""
    elif decision.action is AutomaticAction.MOVE:
        participation.end_date = decision.end_date


def recompute(
    ctx: WriteContext, participation: Participation, facts: ParticipationFacts | None = None
) -> FristResult:
    """Recompute the frist from the facts and do what rules.md §4 says with the result.

    The caller holds the participation's row lock; this saves it with a new version and
    appends a history event for each automatic change.
    """
    before = termination_state(participation)
    result = derive_frist(facts or ctx.store.facts(participation), ctx.config)
    apply_frist(participation, result)
    decision = decide_automatic_termination(
        frist=participation.frist,
        current=participation.status,
        current_end_date=participation.end_date,
        as_of=ctx.as_of,
        config=ctx.config,
    )
    _apply_automatic(participation, decision)
    participation.version += 1
    ctx.store.save(participation)
    if before["frist"] is not None and before["frist"] != participation.frist:
        record(
            ctx,
            NewEvent(
                events.FRIST_RECOMPUTED,
                participation.pk,
                participation,
                before={"frist": before["frist"]},
                after={
                    "frist": participation.frist,
                    "derivation": participation.frist_derivation["explanation"],
                },
                basis=result.derivation.basis,
            ),
        )
    if decision.action is not AutomaticAction.NONE and decision.basis is not None:
        record(
            ctx,
            NewEvent(
                events.AUTOMATIC_TERMINATION[decision.action],
                participation.pk,
                participation,
                before=before,
                after=termination_state(participation),
                basis=[decision.basis],
            ),
        )
    return result


def lock_participation(
    participation_id: int, actor: Actor, expected_version: int | None
) -> Participation:
    participation = (
        Participation.objects.select_for_update()
        .select_related("person", "kommune")
        .filter(pk=participation_id)
        .first()
    )
    # Another municipality's participation answers exactly like one that does not exist.
    if participation is None or not actor.may_act_for(participation.kommune_id):
        raise OutOfScope(entity="participation")
    if actor.oversees_only:
        raise OversightOnly()
    actor.require_scheme(Scheme.INTRODUKSJONSPROGRAM)
    if expected_version is not None and participation.version != expected_version:
        raise StaleVersion(
            entity="participation", expected=expected_version, current=participation.version
        )
    return participation


@dataclass(frozen=True, slots=True)
class NewParticipation:
    """What a municipality registers to start a participation; the register derives the
    rest (the regime, the frist, and the category when none is given)."""

    start_date: dt.date
    category: str | None = None
    case_id: str = ""
    sluttmaal: str | None = None


def create_participation(
    *,
    actor: Actor,
    person_id: int,
    kommune_id: int,
    new: NewParticipation,
    at: dt.datetime | None = None,
) -> Participation:
    ctx = write_context(actor, at)
    if not actor.may_act_for(kommune_id):
        raise OutOfScope(entity="kommune")
    if actor.oversees_only:
        raise OversightOnly()
    actor.require_scheme(Scheme.INTRODUKSJONSPROGRAM)
    with transaction.atomic():
        person, kommune = free_to_start(person_id, kommune_id, new.case_id)
        return start_participation(ctx, person, kommune, new)


def free_to_start(person_id: int, kommune_id: int, case_id: str) -> tuple[Person, Kommune]:
    """The person, locked, and the municipality, when the person may start a participation
    there: the person exists and has no active participation, and the case id is free."""
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise invalid("person", "person.not_found", "Personen finnes ikke i registeret.")
    kommune = Kommune.objects.get(pk=kommune_id)
    if person.participations.filter(end_date__isnull=True).exists():
        raise invalid(
            "person",
            "participation.already_active",
            "Personen har allerede en aktiv deltakelse. Avslutt den før en ny registreres.",
        )
    if case_id and Participation.objects.filter(kommune=kommune, case_id=case_id).exists():
        raise invalid(
            "case_id",
            "case_id.exists",
            f"Saksnummeret «{case_id}» er allerede brukt i kommunen.",
            case_id=case_id,
        )
    return person, kommune


def _regime_and_category(
    ctx: WriteContext, person: Person, new: NewParticipation
) -> tuple[RegimeResult, Category]:
    """The regime the law gives the participation, and its category (suggested when the
    municipality gives none), checked against each other."""
    regime_result = determine_regime(
        permit_type=PermitType(person.permit_type),
        permit_date=person.permit_date,
        arrival_date=person.arrival_date,
        programme_start=new.start_date,
        config=ctx.config,
    )
    regime = regime_result.regime
    if new.category is None:
        category = suggest_category(
            regime=regime,
            birth_date=person.birth_date,
            permit_date=person.permit_date,
            settled_by_agreement=person.settled_by_agreement,
            programme_start=new.start_date,
            config=ctx.config,
        )
    else:
        category = parse_enum(Category, new.category, "category")
    check_category(regime, category, age_at_permit=age_on(person.birth_date, person.permit_date))
    return regime_result, category


def start_participation(
    ctx: WriteContext, person: Person, kommune: Kommune, new: NewParticipation
) -> Participation:
    """A new participation for a person the caller knows may start one (no active one, the
    case id free): the window, the regime, the category, the first sluttmål and the frist."""
    window, grant = check_window(ctx, kommune.pk, new.start_date, "start_date")
    regime_result, category = _regime_and_category(ctx, person, new)
    goal = parse_enum(Sluttmaal, new.sluttmaal, "sluttmaal") if new.sluttmaal else None
    facts = ParticipationFacts(
        regime=regime_result.regime,
        start=new.start_date,
        birth_date=person.birth_date,
        has_upper_secondary=person.has_upper_secondary,
        sluttmaal=goal,
    )
    participation = new_row(
        Participation,
        person=person,
        kommune=kommune,
        case_id=new.case_id,
        regime=regime_result.regime.value,
        category=category.value,
        start_date=new.start_date,
        version=0,
    )
    apply_frist(participation, derive_frist(facts, ctx.config))
    ctx.store.add(participation)
    record(
        ctx,
        NewEvent(
            events.PARTICIPATION_CREATED,
            participation.pk,
            participation,
            after={
                "regime": participation.regime,
                "category": participation.category,
                "start_date": new.start_date,
                "case_id": new.case_id,
            },
            basis=[regime_result.basis],
            grant=grant,
        ),
    )
    if goal is not None:
        _add_first_sluttmaal(ctx, participation, goal, window, grant)
    recompute(ctx, participation, facts)
    return participation


def _add_first_sluttmaal(
    ctx: WriteContext,
    participation: Participation,
    goal: Sluttmaal,
    window: WindowDecision,
    grant: LateRegistrationGrant | None,
) -> None:
    """The sluttmål registered with the participation, valid from its start."""
    version = new_row(
        SluttmaalVersion,
        participation=participation,
        sluttmaal=goal.value,
        valid_from=participation.start_date,
        registered_by=ctx.actor.name,
        channel=ctx.actor.channel.value,
        late_registration_grant=grant,
    )
    ctx.store.add(version)
    record(
        ctx,
        NewEvent(
            events.SLUTTMAAL_REGISTERED,
            version.pk,
            participation,
            after={"sluttmaal": goal.value, "valid_from": participation.start_date},
            basis=[window.basis],
            grant=grant,
        ),
    )


def register_termination(
    *,
    actor: Actor,
    participation_id: int,
    termination: TerminationItem,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """End a participation with a real reason; it replaces «ikke registrert».

    The end date may be earlier than the frist, not later, and not in the future.
    """
    ctx = write_context(actor, at)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        end_participation(ctx, participation, termination)
    return participation


def end_participation(
    ctx: WriteContext, participation: Participation, termination: TerminationItem
) -> None:
    """The termination itself, on a participation the caller holds (locked, or new)."""
    end_date = termination.end_date
    catalogue_entry = termination_reason(termination.reason)
    check_end_date(
        end_date, start_date=participation.start_date, frist=participation.frist, as_of=ctx.as_of
    )
    _, grant = check_window(ctx, participation.kommune_id, end_date, "end_date")
    before = termination_state(participation)
    participation.end_date = end_date
    participation.termination_reason = catalogue_entry.code
    participation.termination_source = TerminationSource.USER
    participation.version += 1
    ctx.store.save(participation)
    kind = (
        events.TERMINATION_REPLACED_AUTOMATIC
        if before["termination_source"] == TerminationSource.SYSTEM
        else events.TERMINATION_REGISTERED
    )
    record(
        ctx,
        NewEvent(
            kind,
            participation.pk,
            participation,
            before=before,
            after=termination_state(participation),
            basis=[BASIS_REASON],
            grant=grant,
        ),
    )
