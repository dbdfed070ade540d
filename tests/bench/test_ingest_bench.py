"""The ingest benchmark is fair: every participant it sends is one the rules accept, and its
limit loads exactly the rows the register wrote, then leaves the register as it was."""

import pytest
from django.utils import timezone

from nir.api.mapping import record_in
from nir.api.schemas.records import RecordIn
from nir.bench.ingest import _bulk_load, _delete, _written, newcomer_records
from nir.register.models import HistoryEvent, Participation, Person
from nir.register.services.context import Actor, Channel
from nir.register.services.upsert.batch import upsert_participants
from nir.register.services.upsert.results import Outcome


@pytest.fixture
def oslo_system(kommune_a):
    return Actor("api:bench", Channel.API, kommune_a.pk)


def _send(actor, count, prefix):
    records = [
        record_in(RecordIn.model_validate(r))
        for r in newcomer_records(count, as_of=timezone.localdate(), prefix=prefix, seed=7)
    ]
    return upsert_participants(actor=actor, records=records)


def test_every_newcomer_the_benchmark_sends_is_accepted(oslo_system):
    results = _send(oslo_system, 300, "T")

    assert [r.errors for r in results if r.outcome is not Outcome.CREATED] == []
    assert Participation.objects.filter(case_id__startswith="T-").count() == 300


def test_the_limit_loads_the_same_rows_and_the_run_leaves_nothing_behind(oslo_system):
    _send(oslo_system, 40, "L")
    before = _written("L")
    rows = sum(len(r) for _, r in before.values())
    assert rows > 40 * 5  # person, participation, registrations and their history

    _delete(before)
    assert not Participation.objects.exists() and not Person.objects.exists()
    assert not HistoryEvent.objects.filter(channel="api").exists()
    _bulk_load(before)
    after = _written("L")
    assert {t: (c, sorted(r)) for t, (c, r) in after.items()} == {
        t: (c, sorted(r)) for t, (c, r) in before.items()
    }
    _delete(before)
    assert not Participation.objects.exists()
