"""Norwegian training in the person search, the undo of an end registered by mistake, a
registration cancelled, and IMDi's figures by sex and age band, in a real browser: axe on
every page, usable at 320 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from nir.accounts.models import Role
from nir.register.norsk_models import NorskParticipation
from nir.register.services.context import Actor, Channel
from nir.register.services.items import LeaveItem
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.browser.conftest import check_page, checked_page, sign_in
from tests.web.builders import add_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ordning(web_register):
    make_user("norsk", web_register.kommune_a, Role.KOMMUNENORSKBRUKER)
    today = web_register.today
    caseworker = Actor("kari@oslo", Channel.WEB, web_register.kommune_a.pk)
    nadia = add_person(caseworker, "Nadia", "Norskvik", birth=dt.date(1990, 5, 17),
                       registered=today)  # fmt: skip
    return start_norsk_participation(
        actor=Actor("nora@oslo", Channel.WEB, web_register.kommune_a.pk, frozenset({Scheme.NORSK})),
        person_id=nadia.pk,
        kommune_id=web_register.kommune_a.pk,
        new=NewNorskParticipation(start_date=today, permit_list=PermitList.RETT_OG_PLIKT),
    )


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_norwegian_user_finds_the_ordning_ends_it_by_mistake_and_undoes_it(
    web_register, ordning, live_server, chromium
):
    context, page = checked_page(chromium)
    sign_in(page, live_server.url, "norsk")
    page.goto(f"{live_server.url}/deltakere/")
    page.get_by_label("Søk", exact=True).fill("Norskvik")
    page.get_by_role("button", name="Søk").click()
    results = page.locator("#treff-norsk")
    expect(results).to_have_text("1 i opplæring i norsk og samfunnskunnskap")
    expect(page.locator("#treff")).to_have_count(0)  # no programme list for this role
    check_page(page, "n20-sok-norsk")
    page.set_viewport_size({"width": 320, "height": 800})
    assert _no_horizontal_scroll(page)
    check_page(page, "n21-sok-norsk-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Norskvik, Nadia").click()
    page.get_by_role("link", name="Avslutning", exact=True).click()
    page.get_by_label("Avslutningsårsak").select_option("avbrutt")
    page.get_by_label("Sluttdato").fill(web_register.today.isoformat())
    page.get_by_role("button", name="Registrer avslutningen").click()
    expect(page.get_by_text("Opplæringen er avsluttet ")).to_contain_text("Avbrutt")

    page.get_by_role("link", name="Angre avslutningen").click()
    expect(page.get_by_role("heading", name="Angre avslutning")).to_be_visible()
    check_page(page, "n22-angre-avslutning-norsk")
    page.get_by_role("button", name="Angre avslutningen").click()  # no reason given
    expect(page.locator("#feiloppsummering")).to_be_visible()
    check_page(page, "n23-angre-avslutning-feil")
    page.get_by_label("Hvorfor angres avslutningen?").fill("Avsluttet for feil person")
    page.get_by_role("button", name="Angre avslutningen").click()
    expect(page.get_by_text("opplæringen er aktiv igjen")).to_be_visible()
    expect(page.get_by_text("Begrunnelse: Avsluttet for feil person")).to_be_visible()
    check_page(page, "n24-avslutning-angret")
    assert NorskParticipation.objects.get(pk=ordning.pk).end_date is None
    context.close()


def test_a_leave_registered_by_mistake_is_cancelled_and_the_frist_moves_back(
    web_register, ordning, live_server, chromium
):
    today = web_register.today
    frist = ordning.frist
    register_norsk_item(
        actor=Actor("nora@oslo", Channel.WEB, web_register.kommune_a.pk, frozenset({Scheme.NORSK})),
        norsk_participation_id=ordning.pk,
        item=LeaveItem("foreldrepermisjon", today, today + dt.timedelta(days=9), today),
    )
    context, page = checked_page(chromium)
    sign_in(page, live_server.url, "norsk")
    page.goto(f"{live_server.url}/person/{ordning.person_id}/")
    page.get_by_role("link", name=re.compile(r"^Annuller Permisjon")).click()
    expect(page.get_by_role("heading", name="Annuller registrering")).to_be_visible()
    expect(page.locator(".card")).to_contain_text("Permisjon: Foreldrepermisjon")
    check_page(page, "n28-annuller-norsk")
    page.get_by_role("button", name="Annuller registreringen").click()  # no reason given
    expect(page.locator("#feiloppsummering")).to_be_visible()
    page.get_by_label("Hvorfor annulleres registreringen?").fill("Feil deltaker")
    page.get_by_role("button", name="Annuller registreringen").click()
    expect(page.get_by_text("Registreringen er annullert.")).to_contain_text(
        f"Ny frist for gjennomføring: {frist:%d.%m.%Y}."
    )
    expect(page.locator(".card [id$='-frist']")).to_have_text(f"{frist:%d.%m.%Y}")
    check_page(page, "n29-annullert-norsk")
    context.close()


def test_a_caseworker_sees_both_schemes_in_the_search(web_register, ordning, live_server, ui_page):
    page = ui_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/deltakere/?q=a")
    expect(page.locator("#treff-norsk")).to_be_visible()
    expect(page.locator("#treff")).to_contain_text("i introduksjonsprogrammet")
    check_page(page, "n25-sok-begge-ordninger")


def test_imdis_norwegian_figures_by_sex_and_age_band(web_register, ordning, live_server, chromium):
    context, page = checked_page(chromium)
    sign_in(page, live_server.url, "imdi")
    page.goto(f"{live_server.url}/imdi/statistikk/norsk/")
    page.get_by_label("År").select_option(str(web_register.today.year))
    page.get_by_label("Fordelt etter").select_option("alder")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("columnheader", name="Aldersgruppe 31.12.")).to_be_visible()
    check_page(page, "n26-imdi-norsk-alder")
    page.get_by_label("Fordelt etter").select_option("kjonn")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("columnheader", name="Kjønn")).to_be_visible()
    check_page(page, "n27-imdi-norsk-kjonn")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (Excel, semikolon)").click()
    assert download.value.suggested_filename.startswith("statistikk-norsk-")
    context.close()
