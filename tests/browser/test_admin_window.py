"""The admin in a real browser: the operators' tool, with no personal data in it.

An operator (superuser) signs in and finds the municipalities and the scheduler's runs, and
no person, participation or history; a caseworker is sent back to the admin's sign-in. The
journey runs in Debian's Chromium through Playwright, checks accessibility with axe, and
keeps a screenshot of each page in artifacts/screenshots/<database>.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from nir.accounts.models import Role, User
from nir.register.models import Kommune
from nir.register.services.bulk_load import load_synthetic
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from tests.browser.conftest import shot, wcag_violations
from tests.conftest import ensure_kommuner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(chromium):
    return chromium.new_page(locale="nb-NO")


@pytest.fixture
def register_with_two_kommuner(db):
    ensure_kommuner()
    oslo = Kommune.objects.get(number="0301")
    bergen = Kommune.objects.get(number="4601")
    synthetic = SyntheticRegister(today=dt.date(2025, 3, 1), config=DEFAULT_CONFIG, seed=7)
    load_synthetic(synthetic.participations(["0301"] * 3 + ["4601"] * 4), config=DEFAULT_CONFIG)
    User.objects.create_user(
        "oslo", password="demo", roles=[Role.KOMMUNEINTROBRUKER], kommune=oslo, is_staff=True
    )
    User.objects.create_superuser("drift", password="demo", roles=[Role.IMDI_RADGIVER])
    return oslo, bergen


def test_an_operator_finds_reference_data_and_no_person_in_the_admin(
    live_server, register_with_two_kommuner, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Brukernavn").fill("drift")
    page.get_by_label("Passord").fill("demo")
    shot(page, "01-sign-in")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("link", name="Kommuner").first).to_be_visible()
    for personal in ("Persons", "Personer", "Participations", "Deltakelser", "History events"):
        expect(page.get_by_role("link", name=personal, exact=True)).to_have_count(0)
    shot(page, "02-admin-operator")
    assert wcag_violations(page) == []
    assert page.request.get(f"{live_server.url}/admin/register/person/").status == 404


def test_a_caseworker_marked_staff_does_not_enter_the_admin(
    live_server, register_with_two_kommuner, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Brukernavn").fill("oslo")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    # Django's admin refuses the sign-in of a non-staff account on its own form.
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.get_by_role("link", name="Kommuner")).to_have_count(0)
