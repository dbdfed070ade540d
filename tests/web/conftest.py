"""Personas for the caseworker UI: a caseworker of Oslo (A), of Bergen (B), IMDi, anonymous."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from nir.accounts.models import Role
from tests.web.builders import WebRegister, build_register, make_user


@pytest.fixture(autouse=True)
def _bokmaal_after_each_test():
    """A request in English leaves English active in the thread; the next test starts in
    the register's own language."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages cache counts by the data's last change; each test starts with none cached."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register(kommune_a, kommune_b) -> WebRegister:
    return build_register(kommune_a, kommune_b)


@pytest.fixture
def client_a(kommune_a) -> Client:
    client = Client()
    client.force_login(make_user("oslo", kommune_a))
    return client


@pytest.fixture
def client_b(kommune_b) -> Client:
    client = Client()
    client.force_login(make_user("bergen", kommune_b))
    return client


@pytest.fixture
def client_imdi(db) -> Client:
    client = Client()
    client.force_login(make_user("imdi", None, Role.IMDI_RADGIVER))
    return client
