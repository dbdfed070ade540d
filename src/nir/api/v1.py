"""Version 1 of the machine API for municipal case systems (the successor of WS4).

Thin by design: parse the request, call a service or a selector, render the result. The
rules live in the services, so a record refused here is refused in the caseworker UI too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from http import HTTPStatus
from typing import Annotated, Any

import pydantic
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import Swagger
from pydantic import Field

from nir.api import corrections, idempotency, json_limits, schemas
from nir.api import selectors as api_selectors
from nir.api.auth import BearerAuth, Principal, principal
from nir.api.problems import error_item, problem, record_errors
from nir.api.schema_messages import schema_message
from nir.api.throttling import ClientRateThrottle
from nir.audit.access_log import described, log_access
from nir.register import triage
from nir.register.legal_bases import current_derivation
from nir.register.models import LateRegistrationGrant, Participation, TerminationSource
from nir.register.selectors import missing_for, with_decided_programme_months
from nir.register.services.batch_upsert import (
    BATCH_MAX_RECORDS,
    AbsenceItem,
    DecisionItem,
    ExtensionItem,
    LeaveItem,
    MeasureItem,
    Outcome,
    ParticipantRecord,
    RecordResult,
    SluttmaalItem,
    StopItem,
    TerminationItem,
    content_hash,
    plan_batch,
    stored_record,
    upsert_participant,
    upsert_participants,
)
from nir.register.services.persons import PersonData
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.decided_programme_time import check_decided_programme_time
from nir.rules.errors import RuleViolation

logger = logging.getLogger(__name__)

# Statuses a problem reply can carry, declared on the operation that declares them in its
# own ``response``; every operation also gets the ones every request can meet (below).
PROBLEM_RESPONSES: dict[int, Any] = {401: schemas.Problem}

IDEMPOTENCY_KEY_PATTERN = schemas.IDEMPOTENCY_KEY_PATTERN
IF_MATCH_PATTERN = schemas.IF_MATCH_PATTERN

# Request headers, declared so the contract shows them; ninja reads them by their HTTP name.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="1 to 255 printable ASCII characters, e.g. a UUID: a retry of this write "
        "with the same key returns the first reply.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=IF_MATCH_PATTERN,
        description='The strong ETag from your last read ("2"): change only that version. '
        "«*» changes whatever version exists (412 if none).",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(alias="If-None-Match", pattern=r"^\*$", description="«*»: create only, never change."),
]

# A thousand records with many registrations each; Django's form-data limit stays as it is.
BATCH_MAX_BYTES = 32 * 1024 * 1024

BASIS_SCHEMA = LegalBasis(
    "api.schema", "Registerets regel: API-kontrakten for /api/v1", BasisKind.BESLUTNING
)

PROBLEM_REF = "#/components/schemas/Problem"


def _header(description: str, schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": schema}


_ETAG = _header(
    "The participation's version as a strong ETag; send it as If-Match to change it.",
    {"type": "string", "pattern": '^"[0-9]{1,18}"$', "examples": ['"2"']},
)
_REPLAYED = _header(
    "«true» when this is the stored first reply to an Idempotency-Key.",
    {"type": "string", "enum": ["true"]},
    required=False,
)
_RETRY_AFTER = _header(
    "Seconds to wait before retrying.", {"type": "string", "pattern": "^[0-9]{1,6}$"}
)
# Reply headers ninja cannot declare itself: (operationId, status) -> headers.
_REPLY_HEADERS: dict[tuple[str, str], dict[str, Any]] = {
    ("getParticipation", "200"): {"ETag": _ETAG},
    ("putParticipation", "200"): {
        "ETag": {
            **_ETAG,
            "required": False,
            "description": _ETAG["description"] + " Absent on a dry run.",
        },
        "Idempotent-Replayed": _REPLAYED,
    },
    ("putParticipation", "201"): {
        "ETag": _ETAG,
        "Location": _header(
            "The participant's URL (never on a dry run, which answers 200).", {"type": "string"}
        ),
        "Idempotent-Replayed": _REPLAYED,
    },
    ("upsertBatch", "200"): {"Idempotent-Replayed": _REPLAYED},
    ("cancelRegistration", "200"): {"ETag": _ETAG, "Idempotent-Replayed": _REPLAYED},
    ("undoTermination", "200"): {"ETag": _ETAG, "Idempotent-Replayed": _REPLAYED},
}

# The problem replies every operation can give, and those every write can give.
_PROBLEMS_ALWAYS: dict[str, tuple[str, dict[str, Any]]] = {
    "401": (
        "unauthenticated: no, unknown, revoked or invalid token.",
        {"WWW-Authenticate": _header('Bearer realm="nir".', {"type": "string"})},
    ),
    "422": (
        "validation: the request does not match the schema (codes schema.*), or its address "
        "holds a control character (text.control_character).",
        {},
    ),
    "429": (
        "rate-limited: too many requests from this client.",
        {"Retry-After": _RETRY_AFTER},
    ),
    "500": ("internal: a fault in the register (logged; never expected).", {}),
    "503": (
        "unavailable: the database was busy too long; nothing was written.",
        {"Retry-After": _RETRY_AFTER},
    ),
}
_PROBLEMS_WRITE: dict[str, tuple[str, dict[str, Any]]] = {
    "400": ("bad-request: the body is not JSON.", {}),
    "413": ("content-too-large: a batch over 32 MiB, a single record over 2.5 MB.", {}),
}
# What each declared status of an operation means, where more than the type says.
_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("putParticipation", "404"): "not-found: a participant of another municipality.",
    ("putParticipation", "412"): (
        "precondition-failed: If-Match is stale (errors[].code version.stale) or names no "
        "participant, or If-None-Match: * and the participant exists. Nothing was written."
    ),
    ("putParticipation", "422"): (
        "validation (schema.*, case_id.mismatch when the URL and the body name different "
        "case ids, an Idempotency-Key not of 1-255 printable characters), "
        "rule-violation (a rule refused the record; errors[] names field, code and rule), or "
        "idempotency-key-reused (the key was used for a different request)."
    ),
    ("putParticipation", "428"): (
        "precondition-required: changing an existing participant without If-Match."
    ),
    ("upsertBatch", "422"): (
        "validation (records missing or empty, batch.too_large over 1,000 records, an "
        "Idempotency-Key not of 1-255 printable characters) or idempotency-key-reused. A "
        "record refused by the schema or a rule is a rejected result in the 200 reply."
    ),
    ("getParticipation", "404"): "not-found: no participant with this case id here.",
    ("getParticipation", "422"): (
        "validation: the address holds a control character (text.control_character, field "
        "path or query.<name>)."
    ),
    ("listDeadlines", "422"): (
        "validation, also for a cursor that is not one this list gave (schema.cursor)."
    ),
}
for _name in ("listParticipations", "listReconciliation", "listChanges", "listGrants"):
    _DESCRIPTIONS[(_name, "422")] = _DESCRIPTIONS[("listDeadlines", "422")]

BATCH_BODY_SCHEMA: dict[str, Any] = {
    "title": "BatchIn",
    "description": "Up to 1,000 records. Each is checked against RecordIn on its own: one "
    "that does not match is a rejected result, not a refused batch.",
    "type": "object",
    "required": ["records"],
    "properties": {
        "records": {
            "type": "array",
            "minItems": 1,
            "maxItems": BATCH_MAX_RECORDS,
            "items": {"$ref": "#/components/schemas/RecordIn"},
        }
    },
}


def _non_nullable(parameter: dict[str, Any]) -> None:
    """An optional header or query parameter is absent or a value, never null: a generated
    client must not be invited to send «None»."""
    schema = parameter.get("schema", {})
    branches = schema.get("anyOf")
    if isinstance(branches, list):
        kept = [b for b in branches if b.get("type") != "null"]
        if len(kept) == 1:
            rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
            parameter["schema"] = {**kept[0], **rest}
    parameter["schema"].pop("title", None)


def _referenced(document: dict[str, Any]) -> set[str]:
    text = json.dumps(document)
    names: set[str] = set()
    schemas_ = document.get("components", {}).get("schemas", {})
    for name in schemas_:
        if f'"#/components/schemas/{name}"' in text:
            names.add(name)
    return names


class RegisterApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        """Stable, readable names for generated clients: the view's name in camelCase."""
        head, *rest = str(operation.view_func.__name__).split("_")
        return head + "".join(part.title() for part in rest)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The generated document, made exact where ninja cannot say it: every problem reply
        under its RFC 9457 media type with the headers it carries, every status each
        operation can answer, required reply headers, non-nullable request headers, the
        batch body named, the servers and licence, and no unused schemas."""
        document = super().get_openapi_schema(**kwargs)
        document["servers"] = [{"url": "/", "description": "The register serving this document."}]
        document["info"]["license"] = {"name": "MIT", "identifier": "MIT"}
        components = document.setdefault("components", {}).setdefault("schemas", {})
        components["BatchIn"] = BATCH_BODY_SCHEMA
        for operations in document.get("paths", {}).values():
            for method, operation in operations.items():
                name = operation.get("operationId", "")
                for parameter in operation.get("parameters", []):
                    _non_nullable(parameter)
                    if parameter["in"] == "path" and parameter["name"] == "case_id":
                        parameter["schema"] = {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 64,
                            "pattern": "^[^\\u0000-\\u001f\\u007f]+$",
                        }
                        parameter["description"] = "The municipality's case id; may contain /."
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                # 422 too where nothing is declared to validate: a control character in the
                # address is refused for every operation (nir.web.request_limits).
                extra = dict(_PROBLEMS_ALWAYS)
                if method in ("post", "put", "patch", "delete"):
                    extra.update(_PROBLEMS_WRITE)
                for status, (description, headers) in extra.items():
                    reply = responses.setdefault(status, {})
                    if reply.get("description") in (None, "", HTTPStatus(int(status)).phrase):
                        reply["description"] = description
                    if headers:
                        reply["headers"] = headers
                    reply.setdefault(
                        "content", {"application/json": {"schema": {"$ref": PROBLEM_REF}}}
                    )
                for status, reply in responses.items():
                    content = reply.get("content", {})
                    json_content = content.get("application/json")
                    if json_content and json_content.get("schema", {}).get("$ref") == PROBLEM_REF:
                        content["application/problem+json"] = content.pop("application/json")
                    if (name, str(status)) in _REPLY_HEADERS:
                        reply["headers"] = _REPLY_HEADERS[(name, str(status))]
                    if (name, str(status)) in _DESCRIPTIONS:
                        reply["description"] = _DESCRIPTIONS[(name, str(status))]
                operation["responses"] = dict(sorted(responses.items()))
        used = _referenced(document)
        for unused in set(components) - used:
            del components[unused]
        return document


api = RegisterApi(
    title="NIR – maskinelt grensesnitt for fagsystemer",
    version="1.0.0",
    description=(
        "The national introduction register's API for municipal case systems. "
        "See docs/api.md for the semantics, the conformance kit and examples."
    ),
    urls_namespace="api-v1",
    auth=BearerAuth(),
    docs=Swagger(settings={"persistAuthorization": False}),
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): no CDN, and no
    # inline script, so the docs page lives under the site's strict policy unchanged
    # (tests/api/test_api_docs_browser.py renders it in Chromium and sees no violation).
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[ClientRateThrottle()],
    parser=json_limits.BoundedParser(),
)
api.add_router("", corrections.router)


# --- errors as problem details -------------------------------------------------------------


def _schema_error(field: str, code: str, message: str) -> dict[str, Any]:
    return error_item(
        field, RuleViolation(field=field, code=code, message=message, basis=BASIS_SCHEMA)
    )


def _pydantic_field(loc: tuple[Any, ...] | list[Any], skip: int = 0) -> str:
    path = ""
    for part in list(loc)[skip:]:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


@api.exception_handler(ValidationError)
def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        # ninja prefixes the location with body/query/path and the parameter name.
        loc = error.get("loc", ())
        field = _pydantic_field(loc, skip=2 if loc and loc[0] == "body" else 1)
        kind = error.get("type", "invalid")
        errors.append(
            _schema_error(field, f"schema.{kind}", schema_message(field, kind, error.get("ctx")))
        )
    return problem("validation", 422, "The request does not match the API schema.", errors=errors)


@api.exception_handler(AuthenticationError)
def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        "unauthenticated",
        401,
        exc.message if exc.message != "Unauthorized" else "Send Authorization: Bearer <token>.",
        headers={"WWW-Authenticate": 'Bearer realm="nir"'},
    )


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem("not-found", 404, "No participant with this case id in your municipality.")


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        return problem(
            "rate-limited",
            429,
            "Too many requests from this client; try again after Retry-After seconds.",
            headers={"Retry-After": str(max(1, int(exc.wait or 1)))},
        )
    if isinstance(exc.__cause__, json_limits.JsonLimitExceeded):
        return _json_limit_problem(exc.__cause__)
    kind = {405: "method-not-allowed", 404: "not-found"}.get(exc.status_code, "bad-request")
    return problem(kind, exc.status_code, exc.message)


def _json_limit_problem(exc: json_limits.JsonLimitExceeded) -> HttpResponse:
    return problem(
        "validation",
        422,
        "The body exceeds the API's bounds on JSON.",
        errors=[_schema_error(exc.field, exc.code, exc.message)],
    )


@api.exception_handler(RuleViolation)
def _on_rule(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
    return problem("rule-violation", 422, exc.message, errors=[error_item(exc.field, exc)])


@api.exception_handler(RequestDataTooBig)
def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _too_large()


@api.exception_handler(OperationalError)
def _on_database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    # A write that waited too long for the database (SQLite's single writer behind a large
    # batch, a PostgreSQL lock timeout): nothing was written, and a retry will succeed.
    logger.warning("API database busy on %s %s: %s", request.method, request.path, exc)
    return problem(
        "unavailable",
        503,
        "The register is busy; nothing was written. Retry after a short wait.",
        headers={"Retry-After": "10"},
    )


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem("internal", 500, "The register could not handle the request; it is logged.")


# --- parsing -------------------------------------------------------------------------------


def _record(data: schemas.RecordIn) -> ParticipantRecord:
    p = data.person
    return ParticipantRecord(
        case_id=data.case_id,
        person=PersonData(
            identity_number=p.identity_number,
            given_name=p.given_name,
            family_name=p.family_name,
            birth_date=p.birth_date,
            permit_type=p.permit_type.value,
            permit_date=p.permit_date,
            sex=p.sex.value,
            duf_number=p.duf_number,
            arrival_date=p.arrival_date,
            settlement_date=p.settlement_date,
            settled_by_agreement=p.settled_by_agreement,
            has_upper_secondary=p.has_upper_secondary,
            research_reservation=p.research_reservation,
        ),
        start_date=data.start_date,
        category=data.category.value if data.category else None,
        sluttmaal=[SluttmaalItem(g.sluttmaal.value, g.valid_from) for g in data.sluttmaal],
        decisions=[
            DecisionItem(d.decision_type.value, d.decided_on, d.reason, d.programme_months)
            for d in data.decisions
        ],
        measures=[
            MeasureItem(m.measure_type, m.start_date, m.end_date, m.hours_per_week)
            for m in data.measures
        ],
        leaves=[
            LeaveItem(x.leave_type, x.start_date, x.end_date, x.decided_on) for x in data.leaves
        ],
        absences=[
            AbsenceItem(a.absence_type, a.start_date, a.end_date, a.hours) for a in data.absences
        ],
        extensions=[ExtensionItem(e.months, e.decided_on) for e in data.extensions],
        stops=[StopItem(s.kind.value, s.start_date, s.end_date, s.decided_on) for s in data.stops],
        termination=(
            TerminationItem(data.termination.end_date, data.termination.reason)
            if data.termination
            else None
        ),
    )


def _warnings(participation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """What a case system should register next, per stored participation (one query for a
    batch): a start decision granting more months than the sluttmål gives."""
    found: dict[int, list[dict[str, Any]]] = {}
    rows = with_decided_programme_months(
        Participation.objects.filter(pk__in=participation_ids, decisions__isnull=False)
    ).distinct()
    for p in rows.only("id", "frist", "frist_derivation", "end_date", "termination_source"):
        if p.end_date is not None and p.termination_source != TerminationSource.SYSTEM:
            continue
        mismatch = check_decided_programme_time(
            decided_months=getattr(p, "decided_programme_months", None),
            base_months=p.frist_derivation["base_months"],
            extension_months=p.frist_derivation.get("extension_months", 0),
            frist=p.frist,
        )
        if mismatch is not None:
            found[p.pk] = [
                {
                    "code": "programme_time.exceeds_sluttmaal",
                    "field": "extensions",
                    "message": mismatch.message,
                    "rule": mismatch.basis.rule_id,
                    "reference": mismatch.basis.reference,
                    "params": {
                        "decided_months": mismatch.decided_months,
                        "computed_months": mismatch.computed_months,
                        "frist": mismatch.frist.isoformat(),
                    },
                }
            ]
    return found


def _result(
    result: RecordResult,
    index: int | None = None,
    warnings: dict[int, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    if warnings is None:
        warnings = _warnings([result.participation_id] if result.participation_id else [])
    return {
        "index": result.index if index is None else index,
        "case_id": result.case_id,
        "outcome": result.outcome.value,
        "participation_id": result.participation_id,
        "version": result.version,
        "content_hash": result.content_hash,
        "errors": record_errors(result.errors),
        "warnings": record_errors(result.warnings) + warnings.get(result.participation_id or 0, []),
    }


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- who am I ------------------------------------------------------------------------------


@api.get("/me", response={200: schemas.MeOut, **PROBLEM_RESPONSES}, tags=["client"])
def get_me(request: HttpRequest) -> dict[str, Any]:
    """The caller as the register sees it: which municipality it acts for."""
    caller = principal(request)
    return {
        "name": caller.name,
        "method": caller.method,
        "kommune": caller.kommune_number,
        "kommune_name": caller.kommune_name,
    }


# --- writing -------------------------------------------------------------------------------

_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchIn"}}},
    }
}


def _batch_body(request: HttpRequest) -> bytes | HttpResponse:
    """The batch body, allowed to be larger than Django's limit for form data: a thousand
    records with their registrations do not fit in 2.5 MB, and the body is JSON, not a form."""
    try:
        return request.body
    except RequestDataTooBig:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > BATCH_MAX_BYTES:
            return _too_large()
        return request.read(BATCH_MAX_BYTES + 1)


def _too_large() -> HttpResponse:
    return problem(
        "content-too-large",
        413,
        f"A request body may be at most {BATCH_MAX_BYTES // (1024 * 1024)} MiB for a batch "
        "and 2.5 MB for one record.",
    )


def _batch_records(
    body: bytes,
) -> tuple[list[tuple[int, ParticipantRecord]], dict[int, dict[str, Any]]] | HttpResponse:
    """Each record checked against the schema on its own, so one malformed record is one
    rejected result and not a refused batch."""
    try:
        json_limits.check_depth(body)
        payload = json.loads(body)
    except json_limits.JsonLimitExceeded as exceeded:
        return _json_limit_problem(exceeded)
    except (ValueError, UnicodeDecodeError):
        return problem("bad-request", 400, "The body is not JSON.")
    records = payload.get("records") if isinstance(payload, dict) else None
    if not isinstance(records, list) or not records:
        return problem(
            "validation",
            422,
            "The body must be an object with a non-empty list «records».",
            errors=[_schema_error("records", "schema.missing", "records: a non-empty list")],
        )
    if len(records) > BATCH_MAX_RECORDS:
        return problem(
            "validation",
            422,
            f"At most {BATCH_MAX_RECORDS} records per request.",
            errors=[
                _schema_error(
                    "records",
                    "batch.too_large",
                    f"En forespørsel kan ha høyst {BATCH_MAX_RECORDS} poster.",
                )
            ],
        )
    valid: list[tuple[int, ParticipantRecord]] = []
    refused: dict[int, dict[str, Any]] = {}
    for index, item in enumerate(records):
        try:
            # An over-long list inside one record refuses that record alone.
            json_limits.check_arrays(item, f"records[{index}]")
            valid.append((index, _record(schemas.RecordIn.model_validate(item))))
        except json_limits.JsonLimitExceeded as exceeded:
            refused[index] = _refused(
                index, item, [_schema_error(exceeded.field, exceeded.code, exceeded.message)]
            )
        except pydantic.ValidationError as error:
            refused[index] = _refused(
                index,
                item,
                [
                    _schema_error(
                        _pydantic_field(e["loc"]),
                        f"schema.{e['type']}",
                        schema_message(_pydantic_field(e["loc"]), e["type"], e.get("ctx")),
                    )
                    for e in error.errors()
                ],
            )
    return valid, refused


def _refused(index: int, item: Any, errors: list[dict[str, Any]]) -> dict[str, Any]:
    """A record refused before the services saw it, as one rejected result."""
    case_id = item.get("case_id") if isinstance(item, dict) else None
    return {
        "index": index,
        "case_id": case_id if isinstance(case_id, str) else "",
        "outcome": Outcome.REJECTED.value,
        "participation_id": None,
        "version": None,
        "content_hash": None,
        "warnings": [],
        "errors": errors,
    }


@api.post(
    "/batch/participations",
    response={200: schemas.BatchOut, **PROBLEM_RESPONSES},
    openapi_extra=_BATCH_BODY,
    tags=["write"],
)
def upsert_batch(
    request: HttpRequest,
    dry_run: bool = False,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; run_once reads it
) -> HttpResponse:
    """Create or update up to 1,000 participants, keyed by case id and identity number.

    One result per record, in request order: created, updated, unchanged or rejected (with
    the field, the code, the Norwegian message and the rule). A rejected record changes
    nothing and never stops the others. `dry_run=true` checks everything and writes nothing.
    Send an `Idempotency-Key` to make a retry return the first reply.
    """
    caller = principal(request)
    body = _batch_body(request)
    if isinstance(body, HttpResponse):
        return body
    parsed = _batch_records(body)
    if isinstance(parsed, HttpResponse):
        return parsed
    valid, refused = parsed
    records = [r for _, r in valid]
    # The rules run for the new participants before the transaction opens, so the write
    # lock is held for the write alone.
    plan = plan_batch(actor=caller.actor, records=records)

    def handle() -> HttpResponse:
        results = upsert_participants(
            actor=caller.actor, records=records, dry_run=dry_run, plan=plan
        )
        by_index = dict(refused)
        warnings = _warnings([r.participation_id for r in results if r.participation_id])
        for (index, _), result in zip(valid, results, strict=True):
            by_index[index] = _result(result, index, warnings)
        ordered = [by_index[i] for i in sorted(by_index)]
        summary = {o.value: 0 for o in Outcome}
        for item in ordered:
            summary[item["outcome"]] += 1
        return _json({"dry_run": dry_run, "summary": summary, "results": ordered})

    return idempotency.run_once(request, caller.key, handle, body=body, store=not dry_run)


@api.put(
    "/participations/{path:case_id}",
    response={
        200: schemas.RecordResultOut,
        201: schemas.RecordResultOut,
        404: schemas.Problem,
        412: schemas.Problem,
        428: schemas.Problem,
        **PROBLEM_RESPONSES,
    },
    tags=["write"],
)
def put_participation(
    request: HttpRequest,
    case_id: str,
    record: schemas.RecordIn,
    dry_run: bool = False,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
    idempotency_key: IdempotencyKey = None,  # declared for the contract; run_once reads it
) -> HttpResponse:
    """Create or update one participant.

    To change an existing participant send `If-Match` with the ETag from a read (the
    participation's version): a stale one gets 412 and nothing is written. `If-None-Match: *`
    creates only. Without either, an existing participant gets 428.
    """
    caller = principal(request)
    if record.case_id != case_id:
        return problem(
            "validation",
            422,
            "The case id in the URL and in the body differ.",
            errors=[
                _schema_error("case_id", "case_id.mismatch", "Saksnummeret i URL og body er ulike.")
            ],
        )

    def handle() -> HttpResponse:
        # Preconditions are checked inside the idempotent unit, so the retry of a create
        # gets the stored 201 and not a 412 or 428 from the participant it created.
        existing = api_selectors.participation_by_case_id(caller.kommune_id, case_id)
        expected: int | None = None
        if existing is not None and if_none_match is not None:
            return problem("precondition-failed", 412, "The participant exists already.")
        if existing is None and if_match is not None:
            return problem("precondition-failed", 412, "No such participant to match If-Match.")
        if existing is not None:
            if if_match is None:
                return problem(
                    "precondition-required",
                    428,
                    "Send If-Match with the ETag from your last read to change a participant.",
                )
            # «*» (any current version) asks for no particular version (RFC 9110 § 13.1.1).
            if if_match != "*":
                expected = schemas.version_in_if_match(if_match)
        result = upsert_participant(
            actor=caller.actor, record=_record(record), expected_version=expected, dry_run=dry_run
        )
        if result.outcome is Outcome.REJECTED:
            codes = {e.violation.code for e in result.errors}
            if "version.stale" in codes:
                return problem(
                    "precondition-failed",
                    412,
                    "The participation has changed since you read it; read it again.",
                    errors=record_errors(result.errors),
                )
            if "access.out_of_scope" in codes:
                return problem("not-found", 404, "No such participant in your municipality.")
            return problem(
                "rule-violation",
                422,
                "; ".join(e.violation.message for e in result.errors),
                errors=record_errors(result.errors),
            )
        if dry_run:
            # Nothing was stored: no version to match and no URL to follow.
            return _json(_result(result))
        headers = {"ETag": schemas.etag(result.version or 0)}
        status = 201 if result.outcome is Outcome.CREATED else 200
        if status == 201:
            headers["Location"] = request.path
        return _json(_result(result), status=status, headers=headers)

    return idempotency.run_once(request, caller.key, handle, body=request.body, store=not dry_run)


# --- reading -------------------------------------------------------------------------------


def _log_read(request: HttpRequest, caller: Principal, action: str, person_ids: list[int]) -> None:
    """Every read that shows persons' records is logged (rules.md §9), as in the web UI."""
    if person_ids:
        log_access(
            actor=caller.name,
            organisation=caller.kommune_number,
            channel="api",
            action=action,
            what=described(request.path, request.GET),
            person_ids=person_ids,
        )


def _participant(p: Participation, caller: Principal) -> dict[str, Any]:
    today = timezone.localdate()
    record = stored_record(p)
    record.pop("computed")
    return {
        "id": p.pk,
        "case_id": p.case_id,
        "kommune": caller.kommune_number,
        "version": p.version,
        "status": schemas.participation_status(p).value,
        "regime": p.regime,
        "category": p.category,
        "start_date": p.start_date,
        "frist": p.frist,
        "frist_derivation": current_derivation(p.frist_derivation),
        "end_date": p.end_date,
        "termination_reason": p.termination_reason or None,
        "termination_source": p.termination_source or None,
        "missing": [
            {
                "code": m.code,
                "field": m.field,
                "message": m.message,
                "due": m.due,
                "rule": m.basis.rule_id,
                "reference": m.basis.reference,
            }
            for m in missing_for(p, today)
        ],
        "reason_registration": _reason_registration(p, today),
        "record": record,
        "content_hash": content_hash(p),
    }


def _reason_registration(p: Participation, today: dt.date) -> dict[str, Any] | None:
    state = triage.state_of(p, today)
    if state is None:
        return None
    return {
        "status": state.status.value,
        "until": state.until,
        "grant_id": int(state.grant_ref) if state.grant_ref else None,
        "message": state.message,
        "rule": state.basis.rule_id,
        "reference": state.basis.reference,
    }


@api.get(
    "/participations/{path:case_id}",
    response={200: schemas.ParticipantOut, 404: schemas.Problem, **PROBLEM_RESPONSES},
    tags=["read"],
)
def get_participation(request: HttpRequest, case_id: str, response: HttpResponse) -> Any:
    """One participant: frist and its derivation, status, what is missing, the stored record.

    The ETag is the participation's version; send it as If-Match when you change it.
    """
    caller = principal(request)
    found = api_selectors.participation_by_case_id(caller.kommune_id, case_id)
    if found is None:
        raise Http404
    _log_read(request, caller, "api_view_participant", [found.person_id])
    response["ETag"] = schemas.etag(found.version)
    return _participant(found, caller)


class PageQuery(Schema):
    after: schemas.Cursor = Field("0", description="Cursor: next_cursor of your last call.")
    limit: int = Field(500, ge=1, le=1000)


def _bad_cursor() -> HttpResponse:
    return problem(
        "validation",
        422,
        "The cursor is not one this list gave.",
        errors=[_schema_error("after", "schema.cursor", "after: not a cursor from this list")],
    )


def _id_cursor(after: str) -> int | None:
    """The cursor of a list in id order: the last id seen, in decimal."""
    return int(after) if after.isdigit() else None


def _page(rows: list[Any], limit: int) -> tuple[list[Any], bool]:
    """One page from ``limit + 1`` rows read: whether another follows is known exactly, so a
    full last page says has_more false and no empty page ever follows."""
    return rows[:limit], len(rows) > limit


@api.get(
    "/participations",
    response={200: schemas.ParticipantPage, **PROBLEM_RESPONSES},
    tags=["read"],
)
def list_participations(request: HttpRequest, page: Query[PageQuery], active: bool = False) -> Any:
    """The municipality's participants, in id order, a page at a time."""
    caller = principal(request)
    after = _id_cursor(page.after)
    if after is None:
        return _bad_cursor()
    rows, has_more = _page(
        api_selectors.participation_page(
            caller.kommune_id, after=after, limit=page.limit + 1, active_only=active
        ),
        page.limit,
    )
    _log_read(request, caller, "api_list_participants", [p.person_id for p in rows])
    return {
        "items": [
            {
                "id": p.pk,
                "case_id": p.case_id,
                "identity_number": p.person.identity_number,
                "status": schemas.participation_status(p).value,
                "start_date": p.start_date,
                "frist": p.frist,
                "end_date": p.end_date,
                "version": p.version,
            }
            for p in rows
        ],
        "next_cursor": str(rows[-1].pk if rows else after),
        "has_more": has_more,
    }


@api.get(
    "/reconciliation",
    response={200: schemas.ReconciliationPage, **PROBLEM_RESPONSES},
    tags=["read"],
)
def list_reconciliation(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Every participant's case id, version and content hash, a page at a time.

    Compare with the hashes you were given when you wrote: an unequal hash is a participant
    that changed in the register (a caseworker's correction, the sweep) since then.
    """
    caller = principal(request)
    after = _id_cursor(page.after)
    if after is None:
        return _bad_cursor()
    rows, has_more = _page(
        api_selectors.reconciliation_page(caller.kommune_id, after=after, limit=page.limit + 1),
        page.limit,
    )
    _log_read(request, caller, "api_reconciliation", [p.person_id for p in rows])
    return {
        "items": [
            {
                "id": p.pk,
                "case_id": p.case_id,
                "identity_number": p.person.identity_number,
                "version": p.version,
                "content_hash": content_hash(p),
            }
            for p in rows
        ],
        "next_cursor": str(rows[-1].pk if rows else after),
        "has_more": has_more,
    }


class ChangesQuery(Schema):
    after: schemas.Cursor = Field("0", description="Cursor: next_cursor of your last call.")
    limit: int = Field(100, ge=1, le=1000)


@api.get("/changes", response={200: schemas.ChangePage, **PROBLEM_RESPONSES}, tags=["read"])
def list_changes(request: HttpRequest, page: Query[ChangesQuery]) -> Any:
    """Everything that happened to the municipality's participants after the cursor."""
    caller = principal(request)
    after = _id_cursor(page.after)
    if after is None:
        return _bad_cursor()
    events, has_more = _page(
        list(api_selectors.changes(caller.kommune_id, after=after, limit=page.limit + 1)),
        page.limit,
    )
    _log_read(request, caller, "api_changes", [e.person_id for e in events if e.person_id])
    return {
        "items": [
            {
                "id": e.pk,
                "occurred_at": e.occurred_at,
                "action": e.action,
                "entity": e.entity,
                "channel": e.channel,
                "participation_id": e.participation_id,
                "case_id": e.participation.case_id if e.participation is not None else None,
                "identity_number": e.person.identity_number if e.person is not None else None,
            }
            for e in events
        ],
        "next_cursor": str(events[-1].pk if events else after),
        "has_more": has_more,
    }


class DeadlineQuery(Schema):
    within_days: int = Field(30, ge=0, le=366)
    after: schemas.Cursor = Field("0", description="Cursor: next_cursor of your last call.")
    limit: int = Field(500, ge=1, le=1000)


def _deadline_cursor(frist: dt.date, pk: int) -> str:
    """(frist, id) as one cursor of digits: the frist as its day number, then the id."""
    return f"{frist.toordinal()}-{pk}"


def _parse_deadline_cursor(after: str) -> tuple[dt.date, int] | HttpResponse | None:
    if after == "0":
        return None  # the start of every list
    day, dash, pk = after.partition("-")
    if not dash:
        return _bad_cursor()
    ordinal = int(day)
    if ordinal < 1:
        return None  # before every frist: the first page
    return dt.date.fromordinal(min(ordinal, dt.date.max.toordinal())), int(pk)


@api.get("/deadlines", response={200: schemas.DeadlinesOut, **PROBLEM_RESPONSES}, tags=["read"])
def list_deadlines(request: HttpRequest, query: Query[DeadlineQuery]) -> Any:
    """Open participations whose frist falls within the coming days, soonest first, a page at
    a time: register an end, leave or extension before the register ends them as «ikke
    registrert»."""
    caller = principal(request)
    today = timezone.localdate()
    after = _parse_deadline_cursor(query.after)
    if isinstance(after, HttpResponse):
        return after
    rows, has_more = _page(
        api_selectors.upcoming_deadlines(
            caller.kommune_id,
            as_of=today,
            within_days=query.within_days,
            after=after,
            limit=query.limit + 1,
        ),
        query.limit,
    )
    _log_read(request, caller, "api_deadlines", [p.person_id for p in rows])
    return {
        "as_of": today,
        "within_days": query.within_days,
        "items": [
            {
                "id": p.pk,
                "case_id": p.case_id,
                "identity_number": p.person.identity_number,
                "frist": p.frist,
                "days_left": (p.frist - today).days,
                "version": p.version,
            }
            for p in rows
        ],
        "next_cursor": _deadline_cursor(rows[-1].frist, rows[-1].pk) if rows else query.after,
        "has_more": has_more,
    }


def _grant_status(grant: LateRegistrationGrant, today: dt.date) -> schemas.GrantStatusOut:
    if grant.revoked_on is not None and grant.revoked_on <= today:
        return schemas.GrantStatusOut.REVOKED
    if grant.expires_on < today:
        return schemas.GrantStatusOut.EXPIRED
    if grant.granted_on > today:
        return schemas.GrantStatusOut.NOT_YET_VALID
    return schemas.GrantStatusOut.ACTIVE


@api.get("/grants", response={200: schemas.GrantsOut, **PROBLEM_RESPONSES}, tags=["read"])
def list_grants(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The municipality's late-registration grants from IMDi, in the order they were given,
    a page at a time: which event dates each covers and until when it can be used. A
    registration of an event whose two-month window has closed is accepted only while a
    grant covering its date is active (and the event is at most 12 months back)."""
    caller = principal(request)
    today = timezone.localdate()
    after = _id_cursor(page.after)
    if after is None:
        return _bad_cursor()
    rows, has_more = _page(
        api_selectors.kommune_grants(caller.kommune_id, after=after, limit=page.limit + 1),
        page.limit,
    )
    return {
        "as_of": today,
        "items": [
            {
                "id": g.pk,
                "covers_from": g.covers_from,
                "covers_to": g.covers_to,
                "granted_on": g.granted_on,
                "expires_on": g.expires_on,
                "revoked_on": g.revoked_on,
                "status": _grant_status(g, today).value,
            }
            for g in rows
        ],
        "next_cursor": str(rows[-1].pk if rows else after),
        "has_more": has_more,
    }
