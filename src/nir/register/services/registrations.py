"""Registrations on a participation: sluttmål, leave, absence, extension, stop, measure,
decision. Each is a ``NewRegistration`` that goes through ``add_registration``: window, rule,
row, history, frist. ``register_*`` do one now (lock, scope, version first); the set-based
path for new participants (services/new_participants.py) runs the same on rows in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from nir.register.models import (
    Absence,
    Decision,
    DecisionType,
    Extension,
    LateRegistrationGrant,
    Leave,
    Measure,
    Participation,
    SluttmaalVersion,
    Stop,
    StopKind,
)
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, resolve_time
from nir.register.services.history import history_event
from nir.register.services.participations import (
    DATABASE,
    RowStore,
    check_window_with,
    current_end,
    end_participation,
    lock_participation,
    recompute,
)
from nir.register.services.validation import invalid, parse_enum
from nir.rules.config import RuleConfig
from nir.rules.decided_programme_time import MAX_DECIDED_MONTHS, START_DECISION_TYPES
from nir.rules.extension import check_extension
from nir.rules.measure import check_hours_per_week
from nir.rules.participation import (
    DatedStop,
    ParticipationFacts,
    clock_stop,
    derive_frist,
)
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import Regime
from nir.rules.stop import BASIS_STOP, check_temporary_stop
from nir.rules.termination import (
    STANS,
    CurrentEnd,
)

Validate = Callable[[Participation, RowStore, RuleConfig], None]


@dataclass(frozen=True, slots=True)
class NewRegistration:
    """One registration asked for, before it is written: its row, the date its window
    counts from, and the rule it must meet on the participation it is added to."""

    model: type[models.Model]
    fields: dict[str, Any]
    event_date: dt.date
    event_field: str
    action: str
    entity: str
    validate: Validate | None = None
    affects_frist: bool = True
    allowed_after_real_end: bool = False


def add_registration(
    store: RowStore,
    participation: Participation,
    new: NewRegistration,
    *,
    actor: Actor,
    moment: dt.datetime,
    as_of: dt.date,
    config: RuleConfig,
) -> models.Model:
    """The shared path of every registration on a participation the caller holds.

    Check the window and the rule, write the registration, recompute the frist (and what
    the automatic termination does with it), write history.
    """
    if not new.allowed_after_real_end and current_end(participation) is CurrentEnd.REAL:
        raise invalid(
            new.event_field,
            "participation.ended",
            "Deltakelsen er avsluttet med en registrert årsak. Endre avslutningen først "
            "dersom deltakelsen skal fortsette.",
        )
    window, grant = check_window_with(
        store.grants(participation.kommune_id), new.event_date, as_of, new.event_field, config
    )
    if new.validate is not None:
        new.validate(participation, store, config)
    row = new.model(participation=participation, **new.fields, **_common(actor, grant))
    store.add(row)
    store.add(
        history_event(
            actor=actor,
            at=moment,
            action=new.action,
            entity=new.entity,
            entity_id=row.pk,
            participation=participation,
            after=_row_snapshot(row),
            basis=[window.basis],
            grant=grant,
        )
    )
    if new.affects_frist:
        recompute(participation, actor=actor, at=moment, as_of=as_of, config=config, store=store)
    else:
        participation.version += 1
        store.save(participation, ["version", "updated_at"])
    return row


def _register(
    *,
    actor: Actor,
    participation_id: int,
    expected_version: int | None,
    at: dt.datetime | None,
    new: NewRegistration,
) -> Participation:
    """One registration now: lock the row, check scope and version, then ``add_registration``."""
    moment, as_of = resolve_time(at)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        add_registration(
            DATABASE,
            participation,
            new,
            actor=actor,
            moment=moment,
            as_of=as_of,
            config=rule_config(),
        )
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


def sluttmaal_registration(sluttmaal: str, valid_from: dt.date) -> NewRegistration:
    goal = parse_enum(Sluttmaal, sluttmaal, "sluttmaal")

    def validate(p: Participation, store: RowStore, config: RuleConfig) -> None:
        if valid_from < p.start_date:
            raise invalid(
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

    return NewRegistration(
        SluttmaalVersion,
        {"sluttmaal": goal.value, "valid_from": valid_from},
        event_date=valid_from,
        event_field="valid_from",
        action="sluttmaal_registered",
        entity="sluttmaal",
        validate=validate,
    )


def register_sluttmaal(
    *,
    actor: Actor,
    participation_id: int,
    sluttmaal: str,
    valid_from: dt.date,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        new=sluttmaal_registration(sluttmaal, valid_from),
    )


def _check_period(start: dt.date, end: dt.date | None, p: Participation) -> None:
    if end is not None and end < start:
        raise invalid(
            "end_date", "period.end_before_start", "Sluttdatoen kan ikke være før startdatoen."
        )
    if end is not None and end < p.start_date:
        raise invalid(
            "end_date", "period.before_programme", "Perioden ligger før deltakelsen startet."
        )


def leave_registration(
    leave_type: str, start_date: dt.date, end_date: dt.date, decided_on: dt.date
) -> NewRegistration:
    def validate(p: Participation, store: RowStore, config: RuleConfig) -> None:
        _check_period(start_date, end_date, p)
        clock_stop(DatedStop("new", leave_type, start_date, end_date), leave=True, config=config)

    return NewRegistration(
        Leave,
        {
            "leave_type": leave_type,
            "start_date": start_date,
            "end_date": end_date,
            "decided_on": decided_on,
        },
        event_date=decided_on,
        event_field="decided_on",
        action="leave_registered",
        entity="leave",
        validate=validate,
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
    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        new=leave_registration(leave_type, start_date, end_date, decided_on),
    )


def absence_registration(
    absence_type: str, start_date: dt.date, end_date: dt.date, hours: Decimal | None
) -> NewRegistration:
    """Absence in hours (never moves the frist) or as a dated interval of a flagged type."""

    def validate(p: Participation, store: RowStore, config: RuleConfig) -> None:
        _check_period(start_date, end_date, p)
        if hours is not None and hours < 0:
            raise invalid("hours", "hours.negative", "Timer kan ikke være negative.")
        clock_stop(DatedStop("new", absence_type, start_date, end_date), leave=False, config=config)

    return NewRegistration(
        Absence,
        {
            "absence_type": absence_type,
            "start_date": start_date,
            "end_date": end_date,
            "hours": hours,
        },
        event_date=end_date,
        event_field="end_date",
        action="absence_registered",
        entity="absence",
        validate=validate,
        allowed_after_real_end=True,
        affects_frist=hours is None,
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
    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        new=absence_registration(absence_type, start_date, end_date, hours),
    )


def extension_registration(months: int, decided_on: dt.date) -> NewRegistration:
    def validate(p: Participation, store: RowStore, config: RuleConfig) -> None:
        facts = store.facts(p)
        check_extension(
            row=derive_frist(facts, config).row,
            granted_months=[e.months for e in facts.extensions],
            requested_months=months,
        )

    return NewRegistration(
        Extension,
        {"months": months, "decided_on": decided_on},
        event_date=decided_on,
        event_field="decided_on",
        action="extension_registered",
        entity="extension",
        validate=validate,
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
    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        new=extension_registration(months, decided_on),
    )


def decision_registration(
    decision_type: str, decided_on: dt.date, reason: str, programme_months: int | None = None
) -> NewRegistration:
    kind = parse_enum(DecisionType, decision_type, "decision_type")
    if programme_months is not None:
        if kind.value not in START_DECISION_TYPES:
            raise invalid(
                "programme_months",
                "programme_months.not_start_decision",
                "Programtid registreres bare på vedtak om tilbud, innvilget deltakelse eller "
                "oppstart.",
            )
        if not 1 <= programme_months <= MAX_DECIDED_MONTHS:
            raise invalid(
                "programme_months",
                "programme_months.range",
                f"Programtiden i vedtaket må være mellom 1 og {MAX_DECIDED_MONTHS} måneder.",
            )
    return NewRegistration(
        Decision,
        {
            "decision_type": kind.value,
            "decided_on": decided_on,
            "reason": reason,
            "programme_months": programme_months,
        },
        event_date=decided_on,
        event_field="decided_on",
        action="decision_registered",
        entity="decision",
        affects_frist=False,
        allowed_after_real_end=True,
    )


def register_decision(
    *,
    actor: Actor,
    participation_id: int,
    decision_type: str,
    decided_on: dt.date,
    reason: str = "",
    programme_months: int | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        new=decision_registration(decision_type, decided_on, reason, programme_months),
    )


def measure_registration(
    measure_type: str, start_date: dt.date, end_date: dt.date | None, hours_per_week: Decimal
) -> NewRegistration:
    def validate(p: Participation, store: RowStore, config: RuleConfig) -> None:
        _check_period(start_date, end_date, p)
        if not measure_type.strip():
            raise invalid("measure_type", "measure_type.required", "Velg type tiltak.")
        check_hours_per_week(hours_per_week)

    return NewRegistration(
        Measure,
        {
            "measure_type": measure_type.strip(),
            "start_date": start_date,
            "end_date": end_date,
            "hours_per_week": hours_per_week,
        },
        event_date=start_date,
        event_field="start_date",
        action="measure_registered",
        entity="measure",
        validate=validate,
        affects_frist=False,
        allowed_after_real_end=True,
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
    return _register(
        actor=actor,
        participation_id=participation_id,
        expected_version=expected_version,
        at=at,
        new=measure_registration(measure_type, start_date, end_date, hours_per_week),
    )


def _temporary_stop_registration(
    kind: StopKind, start_date: dt.date, end_date: dt.date | None, decided_on: dt.date
) -> NewRegistration:
    def validate(p: Participation, store: RowStore, config: RuleConfig) -> None:
        # The period first, as for every registration; then what § 18 allows.
        _check_period(start_date, end_date, p)
        check_temporary_stop(start_date, end_date)

    return NewRegistration(
        Stop,
        {
            "kind": kind.value,
            "start_date": start_date,
            "end_date": end_date,
            "decided_on": decided_on,
        },
        event_date=decided_on,
        event_field="decided_on",
        action="stop_registered",
        entity="stop",
        validate=validate,
        affects_frist=False,
    )


def add_stop(
    store: RowStore,
    participation: Participation,
    *,
    actor: Actor,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None,
    decided_on: dt.date,
    moment: dt.datetime,
    as_of: dt.date,
    config: RuleConfig,
) -> None:
    """A temporary stop is recorded and does not move the frist; a permanent stop ends it."""
    stop_kind = parse_enum(StopKind, kind, "kind")
    if stop_kind is not StopKind.VARIG:
        add_registration(
            store,
            participation,
            _temporary_stop_registration(stop_kind, start_date, end_date, decided_on),
            actor=actor,
            moment=moment,
            as_of=as_of,
            config=config,
        )
        return
    # The stop decision has its own window; the termination it causes checks its own.
    _, grant = check_window_with(
        store.grants(participation.kommune_id), decided_on, as_of, "decided_on", config
    )
    end_participation(
        store,
        participation,
        actor=actor,
        end_date=start_date,
        reason=STANS,
        moment=moment,
        as_of=as_of,
        config=config,
    )
    row = Stop(
        participation=participation,
        kind=stop_kind.value,
        start_date=start_date,
        end_date=None,
        decided_on=decided_on,
        **_common(actor, grant),
    )
    store.add(row)
    store.add(
        history_event(
            actor=actor,
            at=moment,
            action="stop_registered",
            entity="stop",
            entity_id=row.pk,
            participation=participation,
            after=_row_snapshot(row),
            basis=[BASIS_STOP],
            grant=grant,
        )
    )


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
    moment, as_of = resolve_time(at)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        add_stop(
            DATABASE,
            participation,
            actor=actor,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            decided_on=decided_on,
            moment=moment,
            as_of=as_of,
            config=rule_config(),
        )
    return participation
