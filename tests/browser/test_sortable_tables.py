"""IMDi sorts a national table by any column, with the keyboard alone; a caseworker sorts a
paged list on the server the same way; and the lists sorted last (IMDi's corrections after
the cut-off, the search's persons without a participation) too."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.services.context import Actor, Channel
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from tests.browser.conftest import check_page, sign_in
from tests.imdi.builders import corrected_after_cutoff, correction_year
from tests.web.builders import add_participation, add_person

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


def _first_cells(page, table: str) -> list[str]:
    return page.locator(f"{table} tbody tr").evaluate_all(
        "rows => rows.map(r => r.cells[0].textContent.trim())"
    )


def test_imdi_sorts_the_corrections_after_the_cutoff_from_the_keyboard(
    web_register, live_server, ui_page
):
    """The corrections, a paged list, sort on the server by a column's link: Bergen's
    correction, first by participation number, moves last by municipality and first again
    descending."""
    kommune_a, kommune_b = web_register.kommune_a, web_register.kommune_b
    year = correction_year(web_register.today)
    _, bergen = corrected_after_cutoff(kommune_b, dt.date(year, 2, 1))
    corrected_after_cutoff(kommune_a, dt.date(year, 3, 1))
    corrected_after_cutoff(kommune_a, dt.date(year, 4, 1))
    page = ui_page
    sign_in(page, live_server.url, "imdi")
    page.goto(f"{live_server.url}/imdi/statistikk/etter-frist/?aar={year}")
    table = "table#rettinger"
    assert _first_cells(page, table)[0] == str(bergen.pk)  # by participation number
    header = page.locator(f"{table} thead th").nth(1)
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sortering=kommune**")
    header = page.locator(f"{table} thead th").nth(1)
    assert header.get_attribute("aria-sort") == "ascending"
    assert _first_cells(page, table)[-1] == str(bergen.pk)  # «0301 Oslo» before «4601 Bergen»
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sortering=-kommune**")
    header = page.locator(f"{table} thead th").nth(1)
    assert header.get_attribute("aria-sort") == "descending"
    assert _first_cells(page, table)[0] == str(bergen.pk)
    check_page(page, "rettinger-sortert")


def test_the_persons_without_participation_sort_from_the_keyboard(
    web_register, live_server, ui_page
):
    """Below the search's list, «Personer uten deltakelse» sorts by birth date with the
    keyboard alone; the participations' list above keeps its order."""
    actor = Actor("kari@oslo", Channel.WEB, web_register.kommune_a.pk)
    today = web_register.today
    for given, year in (("Anna", 1993), ("Berit", 1989), ("Carl", 1991)):
        add_person(actor, given, "Solberg", birth=dt.date(year, 1, 1), registered=today)
    page = ui_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/deltakere/?q=Solberg")
    table = "table#personer"
    assert _first_cells(page, table) == ["Solberg, Anna", "Solberg, Berit", "Solberg, Carl"]
    header = page.locator(f"{table} thead th").nth(1)
    assert header.get_attribute("aria-sort") is None
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**personsortering=fodselsdato**")
    header = page.locator(f"{table} thead th").nth(1)
    assert header.get_attribute("aria-sort") == "ascending"
    assert _first_cells(page, table) == ["Solberg, Berit", "Solberg, Carl", "Solberg, Anna"]
    check_page(page, "personer-uten-deltakelse-sortert")
