"""The Norwegian-training ingest benchmark is fair as the programme's is: every ordning it
sends is one the rules accept, its limit loads exactly the rows the register wrote, and the
run leaves the register as it was."""

import pytest
from django.utils import timezone

from nir.api.norsk_mapping import norsk_record_in
from nir.api.schemas.norsk import NorskRecordIn
from nir.bench.ingest import _bulk_load, _delete, _written
from nir.bench.norsk_ingest import NORSK, norsk_newcomer_records
from nir.register.models import HistoryEvent, Person
from nir.register.norsk_models import NorskHours, NorskmaalVersion, NorskParticipation
from nir.register.services.context import Actor, Channel
from nir.register.services.upsert.norsk_upsert import upsert_norsk_participations
from nir.register.services.upsert.results import Outcome
from nir.rules.schemes import Scheme


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
