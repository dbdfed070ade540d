"""The scheduler's job for the Norwegian frist passing (N3-d): flagged and on the work list
from the day after the frist, idempotent, lifted by a frist moved past the day, and ended
only behind ``auto_end_norsk_at_frist``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from nir.jobs import registry
from nir.jobs.models import JobRun
from nir.jobs.scheduler import run_due
from nir.register.models import HistoryEvent
from nir.register.norsk_models import NorskParticipation
from nir.register.services.items import LeaveItem
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.register.services.norsk_frist import NorskFristRun, run_norsk_frist
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.norsk.rights import PermitList
from tests.conftest import at
from tests.norsk_fixtures import START, switch_on_auto_end

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")


def _flag_events(ordning):
    return list(
        HistoryEvent.objects.filter(norsk_participation=ordning, action="norsk_frist_passed")
        .order_by("id")
        .values_list("before", "after")
    )


@pytest.mark.django_db
def test_the_scheduler_flags_the_passed_frist_once_and_invents_no_end(ordning):
    on_the_frist = dt.datetime(2023, 9, 10, 6, 0, tzinfo=OSLO)
    run_due(registry.JOBS, on_the_frist)
    assert JobRun.objects.get(job="norsk_frist", period="2023-09-10").counts == {
        "flagged": 0,
        "ended": 0,
    }
    day_after = dt.datetime(2023, 9, 11, 6, 0, tzinfo=OSLO)
    run_due(registry.JOBS, day_after)
    run_due(registry.JOBS, day_after + dt.timedelta(hours=1))  # a second call skips
    assert JobRun.objects.get(job="norsk_frist", period="2023-09-11").counts == {
        "flagged": 1,
        "ended": 0,
    }
    row = NorskParticipation.objects.get(pk=ordning.pk)
    assert (row.frist_flagged_on, row.end_date, row.end_reason) == (D(2023, 9, 11), None, "")
    assert _flag_events(ordning) == [
        ({"frist_flagged_on": None}, {"frist_flagged_on": "2023-09-11"})
    ]
    # The next day's run finds it flagged already.
    assert run_norsk_frist(D(2023, 9, 12), at(D(2023, 9, 12))) == NorskFristRun(0, 0)


@pytest.mark.django_db
def test_leave_that_moves_the_frist_past_the_day_lifts_the_flag(ordning, norsk_a):
    run_norsk_frist(D(2023, 9, 11), at(D(2023, 9, 11)))
    leave = LeaveItem("foreldrepermisjon", D(2022, 8, 1), D(2022, 9, 30), D(2023, 9, 12))
    moved = register_norsk_item(
        actor=norsk_a, norsk_participation_id=ordning.pk, item=leave, at=at(D(2023, 9, 12))
    )
    assert (moved.frist, moved.frist_flagged_on) == (D(2023, 11, 10), None)
    assert _flag_events(ordning)[-1] == (
        {"frist_flagged_on": "2023-09-11"},
        {"frist_flagged_on": None},
    )


@pytest.mark.django_db
def test_behind_the_switch_the_job_ends_the_ordning_with_frist_utlopt(ordning, monkeypatch):
    switch_on_auto_end(monkeypatch)
    assert run_norsk_frist(D(2023, 9, 11), at(D(2023, 9, 11))) == NorskFristRun(1, 1)
    ended = NorskParticipation.objects.get(pk=ordning.pk)
    assert (ended.end_date, ended.end_reason, ended.end_set_by) == (
        D(2023, 9, 10),
        "frist_utlopt",
        "system",
    )
    assert run_norsk_frist(D(2023, 9, 12), at(D(2023, 9, 12))) == NorskFristRun(0, 0)


@pytest.mark.django_db
def test_every_ordning_past_its_frist_is_flagged_chunk_by_chunk(
    norsk_a, kommune_a, make_person, monkeypatch
):
    from nir.register.services import norsk_frist

    monkeypatch.setattr(norsk_frist, "CHUNK", 2)  # five ordninger: three chunks
    rows = [
        start_norsk_participation(
            actor=norsk_a,
            person_id=make_person(permit_date=START, has_upper_secondary=True).pk,
            kommune_id=kommune_a.pk,
            new=NewNorskParticipation(start_date=START, permit_list=PermitList.RETT_OG_PLIKT),
            at=at(START),
        )
        for _ in range(5)
    ]
    assert run_norsk_frist(D(2023, 9, 11), at(D(2023, 9, 11))) == NorskFristRun(5, 0)
    for before in rows:
        after = NorskParticipation.objects.get(pk=before.pk)
        assert after.frist_flagged_on == D(2023, 9, 11)
        assert after.version == before.version + 1  # a stale form sees the change
        assert _flag_events(after) == [
            ({"frist_flagged_on": None}, {"frist_flagged_on": "2023-09-11"})
        ]
    assert run_norsk_frist(D(2023, 9, 12), at(D(2023, 9, 12))) == NorskFristRun(0, 0)


@pytest.mark.django_db
def test_the_persons_education_registered_later_gives_the_open_ordning_its_frist(
    norsk_a, caseworker_a, kommune_a, make_person
):
    """N3-b: without an education background the frist is not computable; the programme's
    caseworker registering the person's upper secondary education gives the Norwegian
    ordning its frist (18 months), in the same write."""
    from nir.register.models import Person
    from nir.register.services.persons import PersonData, update_person

    person = make_person(permit_date=START, has_upper_secondary=None)
    ordning = start_norsk_participation(
        actor=norsk_a,
        person_id=person.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(start_date=START, permit_list=PermitList.RETT_OG_PLIKT),
        at=at(START),
    )
    assert ordning.frist is None
    person = Person.objects.get(pk=person.pk)
    facts = {f.name: getattr(person, f.name) for f in dataclasses.fields(PersonData)}
    update_person(
        actor=caseworker_a,
        person_id=person.pk,
        expected_version=person.version,
        data=PersonData(**{**facts, "has_upper_secondary": True}),
        at=at(D(2022, 4, 1)),
    )
    after = NorskParticipation.objects.get(pk=ordning.pk)
    assert after.frist == D(2023, 9, 10)  # N-1: 18 months from the start
    assert after.version == ordning.version + 1
    assert HistoryEvent.objects.filter(
        norsk_participation=ordning, action="norsk_frist_recomputed"
    ).exists()
