"""Research extracts: a keyed pseudonym per project, only the columns asked for, persons
who reserved themselves left out, and every extract logged."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command

from nir.register.figures_models import ResearchExtract
from nir.register.models import Person
from nir.register.research import ExtractRequest, project_key, pseudonym, research_extract
from nir.register.services.context import OutOfScope
from nir.register.services.participations import NewParticipation, create_participation
from tests.conftest import at

D = dt.date


@pytest.fixture
def two_participants(make_person, caseworker_a, kommune_a, settings):
    settings.NIR_PSEUDONYM_SECRET = "a-long-secret-for-the-test-suite"
    made = []
    # Six who share their quasi-identifiers (k = 5 holds as registered) and one reserved.
    for n, reserved in enumerate((False,) * 6 + (True,)):
        person = make_person(
            registered_on=D(2023, 3, 1),
            birth_date=D(1990 + n // 6, 4, 4 + n % 6),
            research_reservation=reserved,
        )
        made.append(
            create_participation(
                actor=caseworker_a,
                person_id=person.pk,
                new=NewParticipation(start_date=D(2023, 3, 1), sluttmaal="arbeid"),
                kommune_id=kommune_a.pk,
                at=at(D(2023, 3, 1)),
            )
        )
    return made


def _rows(actor, project, columns=("birth_year", "sex", "regime", "kommune")):
    extract = research_extract(
        actor=actor,
        request=ExtractRequest(project=project, columns=columns, first_year=2023, last_year=2023),
    )
    return extract.header, list(extract.rows)


@pytest.mark.django_db
def test_pseudonyms_differ_between_projects_and_reserved_persons_are_left_out(
    two_participants, imdi_adviser
):
    header, rows_a = _rows(imdi_adviser, "PROSJEKT-A")
    _, rows_b = _rows(imdi_adviser, "PROSJEKT-B")
    assert header == ["pseudonym", "birth_year", "sex", "regime", "kommune"]
    numbers = set(Person.objects.values_list("identity_number", flat=True))
    for row in rows_a:
        assert row[0] not in numbers and len(row[0]) == 20
        assert not any(number in row for number in numbers)
    assert {r[0] for r in rows_a}.isdisjoint({r[0] for r in rows_b})
    assert _rows(imdi_adviser, "PROSJEKT-A")[1] == rows_a  # stable within a project
    assert len(rows_a) == 6  # the reserved person is not in it, not even blanked
    assert {tuple(r[1:]) for r in rows_a} == {("1990", "ukjent", "integreringsloven", "0301")}
    reserved = Person.objects.get(research_reservation=True)
    assert pseudonym(project_key("PROSJEKT-A"), reserved.identity_number) not in {
        r[0] for r in rows_a
    }
    assert ResearchExtract.objects.filter(project="PROSJEKT-A").count() == 2
    log = ResearchExtract.objects.first()
    assert (log.reserved_persons, log.rows, log.k) == (1, 6, 5)


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
    assert sorted(r[1] for r in rows[1:]) == ["1990"] * 6
    assert ResearchExtract.objects.get().requested_by == "forsker@imdi"


@pytest.mark.django_db
def test_a_birth_date_is_generalised_until_k_holds_and_the_log_says_so(
    two_participants, imdi_adviser
):
    extract = research_extract(
        actor=imdi_adviser,
        request=ExtractRequest(
            project="P2",
            columns=("birth_date", "sex"),
            first_year=2023,
            last_year=2023,
            purpose="Alder ved start",
        ),
    )
    rows = list(extract.rows)
    # Six different days of April 1990: as dates each is alone; as a month all six agree.
    assert {r[1] for r in rows} == {"1990-04"}
    assert extract.report.generalised == {"birth_date": "måned"}
    log = ResearchExtract.objects.get(project="P2")
    assert log.generalised == {"columns": {"birth_date": "måned"}, "suppressed": 0}
    assert log.purpose == "Alder ved start"


@pytest.mark.django_db
def test_k_below_two_is_refused_at_its_field(two_participants, imdi_adviser):
    from nir.rules.errors import RuleViolation

    with pytest.raises(RuleViolation) as error:
        research_extract(
            actor=imdi_adviser,
            request=ExtractRequest(
                project="P3", columns=("sex",), first_year=2023, last_year=2023, k=1
            ),
        )
    assert error.value.field == "k"
    assert not ResearchExtract.objects.exists()
