"""IMDi's figures count every ending in the year; SSB's leaver cohort counts a person once,
in the year of their last ending. Each figure says which counting and cut-off it uses."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from nir.register.services.items import TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.statistics import COUNTING_IMDI, COUNTING_SSB, figures_for
from nir.rules.disclosure import TOTAL
from tests.conftest import at

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def returner(make_person, caseworker_a, kommune_a):
    """One person ends in 2023 and comes back in 2023 to end again in 2024; another ends in
    2023 once."""
    person = make_person(registered_on=D(2023, 1, 10))
    once = make_person(registered_on=D(2023, 1, 10), birth_date=D(1985, 2, 2))

    def spell(who, start, end, reason):
        p = create_participation(
            actor=caseworker_a,
            person_id=who.pk,
            new=NewParticipation(start_date=start, sluttmaal="arbeid"),
            kommune_id=kommune_a.pk,
            at=at(start),
        )
        register_termination(
            actor=caseworker_a,
            participation_id=p.pk,
            termination=TerminationItem(end_date=end, reason=reason),
            at=at(end),
        )

    spell(person, D(2023, 1, 10), D(2023, 3, 1), "avbrutt")
    spell(person, D(2023, 9, 1), D(2024, 2, 1), "arbeid")
    spell(once, D(2023, 1, 10), D(2023, 6, 1), "arbeid")


def _leavers(year, counting, **kwargs):
    figures = figures_for(year, "kommune", at_cutoff=False, counting=counting, **kwargs)
    return figures.attainment[TOTAL].denominator, figures


def test_imdi_counts_every_ending_ssb_only_the_persons_last(returner):
    assert _leavers(2023, COUNTING_IMDI)[0] == 2
    assert _leavers(2024, COUNTING_IMDI)[0] == 1
    # SSB: the returner belongs to 2024 only, the cohort of their last ending.
    assert _leavers(2023, COUNTING_SSB)[0] == 1
    assert _leavers(2024, COUNTING_SSB)[0] == 1
    # Participants during the year are counted alike.
    imdi, ssb = _leavers(2023, COUNTING_IMDI)[1], _leavers(2023, COUNTING_SSB)[1]
    assert imdi.participants == ssb.participants


def test_each_figure_says_its_counting_and_cutoff(returner):
    _, now = _leavers(2023, COUNTING_SSB)
    assert (now.counting, now.cutoff) == (COUNTING_SSB, None)
    assert "SSBs avgangskohort" in now.counting_nb
    at_cutoff = figures_for(2023, "kommune", at_cutoff=True)
    assert (at_cutoff.counting, at_cutoff.cutoff) == (COUNTING_IMDI, D(2024, 2, 29))


def test_the_statistics_page_says_which_counting_and_cutoff(returner, client_imdi):
    body = client_imdi.get(
        "/imdi/statistikk/",
        {"aar": 2023, "etter": "kommune", "tidspunkt": "frist", "telling": "ssb"},
    ).content.decode()
    assert "SSBs avgangskohort" in body
    assert "29.02.2024" in body
    assert "IMDis frist for oppdatering av NIR" in body


def test_the_report_command_counts_the_ssb_way_on_request(returner, capsys):
    call_command("report", "statistikk", "--year", "2023", "--counting", "ssb")
    assert "SSBs avgangskohort" in capsys.readouterr().err


IMDI_NB = "IMDis telling: hver avslutning i året"
SSB_NB = "SSBs avgangskohort: hver person én gang, i året for siste avslutning"


def _csv(client, **params):
    response = client.get("/imdi/statistikk.csv", {"aar": 2023, "etter": "kommune", **params})
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(raw), delimiter=";"))


def test_every_csv_row_says_its_counting_and_cutoff(returner, client_imdi):
    rows = _csv(client_imdi, tidspunkt="frist", telling="ssb")
    # One header and then data, so a CSV reader needs no lines skipped.
    assert rows[0][-2:] == ["Telling", "Frist for tallene"]
    assert rows[-1][0] == "I alt"
    assert {tuple(r[-2:]) for r in rows[1:]} == {(SSB_NB, "29.02.2024")}
    now = _csv(client_imdi)
    assert {tuple(r[-2:]) for r in now[1:]} == {(IMDI_NB, "nå")}


def test_every_xlsx_row_says_its_counting_and_cutoff(returner, client_imdi):
    response = client_imdi.get(
        "/imdi/statistikk.xlsx",
        {"aar": 2023, "etter": "kommune", "tidspunkt": "frist", "telling": "ssb"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    width = sheet.max_column
    assert [sheet.cell(1, c).value for c in (width - 1, width)] == ["Telling", "Frist for tallene"]
    values = {
        (sheet.cell(r, width - 1).value, sheet.cell(r, width).value)
        for r in range(2, sheet.max_row + 1)
    }
    # The cut-off is a date cell, which a spreadsheet shows and sorts as a date.
    assert values == {(SSB_NB, dt.datetime(2024, 2, 29))}
    assert sheet.cell(sheet.max_row, 1).value == "I alt"


def test_every_line_of_the_report_command_says_its_counting_and_cutoff(returner, capsys):
    call_command("report", "statistikk", "--year", "2023", "--at-cutoff")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[0][-2:] == ["Telling", "Frist for tallene"]
    assert rows[-1][0] == "I alt"
    assert {tuple(r[-2:]) for r in rows[1:]} == {(IMDI_NB, "29.02.2024")}
    call_command("report", "statistikk", "--year", "2023", "--counting", "ssb")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert {tuple(r[-2:]) for r in rows[1:]} == {(SSB_NB, "nå")}


def test_the_counting_choice_reads_in_english(returner, client_imdi):
    body = client_imdi.get("/imdi/statistikk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "IMDi: every ending in the year" in body
    assert "IMDi: hver avslutning i året" not in body
