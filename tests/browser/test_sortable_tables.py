"""IMDi sorts a national table by any column, with the keyboard alone; a caseworker sorts a
paged list on the server the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.services.context import Actor, Channel
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from tests.browser.conftest import check_page, sign_in
from tests.web.builders import add_participation

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


def _names(page) -> list[str]:
    return page.locator("table:has(#avsluttede) tbody tr").evaluate_all(
        "rows => rows.map(r => r.cells[0].textContent.trim())"
    )


def test_the_report_of_ended_participants_sorts_on_the_server_from_the_keyboard(
    web_register, live_server, ui_page
):
    """A paged list sorts by a column's link, followed with the keyboard; the page says
    which column is sorted and which way, and passes axe sorted."""
    today = web_register.today
    actor = Actor("kari@oslo", Channel.WEB, web_register.kommune_a.pk)
    for n, family in enumerate(["Moe", "Aas", "Dahl"]):
        end = today - dt.timedelta(days=5 + 7 * n)
        add_participation(actor, web_register.kommune_a, "Per", family, start=add_months(end, -6))
    run_sweep(as_of=today)
    page = ui_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/rapporter/avsluttede/")
    header = page.locator("table:has(#avsluttede) thead th").nth(0)
    assert header.get_attribute("aria-sort") is None
    link = header.get_by_role("link")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sortering=navn**")
    header = page.locator("table:has(#avsluttede) thead th").nth(0)
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = _names(page)
    assert ascending == sorted(ascending, key=str.lower)
    check_page(page, "avsluttede-sortert")
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sortering=-navn**")
    header = page.locator("table:has(#avsluttede) thead th").nth(0)
    assert header.get_attribute("aria-sort") == "descending"
    assert _names(page) == list(reversed(ascending))
    check_page(page, "avsluttede-sortert-synkende")
