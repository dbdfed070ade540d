"""The interactive API docs in a real browser: Swagger UI from the register's own static
files renders every operation under the register's Content-Security-Policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_with_no_policy_violation_and_nothing_from_elsewhere(
    live_server, chromium
):
    violations: list[str] = []
    foreign: list[str] = []
    page = chromium.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    operations = page.locator(".opblock").count()

    # Every operation of the committed contract is shown.
    document = json.loads(
        (Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text()
    )
    assert operations == sum(len(ops) for ops in document["paths"].values())
    assert foreign == []
    assert violations == []
