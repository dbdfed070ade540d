"""IMDi's pages and the municipality's support requests in a real browser.

A municipality asks for late registration; IMDi grants it and revokes it; every IMDi page
is visited by the adviser and the statistician, in bokmål and in English. Each page passes
axe (no violation of WCAG 2.1 A or AA, whatever its impact), breaks no CSP rule, reflows at
320 px, and is kept as a screenshot.
Data is created before Playwright starts, and connections are closed before it leaves.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from nir.accounts.models import Role
from nir.register.models import Kommune, LateRegistrationGrant
from nir.support.models import SupportRequest
from tests.browser.conftest import check_page, checked_page, sign_in
from tests.conftest import ensure_kommuner
from tests.imdi.builders import ImdiRegister, build_imdi_register
from tests.web.builders import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imdi_data(db) -> ImdiRegister:
    ensure_kommuner()
    register = build_imdi_register(
        Kommune.objects.get(number="0301"), Kommune.objects.get(number="4601")
    )
    make_user("oslo", register.web.kommune_a)
    make_user("imdi", None, Role.IMDI_RADGIVER)
    make_user("statistiker", None, Role.IMDI_STATISTIKER)
    return register


@pytest.fixture
def imdi_page(imdi_data, live_server, chromium):
    context, page = checked_page(chromium)
    yield page
    context.close()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()


def _reflows(page: Page, name: str) -> None:
    for width in (320, 640):
        page.set_viewport_size({"width": width, "height": 800})
        fits = page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert fits, f"{name} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _visit(page: Page, url: str, name: str) -> None:
    page.goto(url)
    check_page(page, name)
    _reflows(page, name)


def test_late_registration_from_request_to_grant_and_revocation(imdi_data, live_server, imdi_page):
    page, base = imdi_page, live_server.url
    overdue = imdi_data.web.overdue_a
    sign_in(page, base, "oslo")
    _visit(page, f"{base}/henvendelser/", "imdi-01-henvendelser-kommune")

    page.get_by_role("link", name="Ny henvendelse").click()
    page.get_by_role("button", name="Send henvendelsen").click()
    summary = page.locator("#feiloppsummering")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check_page(page, "imdi-02-ny-henvendelse-feil")

    page.get_by_role("link", name="Be om etterregistrering").click()
    page.get_by_label("Emne").fill("Årsak mangler etter nedetid")
    page.get_by_label("Melding").fill("Fagsystemet var nede; vi trenger å registrere årsaken.")
    page.get_by_label("Hendelser fra og med").fill(overdue.end_date.isoformat())
    page.get_by_label("Hendelser til og med").fill(overdue.end_date.isoformat())
    page.get_by_label("Deltakelsesnummer").fill(str(overdue.pk))
    page.get_by_role("button", name="Send henvendelsen").click()
    expect(page.get_by_text("Henvendelsen er sendt til IMDi.")).to_be_visible()
    check_page(page, "imdi-03-henvendelse-sendt")
    _visit(page, f"{base}/henvendelser/etterregistrering/", "imdi-04-tilganger-kommune")
    _sign_out(page)

    sign_in(page, base, "imdi")
    _visit(page, f"{base}/henvendelser/", "imdi-05-henvendelser-imdi")
    page.get_by_role("link", name="Årsak mangler etter nedetid").click()
    page.get_by_label("Innvilg etterregistrering").check()
    page.get_by_label("Tilgangen utløper").fill(
        (imdi_data.web.today.replace(day=1).replace(year=imdi_data.web.today.year + 1)).isoformat()
    )
    page.get_by_label("Begrunnelse").fill("Innvilget for perioden.")
    check_page(page, "imdi-06-avgjor")
    page.get_by_role("button", name="Lagre avgjørelsen").click()
    expect(page.get_by_text("Etterregistrering er innvilget")).to_be_visible()
    filed = SupportRequest.objects.get(subject="Årsak mangler etter nedetid")
    assert filed.status == "granted" and filed.grant_id is not None

    _visit(page, f"{base}/imdi/etterregistrering/", "imdi-07-tilganger")
    row = page.get_by_role("row").filter(has_text="Innvilget for perioden.")
    row.get_by_role("button", name="Trekk tilbake").click()
    expect(page.get_by_text("er trukket tilbake fra i dag")).to_be_visible()
    check_page(page, "imdi-08-tilgang-trukket")
    assert LateRegistrationGrant.objects.get(pk=filed.grant_id).revoked_on is not None


def _imdi_pages(imdi_data: ImdiRegister) -> list[tuple[str, str]]:
    year = imdi_data.web.today.year
    return [
        ("datakvalitet", f"/imdi/datakvalitet/?aar={year}"),
        ("statistikk", f"/imdi/statistikk/?aar={year}&etter=kommune&tidspunkt=naa"),
        ("statistikk-frist", f"/imdi/statistikk/?aar={year}&etter=alder&tidspunkt=frist"),
        ("etter-frist", f"/imdi/statistikk/etter-frist/?aar={year}"),
        ("statistikk-norsk", f"/imdi/statistikk/norsk/?aar={year}&etter=fylke"),
        ("ukraina", "/imdi/ukraina/"),
        ("ukraina-maaned", f"/imdi/ukraina/{imdi_data.month}/"),
        ("jobber", "/imdi/jobber/"),
        ("innsyn", "/imdi/innsyn/"),
        ("regler-i-bruk", "/imdi/regler-i-bruk/"),
        ("regler-i-bruk-feil", "/imdi/regler-i-bruk/?dato=31.02.2025"),
        ("henvendelse", f"/henvendelser/{imdi_data.request_a.pk}/"),
    ]


def test_every_imdi_page_in_english_passes_axe_and_reflows(imdi_data, live_server, imdi_page):
    page, base = imdi_page, live_server.url
    sign_in(page, base, "imdi")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    for name, url in _imdi_pages(imdi_data):
        _visit(page, f"{base}{url}", f"imdi-en-{name}")
        assert page.locator("html").get_attribute("lang") == "en", name


def test_every_imdi_page_passes_axe_and_reflows(imdi_data, live_server, imdi_page):
    page, base = imdi_page, live_server.url
    year = imdi_data.web.today.year
    sign_in(page, base, "imdi")
    for name, url in _imdi_pages(imdi_data):
        _visit(page, f"{base}{url}", f"imdi-alle-{name}")
    expect(page.locator("svg[role=img] title")).to_have_count(0)  # the thread has no chart

    page.goto(f"{base}/imdi/ukraina/")
    page.get_by_role("button", name="Lag rapporten").click()
    expect(page.locator("#feiloppsummering")).to_be_focused()
    check_page(page, "imdi-alle-ukraina-feil")
    _sign_out(page)

    # The statistician: protected figures only, and the download of the published table.
    page.goto(f"{base}/logg-inn/")
    page.get_by_label("Brukernavn").fill("statistiker")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.goto(f"{base}/imdi/statistikk/?aar={year}&etter=kommune")
    expect(page.locator("td").filter(has_text="skjult").first).to_be_attached()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV (Excel, semikolon)").click()
    raw = info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Kommune" and rows[-1][0] == "I alt"
    _visit(page, f"{base}/imdi/ukraina/{imdi_data.month}/", "imdi-statistiker-ukraina")
    expect(page.locator("svg[role=img] title")).to_have_count(1)
    # Unprotected counts and the list of corrections are the advisers'.
    for url in ("/henvendelser/", "/imdi/datakvalitet/", "/imdi/statistikk/etter-frist/"):
        response = page.goto(f"{base}{url}")
        assert response is not None and response.status == 403, url
