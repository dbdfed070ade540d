"""Reads under load: the caseworker's main pages and the API's main reads, 16 clients at once.

The register is served for real (`nir serve`, see ``nir.bench.load``) and read as Oslo, the
largest municipality (about a tenth of the participations). A figure is met when its p95
is under 150 ms with no errors; p50 is in the note.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from nir.bench.figures import Figure
from nir.bench.load import LoadResult, run_load, served
from nir.register.models import HistoryEvent, Participation

KOMMUNE = "0301"
CLIENTS = 16
TARGET_MS = 150


def _session_cookie(username: str, kommune_number: str | None) -> dict[str, str]:
    """A signed-in session for a bench user, made directly in the session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from nir.accounts.models import Role, User
    from nir.register.models import Kommune

    kommune = Kommune.objects.get(number=kommune_number) if kommune_number else None
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "roles": [Role.KOMMUNEINTROBRUKER if kommune else Role.IMDI_RADGIVER],
            "kommune": kommune,
        },
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {settings.SESSION_COOKIE_NAME: session.session_key or ""}


def _api_token(kommune_number: str) -> str:
    """A fresh token for the bench's own API client; earlier bench tokens are revoked."""
    from nir.api.clients import create_api_client
    from nir.api.models import ApiClient

    name = "nir bench"
    ApiClient.objects.filter(name=name, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return create_api_client(kommune_number=kommune_number, name=name, created_by="nir bench").token


def _figure(name: str, result: LoadResult, limit: LoadResult) -> Figure:
    return Figure(
        f"{name}, {CLIENTS} samtidige klienter mot 2 serverprosesser ({result.requests} svar, "
        f"{result.errors} feil, {result.per_second:.0f}/s), p95 (p50 {result.p50_ms:.0f} ms)",
        "ms",
        [result.p95_ms],
        f"p95 for GET /api/v1/me under samme last, {limit.per_second:.0f}/s",
        [limit.p95_ms],
        target=f"p95 < {TARGET_MS} ms",
        met=result.p95_ms < TARGET_MS and result.errors == 0,
        note=f"p50 {result.p50_ms:.0f} ms",
    )


def bench_web_reads(seconds: float) -> list[Figure]:
    """p50/p95 of the caseworker's main pages and the API's main reads, 16 clients at once
    (Oslo's data)."""
    oslo = Participation.objects.filter(kommune__number=KOMMUNE)
    sample = list(oslo.exclude(case_id="").order_by("pk").values_list("pk", "case_id")[:200])
    ids = [pk for pk, _ in sample]
    case_ids = [case_id for _, case_id in sample]
    # Change-feed cursors spread over the history, as case systems that poll at different
    # times would send them.
    last_event = HistoryEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    cursors = [last_event * n // 20 for n in range(20)]
    cookies = _session_cookie("bench-oslo", KOMMUNE)
    token = _api_token(KOMMUNE)
    pages = {
        "Arbeidslisten": ["/"],
        "Deltakersiden": [f"/deltakelse/{pk}/" for pk in ids] or ["/"],
        "Rapport: avsluttede": ["/rapporter/avsluttede/"],
    }
    api_reads = {
        "API: les deltaker": [f"/api/v1/participations/{c}" for c in case_ids] or ["/api/v1/me"],
        "API: endringsstrøm": [f"/api/v1/changes?after={c}&limit=100" for c in cursors],
        "API: frister": ["/api/v1/deadlines?within_days=30"],
    }
    figures = []
    # Served as in production (no debug: no query log, no template debugging). The session
    # is made here and its cookie handed to the clients, so plain http on loopback serves.
    # The API's per-client rate limit is off: 16 clients at full speed are the point here.
    # Two server processes, one a core, behind the clients as behind a load balancer.
    env = {"NIR_DEBUG": "false", "NIR_API_RATE_PER_MINUTE": "0"}
    with served(env=env) as first, served(env=env) as second:
        base = [first, second]
        headers = {"Authorization": f"Bearer {token}"}
        # The limit: the least a request can cost here (authentication, the framework, the
        # HTTP round trip) with the same clients on the same two cores.
        limit = run_load(
            "limit", base, ["/api/v1/me"], clients=CLIENTS, seconds=seconds, headers=headers
        )
        for name, paths in pages.items():
            result = run_load(name, base, paths, clients=CLIENTS, seconds=seconds, cookies=cookies)
            figures.append(_figure(name, result, limit))
        for name, paths in api_reads.items():
            result = run_load(name, base, paths, clients=CLIENTS, seconds=seconds, headers=headers)
            figures.append(_figure(name, result, limit))
    return figures
