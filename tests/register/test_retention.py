"""Retention: a person whose participations all ended long ago is anonymised, still counted
in statistics, and the step is logged."""

import datetime as dt

import pytest

from nir.register.figure_states import states_now
from nir.register.models import HistoryEvent, Person
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.retention import apply_retention
from nir.register.statistics import year_figures
from tests.conftest import at

D = dt.date


@pytest.fixture
def ended_2014(make_person, caseworker_a, kommune_a):
    person = make_person(
        registered_on=D(2014, 1, 6), birth_date=D(1980, 6, 15), permit_date=D(2013, 10, 1)
    )
    p = create_participation(
        actor=caseworker_a,
        person_id=person.pk,
        new=NewParticipation(start_date=D(2014, 1, 6)),
        kommune_id=kommune_a.pk,
        at=at(D(2014, 1, 6)),
    )
    register_termination(
        actor=caseworker_a,
        participation_id=p.pk,
        end_date=D(2015, 3, 1),
        reason="arbeid",
        at=at(D(2015, 3, 2)),
    )
    return person


@pytest.mark.django_db
def test_a_person_past_the_retention_period_is_anonymised_and_still_counted(ended_2014, settings):
    settings.NIR_RETENTION_PERSON_YEARS = 10
    assert apply_retention(D(2025, 3, 1), at=at(D(2025, 3, 1))) == {"persons_anonymised": 0}
    number = ended_2014.identity_number
    assert apply_retention(D(2025, 3, 2), at=at(D(2025, 3, 2))) == {"persons_anonymised": 1}
    person = Person.objects.get(pk=ended_2014.pk)
    assert person.identity_number != number and person.given_name == "Anonymisert"
    assert person.birth_date == D(1980, 1, 1)
    assert not HistoryEvent.objects.filter(
        person=person, action="person_registered", after__isnull=False
    ).exists()
    assert HistoryEvent.objects.filter(person=person, action="person_anonymised").exists()
    figures = year_figures(states_now().values(), 2015, "kjonn")
    assert sum(figures.participants.values()) == 1
    # Running again finds nothing more to do.
    assert apply_retention(D(2025, 3, 3)) == {"persons_anonymised": 0}


@pytest.mark.django_db
def test_zero_years_turns_anonymisation_off(ended_2014, settings):
    settings.NIR_RETENTION_PERSON_YEARS = 0
    assert apply_retention(D(2040, 1, 1)) == {"persons_anonymised": 0}
