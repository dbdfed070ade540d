"""Corrections through the API: cancel a registration, undo a termination.

A case system corrects what it sent the way a caseworker does on the web («Annuller»,
«Angre avslutning»): through the same correction services (services/corrections.py), so the
registration window and late-registration grants, the reason, the frist recomputed, the
automatic termination restored when the frist has passed, and the history with its channel
are one implementation. Leaving an item out of a resent record never does this
(services/batch_upsert.py answers such a record with a warning naming these operations).

Each operation needs `If-Match` with the participation's ETag, so a retry after a lost reply
cannot cancel a second, equal registration: it meets 412. With an `Idempotency-Key` the retry
gets the first reply instead. `dry_run=true` runs the service and rolls it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Header, Router, Schema
from pydantic import Field

from nir.api import idempotency, schemas
from nir.api import selectors as api_selectors
from nir.api.auth import Principal, principal
from nir.api.problems import error_item, problem
from nir.audit.access_log import log_access
from nir.register.models import Participation, TerminationSource
from nir.register.services.batch_upsert import (
    AbsenceItem,
    DecisionItem,
    ExtensionItem,
    LeaveItem,
    MeasureItem,
    SluttmaalItem,
    StopItem,
    content_hash,
    stored_registration_id,
)
from nir.register.services.context import OutOfScope, StaleVersion
from nir.register.services.corrections import cancel_registration, cancel_termination
from nir.register.services.validation import invalid
from nir.rules.errors import RuleViolation

router = Router(tags=["correct"])

# --- the contract ----------------------------------------------------------------------------


class SluttmaalToCancel(schemas.SluttmaalIn):
    entity: Literal["sluttmaal"]


class DecisionToCancel(schemas.DecisionIn):
    entity: Literal["decision"]


class MeasureToCancel(schemas.MeasureIn):
    entity: Literal["measure"]


class LeaveToCancel(schemas.LeaveIn):
    entity: Literal["leave"]


class AbsenceToCancel(schemas.AbsenceIn):
    entity: Literal["absence"]


class ExtensionToCancel(schemas.ExtensionIn):
    entity: Literal["extension"]


class StopToCancel(schemas.StopIn):
    entity: Literal["stop"]


RegistrationToCancel = Annotated[
    SluttmaalToCancel
    | DecisionToCancel
    | MeasureToCancel
    | LeaveToCancel
    | AbsenceToCancel
    | ExtensionToCancel
    | StopToCancel,
    Field(discriminator="entity"),
]

Reason = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="Why, in the caseworker's words; kept in the participation's history.",
        examples=["Registrert på feil deltaker"],
    ),
]


class CancelRegistrationIn(Schema):
    """Which registration to cancel, named as the case system sent it in the record."""

    case_id: schemas.CaseId
    registration: RegistrationToCancel = Field(
        description=(
            "The registration as it stands in the record; `entity` says which kind (the "
            "change feed's name for it)."
        )
    )
    reason: Reason


class UndoTerminationIn(Schema):
    case_id: schemas.CaseId
    reason: Reason


class CorrectionOutcome(StrEnum):
    CANCELLED = "cancelled"
    TERMINATION_UNDONE = "termination_undone"


class CorrectionOut(schemas.OutSchema):
    """The participation after the correction (or as it would be, on a dry run)."""

    dry_run: bool
    outcome: CorrectionOutcome
    case_id: str
    participation_id: int
    version: int = Field(description="The participation's version now; its ETag.")
    status: schemas.ParticipationStatus
    frist: dt.date
    end_date: dt.date | None
    termination_reason: schemas.TerminationReason | None = Field(
        description="Null while the participation is active."
    )
    termination_source: TerminationSource | None = Field(
        description="Null while the participation is active."
    )
    content_hash: str = Field(description="Equals the reconciliation hash while nothing changes.")


IfMatchRequired = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=schemas.IF_MATCH_PATTERN,
        description="The participation's strong ETag from your last read, or «*» "
        "(required: 428 without it).",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=schemas.IDEMPOTENCY_KEY_PATTERN,
        description="1 to 255 printable ASCII characters, e.g. a UUID: a retry of this write "
        "with the same key returns the first reply.",
    ),
]

_RESPONSES: dict[int, Any] = {
    200: CorrectionOut,
    401: schemas.Problem,
    404: schemas.Problem,
    412: schemas.Problem,
    422: schemas.Problem,
    428: schemas.Problem,
}
_HEADERS = {
    "responses": {
        200: {
            "headers": {
                "ETag": {
                    "description": "The participation's new version, quoted.",
                    "schema": {"type": "string", "examples": ['"3"']},
                },
                "Idempotent-Replayed": {
                    "description": "«true» when this is the stored first reply to an "
                    "Idempotency-Key.",
                    "schema": {"type": "string", "enum": ["true"]},
                },
            }
        }
    }
}

# --- the operations ----------------------------------------------------------------------------


def _reply(
    caller: Principal, p: Participation, outcome: CorrectionOutcome, dry_run: bool
) -> HttpResponse:
    found = api_selectors.participation_by_case_id(caller.kommune_id, p.case_id)
    assert found is not None  # the caller's own, locked and written a moment ago
    body = CorrectionOut(
        dry_run=dry_run,
        outcome=outcome,
        case_id=found.case_id,
        participation_id=found.pk,
        version=found.version,
        status=schemas.participation_status(found),
        frist=found.frist,
        end_date=found.end_date,
        termination_reason=(
            schemas.TerminationReason(found.termination_reason)
            if found.termination_reason
            else None
        ),
        termination_source=(
            TerminationSource(found.termination_source) if found.termination_source else None
        ),
        content_hash=content_hash(found),
    )
    response = HttpResponse(body.model_dump_json(), content_type="application/json")
    response["ETag"] = schemas.etag(found.version)
    return response


def _correct(
    request: HttpRequest,
    case_id: str,
    if_match: str | None,
    dry_run: bool,
    action: str,
    correction: Callable[[Principal, Participation, int], Participation],
    outcome: CorrectionOutcome,
) -> HttpResponse:
    """The part both corrections share: find, check the precondition, run the service (and
    roll it back on a dry run), log, reply; refusals as problem details."""
    caller = principal(request)

    def handle() -> HttpResponse:
        found = api_selectors.participation_by_case_id(caller.kommune_id, case_id)
        if found is None:
            return problem(
                "not-found", 404, "No participant with this case id in your municipality."
            )
        if if_match is None:
            return problem(
                "precondition-required",
                428,
                "Send If-Match with the ETag from your last read to correct a participant.",
            )
        expected = schemas.version_in_if_match(if_match)
        try:
            if expected is not None and expected != found.version:
                # Before naming what to cancel: a retry after the first went through meets
                # this, not «no such registration».
                raise StaleVersion(entity="participation", expected=expected, current=found.version)
            with transaction.atomic():
                saved = correction(caller, found, found.version if expected is None else expected)
                response = _reply(caller, saved, outcome, dry_run)
                if dry_run:
                    transaction.set_rollback(True)
        except StaleVersion as stale:
            return problem(
                "precondition-failed",
                412,
                "The participation has changed since you read it; read it again.",
                errors=[error_item(stale.field, stale)],
            )
        except OutOfScope:
            return problem("not-found", 404, "No such participant in your municipality.")
        except RuleViolation as violation:
            return problem(
                "rule-violation",
                422,
                violation.message,
                errors=[error_item(violation.field, violation)],
            )
        log_access(
            actor=caller.name,
            organisation=caller.kommune_number,
            channel="api",
            action=action,
            what=request.get_full_path(),
            person_ids=[found.person_id],
        )
        return response

    return idempotency.run_once(request, caller.key, handle, body=request.body, store=not dry_run)


def _item(registration: Any) -> Any:
    """The registration in the record's shape, as the upsert compares it."""
    match registration:
        case SluttmaalToCancel(sluttmaal=goal, valid_from=valid_from):
            return SluttmaalItem(goal.value, valid_from)
        case DecisionToCancel(decision_type=kind, decided_on=decided_on, reason=reason):
            return DecisionItem(kind.value, decided_on, reason)
        case MeasureToCancel():
            m = registration
            return MeasureItem(m.measure_type, m.start_date, m.end_date, m.hours_per_week)
        case LeaveToCancel(leave_type=kind, start_date=start, end_date=end, decided_on=on):
            return LeaveItem(kind, start, end, on)
        case AbsenceToCancel(absence_type=kind, start_date=start, end_date=end, hours=hours):
            return AbsenceItem(kind, start, end, hours)
        case ExtensionToCancel(months=months, decided_on=decided_on):
            return ExtensionItem(months, decided_on)
        case StopToCancel(kind=kind, start_date=start, end_date=end, decided_on=on):
            return StopItem(kind.value, start, end, on)
    raise AssertionError(registration)


@router.post(
    "/corrections/cancel-registration",
    response=_RESPONSES,
    operation_id="cancelRegistration",
    openapi_extra=_HEADERS,
)
def cancel_registration_operation(
    request: HttpRequest,
    body: CancelRegistrationIn,
    dry_run: bool = False,
    if_match: IfMatchRequired = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; run_once reads it
) -> HttpResponse:
    """Cancel a registration sent in error: a sluttmål, decision, measure, leave, absence,
    extension or temporary stop, named as it stands in the record.

    The same correction as «Annuller» on the web: within the registration window of the
    event (or a late-registration grant), with the reason kept in the history, the frist
    recomputed, and the participation ended again as «ikke registrert» when the frist has
    passed without what was cancelled. Requires `If-Match`. A permanent stop is not
    cancelled (it ended the participation; 422 `correction.permanent_stop`).
    """
    item = _item(body.registration)
    entity = body.registration.entity

    def cancel(caller: Principal, found: Participation, expected: int) -> Participation:
        entity_id = stored_registration_id(found, entity, item)
        if entity_id is None:
            raise invalid(
                "registration",
                "correction.not_found",
                "Registreringen finnes ikke på denne deltakelsen. Les deltakeren og send "
                "registreringen slik den står der.",
            )
        return cancel_registration(
            actor=caller.actor,
            participation_id=found.pk,
            entity=entity,
            entity_id=entity_id,
            reason=body.reason,
            expected_version=expected,
        )

    return _correct(
        request,
        body.case_id,
        if_match,
        dry_run,
        "api_cancel_registration",
        cancel,
        CorrectionOutcome.CANCELLED,
    )


@router.post(
    "/corrections/undo-termination",
    response=_RESPONSES,
    operation_id="undoTermination",
    openapi_extra=_HEADERS,
)
def undo_termination_operation(
    request: HttpRequest,
    body: UndoTerminationIn,
    dry_run: bool = False,
    if_match: IfMatchRequired = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; run_once reads it
) -> HttpResponse:
    """Undo a termination registered in error: the participation continues.

    The same correction as «Angre avslutning» on the web: within the registration window of
    the end date (or a grant), with the reason in the history. When the frist has passed
    meanwhile the register ends the participation again as «ikke registrert» (status
    `ended_by_system`), as the daily sweep would. A termination by permanent stop, or the
    register's own «ikke registrert», is not undone here (422). Requires `If-Match`.
    """

    def undo(caller: Principal, found: Participation, expected: int) -> Participation:
        return cancel_termination(
            actor=caller.actor,
            participation_id=found.pk,
            reason=body.reason,
            expected_version=expected,
        )

    return _correct(
        request,
        body.case_id,
        if_match,
        dry_run,
        "api_undo_termination",
        undo,
        CorrectionOutcome.TERMINATION_UNDONE,
    )
