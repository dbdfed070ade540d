"""Personas for IMDi's pages: caseworkers of Oslo and Bergen, an IMDi adviser, an IMDi
statistician, and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.test import Client

from nir.accounts.models import Role
from tests.imdi.builders import ImdiRegister, build_imdi_register
from tests.web.builders import make_user


@pytest.fixture
def imdi_register(kommune_a, kommune_b) -> ImdiRegister:
    return build_imdi_register(kommune_a, kommune_b)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_a(kommune_a) -> Client:
    return _client(make_user("oslo", kommune_a))


@pytest.fixture
def client_b(kommune_b) -> Client:
    return _client(make_user("bergen", kommune_b))


@pytest.fixture
def client_imdi(db) -> Client:
    return _client(make_user("imdi", None, Role.IMDI_RADGIVER))


@pytest.fixture
def client_stat(db) -> Client:
    return _client(make_user("statistiker", None, Role.IMDI_STATISTIKER))


@pytest.fixture
def clients(client_a, client_b, client_imdi, client_stat) -> dict[str, Client]:
    return {
        "oslo": client_a,
        "bergen": client_b,
        "imdi": client_imdi,
        "stat": client_stat,
        "anonym": Client(),
    }
