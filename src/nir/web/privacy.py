"""No page, download or API reply of the register is kept by a browser or a proxy cache.

Nearly every response carries personal data (a participant, a list, an export, an API
record), and the rest are not worth caching: ``Cache-Control: no-store`` on all of them, so
a shared computer's cache or an intermediary never holds a person's record. Static files
are served before this middleware and keep their long cache lifetimes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
