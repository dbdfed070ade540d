"""Personas of the machine API: the case systems of Kommune A (Oslo) and Kommune B (Bergen)."""

from __future__ import annotations

import pytest

from nir.api.clients import create_api_client
from tests.api.helpers import ApiCaller


@pytest.fixture
def fagsystem_a(kommune_a) -> ApiCaller:
    issued = create_api_client(kommune_number="0301", name="Oslo fagsystem", created_by="test")
    return ApiCaller(issued.token)


@pytest.fixture
def fagsystem_b(kommune_b) -> ApiCaller:
    issued = create_api_client(kommune_number="4601", name="Bergen fagsystem", created_by="test")
    return ApiCaller(issued.token)
