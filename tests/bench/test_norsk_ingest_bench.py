"""The Norwegian-training ingest benchmark is fair as the programme's is: every ordning it
sends is one the rules accept, its limit loads exactly the rows the register wrote, and the
run leaves the register as it was."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from nir.api.norsk_mapping import norsk_record_in
from nir.api.schemas.norsk import NorskRecordIn
from nir.bench.ingest import IngestSetup, _bulk_load, _delete, _written, run_ingest
from nir.bench.load import served
from nir.bench.norsk_ingest import NORSK, norsk_newcomer_records
from nir.register.models import HistoryEvent, Person
from nir.register.norsk_models import NorskHours, NorskmaalVersion, NorskParticipation
from nir.register.services.context import Actor, Channel
from nir.register.services.upsert.norsk_upsert import upsert_norsk_participations
from nir.register.services.upsert.results import Outcome
from nir.rules.schemes import Scheme
from tests.conftest import ensure_kommuner


@pytest.fixture
def oslo_adult_education(kommune_a):
    return Actor("api:bench", Channel.API, kommune_a.pk, frozenset({Scheme.NORSK}))


def _send(actor, count, prefix):
    records = [
        norsk_record_in(NorskRecordIn.model_validate(r))
        for r in norsk_newcomer_records(count, as_of=timezone.localdate(), prefix=prefix, seed=7)
    ]
    return upsert_norsk_participations(actor=actor, records=records)


def test_every_ordning_the_benchmark_sends_is_accepted(oslo_adult_education):
    results = _send(oslo_adult_education, 300, "T")

    assert [r.errors for r in results if r.outcome is not Outcome.CREATED] == []
    assert NorskParticipation.objects.filter(case_id__startswith="T-").count() == 300
    # Both permits' groups, and the register's own end where a test reached the norskmål.
    ordninger = NorskParticipation.objects.all()
    assert {o.permit_list for o in ordninger} == {"ss27", "kollektiv_beskyttelse"}
    assert ordninger.filter(end_set_by="system", end_reason="norskmal_nadd").exists()
    assert ordninger.filter(end_set_by="municipality").exists()


def test_the_limit_loads_the_same_rows_and_the_run_leaves_nothing_behind(oslo_adult_education):
    _send(oslo_adult_education, 40, "L")
    before = _written("L", NORSK)
    assert len(before[NorskHours._meta.db_table][1]) == 40
    assert len(before[NorskmaalVersion._meta.db_table][1]) == 40
    rows = sum(len(r) for _, r in before.values())
    assert rows > 40 * 8  # person, ordning, registrations and their history

    _delete(before)
    assert not NorskParticipation.objects.exists() and not Person.objects.exists()
    assert not HistoryEvent.objects.filter(channel="api").exists()
    _bulk_load(before)
    after = _written("L", NORSK)
    assert {t: (c, sorted(r)) for t, (c, r) in after.items()} == {
        t: (c, sorted(r)) for t, (c, r) in before.items()
    }
    _delete(before)
    assert not NorskParticipation.objects.exists() and not Person.objects.exists()


@contextmanager
def _one_database(tmp_path: Path) -> Iterator[str]:
    """The URL through which server processes reach the database this test reads. SQLite's
    test database lives in this process's memory: it is copied to a file, and this process
    works on the file too while the servers run, as two machines share one database."""
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        yield f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        connection.ensure_connection()
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def _register_rows() -> dict[str, int]:
    models = (Person, NorskParticipation, HistoryEvent, *NORSK.registrations)
    return {m._meta.db_table: m._default_manager.count() for m in models}


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_the_ingest_over_http_accepts_every_ordning_and_leaves_nothing_behind(tmp_path):
    ensure_kommuner()
    with _one_database(tmp_path) as url:
        before = _register_rows()
        env = {"DATABASE_URL": url, "NIR_DEBUG": "false", "NIR_API_RATE_PER_MINUTE": "0"}
        with served(env, threads=4) as base:
            run = run_ingest(IngestSetup([base], 150, timezone.localdate(), 3, NORSK))

        assert (run.records, run.created, run.rejected, run.errors) == (150, 150, 0, 0)
        assert run.rows > 150 * 8 and run.limit_seconds > 0
        assert _register_rows() == before
