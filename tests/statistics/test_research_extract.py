"""Research extracts: a keyed pseudonym per project, only the columns asked for, nothing
directly identifying for persons who reserved themselves, and every extract logged."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command

from nir.register.models import Person, ResearchExtract
from nir.register.research import research_extract
from nir.register.services.context import OutOfScope
from nir.register.services.participations import create_participation
from tests.conftest import at

D = dt.date


@pytest.fixture
def two_participants(make_person, caseworker_a, kommune_a, settings):
    settings.NIR_PSEUDONYM_SECRET = "a-long-secret-for-the-test-suite"
    made = []
    for n, reserved in enumerate((False, True)):
        person = make_person(
            registered_on=D(2023, 3, 1), birth_date=D(1990 + n, 4, 4), research_reservation=reserved
        )
        made.append(
            create_participation(
                actor=caseworker_a,
                person_id=person.pk,
                kommune_id=kommune_a.pk,
                start_date=D(2023, 3, 1),
                sluttmaal="arbeid",
                at=at(D(2023, 3, 1)),
            )
        )
    return made


def _rows(actor, project, columns=("birth_date", "sex", "regime", "kommune")):
    extract = research_extract(
        actor=actor, project=project, columns=columns, first_year=2023, last_year=2023
    )
    return extract.header, list(extract.rows)


@pytest.mark.django_db
def test_pseudonyms_differ_between_projects_and_reserved_persons_lose_identifying_data(
    two_participants, imdi_adviser
):
    header, rows_a = _rows(imdi_adviser, "PROSJEKT-A")
    _, rows_b = _rows(imdi_adviser, "PROSJEKT-B")
    assert header == ["pseudonym", "birth_date", "sex", "regime", "kommune"]
    numbers = set(Person.objects.values_list("identity_number", flat=True))
    for row in rows_a:
        assert row[0] not in numbers and len(row[0]) == 20
        assert not any(number in row for number in numbers)
    assert {r[0] for r in rows_a}.isdisjoint({r[0] for r in rows_b})
    assert _rows(imdi_adviser, "PROSJEKT-A")[1] == rows_a  # stable within a project
    open_row, reserved_row = rows_a
    assert open_row[1] == "1990-04-04" and open_row[4] == "0301"
    assert reserved_row[1] == "" and reserved_row[4] == ""
    assert reserved_row[3] == "integreringsloven"
    assert ResearchExtract.objects.filter(project="PROSJEKT-A").count() == 2
    assert ResearchExtract.objects.first().reserved_persons == 1


@pytest.mark.django_db
def test_only_imdi_makes_extracts(two_participants, caseworker_a):
    with pytest.raises(OutOfScope):
        _rows(caseworker_a, "X")
    assert not ResearchExtract.objects.exists()


@pytest.mark.django_db
def test_the_command_writes_the_columns_asked_for(two_participants, tmp_path):
    out = tmp_path / "uttrekk.csv"
    call_command(
        "research-extract",
        "--project",
        "P1",
        "--columns",
        "birth_year,end_date",
        "--years",
        "2023-2024",
        "--output",
        str(out),
        "--requested-by",
        "forsker@imdi",
    )
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["pseudonym", "birth_year", "end_date"]
    assert sorted(r[1] for r in rows[1:]) == ["1990", "1991"]
    assert ResearchExtract.objects.get().requested_by == "forsker@imdi"
