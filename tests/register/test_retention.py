"""Retention: a person whose participations in both schemes all ended long ago is anonymised,
still counted in statistics, and the step is logged."""

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, Person
from nir.register.services.context import Actor, Channel
from nir.register.services.items import NorskEndItem, TerminationItem
from nir.register.services.norsk import (
    NewNorskParticipation,
    end_norsk_participation,
    start_norsk_participation,
)
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.retention import apply_retention
from nir.rules.norsk.end_reasons import TIMER_GJENNOMFORT
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at
from tests.statistics.row_by_row import states_now, year_figures

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
        termination=TerminationItem(end_date=D(2015, 3, 1), reason="arbeid"),
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


def _norsk_ordning(make_person, kommune_a, *, end_on=None):
    """A person in Norwegian training only (kap. 6A), ended on end_on when given."""
    person = make_person(
        registered_on=D(2023, 2, 1),
        permit_type="kollektiv_beskyttelse",
        permit_date=D(2022, 12, 1),
        settlement_date=D(2023, 1, 2),
        has_upper_secondary=True,
    )
    nora = Actor("nora@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK}))
    row = start_norsk_participation(
        actor=nora,
        person_id=person.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(
            start_date=D(2023, 2, 1), permit_list=PermitList.KOLLEKTIV_BESKYTTELSE
        ),
        at=at(D(2023, 2, 1)),
    )
    if end_on is not None:
        end_norsk_participation(
            actor=nora,
            norsk_participation_id=row.pk,
            end=NorskEndItem(end_on, TIMER_GJENNOMFORT),
            at=at(end_on),
        )
    return person


@pytest.mark.django_db
def test_a_person_only_in_norwegian_training_is_anonymised_after_its_end(
    make_person, kommune_a, settings
):
    settings.NIR_RETENTION_PERSON_YEARS = 10
    person = _norsk_ordning(make_person, kommune_a, end_on=D(2024, 1, 10))

    assert apply_retention(D(2034, 1, 10)) == {"persons_anonymised": 0}
    assert apply_retention(D(2034, 1, 11)) == {"persons_anonymised": 1}
    assert Person.objects.get(pk=person.pk).given_name == "Anonymisert"


@pytest.mark.django_db
def test_open_norwegian_training_keeps_a_person_whose_programme_ended_long_ago(
    ended_2014, kommune_a, caseworker_a, settings
):
    settings.NIR_RETENTION_PERSON_YEARS = 10
    nora = Actor("nora@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK}))
    start_norsk_participation(
        actor=nora,
        person_id=ended_2014.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(
            start_date=D(2015, 2, 1), permit_list=PermitList.KOLLEKTIV_BESKYTTELSE
        ),
        at=at(D(2015, 2, 1)),
    )

    assert apply_retention(D(2030, 1, 1)) == {"persons_anonymised": 0}
    assert Person.objects.get(pk=ended_2014.pk).given_name != "Anonymisert"
