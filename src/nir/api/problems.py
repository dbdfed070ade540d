"""RFC 9457 problem details: every error the API answers with has this one shape.

Each problem type a vendor can branch on is an exception class here, raised where the API
refuses a request and rendered by the one handler for them (nir.api.error_handlers): code
that decides which refusal it meets matches the class, never the text of a code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from nir.register.rule_messages import rule_message
from nir.register.services.upsert.results import RecordError
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://nir.imdi.no/problems/"


class ApiProblem(Exception):
    """A refusal answered as problem details; each subclass is one documented type."""

    kind: ClassVar[str]
    status: ClassVar[int]
    title: ClassVar[str]

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})

    def response(self) -> HttpResponse:
        return problem(
            self.kind, self.status, self.detail, errors=self.errors, headers=self.headers
        )


class ValidationFailed(ApiProblem):
    kind, status, title = "validation", 422, "The request does not match the schema"


class RuleRefused(ApiProblem):
    kind, status, title = "rule-violation", 422, "A rule of the register refused the request"


class NotFound(ApiProblem):
    kind, status, title = "not-found", 404, "Not found"


class Forbidden(ApiProblem):
    kind, status, title = "forbidden", 403, "The client may not use this scheme"


class AuthenticationRequired(ApiProblem):
    kind, status, title = "unauthenticated", 401, "Authentication required"


class PreconditionFailed(ApiProblem):
    kind, status = "precondition-failed", 412
    title = "The participation has changed since you read it"


class PreconditionRequired(ApiProblem):
    kind, status = "precondition-required", 428
    title = "If-Match is required to change an existing participation"


class IdempotencyKeyReused(ApiProblem):
    kind, status = "idempotency-key-reused", 422
    title = "Idempotency-Key was used for a different request"


class BadRequest(ApiProblem):
    kind, status, title = "bad-request", 400, "Bad request"


class ContentTooLarge(ApiProblem):
    kind, status, title = "content-too-large", 413, "The request body is too large"


class MethodNotAllowed(ApiProblem):
    kind, status, title = "method-not-allowed", 405, "Method not allowed"


class Unavailable(ApiProblem):
    kind, status, title = "unavailable", 503, "The register is busy"


class RateLimited(ApiProblem):
    kind, status, title = "rate-limited", 429, "Too many requests"


class Internal(ApiProblem):
    kind, status, title = "internal", 500, "Internal error"


# The problem types a vendor can branch on, in the order docs/api.md and the contract list them.
PROBLEM_TYPES: tuple[type[ApiProblem], ...] = (
    ValidationFailed,
    RuleRefused,
    NotFound,
    AuthenticationRequired,
    Forbidden,
    PreconditionFailed,
    PreconditionRequired,
    IdempotencyKeyReused,
    BadRequest,
    ContentTooLarge,
    MethodNotAllowed,
    Unavailable,
    RateLimited,
    Internal,
)
TITLES = {cls.kind: cls.title for cls in PROBLEM_TYPES}

# The one form of a problem's ``type``, as the contract declares it.
TYPE_PATTERN = "^" + TYPE_BASE.replace(".", r"\.") + "(" + "|".join(TITLES) + ")$"

BASIS_KEY = LegalBasis(
    "api.idempotency_key",
    "Registerets regel: API-kontrakten for Idempotency-Key",
    BasisKind.BESLUTNING,
)
BASIS_SCHEMA = LegalBasis(
    "api.schema", "Registerets regel: API-kontrakten for /api/v1", BasisKind.BESLUTNING
)


def malformed_key_error() -> dict[str, Any]:
    violation = RuleViolation(
        field="Idempotency-Key",
        code="schema.string_pattern_mismatch",
        message="Idempotency-Key må være 1 til 255 skrivbare ASCII-tegn, for eksempel en UUID.",
        basis=BASIS_KEY,
    )
    return error_item("Idempotency-Key", violation)


def schema_error(field: str, code: str, message: str) -> dict[str, Any]:
    """An error item for input the API's own contract refuses (not a rule of the register)."""
    return error_item(
        field, RuleViolation(field=field, code=code, message=message, basis=BASIS_SCHEMA)
    )


def pydantic_field(loc: tuple[Any, ...] | list[Any], skip: int = 0) -> str:
    """A pydantic error location as the path the API names fields by (leaves[0].start_date)."""
    path = ""
    for part in list(loc)[skip:]:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


def error_item(field: str, violation: RuleViolation) -> dict[str, Any]:
    return {
        "field": field,
        "code": violation.code,
        "message": rule_message(violation.code, violation.params, violation.message),
        "rule": violation.basis.rule_id,
        "reference": violation.basis.reference,
        "params": json.loads(json.dumps(violation.params, cls=DjangoJSONEncoder)),
    }


def record_errors(errors: Iterable[RecordError]) -> list[dict[str, Any]]:
    return [error_item(e.field, e.violation) for e in errors]


def problem(
    kind: str,
    status: int,
    detail: str,
    *,
    errors: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The problem reply itself; also for refusals made before a request reaches the API
    (nir.web.request_limits), which answer with the same types."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": TITLES[kind],
        "status": status,
        "detail": detail,
        "errors": list(errors),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
