from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, re_path

from nir.api.problems import MethodNotAllowed, NotFound
from nir.api.v1 import api


def unknown_endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Below /api/ every error is problem details, also for a path no version knows."""
    return NotFound(f"No API endpoint at {request.path}. See /api/v1/docs.").response()


def _problem_on_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method a path does not have with Django's plain-text 405; the API
    answers it as problem details, with the same Allow header."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "Allow" in response:
            allowed = response["Allow"]
            response = MethodNotAllowed(
                f"{request.method} is not allowed here; allowed: {allowed}.",
                headers={"Allow": allowed},
            ).response()
        return response

    for attribute in ("csrf_exempt",):
        if hasattr(view, attribute):
            setattr(wrapped, attribute, getattr(view, attribute))
    return wrapped


def _v1_patterns() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _problem_on_405(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("v1/", _v1_patterns()),
    # [\s\S]: a path with a newline in it is an unknown endpoint too, not the site's page.
    re_path(r"^(?P<rest>[\s\S]*)$", unknown_endpoint),
]
