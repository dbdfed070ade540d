"""Per-client rate limits: past the limit a client gets 429 with Retry-After, as a problem;
another client is not affected."""

import pytest
from django.core.cache import cache

from nir.api.clients import create_api_client


@pytest.fixture
def tokens(kommune_a, kommune_b, settings):
    settings.NIR_API_RATE_PER_MINUTE = 3
    cache.clear()
    yield (
        create_api_client(kommune_number="0301", name="Oslo", created_by="t").token,
        create_api_client(kommune_number="4601", name="Bergen", created_by="t").token,
    )
    cache.clear()


@pytest.mark.django_db
def test_a_client_past_its_limit_gets_429_and_others_do_not(client, tokens):
    oslo, bergen = tokens
    statuses = [
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {oslo}").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {oslo}")
    assert limited["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["type"].endswith("rate-limited")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {bergen}").status_code == 200
