"""Refuse a request whose address holds a control character, before any view reads it.

A NUL in a path or query string (``/sok/?q=%00``) would reach a database query, and
PostgreSQL cannot hold NUL at all. The API answers 422 in its problem format naming the
part of the request; a page answers 400 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from nir.api.problems import error_item, problem
from nir.rules.input_limits import has_control_character, text_violation


def _offending(request: HttpRequest) -> str | None:
    """The part of the address with a control character: ``path`` or ``query.<name>``."""
    if has_control_character(request.path) or has_control_character(
        unquote(request.META.get("PATH_INFO", ""))
    ):
        return "path"
    for name, values in request.GET.lists():
        if has_control_character(name) or any(has_control_character(v) for v in values):
            return f"query.{name}"
    return None


class ControlCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _offending(request)
        if field is None:
            return self.get_response(request)
        violation = text_violation(field, "\x00")
        assert violation is not None
        if request.path.startswith("/api/"):
            # 422, as every other refused value in the API (its contract declares it).
            return problem(
                "validation",
                422,
                "The request address contains a control character.",
                errors=[error_item(field, violation)],
            )
        # This runs before the locale middleware: the page takes the user's language from
        # the language cookie or the browser, as every other page does.
        with translation.override(translation.get_language_from_request(request)):
            return render(request, "400.html", {"field": field.removeprefix("query.")}, status=400)
