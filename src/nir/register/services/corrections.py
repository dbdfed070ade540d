"""Correcting mistakes: cancelling a registration that should never have been made.

The registration row is deleted and the history keeps it: the event ``registration_cancelled``
holds the whole row as it was (``before``), who cancelled it, when, through which channel and
why. Deleting rather than flagging keeps every reader (the frist, the lists, the API, the
statistics) free of a "cancelled" condition they could forget; the history is the record.

A cancellation is a change like any other: it locks the participation, checks scope and the
expected version, must fall inside the registration window of the event it corrects (or a
late-registration grant), and recomputes the frist with what the automatic termination then
does (rules.md §4), all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from nir.register.models import (
    Absence,
    Decision,
    Extension,
    Leave,
    Measure,
    Participation,
    SluttmaalVersion,
    Stop,
    StopKind,
)
from nir.register.services import events
from nir.register.services.context import Actor, write_context
from nir.register.services.history import NewEvent, record
from nir.register.services.participations import (
    check_window,
    lock_participation,
    recompute,
    termination_state,
)
from nir.register.services.validation import invalid
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.termination import STANS, ParticipationStatus

BASIS_CORRECTION = LegalBasis(
    "correction.cancel_registration",
    "Registerets regel: retting innenfor registreringsfristen, med historikk",
    BasisKind.BESLUTNING,
)


@dataclass(frozen=True, slots=True)
class Cancellable:
    model: type[models.Model]
    event_field: str  # the date the registration window counts from, as in the services
    affects_frist: bool


CANCELLABLE: dict[str, Cancellable] = {
    "sluttmaal": Cancellable(SluttmaalVersion, "valid_from", True),
    "decision": Cancellable(Decision, "decided_on", False),
    "leave": Cancellable(Leave, "decided_on", True),
    "absence": Cancellable(Absence, "end_date", True),
    "extension": Cancellable(Extension, "decided_on", True),
    "stop": Cancellable(Stop, "decided_on", False),
    "measure": Cancellable(Measure, "start_date", False),
}


def _cancellable_row(kind: Cancellable, entity_id: int, participation: Participation) -> Any:
    """The registration to cancel, locked; refuses one not on the participation and a
    permanent stop (its termination is corrected instead)."""
    row = (
        kind.model._default_manager.select_for_update()
        .filter(pk=entity_id, participation_id=participation.pk)
        .first()
    )
    if row is None:
        raise invalid(
            "entity", "correction.not_found", "Registreringen finnes ikke på denne deltakelsen."
        )
    if isinstance(row, Stop) and row.kind == StopKind.VARIG:
        raise invalid(
            "entity",
            "correction.permanent_stop",
            "Varig stans avsluttet deltakelsen. Rett avslutningen i stedet.",
        )
    return row


@dataclass(frozen=True, slots=True)
class Cancellation:
    """Which registration to cancel (its entity and id) and why."""

    entity: str
    entity_id: int
    reason: str


def cancel_registration(
    *,
    actor: Actor,
    participation_id: int,
    cancellation: Cancellation,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """Cancel one registration on a participation, keeping it whole in the history."""
    entity, entity_id, reason = cancellation.entity, cancellation.entity_id, cancellation.reason
    kind = CANCELLABLE.get(entity)
    if kind is None:
        raise invalid(
            "entity", "correction.unknown_entity", "Denne registreringen kan ikke annulleres."
        )
    if not reason.strip():
        raise invalid(
            "reason", "correction.reason_required", "Skriv hvorfor registreringen annulleres."
        )
    ctx = write_context(actor, at)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        row = _cancellable_row(kind, entity_id, participation)
        event_date = getattr(row, kind.event_field)
        _, grant = check_window(ctx, participation.kommune_id, event_date, "entity")
        before = {
            f.name: getattr(row, f.attname)
            for f in row._meta.concrete_fields
            if f.name not in ("participation",)
        }
        row.delete()
        record(
            ctx,
            NewEvent(
                events.REGISTRATION_CANCELLED,
                entity_id,
                participation,
                before=before,
                after={"reason": reason.strip()},
                basis=[BASIS_CORRECTION],
                grant=grant,
                entity=entity,
            ),
        )
        if kind.affects_frist:
            recompute(ctx, participation)
        else:
            participation.version += 1
            participation.save(update_fields=["version", "updated_at"])
    return participation


def cancel_termination(
    *,
    actor: Actor,
    participation_id: int,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """Undo a termination a user registered by mistake: the participation continues.

    Only a real termination can be undone this way (the register's own «ikke registrert» is
    lifted by registering what moves the frist); a permanent stop is a decision of its own
    and is not undone here. If the frist has passed meanwhile, the register ends the
    participation again as «ikke registrert», as the daily sweep would (rules.md §4).
    """
    if not reason.strip():
        raise invalid("reason", "correction.reason_required", "Skriv hvorfor avslutningen angres.")
    ctx = write_context(actor, at)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        if participation.end_date is None or participation.status is not ParticipationStatus.ENDED:
            raise invalid(
                "reason",
                "correction.no_real_termination",
                "Deltakelsen har ingen avslutning registrert av kommunen.",
            )
        if participation.termination_reason == STANS:
            raise invalid(
                "reason",
                "correction.permanent_stop",
                "Avslutningen skyldes varig stans. Den kan ikke angres her.",
            )
        _, grant = check_window(ctx, participation.kommune_id, participation.end_date, "reason")
        before = termination_state(participation)
        participation.end_date = None
        participation.termination_reason = ""
        participation.termination_source = ""
        record(
            ctx,
            NewEvent(
                events.TERMINATION_CANCELLED,
                participation.pk,
                participation,
                before=before,
                after={**termination_state(participation), "reason": reason.strip()},
                basis=[BASIS_CORRECTION],
                grant=grant,
            ),
        )
        recompute(ctx, participation)
    return participation
