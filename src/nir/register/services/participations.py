"""Participations: creating them, their frist, the automatic termination, and ending them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.db import models, transaction

from nir.register.models import (
    Absence,
    Extension,
    Kommune,
    LateRegistrationGrant,
    Leave,
    Participation,
    Person,
    SluttmaalVersion,
    TerminationSource,
)
from nir.register.rule_config import rule_config
from nir.register.services.context import (
    Actor,
    OutOfScope,
    OversightOnly,
    StaleVersion,
    resolve_time,
)
from nir.register.services.history import history_event
from nir.register.services.validation import invalid, parse_enum
from nir.rules import frist as frist_rules
from nir.rules.config import RuleConfig
from nir.rules.dates import DateInterval
from nir.rules.participation import (
    DatedStop,
    FristResult,
    ParticipationFacts,
    derivation_as_json,
    derive_frist,
)
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import (
    Category,
    PermitType,
    Regime,
    age_on,
    check_category,
    determine_regime,
    suggest_category,
)
from nir.rules.registration_window import (
    LateRegistrationGrant as GrantFacts,
)
from nir.rules.registration_window import (
    WindowDecision,
    check_registration_window,
)
from nir.rules.termination import (
    BASIS_REASON,
    IKKE_REGISTRERT,
    AutomaticAction,
    CurrentEnd,
    check_end_date,
    decide_automatic_termination,
    termination_reason,
)


def kommune_grants(kommune_id: int) -> list[tuple[GrantFacts, LateRegistrationGrant]]:
    return [
        (
            GrantFacts(
                str(g.pk),
                DateInterval(g.covers_from, g.covers_to),
                g.granted_on,
                g.expires_on,
                g.revoked_on,
            ),
            g,
        )
        for g in LateRegistrationGrant.objects.filter(kommune_id=kommune_id)
    ]


Grants = Sequence[tuple[GrantFacts, LateRegistrationGrant]]


def check_window(
    kommune_id: int, event_date: dt.date, as_of: dt.date, field: str, config: RuleConfig
) -> tuple[WindowDecision, LateRegistrationGrant | None]:
    return check_window_with(kommune_grants(kommune_id), event_date, as_of, field, config)


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


def facts_from_rows(
    participation: Participation,
    *,
    latest_sluttmaal: SluttmaalVersion | None,
    extensions: Iterable[Extension],
    leaves: Iterable[Leave],
    dated_absences: Iterable[Absence],
) -> ParticipationFacts:
    """What the frist rules need, from the participation's rows (stored or about to be)."""
    person = participation.person
    return ParticipationFacts(
        regime=Regime(participation.regime),
        start=participation.start_date,
        birth_date=person.birth_date,
        has_upper_secondary=person.has_upper_secondary,
        sluttmaal=Sluttmaal(latest_sluttmaal.sluttmaal) if latest_sluttmaal else None,
        extensions=[
            frist_rules.Extension(f"extension:{e.pk}", e.months, e.decided_on) for e in extensions
        ],
        leaves=[DatedStop(f"leave:{x.pk}", x.leave_type, x.start_date, x.end_date) for x in leaves],
        dated_absences=[
            DatedStop(f"absence:{x.pk}", x.absence_type, x.start_date, x.end_date)
            for x in dated_absences
        ],
    )


def participation_facts(participation: Participation) -> ParticipationFacts:
    return facts_from_rows(
        participation,
        latest_sluttmaal=participation.sluttmaal_versions.order_by("-valid_from", "-id").first(),
        extensions=participation.extensions.all(),
        leaves=participation.leaves.all(),
        dated_absences=participation.absences.filter(hours__isnull=True),
    )


class RowStore(Protocol):
    """Where the rows a service writes go, and what it reads back about a participation.

    The services decide what to write through the same code whichever store they are
    given; only the moment and manner of the write differ. ``DatabaseRows`` saves each row
    at once (the caseworker UI, the API's updates); ``PendingRows`` in
    services/new_participants.py gives each row an id reserved in advance and keeps it for
    one set-based insert per table.
    """

    def add(self, row: models.Model) -> None:
        """A new row; it has its primary key when this returns."""

    def save(self, row: models.Model, fields: Sequence[str] | None = None) -> None:
        """A row added earlier, changed."""

    def facts(self, participation: Participation) -> ParticipationFacts:
        """The participation's facts for the frist rules, with every row added so far."""

    def grants(self, kommune_id: int) -> Grants:
        """The municipality's late-registration grants."""


class DatabaseRows:
    """Each row written to the database at once."""

    def add(self, row: models.Model) -> None:
        row.save(force_insert=True)

    def save(self, row: models.Model, fields: Sequence[str] | None = None) -> None:
        row.save(update_fields=fields)

    def facts(self, participation: Participation) -> ParticipationFacts:
        return participation_facts(participation)

    def grants(self, kommune_id: int) -> Grants:
        return kommune_grants(kommune_id)


DATABASE = DatabaseRows()


def termination_state(participation: Participation) -> dict[str, Any]:
    return {
        "frist": participation.frist,
        "end_date": participation.end_date,
        "termination_reason": participation.termination_reason,
        "termination_source": participation.termination_source,
    }


def current_end(participation: Participation) -> CurrentEnd:
    if participation.end_date is None:
        return CurrentEnd.ACTIVE
    if participation.termination_source == TerminationSource.SYSTEM:
        return CurrentEnd.SYSTEM
    return CurrentEnd.REAL


def _apply_frist(participation: Participation, result: FristResult) -> None:
    participation.frist = result.derivation.frist
    participation.frist_derivation = derivation_as_json(result)
    participation.programme_group = result.group.group.value
    participation.rule_row = result.row.row_id
    participation.sluttmaal_missing = result.group.sluttmaal_missing


def recompute(
    participation: Participation,
    *,
    actor: Actor,
    at: dt.datetime,
    as_of: dt.date,
    config: RuleConfig,
    facts: ParticipationFacts | None = None,
    store: RowStore = DATABASE,
) -> FristResult:
    """Recompute the frist from the facts and do what rules.md §4 says with the result.

    The caller holds the participation's row lock; this saves it with a new version and
    appends a history event for each automatic change.
    """
    before = termination_state(participation)
    result = derive_frist(facts or store.facts(participation), config)
    _apply_frist(participation, result)
    decision = decide_automatic_termination(
        frist=participation.frist,
        current=current_end(participation),
        current_end_date=participation.end_date,
        as_of=as_of,
        config=config,
    )
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
    participation.version += 1
    store.save(participation)
    if before["frist"] is not None and before["frist"] != participation.frist:
        store.add(
            history_event(
                actor=actor,
                at=at,
                action="frist_recomputed",
                entity="participation",
                entity_id=participation.pk,
                participation=participation,
                before={"frist": before["frist"]},
                after={
                    "frist": participation.frist,
                    "derivation": participation.frist_derivation["explanation"],
                },
                basis=result.derivation.basis,
            )
        )
    if decision.action is not AutomaticAction.NONE and decision.basis is not None:
        store.add(
            history_event(
                actor=actor,
                at=at,
                action=f"automatic_termination_{decision.action.value}",
                entity="participation",
                entity_id=participation.pk,
                participation=participation,
                before=before,
                after=termination_state(participation),
                basis=[decision.basis],
            )
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
    if expected_version is not None and participation.version != expected_version:
        raise StaleVersion(
            entity="participation", expected=expected_version, current=participation.version
        )
    return participation


def create_participation(
    *,
    actor: Actor,
    person_id: int,
    kommune_id: int,
    start_date: dt.date,
    category: str | None = None,
    case_id: str = "",
    sluttmaal: str | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    moment, as_of = resolve_time(at)
    config = rule_config()
    if not actor.may_act_for(kommune_id):
        raise OutOfScope(entity="kommune")
    if actor.oversees_only:
        raise OversightOnly()
    with transaction.atomic():
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
            )
        return start_participation(
            DATABASE,
            actor=actor,
            person=person,
            kommune=kommune,
            start_date=start_date,
            category=category,
            case_id=case_id,
            sluttmaal=sluttmaal,
            moment=moment,
            as_of=as_of,
            config=config,
        )


def start_participation(
    store: RowStore,
    *,
    actor: Actor,
    person: Person,
    kommune: Kommune,
    start_date: dt.date,
    category: str | None,
    case_id: str,
    sluttmaal: str | None,
    moment: dt.datetime,
    as_of: dt.date,
    config: RuleConfig,
) -> Participation:
    """A new participation for a person the caller knows may start one (no active one, the
    case id free): the window, the regime, the category, the first sluttmål and the frist."""
    window, grant = check_window_with(
        store.grants(kommune.pk), start_date, as_of, "start_date", config
    )
    regime_result = determine_regime(
        permit_type=PermitType(person.permit_type),
        permit_date=person.permit_date,
        arrival_date=person.arrival_date,
        programme_start=start_date,
        config=config,
    )
    regime = regime_result.regime
    if category is None:
        category_value = suggest_category(
            regime=regime,
            birth_date=person.birth_date,
            permit_date=person.permit_date,
            settled_by_agreement=person.settled_by_agreement,
            programme_start=start_date,
            config=config,
        )
    else:
        category_value = parse_enum(Category, category, "category")
    check_category(
        regime, category_value, age_at_permit=age_on(person.birth_date, person.permit_date)
    )
    goal = parse_enum(Sluttmaal, sluttmaal, "sluttmaal") if sluttmaal else None
    facts = ParticipationFacts(
        regime=regime,
        start=start_date,
        birth_date=person.birth_date,
        has_upper_secondary=person.has_upper_secondary,
        sluttmaal=goal,
    )
    result = derive_frist(facts, config)
    participation = Participation(
        person=person,
        kommune=kommune,
        case_id=case_id,
        regime=regime.value,
        category=category_value.value,
        start_date=start_date,
        version=0,
    )
    _apply_frist(participation, result)
    store.add(participation)
    store.add(
        history_event(
            actor=actor,
            at=moment,
            action="participation_created",
            entity="participation",
            entity_id=participation.pk,
            participation=participation,
            after={
                "regime": regime.value,
                "category": category_value.value,
                "start_date": start_date,
                "case_id": case_id,
            },
            basis=[regime_result.basis],
            grant=grant,
        )
    )
    if goal is not None:
        version = SluttmaalVersion(
            participation=participation,
            sluttmaal=goal.value,
            valid_from=start_date,
            registered_by=actor.name,
            channel=actor.channel.value,
            late_registration_grant=grant,
        )
        store.add(version)
        store.add(
            history_event(
                actor=actor,
                at=moment,
                action="sluttmaal_registered",
                entity="sluttmaal",
                entity_id=version.pk,
                participation=participation,
                after={"sluttmaal": goal.value, "valid_from": start_date},
                basis=[window.basis],
                grant=grant,
            )
        )
    recompute(
        participation,
        actor=actor,
        at=moment,
        as_of=as_of,
        config=config,
        facts=facts,
        store=store,
    )
    return participation


def register_termination(
    *,
    actor: Actor,
    participation_id: int,
    end_date: dt.date,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """End a participation with a real reason; it replaces «ikke registrert».

    The end date may be earlier than the frist, not later, and not in the future.
    """
    moment, as_of = resolve_time(at)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        end_participation(
            DATABASE,
            participation,
            actor=actor,
            end_date=end_date,
            reason=reason,
            moment=moment,
            as_of=as_of,
            config=rule_config(),
        )
    return participation


def end_participation(
    store: RowStore,
    participation: Participation,
    *,
    actor: Actor,
    end_date: dt.date,
    reason: str,
    moment: dt.datetime,
    as_of: dt.date,
    config: RuleConfig,
) -> None:
    """The termination itself, on a participation the caller holds (locked, or new)."""
    catalogue_entry = termination_reason(reason)
    check_end_date(
        end_date, start_date=participation.start_date, frist=participation.frist, as_of=as_of
    )
    _, grant = check_window_with(
        store.grants(participation.kommune_id), end_date, as_of, "end_date", config
    )
    before = termination_state(participation)
    participation.end_date = end_date
    participation.termination_reason = catalogue_entry.code
    participation.termination_source = TerminationSource.USER
    participation.version += 1
    store.save(participation)
    action = (
        "termination_replaced_automatic"
        if before["termination_source"] == TerminationSource.SYSTEM
        else "termination_registered"
    )
    store.add(
        history_event(
            actor=actor,
            at=moment,
            action=action,
            entity="participation",
            entity_id=participation.pk,
            participation=participation,
            before=before,
            after=termination_state(participation),
            basis=[BASIS_REASON],
            grant=grant,
        )
    )
