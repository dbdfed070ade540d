"""The caseworker's pages and the API's lists keep their index plans on a register loaded
the way production is: a bulk load (``nir seed``'s loader, which ends with ANALYZE) of a
register skewed as the country is (Oslo holds a large share), with the planner free to
choose, sequential scans allowed. Every statement a request sends that reads the
participation table is explained, and none may scan the whole table: each such table has
an index for what the page asks (test_query_plans.py checks that each exists).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nir.api.clients import create_api_client
from nir.register.cutoff_comparison import changes_after
from nir.register.kommuner import read_kommuner_2024
from nir.register.models import Participation
from nir.register.services.bulk_load import load_synthetic
from nir.register.statistics import cutoff_at
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from tests.conftest import FROZEN_AT
from tests.web.builders import make_user

PARTICIPANTS = 6000
TABLE = Participation._meta.db_table


@pytest.fixture(params=["weighted as the country", "skewed: Oslo holds two thirds"])
def loaded(request, kommune_a, kommune_b) -> str:
    """A register of 6,000 participations over every municipality, weighted as the
    country is or with Oslo holding two thirds of it, loaded in bulk as of the frozen
    day; one Oslo case id to read."""
    register = SyntheticRegister(today=FROZEN_AT.date(), config=DEFAULT_CONFIG, seed=31)
    numbers = sorted(k.number for k in read_kommuner_2024())
    if request.param.startswith("skewed"):
        plan = ["0301"] * (2 * PARTICIPANTS // 3)
        plan += register.kommune_plan(numbers, PARTICIPANTS - len(plan))
    else:
        plan = register.kommune_plan(numbers, PARTICIPANTS)
    load_synthetic(register.participations(plan), config=DEFAULT_CONFIG)
    return Participation.objects.filter(kommune=kommune_a).order_by("pk")[100].case_id


def _whole_table_scans(sql: str) -> list[str]:
    """The plan's scans of the whole participation table, as the database words them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            found = []

            def walk(node: dict) -> None:
                if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == TABLE:
                    found.append(json.dumps(node)[:400])
                for child in node.get("Plans", []):
                    walk(child)

            walk(plan[0]["Plan"])
            return found
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        details = [str(row[-1]) for row in cursor.fetchall()]
    return [d for d in details if d.startswith(f"SCAN {TABLE}") and "INDEX" not in d]


def _sent_reading_participations(work) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = work()
        if hasattr(response, "status_code"):
            assert response.status_code == 200, response.content[:300]
    sent = [q["sql"].split(" CURSOR FOR ", 1)[-1] for q in captured.captured_queries]
    reads = re.compile(rf"\b{TABLE}\b")
    return [s for s in sent if s.lstrip().startswith("SELECT") and reads.search(s)]


def _pages(case_id: str) -> dict[str, object]:
    web = Client()
    web.force_login(make_user("oslo", Participation.objects.get(case_id=case_id).kommune))
    token = create_api_client(kommune_number="0301", name="Oslo fagsystem", created_by="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token.token}")
    year = FROZEN_AT.year - 1
    return {
        "the worklist": lambda: web.get("/"),
        "the report of ended participants": lambda: web.get(f"/rapporter/avsluttede/?aar={year}"),
        "the person list": lambda: web.get("/rapporter/personliste/"),
        "the API's participant read": lambda: api.get(f"/api/v1/participations/{case_id}"),
        "the API's change feed": lambda: api.get("/api/v1/changes?limit=100"),
        "the API's deadlines": lambda: api.get("/api/v1/deadlines"),
        # Beside the lookups of the stored figures, what the cut-off against now reads: the
        # changes after the cut-off, found through the history events after it.
        "the cut-off against now": lambda: changes_after(
            cutoff_at(year), year_end=dt.date(year, 12, 31)
        ),
    }


# The change feed's person-level part (events of persons registered by the municipality
# with no participation anywhere) once hashed every participation on PostgreSQL, its «no
# participation anywhere» inside an OR; it is now a part of its own, an anti-join.
FEED = "the API's change feed"


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.django_db
def test_the_change_feed_does_not_scan_the_whole_participation_table(loaded):
    sent = _sent_reading_participations(_pages(loaded)[FEED])
    assert sent
    assert [scan for sql in sent for scan in _whole_table_scans(sql)] == []


@pytest.mark.usefixtures("frozen_clock")  # the worklist and the deadlines read today
@pytest.mark.django_db
def test_no_page_scans_the_whole_participation_table_on_a_loaded_register(loaded):
    scans: dict[str, list[str]] = {}
    for name, request in _pages(loaded).items():
        if name == FEED:
            continue  # test_the_change_feed_does_not_scan_the_whole_participation_table
        sent = _sent_reading_participations(request)
        assert sent, f"{name}: no statement read the participations"
        found = [scan for sql in sent for scan in _whole_table_scans(sql)]
        if found:
            scans[name] = found
    assert scans == {}


HISTORY = "register_historyevent"


def _sorts_of_history(sql: str) -> list[str]:
    """Where SQLite's plan sorts the history's rows for ORDER BY, rather than walking an
    index in id order and stopping at the limit."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        details = [str(row[-1]) for row in cursor.fetchall()]
    return [d for d in details if "TEMP B-TREE FOR ORDER BY" in d]


def _feed_parts_from_halfway() -> list[str]:
    """The statements that read each part's next ids, for Oslo's page of the change feed
    from halfway through the history."""
    from django.db.models import Max

    from nir.api.selectors import changes
    from nir.register.models import HistoryEvent, Kommune

    oslo = Kommune.objects.get(number="0301", valid_to__isnull=True)
    halfway = (HistoryEvent.objects.aggregate(last=Max("pk"))["last"] or 0) // 2
    with CaptureQueriesContext(connection) as captured:
        assert changes(oslo.pk, after=halfway, limit=100)
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(f'SELECT "{HISTORY}"."id" AS "pk" FROM "{HISTORY}"')
    ]


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.django_db
def test_each_part_of_the_change_feed_walks_an_index_in_id_order(loaded):
    """A page of the feed from halfway through the history: each part's next ids are an
    index range read in id order up to the limit (api/selectors.changes), never a range
    collected and sorted, however many later events there are. On PostgreSQL a register
    this small is rightly sorted (a few thousand rows); there the figure is the bench's
    (docs/benchmarks.md, «API: endringsstrøm»)."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL sorts a register this small; docs/benchmarks.md measures it")

    parts = _feed_parts_from_halfway()
    assert len(parts) >= 3
    assert {sql: _sorts_of_history(sql) for sql in parts} == {sql: [] for sql in parts}


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.django_db
def test_the_change_feeds_persons_parts_read_the_history_by_its_indexes_alone(loaded):
    """On PostgreSQL, the part for the persons who take part in the municipality's
    programme reads the person-level events' index, which holds each event's person, and
    never the history table itself, so a cursor far back costs index entries, not table
    pages (0.35 s a page at 100,000 participants when it did; docs/benchmarks.md). (The
    bulk load has no ordninger; their part has the same index.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no covering indexes; the part's id order is tested above")

    persons_parts = [sql for sql in _feed_parts_from_halfway() if f'FROM "{TABLE}"' in sql]
    assert len(persons_parts) == 1
    reads: dict[str, list[str]] = {}
    for sql in persons_parts:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
        reads[sql] = [
            node["Node Type"]
            for node in _nodes(plan[0]["Plan"])
            if node.get("Relation Name") == HISTORY
        ]
    assert {sql: set(nodes) for sql, nodes in reads.items()} == {
        sql: {"Index Only Scan"} for sql in reads
    }


def _nodes(plan: dict) -> list[dict]:
    return [plan, *(n for child in plan.get("Plans", []) for n in _nodes(child))]


def _index_conditions(sql: str) -> dict[str, list[str]]:
    """Each index the plan reads, with what it is searched by (PostgreSQL's index
    conditions; SQLite's search terms)."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for node in _nodes(plan[0]["Plan"]):
                if "Index Name" in node:
                    found.setdefault(node["Index Name"], []).append(node.get("Index Cond", ""))
            return found
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        for row in cursor.fetchall():
            match = re.search(r"USING (?:COVERING )?INDEX (\w+)(?: \((.*)\))?", str(row[-1]))
            if match:
                found.setdefault(match[1], []).append(match[2] or "")
    return found


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.django_db
def test_the_cutoff_against_now_tells_the_changes_that_bear_on_the_year_from_the_index(loaded):
    """The terminations changed after the cut-off are searched by their end before and
    after the change, and the participations registered after it by their start, in the
    indexes: the history's rows are read only for those that end or start by the year's
    last day, not for every change after the cut-off (at a million participations 134,404
    of them, whose rows took 16.6 s to read)."""
    year = FROZEN_AT.year - 1
    with CaptureQueriesContext(connection) as captured:
        changes_after(cutoff_at(year), year_end=dt.date(year, 12, 31))
    # The one statement that reads the history (the first reads IMDi's exception, if any).
    [sql] = [q["sql"] for q in captured.captured_queries if HISTORY in q["sql"]]
    found = _index_conditions(sql)
    ends = " ".join(found.get("history_termination_changes", []))
    starts = " ".join(found.get("history_created_at", []))
    if connection.vendor == "postgresql":
        assert "before ->> 'end_date'" in ends and "after ->> 'end_date'" in ends, found
        assert "after ->> 'start_date'" in starts, found
    else:
        # SQLite's plan names only the time as the search; the same indexes are read.
        assert "occurred_at>?" in ends and "occurred_at>?" in starts, found
