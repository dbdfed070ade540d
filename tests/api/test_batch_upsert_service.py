"""The batch upsert service (nir.register.services.upsert) at a fixed moment: what a
resend, a termination, a stop, a move and a correction do, written through the services."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from nir.register.models import Absence, HistoryEvent, Participation, Person
from nir.register.services.context import Actor, Channel
from nir.register.services.items import (
    AbsenceItem,
    MeasureItem,
    SluttmaalItem,
    StopItem,
    TerminationItem,
)
from nir.register.services.persons import PersonData
from nir.register.services.upsert.batch import upsert_participants
from nir.register.services.upsert.canonical import content_hash
from nir.register.services.upsert.records import ParticipantRecord
from nir.register.services.upsert.results import Outcome
from nir.rules.identity import make_valid_identity_number
from tests.conftest import at

D = dt.date
START = D(2024, 2, 1)  # § 13: frist 2024-08-01
NOW = at(D(2024, 3, 1))


@pytest.fixture
def fagsystem_actor_a(kommune_a):
    return Actor("api:Oslo fagsystem", Channel.API, kommune_a.pk)


@pytest.fixture
def fagsystem_actor_b(kommune_b):
    return Actor("api:Bergen fagsystem", Channel.API, kommune_b.pk)


_individual = [700]


def _record(case_id, **changes):
    number = make_valid_identity_number(D(1990, 5, 17), _individual[0], synthetic=True)
    _individual[0] = int(number[6:9]) + 1
    record = ParticipantRecord(
        case_id=case_id,
        person=PersonData(
            identity_number=number,
            given_name="Amina",
            family_name="Testesen",
            birth_date=D(1990, 5, 17),
            permit_type="flyktning",
            permit_date=D(2023, 6, 1),
            has_upper_secondary=True,
        ),
        start_date=START,
        sluttmaal=[SluttmaalItem("arbeid", START)],
    )
    return dataclasses.replace(record, **changes)


def _one(actor, record, moment=NOW, **kwargs):
    (result,) = upsert_participants(actor=actor, records=[record], at=moment, **kwargs)
    return result


def test_a_termination_in_the_record_ends_the_participation_once(fagsystem_actor_a):
    record = _record("T-1", termination=TerminationItem(D(2024, 2, 20), "arbeid"))

    assert _one(fagsystem_actor_a, record).outcome is Outcome.CREATED
    participation = Participation.objects.get()
    assert (participation.end_date, participation.termination_reason) == (D(2024, 2, 20), "arbeid")
    assert _one(fagsystem_actor_a, record).outcome is Outcome.UNCHANGED


def test_a_real_termination_replaces_the_automatic_one(fagsystem_actor_a):
    record = _record("T-2")
    _one(fagsystem_actor_a, record)
    from nir.register.services.sweep import run_sweep

    run_sweep(as_of=D(2024, 8, 2))  # frist 2024-08-01 passed: «ikke registrert»
    ended = dataclasses.replace(record, termination=TerminationItem(D(2024, 8, 1), "utdanning_vgo"))

    result = _one(fagsystem_actor_a, ended, moment=at(D(2024, 8, 10)))

    assert result.outcome is Outcome.UPDATED
    participation = Participation.objects.get()
    assert (participation.termination_reason, participation.termination_source) == (
        "utdanning_vgo",
        "user",
    )


def test_a_permanent_stop_ends_it_and_a_resend_is_unchanged(fagsystem_actor_a):
    record = _record(
        "S-1",
        stops=[
            StopItem("midlertidig", D(2024, 2, 5), D(2024, 2, 15), D(2024, 2, 4)),
            StopItem("varig", D(2024, 2, 20), D(2024, 12, 31), D(2024, 2, 19)),
        ],
    )

    assert _one(fagsystem_actor_a, record).outcome is Outcome.CREATED
    participation = Participation.objects.get()
    assert (participation.end_date, participation.termination_reason) == (D(2024, 2, 20), "stans")
    assert _one(fagsystem_actor_a, record).outcome is Outcome.UNCHANGED


def test_equal_amounts_of_hours_are_equal_and_duplicates_count(fagsystem_actor_a):
    absences = [
        AbsenceItem("gyldig_fravaer", D(2024, 2, 5), D(2024, 2, 5), Decimal("7.5")),
        AbsenceItem("gyldig_fravaer", D(2024, 2, 5), D(2024, 2, 5), Decimal("7.5")),
    ]
    measures = [MeasureItem("norskopplaering", START, None, Decimal("15"))]
    record = _record("H-1", absences=absences, measures=measures)
    _one(fagsystem_actor_a, record)
    assert Absence.objects.count() == 2

    same = dataclasses.replace(
        record,
        absences=[dataclasses.replace(a, hours=Decimal("7.50")) for a in absences],
        measures=[dataclasses.replace(measures[0], hours_per_week=Decimal("15.0"))],
    )

    assert _one(fagsystem_actor_a, same).outcome is Outcome.UNCHANGED
    third = dataclasses.replace(record, absences=[*absences, absences[0]])
    assert _one(fagsystem_actor_a, third).outcome is Outcome.UPDATED
    assert Absence.objects.count() == 3


def test_a_moved_participant_continues_in_the_new_municipality(
    fagsystem_actor_a, fagsystem_actor_b
):
    in_oslo = _record("OSLO-1", termination=TerminationItem(D(2024, 2, 25), "flyttet"))
    _one(fagsystem_actor_a, in_oslo)
    in_bergen = dataclasses.replace(
        in_oslo,
        case_id="BERGEN-7",
        start_date=D(2024, 2, 26),
        sluttmaal=[SluttmaalItem("arbeid", D(2024, 2, 26))],
        termination=None,
        person=dataclasses.replace(in_oslo.person, family_name="Testesen-Berg"),
    )

    # The new municipality cannot rename the person Oslo registered (person master data is
    # the owner's); with the register's facts, the move goes through.
    refused = _one(fagsystem_actor_b, in_bergen)
    assert refused.outcome is Outcome.REJECTED
    assert refused.errors[0].violation.code == "person.owned_by_other_kommune"
    assert not Participation.objects.filter(case_id="BERGEN-7").exists()

    result = _one(fagsystem_actor_b, dataclasses.replace(in_bergen, person=in_oslo.person))

    assert result.outcome is Outcome.CREATED
    assert Person.objects.count() == 1
    assert Person.objects.get().family_name == in_oslo.person.family_name
    assert Participation.objects.filter(person__family_name=in_oslo.person.family_name).count() == 2


def test_start_date_and_category_of_a_registered_participation_do_not_change(fagsystem_actor_a):
    record = _record("I-1")
    _one(fagsystem_actor_a, record)
    events = HistoryEvent.objects.count()

    moved = _one(fagsystem_actor_a, dataclasses.replace(record, start_date=D(2024, 2, 2)))
    recategorised = _one(fagsystem_actor_a, dataclasses.replace(record, category="kan_tilbys"))

    assert [e.violation.code for e in moved.errors] == ["start_date.immutable"]
    assert [e.violation.code for e in recategorised.errors] == ["category.immutable"]
    assert HistoryEvent.objects.count() == events


def test_a_case_id_twice_in_one_batch_is_refused_the_second_time(fagsystem_actor_a):
    record = _record("DUP-1")

    results = upsert_participants(actor=fagsystem_actor_a, records=[record, record], at=NOW)

    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.REJECTED]
    assert results[1].errors[0].violation.code == "case_id.duplicate_in_batch"


def test_an_actor_for_all_municipalities_cannot_send_records(imdi_adviser):
    result = _one(dataclasses.replace(imdi_adviser, channel=Channel.API), _record("X-1"))

    assert result.errors[0].violation.code == "actor.kommune_required"
    assert not Participation.objects.exists()


def test_a_refused_registration_leaves_the_record_unwritten(fagsystem_actor_a):
    record = _record("W-1", sluttmaal=[SluttmaalItem("arbeid", START), SluttmaalItem("x", START)])

    result = _one(fagsystem_actor_a, record)

    assert result.outcome is Outcome.REJECTED
    assert result.errors[0].field == "sluttmaal[1].sluttmaal"
    assert not Participation.objects.exists() and not Person.objects.exists()
    assert not HistoryEvent.objects.exists()


def test_the_content_hash_follows_the_content_not_the_moment(fagsystem_actor_a):
    record = _record("CH-1")
    first = _one(fagsystem_actor_a, record)
    participation = Participation.objects.get()

    assert content_hash(participation) == first.content_hash
    assert _one(fagsystem_actor_a, record, moment=at(D(2024, 3, 20))).content_hash == (
        first.content_hash
    )


def test_a_dry_run_writes_nothing(fagsystem_actor_a):
    result = _one(fagsystem_actor_a, _record("DRY-1"), dry_run=True)

    assert result.outcome is Outcome.CREATED
    assert not Participation.objects.exists() and not HistoryEvent.objects.exists()
