"""Reports: the counts on top, the filters, and the downloads Excel opens as they are."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from nir.register import reports
from nir.register.models import Participation
from nir.register.services.context import Actor, Channel
from nir.register.services.items import TerminationItem
from nir.register.services.participations import register_termination

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_a_real_reason(register, kommune_a):
    """Karimi ends with a real reason today; Haddad stays ended as ikke_registrert."""
    register_termination(
        actor=Actor("kari@oslo", Channel.WEB, kommune_a.pk),
        participation_id=register.soon_a.pk,
        termination=TerminationItem(end_date=register.today, reason="arbeid"),
    )
    return register


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_terminated_counts_split_by_reason_and_regime(with_a_real_reason, kommune_a):
    counts = reports.terminated_counts(kommune_a.pk, reports.TerminatedFilter())
    assert (counts.total, counts.reason_registered, counts.reason_not_registered) == (2, 1, 1)
    assert counts.by_regime == [("integreringsloven", 1, 1)]
    missing = reports.terminated_counts(
        kommune_a.pk, reports.TerminatedFilter(reason_registered=False)
    )
    assert (missing.total, missing.reason_not_registered) == (1, 1)


def test_the_terminated_report_filters_and_downloads_csv_for_excel(with_a_real_reason, client_a):
    page = client_a.get("/rapporter/avsluttede/?aarsak=ikke_registrert")
    assert "Haddad" in page.content.decode() and "Karimi" not in page.content.decode()
    response = client_a.get("/rapporter/avsluttede.csv?aarsak=ikke_registrert")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = _streamed(response)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(reports.TERMINATED_COLUMNS)
    assert len(rows) == 2
    haddad = dict(zip(rows[0], rows[1], strict=True))
    assert haddad["Etternavn"] == "Haddad"
    assert haddad["Avslutningsårsak"] == "Avslutningsårsak ikke registrert"
    assert haddad["Satt av"] == "Registeret"
    assert haddad["Sluttdato"] == f"{with_a_real_reason.overdue_a.end_date:%d.%m.%Y}"


def test_the_terminated_report_downloads_xlsx(with_a_real_reason, client_a):
    response = client_a.get("/rapporter/avsluttede.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(_streamed(response)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == reports.TERMINATED_COLUMNS
    assert sorted(r[2] for r in rows[1:]) == ["Haddad", "Karimi"]
    # Identity numbers stay text, dates are dates.
    assert isinstance(rows[1][0], str) and len(rows[1][0]) == 11
    assert rows[1][10].date() in {
        with_a_real_reason.today,
        with_a_real_reason.overdue_a.end_date,
    }


@pytest.mark.parametrize(
    ("url", "first", "last"),
    [
        ("/rapporter/avsluttede.csv", "Identity number/D number", "Registering the reason"),
        ("/rapporter/personliste.csv", "Identity number/D number", "End goal (sluttmål)"),
    ],
)
def test_the_csv_headers_are_in_the_users_language(register, client_a, url, first, last):
    client_a.cookies["django_language"] = "en"
    raw = _streamed(client_a.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert (header[0], header[-1]) == (first, last)
    assert "Saksnummer" not in header and "Case number" in header


def test_the_xlsx_headers_are_in_the_users_language(register, client_a):
    client_a.cookies["django_language"] = "en"
    response = client_a.get("/rapporter/avsluttede.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    header = next(openpyxl.load_workbook(io.BytesIO(_streamed(response))).active.values)
    assert header[:2] == ("Identity number/D number", "DUF number")
    assert "Deadline" in header and "Set by" in header


def test_the_person_list_filters_with_and_without(register, client_a):
    without = client_a.get("/rapporter/personliste/?vedtak=uten").content.decode()
    assert "Haddad" in without and "Karimi" not in without
    with_ = client_a.get("/rapporter/personliste/?vedtak=med&tiltak=med").content.decode()
    assert "Karimi" in with_ and "Haddad" not in with_
    raw = _streamed(client_a.get("/rapporter/personliste.csv?vedtak=med"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [r[2] for r in rows[1:]] == ["Karimi"]
    assert rows[1][-3:] == ["Ja", "Ja", "Ja"]
    workbook = openpyxl.load_workbook(
        io.BytesIO(_streamed(client_a.get("/rapporter/personliste.xlsx?vedtak=uten")))
    )
    assert [r[2] for r in workbook.active.iter_rows(min_row=2, values_only=True)] == ["Haddad"]


@pytest.mark.usefixtures("frozen_clock")  # the year's figures
def test_the_municipality_overview_counts_and_draws_the_same_numbers(
    with_a_real_reason, client_a, kommune_a
):
    year = with_a_real_reason.today.year
    overview = reports.kommune_overview(kommune_a.pk, year)
    assert overview.ends == 2
    assert overview.not_registered == 1
    assert overview.not_registered_share == 0.5
    assert overview.goal_attainment.numerator == 1
    body = client_a.get(f"/rapporter/kommuneoversikt/?aar={year}").content.decode()
    assert '<svg role="img"' in body and "<title" in body and "<desc" in body
    assert "Arbeid (hel- eller deltid): 1." in body  # the chart's description
    assert "50,0 %" in body


def test_exports_of_unknown_formats_are_not_found(register, client_a):
    assert client_a.get("/rapporter/avsluttede.pdf").status_code == 404


def test_free_text_never_becomes_an_excel_formula(register, client_a):
    Participation.objects.filter(pk=register.overdue_a.pk).update(case_id="=HYPERLINK(1)")
    raw = _streamed(client_a.get("/rapporter/avsluttede.csv"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][5] == "'=HYPERLINK(1)"
    workbook = openpyxl.load_workbook(
        io.BytesIO(_streamed(client_a.get("/rapporter/avsluttede.xlsx")))
    )
    cell = workbook.active.cell(row=2, column=6)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")  # a string, not a formula


def test_imdi_chooses_a_municipality_in_the_overview_and_a_caseworker_cannot(
    with_a_real_reason, client_imdi, client_b, kommune_a
):
    year = with_a_real_reason.today.year
    all_of_them = client_imdi.get(f"/rapporter/kommuneoversikt/?aar={year}").content.decode()
    assert "Alle kommuner" in all_of_them
    oslo = client_imdi.get(f"/rapporter/kommuneoversikt/?aar={year}&kommune={kommune_a.pk}")
    assert "Arbeid (hel- eller deltid): 1." in oslo.content.decode()
    # Bergen's caseworker asking for Oslo gets Bergen: the parameter is not even read.
    bergen = client_b.get(f"/rapporter/kommuneoversikt/?aar={year}&kommune={kommune_a.pk}")
    assert "Arbeid (hel- eller deltid)" not in bergen.content.decode()


def test_imdi_sees_and_filters_the_national_report_by_municipality(register, client_imdi):
    everyone = client_imdi.get("/rapporter/avsluttede/").content.decode()
    # The municipality column, whose header sorts by it.
    assert 'sortering=kommune">Kommune<' in everyone
    assert register.kommune_a.display_name in everyone
    assert register.kommune_b.display_name in everyone
    one = client_imdi.get(f"/rapporter/avsluttede/?kommune={register.kommune_b.pk}")
    body = one.content.decode()
    assert "Bergensen" in body and "Haddad" not in body
    export = client_imdi.get(f"/rapporter/avsluttede.csv?kommune={register.kommune_b.pk}")
    rows = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Bergensen" in rows and "Haddad" not in rows
    people = client_imdi.get(f"/rapporter/personliste/?kommune={register.kommune_a.pk}")
    assert "Haddad" in people.content.decode() and "Bergensen" not in people.content.decode()


def test_a_municipality_gets_no_municipality_filter(register, client_a):
    body = client_a.get("/rapporter/avsluttede/").content.decode()
    assert 'name="kommune"' not in body
    # A municipality's user cannot reach another municipality through the parameter.
    other = client_a.get(f"/rapporter/avsluttede/?kommune={register.kommune_b.pk}")
    assert "Bergensen" not in other.content.decode()


def test_search_tells_namesakes_apart_and_imdi_can_narrow_it(register, client_imdi):
    page = client_imdi.get("/deltakere/?status=ikke_registrert").content.decode()
    assert "17.05.1990" in page  # Haddad's birth date beside the name
    narrowed = client_imdi.get(
        f"/deltakere/?status=ikke_registrert&kommune={register.kommune_a.pk}"
    ).content.decode()
    assert "Haddad" in narrowed and "Bergensen" not in narrowed


def test_a_number_is_found_however_it_is_written(register, client_a):
    number = register.overdue_a.person.identity_number
    typed = f"{number[:6]}-{number[6:]}"
    assert "Haddad" in client_a.get(f"/deltakere/?q={typed}").content.decode()
