"""The role that serves the register (`nir grant-serving-role`): on PostgreSQL it appends to
the access log and registers as before, but cannot truncate, delete or rewrite the log,
reset a head, or switch the triggers off. The suite itself keeps running as the owner."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from nir.audit import access_log
from nir.audit.access_log import Reader, log_access
from nir.audit.models import AccessLogEntry, AccessLogHead
from nir.register.models import Kommune, Person
from nir.register.services.context import Actor, Channel
from nir.register.services.persons import PersonData, register_person
from nir.rules.identity import make_valid_identity_number
from tests.conftest import at, ensure_kommuner

POSTGRESQL = connection.vendor == "postgresql"
needs_postgresql = pytest.mark.skipif(
    not POSTGRESQL, reason="SQLite has no roles or privileges; the serving role is PostgreSQL's"
)


def _command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("grant-serving-role", *args, stdout=out)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue()
    return 0, out.getvalue()


def _as_superuser(sql: str) -> None:
    """Roles are the cluster's: the superuser postgres creates and drops the test's role."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user="postgres",
        dbname=settings["NAME"],
        autocommit=True,
    ) as superuser:
        superuser.execute(sql)


@pytest.fixture
def serving_role(transactional_db) -> Iterator[str]:
    role = f"nir_serving_{secrets.token_hex(4)}"
    _as_superuser(f"CREATE ROLE {role} LOGIN")
    try:
        yield role
    finally:
        connection.close()
        _as_superuser(f"DROP OWNED BY {role}; DROP ROLE {role}")


@contextmanager
def _connected_as(role: str) -> Iterator[None]:
    """The register's own connection, logged in as ``role`` instead of the owner."""
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict.update(USER=role, PASSWORD="")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == role
        yield
    finally:
        connection.close()
        connection.settings_dict.update(USER=saved["USER"], PASSWORD=saved["PASSWORD"])


def _read(what: str) -> AccessLogEntry:
    return log_access(
        reader=Reader(actor="kari@oslo", organisation="0301", channel="web"),
        action="view_participant",
        what=what,
        person_ids=[1, 2],
    )


def _verify() -> str:
    out = io.StringIO()
    call_command("verify-access-log", stdout=out)
    return out.getvalue()


@needs_postgresql
def test_the_serving_role_appends_but_cannot_truncate_delete_or_rewrite_the_log(serving_role):
    ensure_kommuner()
    oslo = Kommune.objects.get(number="0301")
    _read("/deltakelse/1/")
    code, out = _command(serving_role)
    assert code == 0, out
    assert f"serving role {serving_role}:" in out and "privileges as serving needs" in out
    entries = AccessLogEntry.objects.count()

    refusals = [
        "TRUNCATE audit_accesslogentry CASCADE",
        "TRUNCATE audit_accesslogperson",
        "TRUNCATE audit_accessloghead",
        "DELETE FROM audit_accesslogentry",
        "DELETE FROM audit_accesslogperson",
        "UPDATE audit_accesslogentry SET actor = 'noen-andre'",
        "UPDATE audit_accesslogperson SET person_id = 3",
        "UPDATE audit_accessloghead SET entries = 0, last_hash = repeat('0', 64)",  # a reset
        "UPDATE audit_accessloghead SET id = id + 100",
        "DELETE FROM audit_accessloghead",
        "ALTER TABLE audit_accesslogentry DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_accessloghead_forward ON audit_accessloghead",
        "DROP TABLE audit_accesslogperson",
    ]
    with _connected_as(serving_role):
        access_log._heads_checked = False  # a fresh process: the heads are checked again
        _read("/deltakelse/2/")
        _read("/deltakelse/3/")
        # The register's ordinary writes, through its services.
        person = register_person(
            actor=Actor("kari.saksbehandler@oslo", Channel.WEB, oslo.pk),
            data=PersonData(
                identity_number=make_valid_identity_number(
                    dt.date(1990, 5, 17), 123, synthetic=True
                ),
                given_name="Amina",
                family_name="Testesen",
                birth_date=dt.date(1990, 5, 17),
                permit_type="flyktning",
                permit_date=dt.date(2022, 1, 10),
                arrival_date=None,
                has_upper_secondary=True,
            ),
            at=at(dt.date(2022, 1, 10)),
        )
        refused = {}
        for statement in refusals:
            with pytest.raises(DatabaseError) as error, transaction.atomic():
                connection.cursor().execute(statement)
            refused[statement] = str(error.value)
        assert "innsynsloggen kan ikke endres" in refused[refusals[7]], refused[refusals[7]]
        for statement in refusals[:7] + refusals[8:10]:
            assert "permission denied" in refused[statement], (statement, refused[statement])
        assert all("must be owner" in refused[s] for s in refusals[10:]), refused
        assert "chain intact" in _verify()

    # As the owner again: nothing was lost, and the person was registered.
    assert AccessLogEntry.objects.count() == entries + 2
    assert sum(head.entries for head in AccessLogHead.objects.all()) == entries + 2
    assert Person.objects.filter(pk=person.pk).exists()
    assert "chain intact" in _verify()


@needs_postgresql
def test_the_check_reports_a_privilege_beyond_the_serving_ones(serving_role):
    code, out = _command(serving_role, "--check")
    assert code == 1
    assert f"{serving_role} cannot SELECT audit_accesslogentry" in out  # nothing granted yet
    assert _command(serving_role)[0] == 0
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE, UPDATE ON audit_accesslogentry TO {serving_role}")
    code, out = _command(serving_role, "--check")
    assert code == 1
    assert f"{serving_role} can TRUNCATE audit_accesslogentry" in out
    assert f"{serving_role} can UPDATE audit_accesslogentry" in out
    # Granting again takes back what serving does not need.
    assert _command(serving_role)[0] == 0
    assert _command(serving_role, "--check") == (
        0,
        f"serving role {serving_role}: {_table_count()} tables, privileges as serving needs\n",
    )


def _table_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        return int(cursor.fetchone()[0])


@needs_postgresql
def test_the_owner_itself_cannot_be_the_serving_role(db):
    owner = connection.settings_dict["USER"]
    with pytest.raises(CommandError, match=f"{owner} acts as .* serve with a role that owns"):
        _command(owner)


@pytest.mark.skipif(POSTGRESQL, reason="what the command says on SQLite")
def test_on_sqlite_the_command_says_the_serving_role_is_postgresqls(db):
    with pytest.raises(CommandError, match="SQLite has no roles"):
        _command("nir_web")
