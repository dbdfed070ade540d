"""Personas of the machine API: the case systems of Kommune A (Oslo) and Kommune B (Bergen)."""

from __future__ import annotations

import pytest

from nir.api.clients import create_api_client
from nir.rules.schemes import Scheme
from tests.api.helpers import ApiCaller

NORSK = Scheme.NORSK


@pytest.fixture
def fagsystem_a(kommune_a) -> ApiCaller:
    issued = create_api_client(kommune_number="0301", name="Oslo fagsystem", created_by="test")
    return ApiCaller(issued.token)


@pytest.fixture
def fagsystem_b(kommune_b) -> ApiCaller:
    issued = create_api_client(kommune_number="4601", name="Bergen fagsystem", created_by="test")
    return ApiCaller(issued.token)


@pytest.fixture
def norsk_system_a(kommune_a) -> ApiCaller:
    """Oslo's adult-education case system: writes Norwegian training only."""
    issued = create_api_client(
        kommune_number="0301", name="Oslo voksenopplæring", created_by="test", schemes=[NORSK]
    )
    return ApiCaller(issued.token)


@pytest.fixture
def norsk_system_b(kommune_b) -> ApiCaller:
    issued = create_api_client(
        kommune_number="4601", name="Bergen voksenopplæring", created_by="test", schemes=[NORSK]
    )
    return ApiCaller(issued.token)
