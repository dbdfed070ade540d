"""The API's writes: one participant by its case id, or a batch of up to 1,000.

Thin by design: parse the request, call the upsert, answer with its results. The rules live
in the services, so a record refused here is refused in the caseworker UI too. Each write is
one idempotent unit (nir.api.idempotency); the operations are declared, with the replies
they give, in nir.api.v1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydantic
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Status

from nir.api import idempotency, json_limits, mapping, norsk_mapping
from nir.api import selectors as api_selectors
from nir.api.auth import Principal, principal, scheme_principal
from nir.api.error_handlers import BATCH_MAX_BYTES, json_limit_refusal, too_large
from nir.api.http_headers import (
    IdempotencyKey,
    IfMatch,
    IfNoneMatch,
    etag,
    version_in_if_match,
)
from nir.api.problems import (
    BadRequest,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    RuleRefused,
    ValidationFailed,
    pydantic_field,
    record_errors,
    schema_error,
)
from nir.api.schema_messages import schema_message
from nir.api.schemas.norsk import NorskRecordIn
from nir.api.schemas.records import RecordIn
from nir.api.schemas.replies import BatchOut, ErrorItem, RecordResultOut
from nir.register.services.context import OutOfScope, StaleVersion
from nir.register.services.upsert.batch import BATCH_MAX_RECORDS, plan_batch, upsert_participants
from nir.register.services.upsert.norsk_records import NorskRecord
from nir.register.services.upsert.norsk_upsert import (
    plan_norsk_batch,
    upsert_norsk_participation,
    upsert_norsk_participations,
)
from nir.register.services.upsert.records import ParticipantRecord
from nir.register.services.upsert.results import Outcome, RecordResult
from nir.register.services.upsert.upsert import upsert_participant
from nir.rules.schemes import Scheme

# --- a batch ----------------------------------------------------------------------------------


def _batch_body(request: HttpRequest) -> bytes:
    """The batch body, allowed to be larger than Django's limit for form data: a thousand
    records with their registrations do not fit in 2.5 MB, and the body is JSON, not a form."""
    try:
        return request.body
    except RequestDataTooBig:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > BATCH_MAX_BYTES:
            raise too_large() from None
        return request.read(BATCH_MAX_BYTES + 1)


def _batch_items(body: bytes) -> list[Any]:
    """The body's list of records, each still unchecked."""
    try:
        json_limits.check_depth(body)
        payload = json.loads(body)
    except json_limits.JsonLimitExceeded as exceeded:
        raise json_limit_refusal(exceeded) from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body is not JSON.") from None
    records = payload.get("records") if isinstance(payload, dict) else None
    if not isinstance(records, list) or not records:
        raise ValidationFailed(
            "The body must be an object with a non-empty list «records».",
            errors=[schema_error("records", "schema.missing", "records: a non-empty list")],
        )
    if len(records) > BATCH_MAX_RECORDS:
        raise ValidationFailed(
            f"At most {BATCH_MAX_RECORDS} records per request.",
            errors=[
                schema_error(
                    "records",
                    "batch.too_large",
                    f"En forespørsel kan ha høyst {BATCH_MAX_RECORDS} poster.",
                )
            ],
        )
    return records


def _batch_records[R](
    body: bytes, parse: Callable[[Any], R]
) -> tuple[list[tuple[int, R]], dict[int, RecordResultOut]]:
    """Each record checked against the schema on its own (``parse``: the scheme's schema and
    mapping), so one malformed record is one rejected result and not a refused batch."""
    valid: list[tuple[int, R]] = []
    refused: dict[int, RecordResultOut] = {}
    for index, item in enumerate(_batch_items(body)):
        try:
            # An over-long list inside one record refuses that record alone.
            json_limits.check_arrays(item, f"records[{index}]")
            valid.append((index, parse(item)))
        except json_limits.JsonLimitExceeded as exceeded:
            refused[index] = mapping.refused_out(
                index, item, [schema_error(exceeded.field, exceeded.code, exceeded.message)]
            )
        except pydantic.ValidationError as error:
            refused[index] = mapping.refused_out(
                index,
                item,
                [
                    schema_error(
                        pydantic_field(e["loc"]),
                        f"schema.{e['type']}",
                        schema_message(pydantic_field(e["loc"]), e["type"], e.get("ctx")),
                    )
                    for e in error.errors()
                ],
            )
    return valid, refused


Warnings = Callable[[list[RecordResult]], dict[int, list[ErrorItem]]]


def _no_warnings(results: list[RecordResult]) -> dict[int, list[ErrorItem]]:
    return {}


@dataclass(frozen=True, slots=True)
class BatchWrite[R]:
    """How one scheme's batch is written: its records parsed from the body (``parse``),
    worked out before the write's unit opens (``prepare``, which returns the write), and
    what the reply warns about beyond the results' own (``warnings``)."""

    parse: Callable[[Any], R]
    prepare: Callable[[list[R]], Callable[[], list[RecordResult]]]
    warnings: Warnings = _no_warnings


def answer_batch[R](
    request: HttpRequest, caller: Principal, dry_run: bool, how: BatchWrite[R]
) -> BatchOut | HttpResponse:
    """A batch of either scheme as one idempotent unit: one result per record, in request
    order; a dry run runs everything and rolls it back."""
    body = _batch_body(request)
    valid, refused = _batch_records(body, how.parse)
    # What needs no transaction runs before the unit opens, so the write lock is held for
    # the write alone.
    write = how.prepare([r for _, r in valid])
    replayed = idempotency.open_unit(request, caller.key, body=body, store=not dry_run)
    if replayed is not None:
        return replayed
    by_index = dict(refused)
    # The reply is read before a dry run's rollback, so a record that is not kept is warned
    # about as a stored one is.
    with transaction.atomic():
        results = write()
        warnings = how.warnings(results)
        for (index, _), result in zip(valid, results, strict=True):
            by_index[index] = mapping.result_out(result, index, warnings)
        if dry_run:
            transaction.set_rollback(True)
    return mapping.batch_out(dry_run, [by_index[i] for i in sorted(by_index)])


def _programme_batch(caller: Principal) -> BatchWrite[ParticipantRecord]:
    def prepare(records: list[ParticipantRecord]) -> Callable[[], list[RecordResult]]:
        # The rules run for the new participants before the unit opens.
        plan = plan_batch(actor=caller.actor, records=records)
        return lambda: upsert_participants(actor=caller.actor, records=records, plan=plan)

    return BatchWrite(
        parse=lambda item: mapping.record_in(RecordIn.model_validate(item)),
        prepare=prepare,
        warnings=lambda results: mapping.programme_time_warnings(
            [r.participation_id for r in results if r.participation_id]
        ),
    )


def upsert_batch(
    request: HttpRequest,
    dry_run: bool = False,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> BatchOut | HttpResponse:
    """Create or update up to 1,000 participants, keyed by case id and identity number.

    One result per record, in request order: created, updated, unchanged or rejected (with
    the field, the code, the Norwegian message and the rule). A rejected record changes
    nothing and never stops the others. `dry_run=true` checks everything and writes nothing.
    Send an `Idempotency-Key` to make a retry return the first reply.
    """
    caller = scheme_principal(request, Scheme.INTRODUKSJONSPROGRAM)
    return answer_batch(request, caller, dry_run, _programme_batch(caller))


# --- one participant --------------------------------------------------------------------------


def _expected_version(exists: bool, if_match: str | None, if_none_match: str | None) -> int | None:
    """The version the write may change, from the preconditions; refuses what they forbid."""
    if exists and if_none_match is not None:
        raise PreconditionFailed("The participant exists already.")
    if not exists and if_match is not None:
        raise PreconditionFailed("No such participant to match If-Match.")
    if not exists:
        return None
    if if_match is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last read to change a participant."
        )
    # «*» (any current version) asks for no particular version (RFC 9110 § 13.1.1).
    return version_in_if_match(if_match)


def _refusal(result: RecordResult) -> PreconditionFailed | NotFound | RuleRefused:
    """A rejected record as the problem its first kind of refusal is."""
    violations = [e.violation for e in result.errors]
    if any(isinstance(v, StaleVersion) for v in violations):
        return PreconditionFailed(
            "The participation has changed since you read it; read it again.",
            errors=record_errors(result.errors),
        )
    if any(isinstance(v, OutOfScope) for v in violations):
        return NotFound("No such participant in your municipality.")
    return RuleRefused(
        "; ".join(e.violation.message for e in result.errors),
        errors=record_errors(result.errors),
    )


@dataclass(frozen=True, slots=True)
class PutWrite:
    """One record of either scheme by PUT: its case id in the body, whether the case id is
    stored already, and the write with the version the preconditions expect."""

    case_id: str
    exists: Callable[[], bool]
    write: Callable[[int | None], RecordResult]
    reply: Callable[[RecordResult], RecordResultOut] = mapping.result_out


def answer_put(
    request: HttpRequest, case_id: str, response: HttpResponse, dry_run: bool, how: PutWrite
) -> Status[RecordResultOut] | RecordResultOut | HttpResponse:
    """One record of either scheme as one idempotent unit, with HTTP preconditions."""
    caller = principal(request)
    if how.case_id != case_id:
        raise ValidationFailed(
            "The case id in the URL and in the body differ.",
            errors=[
                schema_error("case_id", "case_id.mismatch", "Saksnummeret i URL og body er ulike.")
            ],
        )
    replayed = idempotency.open_unit(request, caller.key, body=request.body, store=not dry_run)
    if replayed is not None:
        return replayed
    # Preconditions are checked inside the idempotent unit, so the retry of a create gets
    # the stored 201 and not a 412 or 428 from the record it created.
    expected = _expected_version(
        how.exists(), request.headers.get("If-Match"), request.headers.get("If-None-Match")
    )
    # The reply is read before a dry run's rollback, so a record that is not kept is warned
    # about as a stored one is.
    with transaction.atomic():
        result = how.write(expected)
        reply = how.reply(result)
        if dry_run:
            transaction.set_rollback(True)
    if result.outcome is Outcome.REJECTED:
        raise _refusal(result)
    if dry_run:
        # Nothing was stored: no version to match and no URL to follow.
        return reply
    response["ETag"] = etag(result.version or 0)
    if result.outcome is not Outcome.CREATED:
        return reply
    response["Location"] = request.path
    return Status(201, reply)


def put_participation(
    request: HttpRequest,
    case_id: str,
    record: RecordIn,
    response: HttpResponse,
    dry_run: bool = False,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> Status[RecordResultOut] | RecordResultOut | HttpResponse:
    """Create or update one participant.

    To change an existing participant send `If-Match` with the ETag from a read (the
    participation's version): a stale one gets 412 and nothing is written. `If-None-Match: *`
    creates only. Without either, an existing participant gets 428.
    """
    caller = scheme_principal(request, Scheme.INTRODUKSJONSPROGRAM)
    how = PutWrite(
        record.case_id,
        exists=lambda: (
            api_selectors.participation_by_case_id(caller.kommune_id, case_id) is not None
        ),
        write=lambda expected: upsert_participant(
            actor=caller.actor, record=mapping.record_in(record), expected_version=expected
        ),
    )
    return answer_put(request, case_id, response, dry_run, how)


# --- Training in Norwegian and social studies ------------------------------------------------


def _norsk_reply(result: RecordResult) -> RecordResultOut:
    return mapping.result_out(result, None, {})


def _norsk_batch(caller: Principal) -> BatchWrite[NorskRecord]:
    def prepare(records: list[NorskRecord]) -> Callable[[], list[RecordResult]]:
        # The rules run for the new ordninger before the unit opens.
        plan = plan_norsk_batch(actor=caller.actor, records=records)
        return lambda: upsert_norsk_participations(actor=caller.actor, records=records, plan=plan)

    return BatchWrite(
        parse=lambda item: norsk_mapping.norsk_record_in(NorskRecordIn.model_validate(item)),
        prepare=prepare,
    )


def upsert_norsk_batch(
    request: HttpRequest,
    dry_run: bool = False,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> BatchOut | HttpResponse:
    """Create or update up to 1,000 Norwegian-training ordninger, keyed by case id and
    identity number, as the participants' batch does: one result per record, in request
    order; a rejected record changes nothing and never stops the others; `dry_run=true`
    writes nothing; an `Idempotency-Key` makes a retry return the first reply. A client
    without the scheme norsk gets 403.
    """
    caller = scheme_principal(request, Scheme.NORSK)
    return answer_batch(request, caller, dry_run, _norsk_batch(caller))


def put_norsk_participation(
    request: HttpRequest,
    case_id: str,
    record: NorskRecordIn,
    response: HttpResponse,
    dry_run: bool = False,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; open_unit reads it
) -> Status[RecordResultOut] | RecordResultOut | HttpResponse:
    """Create or update one Norwegian-training ordning, with the participants' preconditions:
    `If-Match` with the ETag from a read to change one (412 when stale, 428 without),
    `If-None-Match: *` to create only. A client without the scheme norsk gets 403.
    """
    caller = scheme_principal(request, Scheme.NORSK)
    how = PutWrite(
        record.case_id,
        exists=lambda: api_selectors.norsk_by_case_id(caller.kommune_id, case_id) is not None,
        write=lambda expected: upsert_norsk_participation(
            actor=caller.actor,
            record=norsk_mapping.norsk_record_in(record),
            expected_version=expected,
        ),
        reply=_norsk_reply,
    )
    return answer_put(request, case_id, response, dry_run, how)
