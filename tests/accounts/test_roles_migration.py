"""The migrations to several roles keep every user's and every API client's rights: a user
keeps exactly the role they had, a client and a Maskinporten consumer write the programme."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import ensure_kommuner


def _migrate(*targets: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    executor.loader.build_graph()
    return executor.loader.project_state(list(targets)).apps


@pytest.mark.django_db(transaction=True)
def test_each_user_keeps_the_role_they_had_and_clients_keep_the_programme():
    ensure_kommuner()
    old = _migrate(("accounts", "0004_login_throttle_by_user_and_address"), ("api", "0001_initial"))
    User = old.get_model("accounts", "User")
    Kommune = old.get_model("register", "Kommune")
    oslo = Kommune.objects.filter(number="0301").first()
    User.objects.create(username="kari", role="kommuneintrobruker", kommune=oslo)
    User.objects.create(username="ingrid", role="imdi_radgiver")
    User.objects.create(username="stian", role="imdi_statistiker")
    old.get_model("api", "ApiClient").objects.create(
        name="Oslo", kommune=oslo, token_hash="x" * 64, token_prefix="nir_x", created_by="t"
    )
    new = _migrate(("accounts", "0005_user_roles"), ("api", "0002_client_schemes"))
    roles = dict(new.get_model("accounts", "User").objects.values_list("username", "roles"))
    assert roles == {
        "kari": ["kommuneintrobruker"],
        "ingrid": ["imdi_radgiver"],
        "stian": ["imdi_statistiker"],
    }
    schemes = new.get_model("api", "ApiClient").objects.values_list("schemes", flat=True)
    assert list(schemes) == [["introduksjonsprogram"]]
