"""The admin in a real browser: the operators' tool, with no personal data in it.

An operator (superuser) signs in and finds the municipalities and the scheduler's runs, and
no person, participation or history; a caseworker is sent back to the admin's sign-in. The
journey runs in Debian's Chromium through Playwright, checks accessibility with axe, and
keeps a screenshot of each page in artifacts/screenshots.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from nir.accounts.models import Role, User
from nir.register.models import Kommune
from nir.register.services.bulk_load import load_synthetic
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from tests.conftest import ensure_kommuner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
    # itself are plain synchronous calls made between page actions.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(locale="nb-NO")
        yield page
        browser.close()
        # Database work done while Playwright's loop ran belongs to its own context.
        connections.close_all()


@pytest.fixture
def register_with_two_kommuner(db):
    ensure_kommuner()
    oslo = Kommune.objects.get(number="0301")
    bergen = Kommune.objects.get(number="4601")
    synthetic = SyntheticRegister(today=dt.date(2025, 3, 1), config=DEFAULT_CONFIG, seed=7)
    load_synthetic(synthetic.participations(["0301"] * 3 + ["4601"] * 4), config=DEFAULT_CONFIG)
    User.objects.create_user(
        "oslo", password="demo", role=Role.KOMMUNEINTROBRUKER, kommune=oslo, is_staff=True
    )
    User.objects.create_superuser("drift", password="demo", role=Role.IMDI_RADGIVER)
    return oslo, bergen


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_an_operator_finds_reference_data_and_no_person_in_the_admin(
    live_server, register_with_two_kommuner, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Brukernavn").fill("drift")
    page.get_by_label("Passord").fill("demo")
    _shot(page, "01-sign-in")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("link", name="Kommuner").first).to_be_visible()
    for personal in ("Persons", "Personer", "Participations", "Deltakelser", "History events"):
        expect(page.get_by_role("link", name=personal, exact=True)).to_have_count(0)
    _shot(page, "02-admin-operator")
    assert _serious_violations(page) == []
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
