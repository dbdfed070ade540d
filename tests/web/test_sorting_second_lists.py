"""The two lists sorted last: IMDi's corrections after the annual cut-off (a list held in
memory, paged) and «Personer uten deltakelse» below the search's list. Each sorts on the
server by any column, the order holds across pages, the sorted column says so, and sorting
one of the search's two lists leaves the other's order and page as they were. Run on SQLite
and PostgreSQL alike (``DATABASE_URL``)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from nir.imdi.views import figures as figure_views
from nir.register.services.context import Actor, Channel
from nir.web import search_results
from tests.imdi.builders import corrected_after_cutoff, correction_year, registered_after_cutoff
from tests.web.builders import add_participation, add_person

pytestmark = pytest.mark.django_db


# --- IMDi's corrections after the cut-off ------------------------------------------------


@pytest.fixture
def corrections(kommune_a, kommune_b, monkeypatch):
    """Four corrections of one year in Oslo and Bergen, on different end dates; two a page."""
    year = correction_year(timezone.localdate())
    made = {
        "oslo_september": corrected_after_cutoff(kommune_a, dt.date(year, 3, 1))[1],
        "bergen_november": corrected_after_cutoff(kommune_b, dt.date(year, 5, 1), "utdanning_vgo")[
            1
        ],
        "oslo_december": corrected_after_cutoff(kommune_a, dt.date(year, 6, 1))[1],
        "oslo_late": registered_after_cutoff(kommune_a, dt.date(year, 7, 1)),
    }
    monkeypatch.setattr(figure_views, "CORRECTIONS_PAGE", 2)
    return year, {name: p.pk for name, p in made.items()}


CORRECTION = re.compile(r'<th scope="row">(\d+)</th>')


def _corrections_shown(client, url: str) -> list[int]:
    """The participation numbers of every page of corrections, following «Neste side»."""
    shown: list[int] = []
    while True:
        body = client.get(url).content.decode()
        table = body.split('id="rettinger"', 1)[1].split("</tbody>", 1)[0]
        shown += [int(pk) for pk in CORRECTION.findall(table)]
        following = re.search(r'<a href="([^"]+)" rel="next">', body)
        if following is None:
            return shown
        url = url.split("?", 1)[0] + html.unescape(following.group(1))


def test_the_corrections_sort_by_municipality_across_pages(corrections, client_imdi):
    year, pk = corrections
    url = f"/imdi/statistikk/etter-frist/?aar={year}"
    by_number = _corrections_shown(client_imdi, url)
    assert by_number == sorted(pk.values())
    # «0301 Oslo» before «4601 Bergen», ties by participation number; reversed, Bergen first.
    oslo = sorted(pk[n] for n in ("oslo_september", "oslo_december", "oslo_late"))
    assert _corrections_shown(client_imdi, f"{url}&sortering=kommune") == [
        *oslo,
        pk["bergen_november"],
    ]
    assert _corrections_shown(client_imdi, f"{url}&sortering=-kommune") == [
        pk["bergen_november"],
        *oslo,
    ]


def test_the_corrections_sort_by_the_termination_at_the_cutoff_empty_last(corrections, client_imdi):
    year, pk = corrections
    url = f"/imdi/statistikk/etter-frist/?aar={year}"
    ascending = _corrections_shown(client_imdi, f"{url}&sortering=ved_fristen")
    assert ascending == [
        pk["oslo_september"],
        pk["bergen_november"],
        pk["oslo_december"],
        pk["oslo_late"],  # not in the register at the cut-off: last either way
    ]
    descending = _corrections_shown(client_imdi, f"{url}&sortering=-ved_fristen")
    assert descending == [
        pk["oslo_december"],
        pk["bergen_november"],
        pk["oslo_september"],
        pk["oslo_late"],
    ]


def test_the_sorted_corrections_say_so_and_keep_the_year(corrections, client_imdi):
    year, _pk = corrections
    body = client_imdi.get(
        f"/imdi/statistikk/etter-frist/?aar={year}&sortering=-naa"
    ).content.decode()
    head = body.split('id="rettinger"', 1)[1].split("</thead>", 1)[0]
    assert head.count("aria-sort=") == 1
    assert re.search(
        rf'<th scope="col" aria-sort="descending"><a class="sort-link" '
        rf'href="\?aar={year}&amp;sortering=naa">Nå',
        head,
    )
    # The other columns sort ascending from the first page; the pages and the form keep it.
    assert f'href="?aar={year}&amp;sortering=kommune">Kommune' in head
    assert "sortering=-naa&amp;side=2" in body
    assert '<input type="hidden" name="sortering" value="-naa">' in body


def test_an_unknown_sort_of_the_corrections_gives_their_default_order(corrections, client_imdi):
    year, pk = corrections
    url = f"/imdi/statistikk/etter-frist/?aar={year}&sortering=participation_id"
    assert client_imdi.get(url).status_code == 200
    assert _corrections_shown(client_imdi, url) == sorted(pk.values())


# --- «Personer uten deltakelse» on the search page -----------------------------------------


@pytest.fixture
def persons(caseworker_a, kommune_a, monkeypatch):
    """Three persons without a participation named Solberg, and seven participants named
    Solberg; three of the participants a page."""
    today = timezone.localdate()
    made = {}
    for given, birth in (("Carl", dt.date(1991, 1, 1)), ("Anna", dt.date(1993, 1, 1))):
        made[given] = add_person(caseworker_a, given, "Solberg", birth=birth, registered=today)
    made["Berit"] = add_person(
        caseworker_a, "Berit", "Solberg", birth=dt.date(1989, 1, 1), registered=today
    )
    for n in range(7):
        add_participation(
            caseworker_a,
            kommune_a,
            f"Deltaker{n}",
            "Solberg",
            start=today - dt.timedelta(days=30 + n),
        )
    monkeypatch.setattr(search_results, "PAGE_SIZE", 3)
    return made


PERSON = re.compile(r'<a href="/person/(\d+)/">([^<]+)</a>')
PARTICIPATION = re.compile(r'<a href="/deltakelse/(\d+)/">')


def _persons_shown(body: str) -> list[str]:
    table = body.split('id="personer"', 1)[1].split("</tbody>", 1)[0]
    return [html.unescape(name) for _pk, name in PERSON.findall(table)]


def _participations_shown(body: str) -> list[int]:
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [int(pk) for pk in PARTICIPATION.findall(table)]


def test_the_persons_without_participation_sort_by_birth_date_both_ways(persons, client_a):
    by_name = client_a.get("/deltakere/?q=Solberg").content.decode()
    assert _persons_shown(by_name) == ["Solberg, Anna", "Solberg, Berit", "Solberg, Carl"]
    older_first = client_a.get("/deltakere/?q=Solberg&personsortering=fodselsdato")
    assert _persons_shown(older_first.content.decode()) == [
        "Solberg, Berit",
        "Solberg, Carl",
        "Solberg, Anna",
    ]
    younger_first = client_a.get("/deltakere/?q=Solberg&personsortering=-fodselsdato")
    assert _persons_shown(younger_first.content.decode()) == [
        "Solberg, Anna",
        "Solberg, Carl",
        "Solberg, Berit",
    ]


def test_sorting_the_persons_leaves_the_participations_order_and_page(persons, client_a):
    url = "/deltakere/?q=Solberg&sortering=-navn&side=2"
    before = client_a.get(url).content.decode()
    body = client_a.get(f"{url}&personsortering=-fodselsdato").content.decode()
    assert _participations_shown(body) == _participations_shown(before)
    assert len(_participations_shown(body)) == 3
    head = body.split('id="personer"', 1)[1].split("</thead>", 1)[0]
    # Its own column says it is sorted; its links keep the other list's sort and page.
    assert head.count("aria-sort=") == 1
    assert re.search(
        r'<th scope="col" aria-sort="descending"><a class="sort-link" href="\?q=Solberg&amp;'
        r"sortering=-navn&amp;side=2&amp;personsortering=fodselsdato\">Fødselsdato",
        head,
    )
    # The participations' own links start from the first page and keep the persons' sort.
    assert "?q=Solberg&amp;sortering=frist&amp;personsortering=-fodselsdato" in body
    # A new search from the form keeps both orders.
    assert '<input type="hidden" name="sortering" value="-navn">' in body
    assert '<input type="hidden" name="personsortering" value="-fodselsdato">' in body


def test_imdi_sees_and_sorts_by_the_municipality_that_registered_the_person(
    persons, kommune_b, client_imdi, client_a, monkeypatch
):
    monkeypatch.setattr(search_results, "PAGE_SIZE", 10)
    bergen = Actor("ola@bergen", Channel.WEB, kommune_b.pk)
    add_person(bergen, "Dag", "Solberg", birth=dt.date(1990, 1, 1), registered=timezone.localdate())
    body = client_imdi.get("/deltakere/?q=Solberg&personsortering=kommune").content.decode()
    assert _persons_shown(body)[0] == "Solberg, Dag"  # Bergen before Oslo
    body = client_imdi.get("/deltakere/?q=Solberg&personsortering=-kommune").content.decode()
    assert _persons_shown(body)[-1] == "Solberg, Dag"
    assert "Registrert av kommune" in body.split('id="personer"', 1)[1].split("</thead>")[0]
    # A municipality sees only its own persons, without the column.
    own = client_a.get("/deltakere/?q=Solberg").content.decode()
    assert "Solberg, Dag" not in own and "Registrert av kommune" not in own


def test_a_search_finding_more_persons_than_a_page_says_so(persons, client_a, monkeypatch):
    monkeypatch.setattr(search_results, "PAGE_SIZE", 2)
    body = client_a.get("/deltakere/?q=Solberg").content.decode()
    assert _persons_shown(body) == ["Solberg, Anna", "Solberg, Berit"]
    assert "Bare de første 2 vises. Søk mer presist for å finne resten." in body
    monkeypatch.setattr(search_results, "PAGE_SIZE", 3)
    assert "Søk mer presist" not in client_a.get("/deltakere/?q=Solberg").content.decode()


def test_imdi_narrows_the_corrections_to_one_municipality_keeping_the_sort(
    corrections, client_imdi, kommune_a, kommune_b
):
    year, pk = corrections
    url = f"/imdi/statistikk/etter-frist/?aar={year}&sortering=-ved_fristen"
    oslo = _corrections_shown(client_imdi, f"{url}&kommune={kommune_a.pk}")
    assert oslo == [pk["oslo_december"], pk["oslo_september"], pk["oslo_late"]]
    bergen = client_imdi.get(f"{url}&kommune={kommune_b.pk}")
    assert _corrections_shown(client_imdi, f"{url}&kommune={kommune_b.pk}") == [
        pk["bergen_november"]
    ]
    body = bergen.content.decode()
    assert "1 deltakelse endret etter fristen" in body
    # The sums stay the whole country's: four corrections made them, whichever is listed.
    assert len(bergen.context["comparison"].corrections) == 4
