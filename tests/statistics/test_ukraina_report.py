"""The monthly Ukraina report: kap. 6A only, as of its cut-off, small counts hidden."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import call_command

from nir.register.figures_models import PublishedReport
from nir.register.services.items import TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.ukraina_report import MEASURES, build_ukraina_report
from nir.rules.disclosure import TOTAL
from tests.conftest import at

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def kap6a_register(make_person, caseworker_a, kommune_a):
    """Seven kap. 6A participants in Oslo and one under the ordinary rules."""
    made = []
    for n in range(7):
        start = D(2023, 3, 1 + n)
        person = make_person(
            registered_on=start,
            birth_date=D(1980 + n, 2, 2),
            permit_type="kollektiv_beskyttelse",
            permit_date=D(2022, 12, 1),
            sex="kvinne" if n < 5 else "mann",
        )
        made.append(
            create_participation(
                actor=caseworker_a,
                person_id=person.pk,
                new=NewParticipation(start_date=start, sluttmaal="arbeid"),
                kommune_id=kommune_a.pk,
                at=at(start),
            )
        )
    other = make_person(registered_on=D(2023, 3, 2), birth_date=D(1990, 1, 1))
    create_participation(
        actor=caseworker_a,
        person_id=other.pk,
        new=NewParticipation(start_date=D(2023, 3, 2), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2023, 3, 2)),
    )
    register_termination(
        actor=caseworker_a,
        participation_id=made[0].pk,
        termination=TerminationItem(end_date=D(2023, 4, 20), reason="arbeid"),
        at=at(D(2023, 4, 21)),
    )
    return made


@pytest.mark.django_db
def test_the_report_counts_kap6a_only_as_of_its_cutoff(kap6a_register):
    cutoff = dt.datetime(2023, 5, 1, tzinfo=OSLO)
    report = build_ukraina_report("2023-04", cutoff)
    # The national totals are cells of the same release: one who ended is a dot there too.
    assert report.totals == {MEASURES[0]: 6, MEASURES[1]: 0, MEASURES[2]: None}
    by_sex = report.by["Kjønn"]
    assert by_sex.shown("Kvinner", MEASURES[0]) == None  # 4 women: under five  # noqa: E711
    assert by_sex.shown(TOTAL, MEASURES[0]) == 6
    # Kap. 6A by category: all six are «rett» here (none is over 55).
    assert report.by["Kategori"].shown("Rett (18–55 år)", MEASURES[0]) == 6
    # March: seven started, as the register stood on 1 April.
    march = build_ukraina_report("2023-03", dt.datetime(2023, 4, 1, tzinfo=OSLO))
    assert march.totals[MEASURES[1]] == 7


@pytest.mark.django_db
def test_nir_report_ukraina_keeps_the_report_as_delivered(kap6a_register, tmp_path):
    out = tmp_path / "ukraina.xlsx"
    call_command(
        "report", "ukraina", "--month", "2023-04", "--output", str(out), stdout=io.StringIO()
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Oversikt",
        "Fylke",
        "Kommune",
        "Kjønn",
        "Aldersgruppe",
        "Kategori",
        "Avslutningsårsak",
        "Norsk – Fylke",
        "Norsk – Kommune",
        "Norsk – Kjønn",
    ]
    assert "kap. 6A" in book["Oversikt"]["A1"].value
    stored = PublishedReport.objects.get(kind="ukraina_monthly", period="2023-04")
    # Building it again returns the report as it was delivered.
    call_command("report", "ukraina", "--month", "2023-04", stdout=io.StringIO())
    assert PublishedReport.objects.get().cutoff == stored.cutoff


@pytest.mark.django_db
def test_nir_report_statistikk_prints_semicolon_csv_with_dots(kap6a_register):
    out = io.StringIO()
    call_command(
        "report",
        "statistikk",
        "--year",
        "2023",
        "--by",
        "ukraina",
        stdout=out,
        stderr=io.StringIO(),
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Ukraina (kap. 6A) og andre;Deltakere;Startet")
    # One participant under the ordinary rules is hidden, and the 7 under kap. 6A with it.
    # The total of 8 is hidden as well: the table by sex shows 5 women, and with 8 shown
    # the men and the unknown would be 3 between them, each pinned to 1 or 2.
    assert any(line.startswith("Andre;.;.;") for line in lines)
    assert any(line.startswith("Ukraina (kap. 6A);.;.;") for line in lines)
    assert any(line.startswith("I alt;.;.;") for line in lines)


@pytest.mark.django_db
def test_the_report_reads_only_who_was_in_the_programme_during_the_month(kap6a_register):
    from tests.statistics.row_by_row import states_as_of

    cutoff = dt.datetime(2023, 6, 1, tzinfo=OSLO)
    everyone = states_as_of(cutoff)
    for first, last in ((D(2023, 5, 1), D(2023, 5, 31)), (D(2023, 3, 1), D(2023, 3, 3))):
        during = states_as_of(cutoff, during=(first, last))
        expected = {
            pk
            for pk, row in everyone.items()
            if row.start <= last and (row.end is None or row.end >= first)
        }
        assert set(during) == expected
    # The one who ended in April is not read for May; 1–3 March sees the three kap. 6A
    # participants who had started by then and the one under the ordinary rules.
    assert len(states_as_of(cutoff, during=(D(2023, 5, 1), D(2023, 5, 31)))) == 7
    assert len(states_as_of(cutoff, during=(D(2023, 3, 1), D(2023, 3, 3)))) == 4


@pytest.mark.django_db
def test_the_xlsx_states_the_cut_off_in_oslo_time_and_the_month_in_words(kap6a_register):
    from nir.register.ukraina_report import ukraina_report_xlsx

    # 31 May 22:30 UTC is 1 June 00:30 in Oslo (summer time): the page shows the latter.
    cutoff = dt.datetime(2023, 5, 31, 22, 30, tzinfo=dt.UTC)
    report = build_ukraina_report("2023-04", cutoff)
    book = openpyxl.load_workbook(io.BytesIO(ukraina_report_xlsx(report)))
    assert book["Oversikt"]["A2"].value == "Registeret slik det sto 01.06.2023 kl. 00:30."
    assert book["Oversikt"]["A1"].value.endswith("april 2023")
