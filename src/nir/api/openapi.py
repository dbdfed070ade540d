"""The OpenAPI document as the register publishes it: what ninja generates, made exact
where ninja cannot say it (problem replies, reply headers, every status an operation can
answer). The committed copy and how it is compared live in nir.api.openapi_document."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from ninja import NinjaAPI

from nir.register.services.upsert.batch import BATCH_MAX_RECORDS

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
    ("upsertNorskBatch", "200"): {"Idempotent-Replayed": _REPLAYED},
    ("cancelRegistration", "200"): {"ETag": _ETAG, "Idempotent-Replayed": _REPLAYED},
    ("undoTermination", "200"): {"ETag": _ETAG, "Idempotent-Replayed": _REPLAYED},
    ("cancelNorskRegistration", "200"): {"ETag": _ETAG, "Idempotent-Replayed": _REPLAYED},
    ("undoNorskEnd", "200"): {"ETag": _ETAG, "Idempotent-Replayed": _REPLAYED},
}

# The scheme's single-record operations answer with the participants' headers.
for _scheme_op, _programme_op in (
    ("getNorskParticipation", "getParticipation"),
    ("putNorskParticipation", "putParticipation"),
):
    for _status in ("200", "201"):
        if (_programme_op, _status) in _REPLY_HEADERS:
            _REPLY_HEADERS[(_scheme_op, _status)] = _REPLY_HEADERS[(_programme_op, _status)]

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
for _name in (
    "listParticipations",
    "listReconciliation",
    "listChanges",
    "listGrants",
    "listNorskParticipations",
    "listNorskReconciliation",
    "listNorskDeadlines",
):
    _DESCRIPTIONS[(_name, "422")] = _DESCRIPTIONS[("listDeadlines", "422")]
# The scheme's operations: the participants' meanings, and 403 without the scheme.
for _scheme_op, _programme_op in (
    ("putNorskParticipation", "putParticipation"),
    ("getNorskParticipation", "getParticipation"),
    ("upsertNorskBatch", "upsertBatch"),
):
    for _status in ("404", "412", "422", "428"):
        if (_programme_op, _status) in _DESCRIPTIONS:
            _DESCRIPTIONS[(_scheme_op, _status)] = _DESCRIPTIONS[(_programme_op, _status)]
for _scheme, _names in (
    (
        "norsk",
        (
            "putNorskParticipation",
            "getNorskParticipation",
            "upsertNorskBatch",
            "listNorskParticipations",
            "listNorskReconciliation",
            "listNorskDeadlines",
            "cancelNorskRegistration",
            "undoNorskEnd",
        ),
    ),
    (
        "introduksjonsprogram",
        (
            "putParticipation",
            "getParticipation",
            "upsertBatch",
            "listParticipations",
            "listReconciliation",
            "listDeadlines",
            "cancelRegistration",
            "undoTermination",
        ),
    ),
):
    for _name in _names:
        _DESCRIPTIONS[(_name, "403")] = (
            f"forbidden: the client does not hold the scheme {_scheme} (errors[].code "
            "access.scheme_role, params.scheme)."
        )

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

NORSK_BATCH_BODY_SCHEMA: dict[str, Any] = {
    **BATCH_BODY_SCHEMA,
    "title": "NorskBatchIn",
    "description": "Up to 1,000 Norwegian-training records. Each is checked against "
    "NorskRecordIn on its own: one that does not match is a rejected result, not a refused "
    "batch.",
    "properties": {
        "records": {
            **BATCH_BODY_SCHEMA["properties"]["records"],
            "items": {"$ref": "#/components/schemas/NorskRecordIn"},
        }
    },
}


def _body(schema: str) -> dict[str, Any]:
    """A batch's body is read record by record (a malformed one is a rejected result), so
    the operation takes no body parameter and names its schema here."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }


BATCH_BODY = _body("BatchIn")
NORSK_BATCH_BODY = _body("NorskBatchIn")


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
        components["NorskBatchIn"] = NORSK_BATCH_BODY_SCHEMA
        # NorskRecordIn is named only by the batch body: ninja adds it through the PUT.
        for operations in document.get("paths", {}).values():
            for method, operation in operations.items():
                for parameter in operation.get("parameters", []):
                    _exact_parameter(parameter)
                operation["responses"] = _exact_responses(
                    operation.get("operationId", ""), method, operation.get("responses", {})
                )
        used = _referenced(document)
        for unused in set(components) - used:
            del components[unused]
        return document


def _exact_parameter(parameter: dict[str, Any]) -> None:
    _non_nullable(parameter)
    if parameter["in"] == "path" and parameter["name"] == "case_id":
        parameter["schema"] = {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "pattern": "^[^\\u0000-\\u001f\\u007f]+$",
        }
        parameter["description"] = "The municipality's case id; may contain /."


def _exact_responses(name: str, method: str, declared: dict[Any, Any]) -> dict[str, Any]:
    responses = {str(k): v for k, v in declared.items()}
    # 422 too where nothing is declared to validate: a control character in the address is
    # refused for every operation (nir.web.request_limits).
    extra = dict(_PROBLEMS_ALWAYS)
    if method in ("post", "put", "patch", "delete"):
        extra.update(_PROBLEMS_WRITE)
    for status, (description, headers) in extra.items():
        reply = responses.setdefault(status, {})
        if reply.get("description") in (None, "", HTTPStatus(int(status)).phrase):
            reply["description"] = description
        if headers:
            reply["headers"] = headers
        reply.setdefault("content", {"application/json": {"schema": {"$ref": PROBLEM_REF}}})
    for status, reply in responses.items():
        content = reply.get("content", {})
        json_content = content.get("application/json")
        if json_content and json_content.get("schema", {}).get("$ref") == PROBLEM_REF:
            content["application/problem+json"] = content.pop("application/json")
        if (name, status) in _REPLY_HEADERS:
            reply["headers"] = _REPLY_HEADERS[(name, status)]
        if (name, status) in _DESCRIPTIONS:
            reply["description"] = _DESCRIPTIONS[(name, status)]
    return dict(sorted(responses.items()))
