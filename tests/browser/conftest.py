"""Playwright driving Debian's Chromium, with axe and screenshots, for the caseworker UI.

Data is created before Playwright starts (its event loop then owns the thread), and every
Django connection is closed before the fixture leaves, so the test database can be dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from nir.accounts.models import Role
from nir.register.models import Kommune
from tests.conftest import ensure_kommuner
from tests.web.builders import PASSWORD, WebRegister, build_register, make_user

CHROMIUM = "/usr/bin/chromium"
# One folder per database: CI runs the SQLite and PostgreSQL suites side by side, and each
# keeps its own pictures rather than writing over the other's.
DATABASE = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / DATABASE
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
def web_register(db) -> WebRegister:
    cache.clear()  # pages cache counts by the data's last change: start with none cached
    ensure_kommuner()
    register = build_register(
        Kommune.objects.get(number="0301"), Kommune.objects.get(number="4601")
    )
    make_user("oslo", register.kommune_a)
    make_user("bergen", register.kommune_b)
    make_user("imdi", None, Role.IMDI_RADGIVER)
    return register


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright: the one launch every browser test uses.

    Take the data fixtures before this one: Playwright's sync API then runs an event loop in
    this thread, and ORM calls in the test itself are plain synchronous calls made between
    page actions.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
        # Database work done while Playwright's loop ran belongs to its own context.
        connections.close_all()


def checked_page(browser: Browser, **options: Any) -> tuple[BrowserContext, Page]:
    """A Norwegian page that keeps its Content-Security-Policy errors for ``check_page``."""
    context = browser.new_context(locale="nb-NO", accept_downloads=True, **options)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.csp_errors = csp_errors  # type: ignore[attr-defined]
    return context, page


@pytest.fixture
def ui_page(web_register, live_server, chromium: Browser) -> Iterator[Page]:
    context, page = checked_page(chromium)
    yield page
    context.close()


def sign_in(page: Page, base_url: str, username: str = "oslo") -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base_url}/")


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# WCAG 2.1 AA is the bar: axe runs every rule tagged for WCAG 2.0 and 2.1, levels A and AA,
# and axe's best-practice rules beside them, and any violation fails, whatever its impact
# (minor and moderate too). No best-practice rule is left out: none finds anything on the
# register's pages. Should one turn out noisy, name it in SKIPPED_RULES with why.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SKIPPED_RULES: dict[str, str] = {}
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": {rule: {"enabled": False} for rule in SKIPPED_RULES},
    "resultTypes": ["violations"],
}


def wcag_violations(page: Page) -> list[str]:
    """Every violation axe finds of the rules above, at any impact."""
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v.get('impact')}): {v['help']} ({[n['target'] for n in v['nodes']]})"
        for v in results.response["violations"]
    ]


def check_page(page: Page, name: str) -> None:
    """Screenshot, axe (no violation of WCAG 2.1 A or AA or of best practice, at any
    impact) and no CSP violation."""
    shot(page, name)
    assert wcag_violations(page) == [], name
    assert page.csp_errors == [], name  # type: ignore[attr-defined]


class AxeOnEveryPage:
    """Holds a journey to axe on every page it lands on: each navigation of the main frame
    must be checked (``check``) before the next one, and ``assert_all_checked`` at the end
    names any page the journey passed through unchecked."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.current: str | None = None  # the page landed on, not checked yet
        self.unchecked: list[str] = []
        page.on("framenavigated", self._landed)

    def _landed(self, frame: Any) -> None:
        if frame != self.page.main_frame:
            return
        if self.current is not None:
            self.unchecked.append(self.current)
        self.current = frame.url

    def check(self, name: str) -> None:
        check_page(self.page, name)
        self.current = None

    def sign_in(self, base_url: str, username: str, name: str) -> None:
        """``sign_in``, with the sign-in page checked on the way (the page it lands on, the
        start page, is the journey's to check)."""
        self.page.goto(f"{base_url}/")
        self.check(f"{name}-logg-inn")
        self.page.get_by_label("Brukernavn").fill(username)
        self.page.get_by_label("Passord").fill(PASSWORD)
        self.page.get_by_role("button", name="Logg inn").click()
        self.page.wait_for_url(f"{base_url}/")

    def assert_all_checked(self) -> None:
        missed = [*self.unchecked, *([self.current] if self.current else [])]
        assert missed == [], f"pages the journey passed through without axe: {missed}"
