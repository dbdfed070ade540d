"""Per-client rate limits on the API: a fixed window counted in the cache.

Each client (token or Maskinporten consumer) gets NIR_API_RATE_PER_MINUTE requests a
minute; past that it gets 429 with Retry-After until the window turns. The counter is one
atomic increment per request, with no state in the throttle object, so threads cannot
mix up each other's counts. The default cache is per process: a deployment with several
processes sets a shared cache (see docs/api.md) so the limit holds across them.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

WINDOW_SECONDS = 60


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        limit = settings.NIR_API_RATE_PER_MINUTE
        caller = getattr(request, "auth", None)
        if not limit or caller is None:
            return True  # unauthenticated calls are refused by authentication anyway
        window = int(time.time() // WINDOW_SECONDS)
        key = f"nir-api-rate:{getattr(caller, 'key', caller)}:{window}"
        cache.add(key, 0, WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this request starts the window
            cache.set(key, 1, WINDOW_SECONDS * 2)
            count = 1
        return count <= limit

    def wait(self) -> float:
        return WINDOW_SECONDS - (time.time() % WINDOW_SECONDS)
