"""The caseworker's journeys in a real browser: sign in, find, register, report, download.

Each page on the way is checked with axe (no violation of WCAG 2.1 A or AA, at any impact) and
kept as a screenshot in artifacts/screenshots/<database>.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from playwright.sync_api import expect

from nir.register.models import Participation
from nir.register.services.context import Actor, Channel
from nir.register.services.items import DecisionItem
from nir.register.services.registrations import register_item
from tests.browser.conftest import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_find_from_worklist_and_extend_lifts_the_automatic_termination(
    web_register, live_server, ui_page
):
    page = ui_page
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/logg-inn/?next=/")
    check_page(page, "01-logg-inn")
    sign_in(page, live_server.url)
    expect(page.get_by_role("heading", name="Arbeidsliste")).to_be_visible()
    # Bergen's participant never shows up in Oslo's worklist.
    expect(page.get_by_text("Bergensen")).to_have_count(0)
    check_page(page, "02-arbeidsliste")

    page.get_by_role("link", name="Haddad, Amina").first.click()
    expect(page.get_by_role("heading", name="Amina Haddad", level=1)).to_be_visible()
    expect(page.get_by_text("Avsluttet, årsak ikke registrert").first).to_be_visible()
    expect(page.get_by_text("Slik er fristen beregnet")).to_be_visible()
    check_page(page, "03-deltaker")

    page.get_by_role("link", name="Utvidet programtid").first.click()
    page.get_by_label("Antall måneder").fill("6")
    page.get_by_label("Vedtaksdato").fill(web_register.today.isoformat())
    page.get_by_label("Vedtaksdato").blur()
    # The htmx preview: a pure read, shown before anything is saved.
    expect(page.locator("#opphever-automatisk")).to_be_visible()
    assert Participation.objects.get(pk=web_register.overdue_a.pk).termination_source == "system"
    check_page(page, "04-utvidelse-forhandsvisning")

    page.get_by_role("button", name="Registrer utvidet programtid").click()
    expect(page.get_by_text("Den automatiske avslutningen er opphevet")).to_be_visible()
    expect(page.get_by_text("Aktiv", exact=True).first).to_be_visible()
    check_page(page, "05-utvidelse-lagret")
    stored = Participation.objects.get(pk=web_register.overdue_a.pk)
    assert stored.end_date is None and stored.termination_reason == ""


def test_register_a_termination_reason_from_the_worklist(web_register, live_server, ui_page):
    page = ui_page
    sign_in(page, live_server.url)
    row = page.get_by_role("row").filter(has_text="Haddad, Amina").filter(has_text="uten årsak")
    row.get_by_role("link", name="Registrer årsak").click()
    expect(page.get_by_role("heading", name="Avslutning med årsak")).to_be_visible()

    # Submitting nothing shows the error summary, linked to the fields.
    page.get_by_role("button", name="Registrer avslutning").click()
    summary = page.locator("#feiloppsummering")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check_page(page, "06-avslutning-feil")

    page.get_by_label("Avslutningsårsak").select_option("arbeid")
    page.get_by_label("Sluttdato").fill(web_register.overdue_a.frist.isoformat())
    page.get_by_role("button", name="Registrer avslutning").click()
    # Back on the worklist, to take the next one; this one is done.
    expect(page.get_by_role("heading", name="Arbeidsliste")).to_be_visible()
    expect(page.get_by_text("Amina Haddad: Registreringen er lagret")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Haddad, Amina")).to_have_count(0)
    check_page(page, "07-avslutning-lagret")
    page.goto(f"{live_server.url}/deltakelse/{web_register.overdue_a.pk}/")
    expect(page.get_by_text("Arbeid (hel- eller deltid)").first).to_be_visible()
    stored = Participation.objects.get(pk=web_register.overdue_a.pk)
    assert (stored.termination_reason, stored.termination_source) == ("arbeid", "user")
    # Registered by mistake? It can be undone, with the reason kept in the history.
    page.get_by_role("link", name="Angre avslutningen").click()
    check_page(page, "07b-angre-avslutning")


def test_run_the_report_and_download_csv(web_register, live_server, ui_page):
    page = ui_page
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Avsluttede").click()
    page.get_by_label("Avslutningsårsak").select_option("ikke_registrert")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_text("Haddad, Amina")).to_be_visible()
    expect(page.get_by_text("Bergensen")).to_have_count(0)
    check_page(page, "08-rapport-avsluttede")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV (Excel, semikolon)").click()
    raw = info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Fødselsnummer/D-nummer"
    assert [r[2] for r in rows[1:]] == ["Haddad"]

    page.get_by_role("link", name="Kommuneoversikt").click()
    expect(page.locator("svg[role=img] title")).to_have_count(1)
    check_page(page, "09-kommuneoversikt")
    page.get_by_role("link", name="Personliste").click()
    check_page(page, "10-personliste")


def test_a_leave_shows_its_days_before_saving_and_a_concurrent_change_is_caught(
    web_register, live_server, ui_page
):
    page = ui_page
    sign_in(page, live_server.url)
    p = web_register.soon_a
    page.goto(f"{live_server.url}/deltakelse/{p.pk}/registrer/permisjon/")
    page.get_by_label("Type permisjon").select_option("omsorgspermisjon")
    page.get_by_label("Første dag med permisjon").fill((p.frist - dt.timedelta(days=9)).isoformat())
    page.get_by_label("Siste dag med permisjon").fill(p.frist.isoformat())
    page.get_by_label("Vedtaksdato").fill(web_register.today.isoformat())
    page.get_by_label("Vedtaksdato").blur()
    new_frist = p.frist + dt.timedelta(days=10)
    expect(page.locator("#forhandsvisning")).to_contain_text(f"{new_frist:%d.%m.%Y}")
    check_page(page, "11-permisjon-forhandsvisning")

    # A colleague registers on the same participant while the form is open.
    register_item(
        actor=Actor("kollega@oslo", Channel.WEB, web_register.kommune_a.pk),
        participation_id=p.pk,
        item=DecisionItem(decision_type="klage", decided_on=web_register.today),
    )
    page.get_by_role("button", name="Registrer permisjon").click()
    expect(page.get_by_role("heading", name="Deltakelsen er endret av noen andre")).to_be_visible()
    assert not Participation.objects.get(pk=p.pk).leaves.exists()
    check_page(page, "12-endret-av-andre")

    # Having seen the change, the caseworker saves again on purpose.
    page.get_by_role("button", name="Registrer permisjon").click()
    expect(page.get_by_text(f"Ny frist for gjennomføring: {new_frist:%d.%m.%Y}")).to_be_visible()
    assert Participation.objects.get(pk=p.pk).frist == new_frist
