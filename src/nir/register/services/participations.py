"""Persons, participations and every registration on them (rules.md §§ 3-7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from nir.register.models import (
    Absence,
    Decision,
    DecisionType,
    Extension,
    Kommune,
    LateRegistrationGrant,
    Leave,
    Measure,
    Participation,
    Person,
    Sex,
    SluttmaalVersion,
    Stop,
    StopKind,
    TerminationSource,
)
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, OutOfScope, StaleVersion, resolve_time
from nir.register.services.history import record_event
from nir.rules import frist as frist_rules
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.config import RuleConfig
from nir.rules.dates import DateInterval, add_months
from nir.rules.errors import RuleViolation
from nir.rules.extension import check_extension
from nir.rules.identity import matches_birth_date, parse_identity_number
from nir.rules.participation import (
    DatedStop,
    FristResult,
    ParticipationFacts,
    clock_stop,
    derivation_as_json,
    derive_frist,
)
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import (
    Category,
    PermitType,
    Regime,
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
    STANS,
    AutomaticAction,
    CurrentEnd,
    decide_automatic_termination,
    termination_reason,
)

BASIS_INPUT = LegalBasis(
    "input.required", "rules.md §7: opplysninger kommunen registrerer", BasisKind.BESLUTNING
)


def _invalid(field: str, code: str, message: str, **params: object) -> RuleViolation:
    return RuleViolation(field=field, code=code, message=message, basis=BASIS_INPUT, params=params)


def _enum[E](enum: type[E], value: object, field: str) -> E:
    try:
        return enum(value)  # type: ignore[call-arg]
    except ValueError:
        choices = [m.value for m in enum]  # type: ignore[attr-defined]
        raise _invalid(
            field,
            f"{field}.invalid",
            f"«{value}» er ikke en gyldig verdi. Gyldige verdier: " + ", ".join(choices),
            value=value,
            choices=choices,
        ) from None


# --- Persons -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonData:
    identity_number: str
    given_name: str
    family_name: str
    birth_date: dt.date
    permit_type: str
    permit_date: dt.date
    sex: str = Sex.UKJENT
    duf_number: str = ""
    arrival_date: dt.date | None = None
    settlement_date: dt.date | None = None
    settled_by_agreement: bool = True
    has_upper_secondary: bool | None = None
    research_reservation: bool = False


def _validated_person_fields(data: PersonData, config: RuleConfig) -> dict[str, Any]:
    number = parse_identity_number(
        data.identity_number, allow_synthetic=config.allow_synthetic_identity_numbers
    )
    if not matches_birth_date(number, data.birth_date):
        raise _invalid(
            "birth_date",
            "birth_date.mismatch",
            "Fødselsdatoen stemmer ikke med de seks første sifrene i fødselsnummeret/D-nummeret.",
        )
    if data.duf_number and not (data.duf_number.isdigit() and len(data.duf_number) == 12):
        raise _invalid("duf_number", "duf_number.format", "DUF-nummeret må være 12 sifre.")
    for field in ("given_name", "family_name"):
        if not getattr(data, field).strip():
            raise _invalid(field, f"{field}.required", "Navn må fylles ut.")
    _enum(PermitType, data.permit_type, "permit_type")
    _enum(Sex, data.sex, "sex")
    if data.arrival_date and data.settlement_date and data.settlement_date < data.arrival_date:
        raise _invalid(
            "settlement_date",
            "settlement_date.before_arrival",
            "Bosettingsdato kan ikke være før ankomstdato.",
        )
    return {
        "identity_number": number.value,
        "identity_kind": number.kind.value,
        "duf_number": data.duf_number,
        "given_name": data.given_name.strip(),
        "family_name": data.family_name.strip(),
        "birth_date": data.birth_date,
        "sex": data.sex,
        "permit_type": data.permit_type,
        "permit_date": data.permit_date,
        "arrival_date": data.arrival_date,
        "settlement_date": data.settlement_date,
        "settled_by_agreement": data.settled_by_agreement,
        "has_upper_secondary": data.has_upper_secondary,
        "research_reservation": data.research_reservation,
    }


PERSON_AUDIT_FIELDS = (
    "identity_kind",
    "duf_number",
    "birth_date",
    "sex",
    "permit_type",
    "permit_date",
    "arrival_date",
    "settlement_date",
    "settled_by_agreement",
    "has_upper_secondary",
    "research_reservation",
)


def _person_snapshot(person: Person) -> dict[str, Any]:
    # Names and the identity number stay out of the history: they are in the person row.
    return {f: getattr(person, f) for f in PERSON_AUDIT_FIELDS}


def register_person(*, actor: Actor, data: PersonData, at: dt.datetime | None = None) -> Person:
    moment, _ = resolve_time(at)
    fields = _validated_person_fields(data, rule_config())
    try:
        with transaction.atomic():
            person = Person.objects.create(**fields)
            record_event(
                actor=actor,
                at=moment,
                action="person_registered",
                entity="person",
                entity_id=person.pk,
                person=person,
                after=_person_snapshot(person),
                basis=[BASIS_INPUT],
            )
    except IntegrityError:
        if Person.objects.filter(identity_number=fields["identity_number"]).exists():
            raise _invalid(
                "identity_number",
                "identity_number.exists",
                "Personen er allerede registrert med dette nummeret.",
            ) from None
        raise
    return person


def update_person(
    *,
    actor: Actor,
    person_id: int,
    expected_version: int,
    data: PersonData,
    at: dt.datetime | None = None,
) -> Person:
    """Change a person's facts; the frist of every affected participation is recomputed."""
    moment, as_of = resolve_time(at)
    config = rule_config()
    fields = _validated_person_fields(data, config)
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None or not _person_in_scope(actor, person):
            raise OutOfScope(entity="person")
        if person.version != expected_version:
            raise StaleVersion(entity="person", expected=expected_version, current=person.version)
        if (
            fields["identity_number"] != person.identity_number
            and Person.objects.filter(identity_number=fields["identity_number"])
            .exclude(pk=person.pk)
            .exists()
        ):
            raise _invalid(
                "identity_number",
                "identity_number.exists",
                "Et annet personnummer i registeret har allerede dette nummeret.",
            )
        before = _person_snapshot(person)
        for name, value in fields.items():
            setattr(person, name, value)
        person.version += 1
        person.save()
        record_event(
            actor=actor,
            at=moment,
            action="person_updated",
            entity="person",
            entity_id=person.pk,
            person=person,
            before=before,
            after=_person_snapshot(person),
            basis=[BASIS_INPUT],
        )
        for participation in person.participations.select_for_update().select_related("person"):
            participation.person = person
            _recompute(participation, actor=actor, at=moment, as_of=as_of, config=config)
    return person


def _person_in_scope(actor: Actor, person: Person) -> bool:
    if actor.kommune_id is None:
        return True
    return person.participations.filter(kommune_id=actor.kommune_id).exists()


# --- Participations ----------------------------------------------------------------------


def _grants(kommune_id: int) -> list[tuple[GrantFacts, LateRegistrationGrant]]:
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


def _check_window(
    kommune_id: int, event_date: dt.date, as_of: dt.date, field: str, config: RuleConfig
) -> tuple[WindowDecision, LateRegistrationGrant | None]:
    grants = _grants(kommune_id)
    decision = check_registration_window(
        event_date=event_date,
        as_of=as_of,
        grants=[g for g, _ in grants],
        config=config,
        field=field,
    )
    used = next((row for g, row in grants if g.ref == decision.grant_ref), None)
    return decision, used


def _facts(participation: Participation) -> ParticipationFacts:
    person = participation.person
    latest = participation.sluttmaal_versions.order_by("-valid_from", "-id").first()
    return ParticipationFacts(
        regime=Regime(participation.regime),
        start=participation.start_date,
        birth_date=person.birth_date,
        has_upper_secondary=person.has_upper_secondary,
        sluttmaal=Sluttmaal(latest.sluttmaal) if latest else None,
        extensions=[
            frist_rules.Extension(f"extension:{e.pk}", e.months, e.decided_on)
            for e in participation.extensions.all()
        ],
        leaves=[
            DatedStop(f"leave:{x.pk}", x.leave_type, x.start_date, x.end_date)
            for x in participation.leaves.all()
        ],
        dated_absences=[
            DatedStop(f"absence:{x.pk}", x.absence_type, x.start_date, x.end_date)
            for x in participation.absences.filter(hours__isnull=True)
        ],
    )


def _state(participation: Participation) -> dict[str, Any]:
    return {
        "frist": participation.frist,
        "end_date": participation.end_date,
        "termination_reason": participation.termination_reason,
        "termination_source": participation.termination_source,
    }


def _current_end(participation: Participation) -> CurrentEnd:
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


def _recompute(
    participation: Participation,
    *,
    actor: Actor,
    at: dt.datetime,
    as_of: dt.date,
    config: RuleConfig,
    facts: ParticipationFacts | None = None,
) -> FristResult:
    """Recompute the frist from the facts and do what rules.md §4 says with the result.

    The caller holds the participation's row lock; this saves it with a new version and
    appends a history event for each automatic change.
    """
    before = _state(participation)
    result = derive_frist(facts or _facts(participation), config)
    _apply_frist(participation, result)
    decision = decide_automatic_termination(
        frist=participation.frist,
        current=_current_end(participation),
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
    participation.save()
    if before["frist"] is not None and before["frist"] != participation.frist:
        record_event(
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
    if decision.action is not AutomaticAction.NONE and decision.basis is not None:
        record_event(
            actor=actor,
            at=at,
            action=f"automatic_termination_{decision.action.value}",
            entity="participation",
            entity_id=participation.pk,
            participation=participation,
            before=before,
            after=_state(participation),
            basis=[decision.basis],
        )
    return result


def _locked(participation_id: int, actor: Actor, expected_version: int | None) -> Participation:
    participation = (
        Participation.objects.select_for_update()
        .select_related("person", "kommune")
        .filter(pk=participation_id)
        .first()
    )
    # Another municipality's participation answers exactly like one that does not exist.
    if participation is None or not actor.may_act_for(participation.kommune_id):
        raise OutOfScope(entity="participation")
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
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise _invalid("person", "person.not_found", "Personen finnes ikke i registeret.")
        kommune = Kommune.objects.get(pk=kommune_id)
        if person.participations.filter(end_date__isnull=True).exists():
            raise _invalid(
                "person",
                "participation.already_active",
                "Personen har allerede en aktiv deltakelse. Avslutt den før en ny registreres.",
            )
        if case_id and Participation.objects.filter(kommune=kommune, case_id=case_id).exists():
            raise _invalid(
                "case_id",
                "case_id.exists",
                f"Saksnummeret «{case_id}» er allerede brukt i kommunen.",
            )
        window, grant = _check_window(kommune_id, start_date, as_of, "start_date", config)
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
            )
        else:
            category_value = _enum(Category, category, "category")
        check_category(regime, category_value)
        goal = _enum(Sluttmaal, sluttmaal, "sluttmaal") if sluttmaal else None
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
        participation.save()
        record_event(
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
        if goal is not None:
            version = SluttmaalVersion.objects.create(
                participation=participation,
                sluttmaal=goal.value,
                valid_from=start_date,
                registered_by=actor.name,
                channel=actor.channel.value,
                late_registration_grant=grant,
            )
            record_event(
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
        _recompute(participation, actor=actor, at=moment, as_of=as_of, config=config, facts=facts)
    return participation


def _register(
    *,
    actor: Actor,
    participation_id: int,
    expected_version: int | None,
    at: dt.datetime | None,
    event_date: dt.date,
    event_field: str,
    action: str,
    entity: str,
    build: Callable[[Participation, LateRegistrationGrant | None], Any],
    validate: Callable[[Participation, RuleConfig], None] | None = None,
    affects_frist: bool = True,
    allowed_after_real_end: bool = False,
) -> Participation:
    """The shared path of every registration on a participation.

    Lock the row, check scope, version, window and the rule, write the registration,
    recompute the frist (and what the automatic termination does with it), write history.
    """
    moment, as_of = resolve_time(at)
    config = rule_config()
    with transaction.atomic():
        participation = _locked(participation_id, actor, expected_version)
        if not allowed_after_real_end and _current_end(participation) is CurrentEnd.REAL:
            raise _invalid(
                event_field,
                "participation.ended",
                "Deltakelsen er avsluttet med en registrert årsak. Endre avslutningen først "
                "dersom deltakelsen skal fortsette.",
            )
        window, grant = _check_window(
            participation.kommune_id, event_date, as_of, event_field, config
        )
        if validate is not None:
            validate(participation, config)
        row = build(participation, grant)
        record_event(
            actor=actor,
            at=moment,
            action=action,
            entity=entity,
            entity_id=row.pk,
            participation=participation,
            after=_row_snapshot(row),
            basis=[window.basis],
            grant=grant,
        )
        if affects_frist:
            _recompute(participation, actor=actor, at=moment, as_of=as_of, config=config)
        else:
            participation.version += 1
            participation.save(update_fields=["version", "updated_at"])
    return participation


def _row_snapshot(row: Any) -> dict[str, Any]:
    skip = {
        "id",
        "participation",
        "registered_at",
        "registered_by",
        "channel",
        "late_registration_grant",
    }
    return {
        f.name: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name not in skip
    }


def _common(actor: Actor, grant: LateRegistrationGrant | None) -> dict[str, Any]:
    return {
        "registered_by": actor.name,
        "channel": actor.channel.value,
        "late_registration_grant": grant,
    }


def register_sluttmaal(
    *,
    actor: Actor,
    participation_id: int,
    sluttmaal: str,
    valid_from: dt.date,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    goal = _enum(Sluttmaal, sluttmaal, "sluttmaal")

    def validate(p: Participation, config: RuleConfig) -> None:
        if valid_from < p.start_date:
            raise _invalid(
                "valid_from",
                "sluttmaal.before_start",
                "Sluttmålet kan ikke gjelde fra før oppstart.",
            )
        # The rule may refuse the goal: none under introduksjonsloven, § 13 goals need vgo.
        derive_frist(
            ParticipationFacts(
                Regime(p.regime),
                p.start_date,
                p.person.birth_date,
                p.person.has_upper_secondary,
                goal,
            ),
            config,
        )

    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        event_date=valid_from,
        event_field="valid_from",
        action="sluttmaal_registered",
        entity="sluttmaal",
        validate=validate,
        build=lambda p, g: SluttmaalVersion.objects.create(
            participation=p, sluttmaal=goal.value, valid_from=valid_from, **_common(actor, g)
        ),
    )


def _check_period(start: dt.date, end: dt.date | None, p: Participation) -> None:
    if end is not None and end < start:
        raise _invalid(
            "end_date", "period.end_before_start", "Sluttdatoen kan ikke være før startdatoen."
        )
    if end is not None and end < p.start_date:
        raise _invalid(
            "end_date", "period.before_programme", "Perioden ligger før deltakelsen startet."
        )


def register_leave(
    *,
    actor: Actor,
    participation_id: int,
    leave_type: str,
    start_date: dt.date,
    end_date: dt.date,
    decided_on: dt.date,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    def validate(p: Participation, config: RuleConfig) -> None:
        _check_period(start_date, end_date, p)
        clock_stop(DatedStop("new", leave_type, start_date, end_date), leave=True, config=config)

    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        event_date=decided_on,
        event_field="decided_on",
        action="leave_registered",
        entity="leave",
        validate=validate,
        build=lambda p, g: Leave.objects.create(
            participation=p,
            leave_type=leave_type,
            start_date=start_date,
            end_date=end_date,
            decided_on=decided_on,
            **_common(actor, g),
        ),
    )


def register_absence(
    *,
    actor: Actor,
    participation_id: int,
    absence_type: str,
    start_date: dt.date,
    end_date: dt.date,
    hours: Decimal | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """Absence in hours (never moves the frist) or as a dated interval of a flagged type."""

    def validate(p: Participation, config: RuleConfig) -> None:
        _check_period(start_date, end_date, p)
        if hours is not None and hours < 0:
            raise _invalid("hours", "hours.negative", "Timer kan ikke være negative.")
        clock_stop(DatedStop("new", absence_type, start_date, end_date), leave=False, config=config)

    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        event_date=end_date,
        event_field="end_date",
        action="absence_registered",
        entity="absence",
        validate=validate,
        allowed_after_real_end=True,
        affects_frist=hours is None,
        build=lambda p, g: Absence.objects.create(
            participation=p,
            absence_type=absence_type,
            start_date=start_date,
            end_date=end_date,
            hours=hours,
            **_common(actor, g),
        ),
    )


def register_extension(
    *,
    actor: Actor,
    participation_id: int,
    months: int,
    decided_on: dt.date,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    def validate(p: Participation, config: RuleConfig) -> None:
        result = derive_frist(_facts(p), config)
        check_extension(
            row=result.row,
            granted_months=[e.months for e in p.extensions.all()],
            requested_months=months,
        )

    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        event_date=decided_on,
        event_field="decided_on",
        action="extension_registered",
        entity="extension",
        validate=validate,
        build=lambda p, g: Extension.objects.create(
            participation=p, months=months, decided_on=decided_on, **_common(actor, g)
        ),
    )


def register_decision(
    *,
    actor: Actor,
    participation_id: int,
    decision_type: str,
    decided_on: dt.date,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    kind = _enum(DecisionType, decision_type, "decision_type")
    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        event_date=decided_on,
        event_field="decided_on",
        action="decision_registered",
        entity="decision",
        affects_frist=False,
        allowed_after_real_end=True,
        build=lambda p, g: Decision.objects.create(
            participation=p,
            decision_type=kind.value,
            decided_on=decided_on,
            reason=reason,
            **_common(actor, g),
        ),
    )


def register_measure(
    *,
    actor: Actor,
    participation_id: int,
    measure_type: str,
    start_date: dt.date,
    end_date: dt.date | None,
    hours_per_week: Decimal,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    def validate(p: Participation, config: RuleConfig) -> None:
        _check_period(start_date, end_date, p)
        if not measure_type.strip():
            raise _invalid("measure_type", "measure_type.required", "Velg type tiltak.")
        if not Decimal(0) < hours_per_week <= Decimal("37.5"):
            raise _invalid(
                "hours_per_week",
                "hours_per_week.range",
                "Timer per uke må være mellom 0 og 37,5 (fulltid).",
            )

    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        event_date=start_date,
        event_field="start_date",
        action="measure_registered",
        entity="measure",
        validate=validate,
        affects_frist=False,
        allowed_after_real_end=True,
        build=lambda p, g: Measure.objects.create(
            participation=p,
            measure_type=measure_type.strip(),
            start_date=start_date,
            end_date=end_date,
            hours_per_week=hours_per_week,
            **_common(actor, g),
        ),
    )


BASIS_STOP = LegalBasis("stop.section_18", "integreringsloven § 18 (stans)", BasisKind.LOV)
TEMPORARY_STOP_MAX_MONTHS = 3


def register_stop(
    *,
    actor: Actor,
    participation_id: int,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None,
    decided_on: dt.date,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """A temporary stop is recorded and does not move the frist; a permanent stop ends it."""
    stop_kind = _enum(StopKind, kind, "kind")
    if stop_kind is StopKind.VARIG:
        moment, _ = resolve_time(at)
        with transaction.atomic():
            participation = register_termination(
                actor=actor,
                participation_id=participation_id,
                end_date=start_date,
                reason=STANS,
                expected_version=expected_version,
                at=moment,
            )
            row = Stop.objects.create(
                participation=participation,
                kind=stop_kind.value,
                start_date=start_date,
                end_date=None,
                decided_on=decided_on,
                registered_by=actor.name,
                channel=actor.channel.value,
            )
            record_event(
                actor=actor,
                at=moment,
                action="stop_registered",
                entity="stop",
                entity_id=row.pk,
                participation=participation,
                after=_row_snapshot(row),
                basis=[BASIS_STOP],
            )
        return participation

    def validate(p: Participation, config: RuleConfig) -> None:
        if end_date is None:
            raise _invalid(
                "end_date", "stop.temporary_needs_end", "Midlertidig stans må ha en sluttdato."
            )
        _check_period(start_date, end_date, p)
        if end_date > add_months(start_date, TEMPORARY_STOP_MAX_MONTHS):
            raise RuleViolation(
                field="end_date",
                code="stop.temporary_too_long",
                message="Midlertidig stans kan vare høyst tre måneder (integreringsloven § 18).",
                basis=BASIS_STOP,
            )

    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        event_date=decided_on,
        event_field="decided_on",
        action="stop_registered",
        entity="stop",
        validate=validate,
        affects_frist=False,
        build=lambda p, g: Stop.objects.create(
            participation=p,
            kind=stop_kind.value,
            start_date=start_date,
            end_date=end_date,
            decided_on=decided_on,
            **_common(actor, g),
        ),
    )


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
    config = rule_config()
    catalogue_entry = termination_reason(reason)
    with transaction.atomic():
        participation = _locked(participation_id, actor, expected_version)
        if end_date > as_of:
            raise _invalid(
                "end_date",
                "termination.future",
                "Avslutning kan ikke registreres med en dato fram i tid.",
            )
        if end_date < participation.start_date:
            raise _invalid(
                "end_date",
                "termination.before_start",
                f"Sluttdatoen kan ikke være før oppstart ({participation.start_date:%d.%m.%Y}).",
            )
        if end_date > participation.frist:
            raise _invalid(
                "end_date",
                "termination.after_frist",
                f"Sluttdatoen kan ikke være etter fristen for gjennomføring "
                f"({participation.frist:%d.%m.%Y}). Registrer permisjon eller "
                "utvidet programtid først dersom programmet varte lenger.",
                frist=participation.frist,
            )
        _, grant = _check_window(participation.kommune_id, end_date, as_of, "end_date", config)
        before = _state(participation)
        participation.end_date = end_date
        participation.termination_reason = catalogue_entry.code
        participation.termination_source = TerminationSource.USER
        participation.version += 1
        participation.save()
        action = (
            "termination_replaced_automatic"
            if before["termination_source"] == TerminationSource.SYSTEM
            else "termination_registered"
        )
        record_event(
            actor=actor,
            at=moment,
            action=action,
            entity="participation",
            entity_id=participation.pk,
            participation=participation,
            before=before,
            after=_state(participation),
            basis=[BASIS_REASON],
            grant=grant,
        )
    return participation
