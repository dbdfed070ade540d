"""List pages cost the same number of queries with a few rows or many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nir.accounts.models import Role
from nir.register.services.context import Actor, Channel
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.web.builders import add_participation, make_user

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/",
    "/deltakere/?status=aktiv",
    "/deltakere/?q=Testesen",
    "/rapporter/avsluttede/",
    "/rapporter/personliste/",
    "/rapporter/personliste/?vedtak=uten",
    "/rapporter/kommuneoversikt/",
]


def _add(register, count: int, offset: int) -> None:
    actor = Actor("kari@oslo", Channel.WEB, register.kommune_a.pk)
    today = register.today
    for n in range(count):
        # Alternate: ended by the sweep, frist soon, lacking registrations; all of them lists.
        start = add_months(today, -6) + dt.timedelta(days=(n % 3) * 12 - 11)
        add_participation(
            actor,
            register.kommune_a,
            f"Person{offset + n}",
            "Testesen",
            start=start,
            birth=dt.date(1970 + (offset + n) % 30, 1 + n % 12, 1 + n % 28),
            complete=n % 2 == 0,
        )
    run_sweep(as_of=today)


def _queries(client, url: str) -> int:
    cache.clear()  # the worst case: the counts a page caches are computed again
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


def test_list_pages_run_a_bounded_number_of_queries(
    register, client_a, django_assert_max_num_queries
):
    _add(register, 4, 0)
    for url in LIST_PAGES:  # warm up: the access log's head row is created on first use
        client_a.get(url)
    few = {url: _queries(client_a, url) for url in LIST_PAGES}
    _add(register, 16, 100)
    many = {url: _queries(client_a, url) for url in LIST_PAGES}
    assert many == few
    for url in LIST_PAGES:
        # With nothing cached: the worklist then counts each kind of task (the triage of the
        # register's ends and the start decisions longer than the sluttmål among them) and
        # tomorrow's reminders before it reads its page.
        cache.clear()
        with django_assert_max_num_queries(31):
            client_a.get(url)
    # A later page of the worklist costs what the first does.
    first = _queries(client_a, "/")
    assert _queries(client_a, "/?etter=0-20250101-1&side=2") <= first


def test_exports_run_a_bounded_number_of_queries(register, client_a):
    urls = [
        "/rapporter/avsluttede.csv",
        "/rapporter/personliste.csv",
        "/rapporter/avsluttede.xlsx",
        "/rapporter/personliste.xlsx",
    ]
    _add(register, 3, 200)
    for url in urls:
        b"".join(client_a.get(url).streaming_content)
    few = {url: _queries(client_a, url) for url in urls}
    _add(register, 12, 300)
    assert {url: _queries(client_a, url) for url in urls} == few


def test_the_norwegian_users_worklist_costs_the_same_with_few_ordninger_or_many(
    kommune_a, make_person
):
    """The scheme's streams and tomorrow's Norwegian reminders: a count and a short read
    each, however many ordninger the municipality has."""
    nora = Actor("nora@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK}))

    begun = timezone.localdate() - dt.timedelta(days=20)  # inside the registration window

    def start(count: int, offset: int) -> None:
        for n in range(count):
            person = make_person(
                family_name=f"Norskvik{offset + n}",
                permit_date=begun,
                has_upper_secondary=True,
            )
            start_norsk_participation(
                actor=nora,
                person_id=person.pk,
                kommune_id=kommune_a.pk,
                new=NewNorskParticipation(start_date=begun, permit_list=PermitList.RETT_OG_PLIKT),
            )

    client = Client()
    client.force_login(make_user("nora", kommune_a, Role.KOMMUNENORSKBRUKER))
    start(2, 0)
    client.get("/")  # warm up: the access log's head row is created on first use
    few = _queries(client, "/")
    start(8, 100)
    assert _queries(client, "/") == few


def test_the_worklist_reads_the_municipalitys_last_change_once(register, client_a):
    """Its page's key and tomorrow's reminders' key both hold the municipality's last change
    (``nir.web.counts``): one lookup a request, however the page is cached."""
    _add(register, 4, 400)
    client_a.get("/")  # warm: the page and the reminders cached
    for warm in (True, False):
        if not warm:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client_a.get("/").status_code == 200
        lookups = [
            q["sql"] for q in captured if 'MAX("register_participation"."updated_at")' in q["sql"]
        ]
        assert len(lookups) == 1, lookups
