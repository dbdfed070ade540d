"""Registrations on a participation: sluttmål, leave, absence, extension, stop, measure,
decision. Each item (services/items.py) becomes a ``NewRegistration`` that goes through
``add_registration``: window, rule, row, history, frist. ``register_item`` does one now
(lock, scope, version first); the set-based path for new participants
(services/new_participants.py) and the previews run the same on other row stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
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
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.services import events
from nir.register.services.context import Actor, WriteContext, write_context
from nir.register.services.events import EventKind
from nir.register.services.history import NewEvent, record
from nir.register.services.items import (
    AbsenceItem,
    DecisionItem,
    ExtensionItem,
    Item,
    LeaveItem,
    MeasureItem,
    RelatedItemStatusItem,
    SluttmaalItem,
    StopItem,
    TerminationItem,
)
from nir.register.services.norsk import recompute_norsk_frist, require_open
from nir.register.services.participations import (
    check_window,
    end_participation,
    lock_participation,
    recompute,
)
from nir.register.services.rows import new_row
from nir.register.services.validation import invalid, parse_enum
from nir.rules.decided_programme_time import MAX_DECIDED_MONTHS, START_DECISION_TYPES
from nir.rules.extension import check_extension
from nir.rules.measure import check_hours_per_week
from nir.rules.norsk.related_items import (
    ItemSource,
    ItemStatus,
    RelatedItem,
    RelatedItemKind,
    check_related_item,
)
from nir.rules.participation import (
    DatedStop,
    ParticipationFacts,
    clock_stop,
    derive_frist,
)
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import Regime
from nir.rules.stop import BASIS_STOP, check_temporary_stop
from nir.rules.termination import STANS, ParticipationStatus

# A participation of either scheme: the programme's, or a Norwegian-training ordning.
SchemeRow = Participation | NorskParticipation
Validate = Callable[[WriteContext, Any], None]


@dataclass(frozen=True, slots=True)
class NewRegistration:
    """One registration asked for, before it is written: its row, the date its window
    counts from, and the rule it must meet on the participation it is added to."""

    model: type[models.Model]
    fields: dict[str, Any]
    event_date: dt.date | None  # None: nothing dated, the registration's own day counts
    event_field: str
    event: EventKind
    validate: Validate | None = None
    affects_frist: bool = True
    allowed_after_real_end: bool = False


def _require_open(participation: SchemeRow, field: str) -> None:
    if isinstance(participation, NorskParticipation):
        require_open(participation)
    elif participation.status is ParticipationStatus.ENDED:
        raise invalid(
            field,
            "participation.ended",
            "Deltakelsen er avsluttet med en registrert årsak. Endre avslutningen først "
            "dersom deltakelsen skal fortsette.",
        )


def owner_of(participation: SchemeRow) -> dict[str, Any]:
    """The registration's and the history's link to the participation of its scheme."""
    if isinstance(participation, NorskParticipation):
        return {"norsk_participation": participation}
    return {"participation": participation}


def add_registration(
    ctx: WriteContext, participation: SchemeRow, new: NewRegistration
) -> models.Model:
    """The shared path of every registration on a participation of either scheme that the
    caller holds.

    Check the window and the rule, write the registration, recompute the frist (and, for
    the programme, what the automatic termination does with it), write history.
    """
    if not new.allowed_after_real_end:
        _require_open(participation, new.event_field)
    event_date = new.event_date if new.event_date is not None else ctx.as_of
    window, grant = check_window(ctx, participation.kommune_id, event_date, new.event_field)
    if new.validate is not None:
        new.validate(ctx, participation)
    owner = owner_of(participation)
    row = new_row(new.model, **owner, **new.fields, **_common(ctx.actor, grant))
    ctx.store.add(row)
    record(
        ctx,
        NewEvent(
            new.event, row.pk, after=_row_snapshot(row), basis=[window.basis], grant=grant, **owner
        ),
    )
    if not new.affects_frist:
        participation.version += 1
        changed = ["version", "updated_at"]
        if isinstance(participation, Participation) and new.model is Decision:
            participation.decision_missing = False
            changed.append("decision_missing")
        ctx.store.save(participation, changed)
    elif isinstance(participation, NorskParticipation):
        recompute_norsk_frist(ctx, participation)
    else:
        recompute(ctx, participation)
    return row


def add_item(ctx: WriteContext, participation: Participation, item: Item) -> None:
    """Register one item on a participation the caller holds, on the context's store."""
    if isinstance(item, StopItem):
        add_stop(ctx, participation, item)
    else:
        add_registration(ctx, participation, new_registration(item))


def register_item(
    *,
    actor: Actor,
    participation_id: int,
    item: Item,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """One registration now: lock the row, check scope and version, then add it."""
    ctx = write_context(actor, at)
    # The item's own values are checked before anything is read (a stop's kind decides
    # its path, after the lock).
    new = None if isinstance(item, StopItem) else new_registration(item)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        if new is None:
            add_item(ctx, participation, item)
        else:
            add_registration(ctx, participation, new)
    return participation


def _row_snapshot(row: Any) -> dict[str, Any]:
    skip = {
        "id",
        "participation",
        "norsk_participation",
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


def _check_period(start: dt.date, end: dt.date | None, p: SchemeRow) -> None:
    if end is not None and end < start:
        raise invalid(
            "end_date", "period.end_before_start", "Sluttdatoen kan ikke være før startdatoen."
        )
    if end is not None and end < p.start_date:
        raise invalid(
            "end_date", "period.before_programme", "Perioden ligger før deltakelsen startet."
        )


def _sluttmaal(item: SluttmaalItem) -> NewRegistration:
    goal = parse_enum(Sluttmaal, item.sluttmaal, "sluttmaal")

    def validate(ctx: WriteContext, p: Participation) -> None:
        if item.valid_from < p.start_date:
            raise invalid(
                "valid_from",
                "sluttmaal.before_start",
                "Sluttmålet kan ikke gjelde fra før oppstart.",
            )
        # The rule may refuse the goal: none where the regime has no sluttmål
        # (Regime.has_sluttmaal), § 13 goals need upper secondary education.
        derive_frist(
            ParticipationFacts(
                Regime(p.regime),
                p.start_date,
                p.person.birth_date,
                p.person.has_upper_secondary,
                goal,
            ),
            ctx.config,
        )

    return NewRegistration(
        SluttmaalVersion,
        {"sluttmaal": goal.value, "valid_from": item.valid_from},
        event_date=item.valid_from,
        event_field="valid_from",
        event=events.SLUTTMAAL_REGISTERED,
        validate=validate,
    )


def leave_registration(
    item: LeaveItem,
    model: type[models.Model] = Leave,
    event: EventKind = events.LEAVE_REGISTERED,
) -> NewRegistration:
    """Approved leave, added to the frist day for day: the same in both schemes."""

    def validate(ctx: WriteContext, p: SchemeRow) -> None:
        _check_period(item.start_date, item.end_date, p)
        stop = DatedStop("new", item.leave_type, item.start_date, item.end_date)
        clock_stop(stop, leave=True, config=ctx.config)

    return NewRegistration(
        model,
        {
            "leave_type": item.leave_type,
            "start_date": item.start_date,
            "end_date": item.end_date,
            "decided_on": item.decided_on,
        },
        event_date=item.decided_on,
        event_field="decided_on",
        event=event,
        validate=validate,
    )


def _absence(item: AbsenceItem) -> NewRegistration:
    def validate(ctx: WriteContext, p: Participation) -> None:
        _check_period(item.start_date, item.end_date, p)
        if item.hours is not None and item.hours < 0:
            raise invalid("hours", "hours.negative", "Timer kan ikke være negative.")
        stop = DatedStop("new", item.absence_type, item.start_date, item.end_date)
        clock_stop(stop, leave=False, config=ctx.config)

    return NewRegistration(
        Absence,
        {
            "absence_type": item.absence_type,
            "start_date": item.start_date,
            "end_date": item.end_date,
            "hours": item.hours,
        },
        event_date=item.end_date,
        event_field="end_date",
        event=events.ABSENCE_REGISTERED,
        validate=validate,
        allowed_after_real_end=True,
        affects_frist=item.hours is None,
    )


def _extension(item: ExtensionItem) -> NewRegistration:
    def validate(ctx: WriteContext, p: Participation) -> None:
        facts = ctx.store.facts(p)
        check_extension(
            row=derive_frist(facts, ctx.config).row,
            granted_months=[e.months for e in facts.extensions],
            requested_months=item.months,
        )

    return NewRegistration(
        Extension,
        {"months": item.months, "decided_on": item.decided_on},
        event_date=item.decided_on,
        event_field="decided_on",
        event=events.EXTENSION_REGISTERED,
        validate=validate,
    )


def _decision(item: DecisionItem) -> NewRegistration:
    kind = parse_enum(DecisionType, item.decision_type, "decision_type")
    months = item.programme_months
    if months is not None:
        if kind.value not in START_DECISION_TYPES:
            raise invalid(
                "programme_months",
                "programme_months.not_start_decision",
                "Programtid registreres bare på vedtak om tilbud, innvilget deltakelse eller "
                "oppstart.",
            )
        if not 1 <= months <= MAX_DECIDED_MONTHS:
            raise invalid(
                "programme_months",
                "programme_months.range",
                f"Programtiden i vedtaket må være mellom 1 og {MAX_DECIDED_MONTHS} måneder.",
                min=1,
                max=MAX_DECIDED_MONTHS,
            )
    return NewRegistration(
        Decision,
        {
            "decision_type": kind.value,
            "decided_on": item.decided_on,
            "reason": item.reason,
            "programme_months": months,
        },
        event_date=item.decided_on,
        event_field="decided_on",
        event=events.DECISION_REGISTERED,
        affects_frist=False,
        allowed_after_real_end=True,
    )


def _measure(item: MeasureItem) -> NewRegistration:
    def validate(ctx: WriteContext, p: Participation) -> None:
        _check_period(item.start_date, item.end_date, p)
        if not item.measure_type.strip():
            raise invalid("measure_type", "measure_type.required", "Velg type tiltak.")
        check_hours_per_week(item.hours_per_week)

    return NewRegistration(
        Measure,
        {
            "measure_type": item.measure_type.strip(),
            "start_date": item.start_date,
            "end_date": item.end_date,
            "hours_per_week": item.hours_per_week,
        },
        event_date=item.start_date,
        event_field="start_date",
        event=events.MEASURE_REGISTERED,
        validate=validate,
        affects_frist=False,
        allowed_after_real_end=True,
    )


def _temporary_stop(item: StopItem, kind: StopKind) -> NewRegistration:
    def validate(ctx: WriteContext, p: Participation) -> None:
        # The period first, as for every registration; then what § 18 allows.
        _check_period(item.start_date, item.end_date, p)
        check_temporary_stop(item.start_date, item.end_date)

    return NewRegistration(
        Stop,
        {
            "kind": kind.value,
            "start_date": item.start_date,
            "end_date": item.end_date,
            "decided_on": item.decided_on,
        },
        event_date=item.decided_on,
        event_field="decided_on",
        event=events.STOP_REGISTERED,
        validate=validate,
        affects_frist=False,
    )


def _related_item(item: RelatedItemStatusItem) -> NewRegistration:
    """N8-a: a dated record with a status; the window counts from the completion date
    (a status not yet reached has nothing to be late about)."""
    record = RelatedItem(
        parse_enum(RelatedItemKind, item.item_kind, "item_kind"),
        parse_enum(ItemStatus, item.status, "status"),
        item.date_completed,
        parse_enum(ItemSource, item.source, "source"),
    )

    def validate(ctx: WriteContext, p: Participation) -> None:
        if item.date_completed is not None and item.date_completed > ctx.as_of:
            raise invalid(
                "date_completed",
                "date_completed.future",
                "Datoen for gjennomført kan ikke være fram i tid.",
            )
        check_related_item(record, Regime(p.regime))

    return NewRegistration(
        RelatedItemRecord,
        {
            "item_kind": record.kind.value,
            "status": record.status.value,
            "date_completed": record.date_completed,
            "source": record.source.value,
            "marked_applicable": item.marked_applicable,
        },
        event_date=item.date_completed,
        event_field="date_completed",
        event=events.RELATED_ITEM_REGISTERED,
        validate=validate,
        affects_frist=False,
        allowed_after_real_end=True,
    )


_BUILDERS: dict[type[Any], Callable[[Any], NewRegistration]] = {
    SluttmaalItem: _sluttmaal,
    DecisionItem: _decision,
    LeaveItem: leave_registration,
    AbsenceItem: _absence,
    ExtensionItem: _extension,
    MeasureItem: _measure,
    RelatedItemStatusItem: _related_item,
}


def new_registration(item: Item) -> NewRegistration:
    """The registration an item asks for (a stop: see ``add_stop``)."""
    if isinstance(item, StopItem):
        return _temporary_stop(item, parse_enum(StopKind, item.kind, "kind"))
    return _BUILDERS[type(item)](item)


def add_stop(ctx: WriteContext, participation: Participation, item: StopItem) -> None:
    """A temporary stop is recorded and does not move the frist; a permanent stop ends it."""
    stop_kind = parse_enum(StopKind, item.kind, "kind")
    if stop_kind is not StopKind.VARIG:
        add_registration(ctx, participation, _temporary_stop(item, stop_kind))
        return
    # The stop decision has its own window; the termination it causes checks its own.
    _, grant = check_window(ctx, participation.kommune_id, item.decided_on, "decided_on")
    end_participation(ctx, participation, TerminationItem(item.start_date, STANS))
    row = new_row(
        Stop,
        participation=participation,
        kind=stop_kind.value,
        start_date=item.start_date,
        end_date=None,
        decided_on=item.decided_on,
        **_common(ctx.actor, grant),
    )
    ctx.store.add(row)
    record(
        ctx,
        NewEvent(
            events.STOP_REGISTERED,
            row.pk,
            participation,
            after=_row_snapshot(row),
            basis=[BASIS_STOP],
            grant=grant,
        ),
    )
