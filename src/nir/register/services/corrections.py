"""Correcting mistakes: cancelling a registration that should never have been made, and
undoing an end registered by mistake (either scheme's, on one path: ``_undo_end``).

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from nir.register.models import (
    Absence,
    Decision,
    Extension,
    LateRegistrationGrant,
    Leave,
    Measure,
    Participation,
    SluttmaalVersion,
    Stop,
    StopKind,
)
from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskExemption,
    NorskHours,
    NorskLeave,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.services import events
from nir.register.services.context import Actor, WriteContext, write_context
from nir.register.services.events import EventKind
from nir.register.services.history import NewEvent, record
from nir.register.services.norsk import (
    end_by_system_now,
    lock_norsk_participation,
    recompute_norsk_frist,
)
from nir.register.services.participations import (
    check_window,
    lock_participation,
    recompute,
)
from nir.register.services.registrations import owner_of
from nir.register.services.validation import invalid
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.norsk.end_reasons import SetBy
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


def _cancellable_row(
    kind: Cancellable, entity_id: int, participation: Participation | NorskParticipation
) -> Any:
    """The registration to cancel, locked; refuses one not on the participation and a
    permanent stop (its termination is corrected instead)."""
    row = (
        kind.model._default_manager.select_for_update()
        .filter(pk=entity_id, **owner_of(participation))
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


def _delete_registration(
    ctx: WriteContext,
    kinds: dict[str, Cancellable],
    participation: Participation | NorskParticipation,
    cancellation: Cancellation,
) -> Cancellable:
    """The one cancellation of either scheme on a participation the caller holds: the
    registration found on it, its event date inside the registration window (or a grant),
    the row deleted and kept whole in the history with the reason."""
    kind = kinds[cancellation.entity]
    row = _cancellable_row(kind, cancellation.entity_id, participation)
    event_date = getattr(row, kind.event_field)
    _, grant = check_window(ctx, participation.kommune_id, event_date, "entity")
    before = {
        f.name: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if f.name not in ("participation", "norsk_participation")
    }
    row.delete()
    record(
        ctx,
        NewEvent(
            events.REGISTRATION_CANCELLED,
            cancellation.entity_id,
            before=before,
            after={"reason": cancellation.reason.strip()},
            basis=[BASIS_CORRECTION],
            grant=grant,
            entity=cancellation.entity,
            **owner_of(participation),
        ),
    )
    return kind


def _check_cancellation(kinds: dict[str, Cancellable], cancellation: Cancellation) -> None:
    if cancellation.entity not in kinds:
        raise invalid(
            "entity", "correction.unknown_entity", "Denne registreringen kan ikke annulleres."
        )
    if not cancellation.reason.strip():
        raise invalid(
            "reason", "correction.reason_required", "Skriv hvorfor registreringen annulleres."
        )


def cancel_registration(
    *,
    actor: Actor,
    participation_id: int,
    cancellation: Cancellation,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Participation:
    """Cancel one registration on a participation, keeping it whole in the history."""
    _check_cancellation(CANCELLABLE, cancellation)
    ctx = write_context(actor, at)
    with transaction.atomic():
        participation = lock_participation(participation_id, actor, expected_version)
        kind = _delete_registration(ctx, CANCELLABLE, participation, cancellation)
        if kind.affects_frist:
            recompute(ctx, participation)
        else:
            participation.version += 1
            changed = ["version", "updated_at"]
            if kind.model is Decision:
                participation.decision_missing = not Decision.objects.filter(
                    participation=participation
                ).exists()
                changed.append("decision_missing")
            participation.save(update_fields=changed)
    return participation


# The Norwegian scheme's registrations (norsk_registrations.py), each counting its window
# from the date its service counts from; leave and § 43 g decisions move the frist (N3).
# Keyed by the entity each registration has in the history and the change feed (events.py).
NORSK_CANCELLABLE: dict[str, Cancellable] = {
    "norsk_leave": Cancellable(NorskLeave, "decided_on", True),
    "extended_norwegian": Cancellable(ExtendedNorwegianDecision, "decision_date", True),
    "norskmaal": Cancellable(NorskmaalVersion, "valid_from", False),
    "norsk_test_result": Cancellable(NorskTestResult, "test_date", False),
    "norsk_exemption": Cancellable(NorskExemption, "decision_date", False),
    "norsk_hours": Cancellable(NorskHours, "end_date", False),
}
# The registrations a system's end of N6 may follow from (norskmaal nådd, timer
# gjennomført, a fritak that ends the right); an end at the frist follows from what moves it.
_NORSK_END_BASES = frozenset({"norskmaal", "norsk_test_result", "norsk_exemption", "norsk_hours"})


def _reopen_system_end(ctx: WriteContext, row: NorskParticipation, reason: str) -> bool:
    """A system's end that may have followed from the cancelled registration is lifted in
    the same write, kept in the history as an end undone; ``end_by_system_now`` then ends
    the ordning again where another basis still holds."""
    if row.end_date is None or row.end_set_by != SetBy.SYSTEM.value:
        return False
    _reopen(ctx, NORSK_END, row, reason, None)
    return True


def cancel_norsk_registration(
    *,
    actor: Actor,
    norsk_participation_id: int,
    cancellation: Cancellation,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """Cancel one registration on a Norwegian-training ordning, on the programme's path:
    the lock, scope, the scheme's role and the version; the registration window; the row
    kept whole in the history; the frist recomputed where the row moved it.

    The municipality's end is its own decision and stands. A system's end (norskmaal nådd,
    timer gjennomført, a fritak that ends the right, the frist passed behind its switch) is
    lifted when the cancelled row may have been its basis or moved its frist, and the
    register ends the ordning again only where a basis still holds, on the date it then
    holds from: it never stands on a row no longer there."""
    _check_cancellation(NORSK_CANCELLABLE, cancellation)
    ctx = write_context(actor, at)
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        kind = _delete_registration(ctx, NORSK_CANCELLABLE, row, cancellation)
        # A leave or § 43 g decision moves the frist, and with it an end at the frist.
        reopened = (
            cancellation.entity in _NORSK_END_BASES or kind.affects_frist
        ) and _reopen_system_end(ctx, row, cancellation.reason.strip())
        if kind.affects_frist:
            recompute_norsk_frist(ctx, row)
        else:
            row.version += 1
            ctx.store.save(row)
        if reopened:
            end_by_system_now(ctx, row)
    return row


@dataclass(frozen=True, slots=True)
class SchemeEnd[R: (Participation, NorskParticipation)]:
    """How one scheme's end is undone: its lock, why an end may not be undone here, the
    end's state as the history records it, the fields that reopen the row, the event, and
    what the register then does with the reopened row. The path is one (``_undo_end``)."""

    lock: Callable[[int, Actor, int | None], R]
    refusal: Callable[[R], RuleViolation | None]
    state: tuple[str, ...]
    reopened: dict[str, Any]
    event: EventKind
    resume: Callable[[WriteContext, R], object]


def _programme_refusal(participation: Participation) -> RuleViolation | None:
    """Only a real termination: the register's own «ikke registrert» is lifted by
    registering what moves the frist, and a permanent stop is a decision of its own."""
    if participation.end_date is None or participation.status is not ParticipationStatus.ENDED:
        return invalid(
            "reason",
            "correction.no_real_termination",
            "Deltakelsen har ingen avslutning registrert av kommunen.",
        )
    if participation.termination_reason == STANS:
        return invalid(
            "reason",
            "correction.permanent_stop",
            "Avslutningen skyldes varig stans. Den kan ikke angres her.",
        )
    return None


def _norsk_refusal(row: NorskParticipation) -> RuleViolation | None:
    """Only the municipality's end: the system's ends (norskmål nådd from a result, the
    67th birthday, ...) follow from what is registered, and come back while it stands."""
    if row.end_date is None or row.end_set_by != SetBy.MUNICIPALITY.value:
        return invalid(
            "reason",
            "correction.no_municipality_end",
            "Ordningen har ingen avslutning registrert av kommunen.",
        )
    return None


def _resume_norsk(ctx: WriteContext, row: NorskParticipation) -> None:
    """The ordning runs on, unless one of the system's ends has come meanwhile (the frist
    passed with ``auto_end_norsk_at_frist`` on, the 67th birthday, N3-d and N6)."""
    row.version += 1
    ctx.store.save(row)
    end_by_system_now(ctx, row)


PROGRAMME_END: SchemeEnd[Participation] = SchemeEnd(
    lock_participation,
    _programme_refusal,
    events.TERMINATION_STATE,
    events.OPEN_TERMINATION,
    events.TERMINATION_CANCELLED,
    # The frist recomputed: passed meanwhile, the register ends it as «ikke registrert».
    recompute,
)
NORSK_END: SchemeEnd[NorskParticipation] = SchemeEnd(
    lock_norsk_participation,
    _norsk_refusal,
    events.NORSK_END_STATE,
    events.NORSK_OPEN_END,
    events.NORSK_END_CANCELLED,
    _resume_norsk,
)


def _reopen[R: (Participation, NorskParticipation)](
    ctx: WriteContext,
    end: SchemeEnd[R],
    row: R,
    reason: str,
    grant: LateRegistrationGrant | None,
) -> None:
    """Clear either scheme's end on the row, with the end's state and the reason in the
    history (the undo of an end, and a system's end lifted with its basis)."""
    before = {key: getattr(row, key) for key in end.state}
    for key, value in end.reopened.items():
        setattr(row, key, value)
    record(
        ctx,
        NewEvent(
            end.event,
            row.pk,
            before=before,
            after={**{key: getattr(row, key) for key in end.state}, "reason": reason},
            basis=[BASIS_CORRECTION],
            grant=grant,
            **owner_of(row),
        ),
    )


def _undo_end[R: (Participation, NorskParticipation)](
    end: SchemeEnd[R],
    actor: Actor,
    row_id: int,
    reason: str,
    expected_version: int | None,
    at: dt.datetime | None,
) -> R:
    """Undo an end of either scheme registered by mistake, in one transaction: the lock,
    scope and version; the end date's registration window (or a grant); the end cleared
    with its state and the reason in the history; then what the register does next."""
    if not reason.strip():
        raise invalid("reason", "correction.reason_required", "Skriv hvorfor avslutningen angres.")
    ctx = write_context(actor, at)
    with transaction.atomic():
        row = end.lock(row_id, actor, expected_version)
        refused = end.refusal(row)
        if refused is not None:
            raise refused
        assert row.end_date is not None  # the refusal above
        _, grant = check_window(ctx, row.kommune_id, row.end_date, "reason")
        _reopen(ctx, end, row, reason.strip(), grant)
        end.resume(ctx, row)
    return row


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
    return _undo_end(PROGRAMME_END, actor, participation_id, reason, expected_version, at)


def cancel_norsk_end(
    *,
    actor: Actor,
    norsk_participation_id: int,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """Undo the end of a Norwegian-training ordning the municipality registered by mistake:
    the ordning is active again, or ended by the system where one of its ends has come
    meanwhile (the frist passed with ``auto_end_norsk_at_frist`` on: reason «fristen er
    utløpt»; the 67th birthday). The kommunenorskbruker's, as every write of the scheme."""
    return _undo_end(NORSK_END, actor, norsk_participation_id, reason, expected_version, at)
