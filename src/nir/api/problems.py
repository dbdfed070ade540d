"""RFC 9457 problem details: every error the API answers with has this one shape."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from nir.register.rule_messages import rule_message
from nir.register.services.batch_upsert import RecordError
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://nir.imdi.no/problems/"

# The problem types a vendor can branch on; each is documented in docs/api.md.
TITLES = {
    "validation": "The request does not match the schema",
    "rule-violation": "A rule of the register refused the request",
    "not-found": "Not found",
    "unauthenticated": "Authentication required",
    "precondition-failed": "The participation has changed since you read it",
    "precondition-required": "If-Match is required to change an existing participation",
    "idempotency-key-reused": "Idempotency-Key was used for a different request",
    "bad-request": "Bad request",
    "content-too-large": "The request body is too large",
    "method-not-allowed": "Method not allowed",
    "unavailable": "The register is busy",
    "rate-limited": "Too many requests",
    "internal": "Internal error",
}


# The one form of a problem's ``type``, as the contract declares it.
TYPE_PATTERN = "^" + TYPE_BASE.replace(".", r"\.") + "(" + "|".join(TITLES) + ")$"

BASIS_KEY = LegalBasis(
    "api.idempotency_key",
    "Registerets regel: API-kontrakten for Idempotency-Key",
    BasisKind.BESLUTNING,
)


def malformed_key_error() -> dict[str, Any]:
    violation = RuleViolation(
        field="Idempotency-Key",
        code="schema.string_pattern_mismatch",
        message="Idempotency-Key må være 1 til 255 skrivbare ASCII-tegn, for eksempel en UUID.",
        basis=BASIS_KEY,
    )
    return error_item("Idempotency-Key", violation)


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
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": TITLES[kind],
        "status": status,
        "detail": detail,
        "errors": list(errors),
    }
    if instance is not None:
        body["instance"] = instance
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
