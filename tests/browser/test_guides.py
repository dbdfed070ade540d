"""The user guides' screenshots are taken here, walking the steps each guide describes; then
every guide is opened in both languages, passes axe, and shows its pictures.

The pictures the register serves are committed. A run writes them into that folder only when
``NIR_WRITE_GUIDE_SCREENSHOTS=1`` (after a page changed); otherwise into a folder of its own,
so a test run leaves the source tree as it found it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nir.web.guides import GUIDES, SCREENSHOT_FOLDER
from tests.browser.conftest import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("NIR_WRITE_GUIDE_SCREENSHOTS") == "1":
        return SCREENSHOT_FOLDER
    return tmp_path


def test_the_guides_screenshots_follow_their_steps(web_register, live_server, ui_page, shots):
    def _shot(page, name: str) -> None:
        shots.mkdir(parents=True, exist_ok=True)
        page.locator("main").screenshot(path=str(shots / f"{name}.png"))

    page = ui_page
    page.set_viewport_size({"width": 1000, "height": 800})
    sign_in(page, live_server.url)

    # Registering a termination reason: the worklist, then the form.
    expect(page.get_by_role("link", name="Registrer årsak").first).to_be_visible()
    _shot(page, "avslutningsarsak-1")
    page.get_by_role("link", name="Registrer årsak").first.click()
    expect(page.get_by_label("Avslutningsårsak (hovedaktivitet ved avslutning)")).to_be_visible()
    page.get_by_label("Avslutningsårsak (hovedaktivitet ved avslutning)").select_option("arbeid")
    page.get_by_label("Sluttdato").fill(web_register.overdue_a.frist.isoformat())
    _shot(page, "avslutningsarsak-2")

    # Finding «ikke registrert» in the report of ended participants.
    page.goto(f"{live_server.url}/rapporter/avsluttede/")
    page.get_by_label("Avslutningsårsak").select_option("ikke_registrert")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("link", name="Haddad, Amina")).to_be_visible()
    _shot(page, "ikke-registrert-1")

    # Asking for late registration: the request to IMDi.
    page.goto(f"{live_server.url}/etterregistrering/")
    page.get_by_role("link", name="Send en henvendelse til IMDi").click()
    expect(page.get_by_label("Emne")).to_be_visible()
    page.get_by_label("Emne").fill("Etterregistrering av avslutningsårsak")
    _shot(page, "etterregistrering-1")

    # An extension, with the new frist shown before it is saved.
    soon = web_register.soon_a
    page.goto(f"{live_server.url}/deltakelse/{soon.pk}/registrer/utvidelse/")
    page.get_by_label("Antall måneder").fill("3")
    page.get_by_label("Vedtaksdato").fill(web_register.today.isoformat())
    page.get_by_label("Vedtaksdato").blur()
    expect(page.locator("#forhandsvisning")).not_to_be_empty()
    _shot(page, "utvidelse-og-permisjon-1")

    # Every picture taken is a picture, and these are the pictures the register serves.
    taken = sorted(shots.glob("*.png"))
    assert {p.name for p in taken} == {p.name for p in SCREENSHOT_FOLDER.glob("*.png")}
    for path in taken:
        assert path.stat().st_size > 1000, path


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_guide_opens_passes_axe_and_shows_its_pictures(
    web_register, live_server, ui_page, language
):
    page = ui_page
    sign_in(page, live_server.url)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/veiledning/")
    check_page(page, f"veiledning-{language}")
    for slug in GUIDES:
        page.goto(f"{live_server.url}/veiledning/{slug}/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        check_page(page, f"veiledning-{slug}-{language}")
        images = page.locator("main img")
        if slug != "avstemming":  # the case systems' guide is about the API: no pages
            assert images.count() >= 1, slug
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            # Loaded, not only in the page: a picture loads once it is scrolled to, so wait
            # for it (a missing one never gets a width, and the wait fails).
            page.wait_for_function(
                "i => i.complete && i.naturalWidth > 0", arg=image.element_handle(), timeout=10_000
            )
