"""The read replica: report and statistics reads go to `replica`, everything else to
`default`, and without DATABASE_REPLICA_URL there is one database and no router.

The test settings define `replica` as a test mirror of `default` (the same test database
through a second connection) and no router; these tests switch the router on. Data must be
committed for the second connection to see it, hence transactional tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from nir.accounts.models import Role, User
from nir.audit.models import AccessLogEntry
from nir.db_routers import REPLICA, replica_reads
from nir.register.models import Participation
from tests.conftest import ensure_kommuner
from tests.web.builders import WebRegister, build_register, make_user

ROUTER = "nir.db_routers.ReplicaRouter"
PARTICIPATIONS = Participation._meta.db_table
ACCESS_LOG = AccessLogEntry._meta.db_table
WRITES = ("INSERT", "UPDATE", "DELETE")

both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


# --- settings ------------------------------------------------------------------------------


def _settings_of(tmp_path, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Start Django with the production settings and print what the replica setting made."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIR_", "DATABASE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nir.settings",
            "NIR_SECRET_KEY": "x",
            "NIR_DATA_DIR": str(tmp_path),
            **extra_env,
        }
    )
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS, "
        "'replica': s.DATABASES.get('replica'), 'cache': s.CACHES['default']['BACKEND']}, "
        "default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )


def test_without_a_replica_url_there_is_one_database_and_no_router(tmp_path):
    result = _settings_of(tmp_path, {})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["aliases"] == ["default"]
    assert shown["routers"] == []


def test_a_replica_url_adds_the_alias_and_the_router_read_only_on_postgresql(tmp_path):
    result = _settings_of(
        tmp_path,
        {
            "DATABASE_URL": "postgres://nir@primary.example:5432/nir",
            "DATABASE_REPLICA_URL": "postgres://nir_read@replica.example:5432/nir",
        },
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["aliases"] == ["default", "replica"]
    assert shown["routers"] == [ROUTER]
    assert shown["replica"]["HOST"] == "replica.example"
    assert shown["replica"]["OPTIONS"] == {
        "options": "-c jit=off -c default_transaction_read_only=on"
    }


@pytest.mark.parametrize(
    ("replica_url", "fragment"),
    [
        ("replica.example:5432/nir", "DATABASE_REPLICA_URL is not a database URL"),
        ("mysqlx://replica.example/nir", "DATABASE_REPLICA_URL is not a database URL"),
        # A PostgreSQL replica of a SQLite register cannot be a copy of it.
        ("postgres://nir@replica.example:5432/nir", "DATABASE_REPLICA_URL must name a copy"),
    ],
)
def test_a_bad_replica_url_stops_start_up_naming_the_variable(tmp_path, replica_url, fragment):
    result = _settings_of(tmp_path, {"DATABASE_REPLICA_URL": replica_url})
    assert result.returncode != 0
    assert fragment in result.stderr


def test_the_test_suite_runs_without_a_router():
    # The rest of the suite must see what an install without a replica sees.
    assert settings.DATABASE_ROUTERS == []
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"


# --- routing -------------------------------------------------------------------------------


@pytest.fixture
def routed():
    with override_settings(DATABASE_ROUTERS=[ROUTER]):
        yield


@pytest.fixture
def web_register() -> WebRegister:
    ensure_kommuner()
    from nir.register.models import Kommune

    return build_register(Kommune.objects.get(number="0301"), Kommune.objects.get(number="4601"))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sql(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def _reads_of(table: str, captured: CaptureQueriesContext) -> list[str]:
    # On PostgreSQL a streamed read is a server-side cursor: DECLARE ... FOR SELECT.
    reads = ("SELECT", "DECLARE")
    return [s for s in _sql(captured) if s.lstrip().upper().startswith(reads) and table in s]


def _writes(captured: CaptureQueriesContext) -> list[str]:
    """The statements that write: those that begin with a write, and those whose common
    table expressions do (the access log appends an entry in one such statement)."""
    return [
        s
        for s in _sql(captured)
        if s.lstrip().upper().startswith(WRITES)
        or (s.lstrip().upper().startswith("WITH") and any(w in s.upper() for w in WRITES))
    ]


def _get(client: Client, path: str) -> tuple[bytes, CaptureQueriesContext, CaptureQueriesContext]:
    """Fetch a page (reading a streamed body too) and capture each connection's queries."""
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, on_default, on_replica


@both_databases
@pytest.mark.parametrize(
    "path",
    [
        "/imdi/statistikk/?etter=kommune&tidspunkt=naa",
        "/imdi/statistikk/?etter=fylke&tidspunkt=frist",
        "/imdi/statistikk.csv?etter=kommune",
        "/imdi/statistikk/etter-frist/",
        "/imdi/datakvalitet/",
        "/rapporter/kommuneoversikt/",
    ],
)
def test_statistics_and_data_quality_read_the_replica(routed, web_register, path):
    client = _client(make_user("imdi", None, Role.IMDI_RADGIVER))
    body, on_default, on_replica = _get(client, path)
    assert _reads_of(PARTICIPATIONS, on_replica), "the figures were not read from the replica"
    assert not _reads_of(PARTICIPATIONS, on_default), "the figures were read from default"
    assert not _writes(on_replica)
    assert body


@both_databases
@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/rapporter/avsluttede/", "Haddad"),
        ("/rapporter/personliste/", "Karimi"),
        ("/rapporter/avsluttede.csv", "Haddad"),
        ("/rapporter/personliste.csv", "Karimi"),
        ("/rapporter/personliste.xlsx", ""),
    ],
)
def test_municipal_reports_read_the_replica_and_log_access_on_default(
    routed, web_register, path, shown
):
    client = _client(make_user("oslo", web_register.kommune_a))
    before = AccessLogEntry.objects.count()
    body, on_default, on_replica = _get(client, path)
    assert shown.encode() in body
    assert _reads_of(PARTICIPATIONS, on_replica)
    assert not _reads_of(PARTICIPATIONS, on_default)
    # Showing persons writes an access-log entry: on the primary, never on the replica.
    assert AccessLogEntry.objects.count() == before + 1
    assert any(ACCESS_LOG in s for s in _writes(on_default))
    assert not _writes(on_replica)


@both_databases
def test_the_caseworkers_own_pages_stay_on_default(routed, web_register):
    client = _client(make_user("oslo", web_register.kommune_a))
    for path in ("/", f"/person/{web_register.overdue_a.person_id}/"):
        _, on_default, on_replica = _get(client, path)
        assert not _sql(on_replica), path
        assert _reads_of(PARTICIPATIONS, on_default), path


@both_databases
def test_inside_the_scope_writes_transactions_and_other_apps_use_default(routed, web_register):
    participation = Participation
    with replica_reads():
        assert router.db_for_read(participation) == REPLICA
        assert router.db_for_write(participation) == "default"
        # The access log, users and sessions are read and written in one request.
        assert router.db_for_read(AccessLogEntry) == "default"
        assert router.db_for_read(User) == "default"
        with transaction.atomic():
            # A read in a transaction may depend on its own writes, which the replica lacks.
            assert router.db_for_read(participation) == "default"
            with CaptureQueriesContext(connections[REPLICA]) as on_replica:
                assert Participation.objects.count() == 3
            assert not _sql(on_replica)
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert Participation.objects.count() == 3
        assert _sql(on_replica)
    assert router.db_for_read(participation) == "default"
    assert Participation.objects.all()[:1].get()._state.db == "default"


@both_databases
def test_the_scope_ends_with_each_row_of_a_streamed_export(routed, web_register):
    from nir.register import reports

    rows = reports.terminated_rows(web_register.kommune_a.pk, reports.TerminatedFilter())
    first = next(rows)
    assert first
    # Between rows the caller's own reads are not routed.
    assert router.db_for_read(Participation) == "default"
    list(rows)


@pytest.mark.django_db
def test_without_the_router_the_scoped_pages_read_default_only(web_register):
    # No replica in this test's databases: a query sent there would fail the test.
    client = _client(make_user("imdi", None, Role.IMDI_RADGIVER))
    assert client.get("/imdi/statistikk/?etter=kommune").status_code == 200
    oslo = _client(make_user("oslo", web_register.kommune_a))
    response = oslo.get("/rapporter/avsluttede.csv")
    assert b"Haddad" in b"".join(response.streaming_content)
