"""IMDi sorts a national table by any column, with the keyboard alone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _column(page, table: str, index: int) -> list[str]:
    return page.locator(f"{table} tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{index}].textContent.trim())"
    )


def test_the_data_quality_table_sorts_by_any_column_from_the_keyboard(
    web_register, live_server, ui_page
):
    page = ui_page
    sign_in(page, live_server.url, "imdi")
    page.goto(f"{live_server.url}/imdi/datakvalitet/")
    table = "table:has(#kommuner-tabell)"
    names = _column(page, table, 0)
    assert len(names) >= 2
    header = page.locator(f"{table} thead th").nth(0)
    button = header.get_by_role("button")
    button.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = _column(page, table, 0)
    assert ascending == sorted(names, key=str.lower)
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert _column(page, table, 0) == list(reversed(ascending))
    # A numeric column sorts by number, not by text.
    leavers = page.locator(f"{table} thead th").nth(1)
    leavers.get_by_role("button").click()
    counts = [int(v) for v in _column(page, table, 1)]
    assert counts == sorted(counts)
    assert header.get_attribute("aria-sort") is None
    check_page(page, "datakvalitet-sortert")
