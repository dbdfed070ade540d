"""A caseworker registers an intro participant's competence mapping in the browser: the
section on the participant page warns while it is missing, the form is axe-clean with and
without an error, and the page reads at 320 px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_mapping_is_registered_and_the_section_is_accessible(
    web_register, live_server, ui_page
):
    page = ui_page
    sign_in(page, live_server.url)
    p = web_register.soon_a  # a start decision, no kompetansekartlegging
    page.goto(f"{live_server.url}/person/{p.person_id}/")
    section = page.get_by_role("heading", name="Kartlegging, veiledning, kontrakt og kurs")
    assert section.is_visible()
    assert page.get_by_text("Kompetansekartlegging er ikke registrert som gjennomført").is_visible()
    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, "n8-deltaker-smal")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role(
        "link", name="Registrer status for kartlegging, veiledning, kontrakt eller kurs"
    ).click()
    page.get_by_label("Kartlegging, veiledning, kontrakt eller kurs").select_option("livsmestring")
    page.get_by_label("Status").select_option("gjennomfort")
    page.get_by_role("button", name="Registrer status").click()
    assert page.locator("#feiloppsummering").is_visible()  # completed needs its date
    check_page(page, "n8-feil-uten-dato")
    page.get_by_label("Dato gjennomført").fill(web_register.today.isoformat())
    page.get_by_role("button", name="Registrer status").click()
    row = page.get_by_role("row", name="Livsmestring i et nytt land")
    assert "Gjennomført" in row.inner_text()
    check_page(page, "n8-registrert")
