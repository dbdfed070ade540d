"""How every failure of a request below /api/v1 becomes problem details: the problem types
the handlers raise (nir.api.problems), and what ninja, Django and the database raise."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from nir.api import json_limits
from nir.api.problems import (
    ApiProblem,
    AuthenticationRequired,
    BadRequest,
    ContentTooLarge,
    Internal,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    RuleRefused,
    Unavailable,
    ValidationFailed,
    error_item,
    problem,
    pydantic_field,
    schema_error,
)
from nir.api.schema_messages import schema_message
from nir.rules.errors import RuleViolation

logger = logging.getLogger(__name__)

# A thousand records with many registrations each; Django's form-data limit stays as it is.
BATCH_MAX_BYTES = 32 * 1024 * 1024


def too_large() -> ContentTooLarge:
    return ContentTooLarge(
        f"A request body may be at most {BATCH_MAX_BYTES // (1024 * 1024)} MiB for a batch "
        "and 2.5 MB for one record."
    )


def json_limit_refusal(exc: json_limits.JsonLimitExceeded) -> ValidationFailed:
    return ValidationFailed(
        "The body exceeds the API's bounds on JSON.",
        errors=[schema_error(exc.field, exc.code, exc.message)],
    )


def _on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return exc.response()


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        # ninja prefixes the location with body/query/path and the parameter name.
        loc = error.get("loc", ())
        field = pydantic_field(loc, skip=2 if loc and loc[0] == "body" else 1)
        kind = error.get("type", "invalid")
        errors.append(
            schema_error(field, f"schema.{kind}", schema_message(field, kind, error.get("ctx")))
        )
    return ValidationFailed("The request does not match the API schema.", errors=errors).response()


def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return AuthenticationRequired(
        exc.message if exc.message != "Unauthorized" else "Send Authorization: Bearer <token>.",
        headers={"WWW-Authenticate": 'Bearer realm="nir"'},
    ).response()


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return NotFound("No participant with this case id in your municipality.").response()


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        return RateLimited(
            "Too many requests from this client; try again after Retry-After seconds.",
            headers={"Retry-After": str(max(1, int(exc.wait or 1)))},
        ).response()
    if isinstance(exc.__cause__, json_limits.JsonLimitExceeded):
        return json_limit_refusal(exc.__cause__).response()
    # ninja's own refusals keep the status ninja gave them.
    kind = {405: MethodNotAllowed, 404: NotFound}.get(exc.status_code, BadRequest)
    return problem(kind.kind, exc.status_code, exc.message)


def _on_rule(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
    return RuleRefused(exc.message, errors=[error_item(exc.field, exc)]).response()


def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return too_large().response()


def _on_database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    # A write that waited too long for the database (SQLite's single writer behind a large
    # batch, a PostgreSQL lock timeout): nothing was written, and a retry will succeed.
    logger.warning("API database busy on %s %s: %s", request.method, request.path, exc)
    return Unavailable(
        "The register is busy; nothing was written. Retry after a short wait.",
        headers={"Retry-After": "10"},
    ).response()


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return Internal("The register could not handle the request; it is logged.").response()


# Each exception with its handler; ninja picks the handler of the most specific class.
_HANDLERS: tuple[tuple[type[Exception], Callable[..., HttpResponse]], ...] = (
    (ApiProblem, _on_problem),
    (ValidationError, _on_validation),
    (AuthenticationError, _on_authentication),
    (Http404, _on_not_found),
    (HttpError, _on_http_error),
    (RuleViolation, _on_rule),
    (RequestDataTooBig, _on_too_big),
    (OperationalError, _on_database_busy),
    (Exception, _on_unexpected),
)


def answer_errors_as_problems(api: NinjaAPI) -> None:
    """Installs the handlers on ``api``."""
    for exc_class, handler in _HANDLERS:
        api.exception_handler(exc_class)(handler)
