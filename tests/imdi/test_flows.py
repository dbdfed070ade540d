"""The flows of IMDi's pages through the test client: a request filed, answered and granted;
a grant given directly and revoked; the statistics with dots, the cut-off comparison and
the downloads; the Ukraina report built, shown and downloaded."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from nir.audit.models import AccessLogEntry
from nir.register.figures_models import PublishedReport
from nir.register.models import LateRegistrationGrant
from nir.support.models import SupportMessage, SupportRequest
from tests.imdi.builders import corrected_after_cutoff

pytestmark = pytest.mark.django_db

DOT = '<span aria-hidden="true">.</span>'


def _iso(day: dt.date) -> str:
    return day.isoformat()


def test_late_registration_is_filed_answered_and_granted(imdi_register, client_a, client_imdi):
    today = timezone.localdate()
    overdue = imdi_register.web.overdue_a
    response = client_a.post(
        "/henvendelser/ny/",
        {
            "kind": "late_registration",
            "subject": "Årsak mangler",
            "body": "Fagsystemet var nede; vi trenger å registrere årsaken.",
            "period_from": _iso(overdue.end_date),
            "period_to": _iso(overdue.end_date),
            "participations": f"{overdue.pk}",
        },
    )
    filed = SupportRequest.objects.get(subject="Årsak mangler")
    assert response.status_code == 302
    assert response["Location"] == f"/henvendelser/{filed.pk}/"
    assert list(filed.participations.values_list("pk", flat=True)) == [overdue.pk]

    page = client_imdi.get(f"/henvendelser/{filed.pk}/").content.decode()
    assert "Avgjør etterregistrering" in page
    assert f">{overdue.pk}</a>" in page  # the reference, never the person

    answered = client_imdi.post(f"/henvendelser/{filed.pk}/svar/", {"body": "Vi ser på det."})
    assert answered.status_code == 302
    filed.refresh_from_db()
    assert filed.status == "answered"

    # Granting without an expiry is refused at the field, with the error summary.
    missing = client_imdi.post(
        f"/henvendelser/{filed.pk}/avgjor/", {"decision": "innvilg", "reason": "Greit."}
    )
    text = missing.content.decode()
    assert 'id="feiloppsummering"' in text and 'href="#id_expires_on"' in text
    assert "Dette må rettes før du kan gå videre" in text
    assert not LateRegistrationGrant.objects.filter(reason="Greit.").exists()

    granted = client_imdi.post(
        f"/henvendelser/{filed.pk}/avgjor/",
        {
            "decision": "innvilg",
            "reason": "Innvilget.",
            "expires_on": _iso(today + dt.timedelta(days=30)),
        },
    )
    assert granted.status_code == 302
    filed.refresh_from_db()
    assert filed.status == "granted"
    grant = LateRegistrationGrant.objects.get(pk=filed.grant_id)
    assert grant.kommune_id == overdue.kommune_id
    assert (grant.covers_from, grant.covers_to) == (overdue.end_date, overdue.end_date)
    # The municipality sees the decision in the thread and the grant on its own page.
    thread = client_a.get(f"/henvendelser/{filed.pk}/").content.decode()
    assert "Innvilget." in thread and "Avgjør etterregistrering" not in thread
    own = client_a.get("/henvendelser/etterregistrering/").content.decode()
    assert f"{grant.expires_on:%d.%m.%Y}" in own


def test_refusing_creates_no_grant_and_closing_ends_the_thread(
    imdi_register, client_a, client_imdi
):
    request = imdi_register.request_a
    before = LateRegistrationGrant.objects.count()
    refused = client_imdi.post(
        f"/henvendelser/{request.pk}/avgjor/", {"decision": "avslaa", "reason": "For gammelt."}
    )
    assert refused.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.grant_id) == ("refused", None)
    assert LateRegistrationGrant.objects.count() == before

    assert client_a.post(f"/henvendelser/{request.pk}/lukk/").status_code == 302
    request.refresh_from_db()
    assert request.status == "closed"
    page = client_a.get(f"/henvendelser/{request.pk}/").content.decode()
    assert "Henvendelsen er lukket" in page and "Send svar" not in page
    late = client_a.post(f"/henvendelser/{request.pk}/svar/", {"body": "Ett spørsmål til"})
    assert "Henvendelsen er lukket." in late.content.decode()
    assert SupportMessage.objects.filter(body="Ett spørsmål til").count() == 0


def test_a_request_may_not_point_to_another_municipalitys_participant(imdi_register, client_a):
    other = imdi_register.web.overdue_b
    response = client_a.post(
        "/henvendelser/ny/",
        {
            "kind": "question",
            "subject": "Spørsmål",
            "body": "Hvordan?",
            "participations": f"{other.pk}",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_participations"' in text
    assert "finnes ikke i kommunen" in text
    assert not SupportRequest.objects.filter(subject="Spørsmål").exists()


def test_an_identity_number_in_the_text_is_refused_at_the_field(imdi_register, client_a):
    number = imdi_register.web.overdue_a.person.identity_number
    response = client_a.post(
        "/henvendelser/ny/",
        {"kind": "question", "subject": "Hjelp", "body": f"Gjelder {number}"},
    )
    text = response.content.decode()
    assert 'href="#id_body"' in text and "fødselsnummer" in text
    assert not SupportRequest.objects.filter(subject="Hjelp").exists()


def test_late_registration_without_a_period_is_refused(imdi_register, client_a):
    response = client_a.post(
        "/henvendelser/ny/",
        {"kind": "late_registration", "subject": "Uten periode", "body": "Trenger tilgang"},
    )
    assert 'href="#id_period_from"' in response.content.decode()


def test_imdi_grants_directly_and_revokes(imdi_register, client_imdi):
    today = timezone.localdate()
    bergen = imdi_register.web.kommune_b
    response = client_imdi.post(
        "/imdi/etterregistrering/",
        {
            "kommune": bergen.pk,
            "covers_from": _iso(today - dt.timedelta(days=60)),
            "covers_to": _iso(today - dt.timedelta(days=30)),
            "expires_on": _iso(today + dt.timedelta(days=14)),
            "reason": "Avtalt på telefon",
        },
    )
    assert response.status_code == 302
    grant = LateRegistrationGrant.objects.get(reason="Avtalt på telefon")
    assert grant.kommune_id == bergen.pk and grant.granted_by == "imdi"

    revoked = client_imdi.post(f"/imdi/etterregistrering/{grant.pk}/trekk-tilbake/", follow=True)
    grant.refresh_from_db()
    assert grant.revoked_on == today
    assert "trukket tilbake" in revoked.content.decode()
    again = client_imdi.post(f"/imdi/etterregistrering/{grant.pk}/trekk-tilbake/", follow=True)
    assert "ble trukket tilbake" in again.content.decode()
    listed = client_imdi.get("/imdi/etterregistrering/?status=trukket").content.decode()
    assert "Avtalt på telefon" in listed
    active = client_imdi.get("/imdi/etterregistrering/?status=aktiv").content.decode()
    assert "Avtalt på telefon" not in active


def test_a_grant_beyond_twelve_months_back_is_refused_at_the_field(imdi_register, client_imdi):
    today = timezone.localdate()
    response = client_imdi.post(
        "/imdi/etterregistrering/",
        {
            "kommune": imdi_register.web.kommune_a.pk,
            "covers_from": _iso(today - dt.timedelta(days=500)),
            "covers_to": _iso(today - dt.timedelta(days=30)),
            "expires_on": _iso(today + dt.timedelta(days=14)),
            "reason": "For langt tilbake",
        },
    )
    assert 'href="#id_covers_from"' in response.content.decode()
    assert not LateRegistrationGrant.objects.filter(reason="For langt tilbake").exists()


@pytest.mark.usefixtures("frozen_clock")  # the year's figures
def test_statistics_show_a_dot_for_a_small_cell(imdi_register, client_stat):
    year = imdi_register.web.today.year
    page = client_stat.get(f"/imdi/statistikk/?aar={year}&etter=kommune&tidspunkt=naa")
    text = page.content.decode()
    # Oslo has two participants and Bergen one this year: all under five.
    assert "0301 Oslo" in text and "4601 Bergen" in text
    assert DOT in text
    at_cutoff = client_stat.get(f"/imdi/statistikk/?aar={year}&etter=fylke&tidspunkt=frist")
    assert at_cutoff.status_code == 200 and DOT in at_cutoff.content.decode()


@pytest.mark.usefixtures("frozen_clock")  # the year's figures
def test_csv_download_has_bom_semicolons_and_dots(imdi_register, client_stat):
    year = imdi_register.web.today.year
    response = client_stat.get(f"/imdi/statistikk.csv?aar={year}&etter=kommune")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kommune", "Deltakere i året", "Startet"]
    labels = [r[0] for r in rows[1:]]
    assert labels == ["0301 Oslo", "4601 Bergen", "I alt"]
    assert rows[1][1] == "."  # two participants: hidden
    assert ";" in raw.decode("utf-8-sig").splitlines()[0]


def test_xlsx_download_opens(imdi_register, client_imdi):
    year = imdi_register.web.today.year
    response = client_imdi.get(f"/imdi/statistikk.xlsx?aar={year}&etter=regime")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet.cell(1, 1).value == "Lovverk"
    assert sheet.cell(1, 2).value == "Deltakere i året"
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)][-1] == "I alt"


@pytest.mark.usefixtures("frozen_clock")  # the year's figures
def test_the_downloads_headers_are_in_the_users_language(imdi_register, client_imdi):
    year = imdi_register.web.today.year
    client_imdi.cookies["django_language"] = "en"
    url = f"/imdi/statistikk.csv?aar={year}&etter=kommune"
    raw = b"".join(client_imdi.get(url, HTTP_ACCEPT_LANGUAGE="en").streaming_content)
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = table[0]
    assert header[:3] == ["Municipality", "Participants in the year", "Started"]
    assert table[-1][0] == "Total"  # the total row too
    page = client_imdi.get(f"/imdi/statistikk/?aar={year}&etter=kommune", HTTP_ACCEPT_LANGUAGE="en")
    assert ">Total<" in page.content.decode() and ">I alt<" not in page.content.decode()
    assert "Ended: work or education" in header and "Direct goal attainment (%)" in header
    assert header[-2:] == ["Counting", "Cut-off of the figures"]
    url = f"/imdi/statistikk.xlsx?aar={year}&etter=regime"
    response = client_imdi.get(url, HTTP_ACCEPT_LANGUAGE="en")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert (sheet.cell(1, 1).value, sheet.cell(1, 2).value) == ("Law", "Participants in the year")


def test_corrections_after_the_cutoff_are_listed_by_reference(kommune_a, client_imdi, client_stat):
    year, corrected = corrected_after_cutoff(kommune_a)
    # The list is person-level: a statistician is refused, an adviser's read is logged.
    assert client_stat.get(f"/imdi/statistikk/etter-frist/?aar={year}").status_code == 403
    response = client_imdi.get(f"/imdi/statistikk/etter-frist/?aar={year}")
    text = response.content.decode()
    entry = AccessLogEntry.objects.get(action="imdi_cutoff_corrections")
    assert entry.organisation == "IMDi"
    assert list(entry.persons.values_list("person_id", flat=True)) == [corrected.person_id]
    assert f'<th scope="row">{corrected.pk}</th>' in text
    assert "Avslutningsårsak ikke registrert" in text
    assert "Etterpå" not in text  # the family name is never shown
    # The figures at the cut-off stay as they were; now they include the correction.
    totals = {t.measure: (t.at_cutoff, t.now) for t in response.context["totals"]}
    assert totals["Avsluttet uten registrert årsak"] == (1, 0)
    assert totals["Avsluttet"] == (1, 1)


def test_data_quality_page_has_the_trend_chart_and_table(imdi_register, client_imdi):
    year = imdi_register.web.today.year
    text = client_imdi.get(f"/imdi/datakvalitet/?aar={year}").content.decode()
    assert 'role="img"' in text and '<title id="utvikling-tittel">' in text
    assert '<desc id="utvikling-beskrivelse">' in text
    assert "0301 Oslo" in text
    # Oslo has one leaver: not ranked (20 or more needed).
    assert "Ingen kommuner har nok avsluttede" in text


def test_the_ukraina_report_is_built_shown_and_downloaded(imdi_register, client_imdi, client_stat):
    month = imdi_register.month
    listed = client_stat.get("/imdi/ukraina/").content.decode()
    assert month in listed and "Lag rapporten" not in listed  # statisticians read only
    page = client_stat.get(f"/imdi/ukraina/{month}/").content.decode()
    assert 'role="img"' in page and "Avslutningsårsak" in page
    download = client_stat.get(f"/imdi/ukraina/{month}/rapport.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert "Oversikt" in book.sheetnames

    already = client_imdi.post("/imdi/ukraina/lag/", {"maaned": month})
    assert "allerede levert" in already.content.decode()
    this_month = f"{timezone.localdate():%Y-%m}"
    early = client_imdi.post("/imdi/ukraina/lag/", {"maaned": this_month})
    assert "ikke over" in early.content.decode()
    assert not PublishedReport.objects.filter(period=this_month).exists()
    older = f"{imdi_register.web.today.year - 1}-01"
    built = client_imdi.post("/imdi/ukraina/lag/", {"maaned": older})
    assert built.status_code == 302 and built["Location"] == f"/imdi/ukraina/{older}/"
    assert PublishedReport.objects.filter(kind="ukraina_monthly", period=older).exists()
    bad = client_imdi.post("/imdi/ukraina/lag/", {"maaned": "2026-13"})
    assert 'href="#id_maaned"' in bad.content.decode()


def test_the_ukraina_page_follows_the_readers_language_and_the_workbook_stays_bokmaal(
    imdi_register, client_stat
):
    from tests.web.test_user_facing_strings import _untranslated, _visible

    month = imdi_register.month
    client_stat.cookies["django_language"] = "en"
    page = client_stat.get(f"/imdi/ukraina/{month}/", HTTP_ACCEPT_LANGUAGE="en")
    text = _visible(page.content.decode())
    for english in (
        "In the programme at the end of the month",
        "Termination reason",
        "Age group",
        "Right (18–55 years)",
        "Work (full or part time)",
        "Norwegian – County",
        "In Norwegian training at the end of the month",
    ):
        assert english in text, english
    assert not {"Kvinner", "Menn", "Ukjent", "Kjønn", "Aldersgruppe"} & set(text.split())
    # Counties and municipalities keep their names; nothing else is left in bokmål.
    assert _untranslated(text.replace("Møre og Romsdal", "")) == []
    listed = _visible(client_stat.get("/imdi/ukraina/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Started in the month" in listed and "Startet i måneden" not in listed
    # The workbook is the published document: bokmål whoever downloads it.
    download = client_stat.get(f"/imdi/ukraina/{month}/rapport.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book["Kjønn"]["A1"].value == "Kjønn"
    cells = [c for row in book["Oversikt"].iter_rows(values_only=True) for c in row if c]
    assert "I program ved utgangen av måneden" in cells


def test_scheduler_runs_and_access_findings_are_listed(imdi_register, client_imdi):
    runs = client_imdi.get("/imdi/jobber/").content.decode()
    assert "Tidsavbrudd mot e-posttjeneren" in runs and "avsluttet: 2" in runs
    # Jobs and their counts are named in words, never by the scheduler's keys.
    assert "Daglig avslutning av deltakelser med utløpt frist" in runs
    assert "ended:" not in runs and ">sweep<" not in runs
    findings = client_imdi.get("/imdi/innsyn/").content.decode()
    assert "Leste 250 personer" in findings
    # The finding is named in words, in the reader's language.
    assert "Mange personer på én dag" in findings and "many_persons" not in findings
    client_imdi.cookies["django_language"] = "en"
    english = client_imdi.get("/imdi/innsyn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Many persons in one day" in english and "Read 250 persons in one day." in english
    assert "Leste" not in english


def test_imdi_starts_on_open_requests_and_keeps_the_filter_across_pages(imdi_register, client_imdi):
    imdi_register.request_b.status = "closed"
    imdi_register.request_b.save(update_fields=["status"])
    first = client_imdi.get("/henvendelser/")
    text = first.content.decode()
    assert "Oslo trenger etterregistrering" in text and "Bergens spørsmål" not in text
    assert first.context["query_string"] == "status=open"
    second = client_imdi.get("/henvendelser/?side=2").content.decode()
    assert "Bergens spørsmål" not in second


def test_the_pages_speak_english_when_asked(imdi_register, client_imdi):
    client_imdi.cookies["django_language"] = "en"
    text = client_imdi.get("/imdi/etterregistrering/").content.decode()
    assert "Late-registration grants" in text and "Grant access" in text


def test_a_second_decision_on_the_same_request_is_refused(imdi_register, client_imdi):
    request = imdi_register.request_a
    decision = {
        "decision": "innvilg",
        "reason": "Innvilget.",
        "expires_on": _iso(timezone.localdate() + dt.timedelta(days=30)),
    }
    assert client_imdi.post(f"/henvendelser/{request.pk}/avgjor/", decision).status_code == 302
    grants = LateRegistrationGrant.objects.count()
    again = client_imdi.post(f"/henvendelser/{request.pk}/avgjor/", decision)
    assert "allerede avgjort" in again.content.decode()
    assert LateRegistrationGrant.objects.count() == grants


def test_a_question_cannot_be_decided_as_late_registration(imdi_register, client_imdi):
    request = imdi_register.request_b
    response = client_imdi.post(
        f"/henvendelser/{request.pk}/avgjor/", {"decision": "avslaa", "reason": "Nei."}
    )
    assert "gjelder ikke etterregistrering" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "open"


def test_the_comparison_shows_the_rows_that_changed(kommune_a, client_imdi):
    year, _corrected = corrected_after_cutoff(kommune_a)
    response = client_imdi.get(f"/imdi/statistikk/etter-frist/?aar={year}&etter=kommune")
    [row] = response.context["changed_rows"]
    assert (row.label, row.ends, row.not_registered) == ("0301 Oslo", (1, 1), (1, 0))


def test_months_without_a_delivered_report_are_offered(imdi_register, client_imdi, client_stat):
    response = client_imdi.get("/imdi/ukraina/")
    missing = response.context["missing"]
    assert imdi_register.month not in missing and len(missing) == 11
    assert f"Lag rapport for {missing[0]}" in response.content.decode()
    assert client_stat.get("/imdi/ukraina/").context["missing"] == []
    built = client_imdi.post("/imdi/ukraina/lag/", {"maaned": missing[0]})
    assert built.status_code == 302
    assert missing[0] not in client_imdi.get("/imdi/ukraina/").context["missing"]
