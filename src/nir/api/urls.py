from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path

from nir.api.problems import problem
from nir.api.v1 import api


def unknown_endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Below /api/ every error is problem details, also for a path no version knows."""
    return problem("not-found", 404, f"No API endpoint at {request.path}. See /api/v1/docs.")


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
