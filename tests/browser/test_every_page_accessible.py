"""Every page a caseworker can reach, in bokmål and in English, passes axe (no violation of
WCAG 2.1 A or AA, whatever its impact), breaks no CSP rule, and reflows without horizontal
scrolling at 320 px and at 200 % zoom."""

from __future__ import annotations

import pytest

from nir.register.models import SluttmaalVersion
from nir.web.registrations import KINDS
from tests.browser.conftest import check_page, sign_in, wcag_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(register) -> list[tuple[str, str]]:
    p = register.overdue_a
    pages = [
        ("arbeidsliste", "/"),
        ("sok-tomt", "/deltakere/"),
        ("sok-treff", "/deltakere/?status=aktiv"),
        ("deltaker", f"/person/{p.person_id}/"),
        ("ny-person", "/person/ny/"),
        ("endre-person", f"/person/{p.person_id}/endre/"),
        ("ny-deltakelse", f"/person/{p.person_id}/ny-deltakelse/"),
        ("etterregistrering", "/etterregistrering/"),
        ("rapport-avsluttede", "/rapporter/avsluttede/"),
        ("rapport-personliste", "/rapporter/personliste/"),
        ("rapport-kommuneoversikt", "/rapporter/kommuneoversikt/"),
        ("varsler", "/varsler/"),
        ("ikke-funnet", f"/person/{register.person_b.pk}/"),
    ]
    goal = SluttmaalVersion.objects.filter(participation=p).get()
    pages.append(("annuller", f"/deltakelse/{p.pk}/annuller/sluttmaal/{goal.pk}/"))
    pages += [(f"registrer-{slug}", f"/deltakelse/{p.pk}/registrer/{slug}/") for slug in KINDS]
    return pages


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_every_page_passes_axe_and_reflows(web_register, live_server, ui_page):
    page = ui_page
    sign_in(page, live_server.url)
    for name, url in _pages(web_register):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}{url}")
        check_page(page, f"alle-{name}")
        # 320 CSS px (WCAG 1.4.10), and 1280 px at 200 % zoom = 640 CSS px.
        for width in (320, 640):
            page.set_viewport_size({"width": width, "height": 800})
            assert _no_horizontal_scroll(page), f"{name} scrolls sideways at {width} px"
        if name in ("arbeidsliste", "deltaker", "registrer-utvidelse"):
            page.set_viewport_size({"width": 320, "height": 800})
            check_page(page, f"smal-{name}")


def test_every_page_in_english_passes_axe_and_reflows(web_register, live_server, ui_page):
    """The English pages: other words, other lengths, the same bar."""
    page = ui_page
    sign_in(page, live_server.url)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for name, url in _pages(web_register):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}{url}")
        assert page.locator("html").get_attribute("lang") == "en", name
        check_page(page, f"en-{name}")
        for width in (320, 640):
            page.set_viewport_size({"width": width, "height": 800})
            assert _no_horizontal_scroll(page), f"{name} (English) scrolls sideways at {width} px"


def test_forms_with_errors_pass_axe(web_register, live_server, ui_page):
    page = ui_page
    sign_in(page, live_server.url)
    p = web_register.soon_a
    page.goto(f"{live_server.url}/deltakelse/{p.pk}/registrer/utvidelse/")
    page.get_by_label("Antall måneder").fill("12")
    page.get_by_label("Vedtaksdato").fill(web_register.today.isoformat())
    page.get_by_role("button", name="Registrer utvidet programtid").click()
    assert page.locator("#feiloppsummering").is_visible()
    check_page(page, "feil-utvidelse-over-grensen")
    page.goto(f"{live_server.url}/person/ny/")
    page.get_by_role("button", name="Registrer person").click()
    check_page(page, "feil-ny-person")


def test_keyboard_reaches_the_main_content_and_the_form(web_register, live_server, ui_page):
    page = ui_page
    sign_in(page, live_server.url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "hovedinnholdet" in focused  # the skip link comes first
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#hovedinnhold"
    # Focus is visible on links and buttons: an outline, never removed.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_imdi_pages_pass_axe(web_register, live_server, ui_page):
    page = ui_page
    sign_in(page, live_server.url, "imdi")
    check_page(page, "web-imdi-arbeidsliste")
    page.goto(f"{live_server.url}/rapporter/kommuneoversikt/")
    page.get_by_label("Kommune").select_option(label="0301 Oslo")
    page.get_by_role("button", name="Vis").click()
    check_page(page, "web-imdi-kommuneoversikt-oslo")
    # IMDi sees Bergen's participant, with nothing to register or correct.
    page.goto(f"{live_server.url}/person/{web_register.person_b.pk}/")
    check_page(page, "web-imdi-deltaker")
    assert page.get_by_role("link", name="Annuller").count() == 0
    assert page.get_by_role("link", name="Endre personopplysninger").count() == 0


def test_the_axe_check_fails_on_a_moderate_finding(chromium):
    """A finding axe rates moderate or minor fails the page as a serious one does: here the
    page's two languages disagree (WCAG 3.1.1) and a heading level is skipped."""
    page = chromium.new_page()
    page.set_content(
        '<!doctype html><html lang="nb" xml:lang="en" xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>Prøve</title></head>"
        "<body><main><h1>Arbeidsliste</h1><h3>Frist</h3></main></body></html>"
    )
    found = wcag_violations(page)
    page.close()
    assert any(f.startswith("html-xml-lang-mismatch (moderate)") for f in found), found
    assert any(f.startswith("heading-order (moderate)") for f in found), found
