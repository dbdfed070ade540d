"""Corrections through the API, either scheme's: cancel a registration, undo a termination
(the programme's) or an end (a Norwegian-training ordning's).

A case system corrects what it sent the way a caseworker does on the web («Annuller»,
«Angre avslutning»): through the same correction services (services/corrections.py), so the
registration window and late-registration grants, the reason, the frist recomputed, the
automatic termination restored when the frist has passed, and the history with its channel
are one implementation. Leaving an item out of a resent record never does this
(services/upsert/left_out.py answers such a record with a warning naming these operations).

Each operation needs `If-Match` with the participation's ETag, so a retry after a lost reply
cannot cancel a second, equal registration: it meets 412. With an `Idempotency-Key` the retry
gets the first reply instead. `dry_run=true` runs the service and rolls it back.

The operations are declared, with the replies they give, in nir.api.v1; their contract is
nir.api.schemas.corrections. Both schemes' corrections share one path (``_correct``); each
operation needs its scheme (rules-norsk.md N7-a).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nir.api import idempotency, mapping, norsk_mapping
from nir.api import selectors as api_selectors
from nir.api.auth import Principal, scheme_principal
from nir.api.http_headers import IdempotencyKey, IfMatchRequired, etag, version_in_if_match
from nir.api.problems import (
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    RuleRefused,
    error_item,
)
from nir.api.schemas.corrections import (
    CancelNorskRegistrationIn,
    CancelRegistrationIn,
    CorrectionOut,
    CorrectionOutcome,
    NorskCorrectionOut,
    UndoNorskEndIn,
    UndoTerminationIn,
)
from nir.audit.access_log import Reader, log_access
from nir.register.models import Participation
from nir.register.norsk_models import NorskParticipation
from nir.register.services.context import Actor, OutOfScope, StaleVersion
from nir.register.services.corrections import (
    Cancellation,
    cancel_norsk_end,
    cancel_norsk_registration,
    cancel_registration,
    cancel_termination,
)
from nir.register.services.upsert.canonical import stored_registration_id
from nir.register.services.upsert.norsk_canonical import stored_norsk_registration_id
from nir.register.services.validation import invalid
from nir.rules.errors import RuleViolation
from nir.rules.schemes import Scheme


@dataclass(frozen=True, slots=True)
class _SchemeRows[R: (Participation, NorskParticipation), O: (CorrectionOut, NorskCorrectionOut)]:
    """Where one scheme's corrections find their row and how they answer: the scheme the
    client must hold, the row by case id, the reply for the row the service leaves, the
    stored registration equal to one named as the record holds it, and the cancellation."""

    scheme: Scheme
    find: Callable[[int, str], R | None]
    not_found: str
    reply: Callable[[R, CorrectionOutcome, bool], O]
    stored_id: Callable[[R, str, Any], int | None]
    not_on_row: str
    cancel: Callable[[Actor, int, Cancellation, int], R]


PROGRAMME = _SchemeRows(
    Scheme.INTRODUKSJONSPROGRAM,
    api_selectors.participation_by_case_id,
    "No participant with this case id in your municipality.",
    mapping.correction_out,
    stored_registration_id,
    "Registreringen finnes ikke på denne deltakelsen. Les deltakeren og send registreringen "
    "slik den står der.",
    lambda actor, pk, cancellation, expected: cancel_registration(
        actor=actor, participation_id=pk, cancellation=cancellation, expected_version=expected
    ),
)
NORSK = _SchemeRows(
    Scheme.NORSK,
    api_selectors.norsk_by_case_id,
    "No Norwegian-training ordning with this case id in your municipality.",
    lambda row, outcome, dry_run: norsk_mapping.norsk_correction_out(
        row, outcome, dry_run, timezone.localdate()
    ),
    stored_norsk_registration_id,
    "Registreringen finnes ikke på denne opplæringen. Les ordningen og send registreringen "
    "slik den står der.",
    lambda actor, pk, cancellation, expected: cancel_norsk_registration(
        actor=actor,
        norsk_participation_id=pk,
        cancellation=cancellation,
        expected_version=expected,
    ),
)


@dataclass(frozen=True, slots=True)
class _Correction[R: (Participation, NorskParticipation), O: (CorrectionOut, NorskCorrectionOut)]:
    """One correction: its scheme, its service call, its outcome, and its name in the
    access log."""

    rows: _SchemeRows[R, O]
    run: Callable[[Principal, R, int], R]
    outcome: CorrectionOutcome
    action: str


def _applied[R: (Participation, NorskParticipation), O: (CorrectionOut, NorskCorrectionOut)](
    caller: Principal,
    found: R,
    expected: int | None,
    correction: _Correction[R, O],
    *,
    dry_run: bool,
) -> O:
    """Run the service in a savepoint (rolled back on a dry run, and whenever it refuses),
    and read the row as it leaves it; refusals as their problem types."""
    try:
        if expected is not None and expected != found.version:
            # Before naming what to cancel: a retry after the first went through meets
            # this, not «no such registration».
            entity = "participation" if isinstance(found, Participation) else "norsk_participation"
            raise StaleVersion(entity=entity, expected=expected, current=found.version)
        with transaction.atomic():
            saved = correction.run(caller, found, found.version if expected is None else expected)
            after = correction.rows.find(caller.kommune_id, saved.case_id)
            assert after is not None  # the caller's own, locked and written a moment ago
            reply = correction.rows.reply(after, correction.outcome, dry_run)
            if dry_run:
                transaction.set_rollback(True)
    except StaleVersion as stale:
        raise PreconditionFailed(
            "The record has changed since you read it; read it again.",
            errors=[error_item(stale.field, stale)],
        ) from None
    except OutOfScope:
        raise NotFound("No such record in your municipality.") from None
    except RuleViolation as violation:
        raise RuleRefused(
            violation.message, errors=[error_item(violation.field, violation)]
        ) from None
    return reply


def _correct[R: (Participation, NorskParticipation), O: (CorrectionOut, NorskCorrectionOut)](
    request: HttpRequest,
    response: HttpResponse,
    case_id: str,
    if_match: str | None,
    correction: _Correction[R, O],
    *,
    dry_run: bool,
) -> O | HttpResponse:
    """The part every correction shares: find, check the precondition, run the service,
    log, reply."""
    caller = scheme_principal(request, correction.rows.scheme)
    replayed = idempotency.open_unit(request, caller.key, body=request.body, store=not dry_run)
    if replayed is not None:
        return replayed
    found = correction.rows.find(caller.kommune_id, case_id)
    if found is None:
        raise NotFound(correction.rows.not_found)
    if if_match is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last read to correct a record."
        )
    reply = _applied(caller, found, version_in_if_match(if_match), correction, dry_run=dry_run)
    log_access(
        reader=Reader(actor=caller.name, organisation=caller.kommune_number, channel="api"),
        action=correction.action,
        what=request.get_full_path(),
        person_ids=[found.person_id],
    )
    response["ETag"] = etag(reply.version)
    return reply


def _cancelling[R: (Participation, NorskParticipation), O: (CorrectionOut, NorskCorrectionOut)](
    rows: _SchemeRows[R, O], entity: str, item: Any, reason: str
) -> Callable[[Principal, R, int], R]:
    """The cancellation of the stored registration equal to ``item``, or the refusal that
    names the field when the row holds none."""

    def cancel(caller: Principal, found: R, expected: int) -> R:
        entity_id = rows.stored_id(found, entity, item)
        if entity_id is None:
            raise invalid("registration", "correction.not_found", rows.not_on_row)
        return rows.cancel(
            caller.actor, found.pk, Cancellation(entity, entity_id, reason), expected
        )

    return cancel


def cancel_registration_operation(
    request: HttpRequest,
    body: CancelRegistrationIn,
    response: HttpResponse,
    dry_run: bool = False,
    if_match: IfMatchRequired = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> CorrectionOut | HttpResponse:
    """Cancel a registration sent in error: a sluttmål, decision, measure, leave, absence,
    extension or temporary stop, named as it stands in the record.

    The same correction as «Annuller» on the web: within the registration window of the
    event (or a late-registration grant), with the reason kept in the history, the frist
    recomputed, and the participation ended again as «ikke registrert» when the frist has
    passed without what was cancelled. Requires `If-Match`. A permanent stop is not
    cancelled (it ended the participation; 422 `correction.permanent_stop`).
    """
    item = mapping.registration_item(body.registration)
    cancel = _cancelling(PROGRAMME, body.registration.entity, item, body.reason)
    correction = _Correction(
        PROGRAMME, cancel, CorrectionOutcome.CANCELLED, "api_cancel_registration"
    )
    return _correct(request, response, body.case_id, if_match, correction, dry_run=dry_run)


def undo_termination_operation(
    request: HttpRequest,
    body: UndoTerminationIn,
    response: HttpResponse,
    dry_run: bool = False,
    if_match: IfMatchRequired = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> CorrectionOut | HttpResponse:
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

    correction = _Correction(
        PROGRAMME, undo, CorrectionOutcome.TERMINATION_UNDONE, "api_undo_termination"
    )
    return _correct(request, response, body.case_id, if_match, correction, dry_run=dry_run)


def cancel_norsk_registration_operation(
    request: HttpRequest,
    body: CancelNorskRegistrationIn,
    response: HttpResponse,
    dry_run: bool = False,
    if_match: IfMatchRequired = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> NorskCorrectionOut | HttpResponse:
    """Cancel a registration sent in error on a Norwegian-training ordning: a norskmål,
    leave, § 43 g decision, hours, test result or exemption, named as it stands in the
    ordning's record.

    The same correction as «Annuller» on the web: within the registration window of the
    event (or a late-registration grant), with the reason kept in the history, the frist
    recomputed after a leave or a § 43 g decision. An end the register set itself
    (norskmål nådd, timer gjennomført, an exemption that ends the right, the frist passed
    where the register ends it) is lifted with what it may follow from, and set again only
    where a basis still holds. Requires `If-Match`.
    """
    item = norsk_mapping.norsk_registration_item(body.registration)
    cancel = _cancelling(NORSK, body.registration.entity, item, body.reason)
    correction = _Correction(
        NORSK, cancel, CorrectionOutcome.CANCELLED, "api_cancel_norsk_registration"
    )
    return _correct(request, response, body.case_id, if_match, correction, dry_run=dry_run)


def undo_norsk_end_operation(
    request: HttpRequest,
    body: UndoNorskEndIn,
    response: HttpResponse,
    dry_run: bool = False,
    if_match: IfMatchRequired = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> NorskCorrectionOut | HttpResponse:
    """Undo the end of a Norwegian-training ordning the municipality registered in error:
    the ordning continues.

    The same correction as «Angre avslutning» on the web: within the registration window
    of the end date (or a grant), with the reason in the history. Where one of the
    register's own ends has come meanwhile (the 67th birthday; the frist passed, where the
    register ends the ordning at it) the ordning is ended by the register (`end_set_by`
    `system`). An end the register set is not undone here (422). Requires `If-Match`.
    """

    def undo(caller: Principal, found: NorskParticipation, expected: int) -> NorskParticipation:
        return cancel_norsk_end(
            actor=caller.actor,
            norsk_participation_id=found.pk,
            reason=body.reason,
            expected_version=expected,
        )

    correction = _Correction(NORSK, undo, CorrectionOutcome.END_UNDONE, "api_undo_norsk_end")
    return _correct(request, response, body.case_id, if_match, correction, dry_run=dry_run)
