"""The figures, data quality, a municipality's reports and the sweep read through the indexes
designed for them: a lost or narrowed index fails here, before it slows the register.

As in test_query_plans.py: PostgreSQL is asked with sequential scans switched off (on a small
test table it would rightly prefer one); SQLite's planner uses a fitting index whatever the
table's size. The queries are the ones the code runs, captured as it runs them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nir.register import reports
from nir.register.data_quality import quality_by_kommune
from nir.register.json_text import JSON_TEXT
from nir.register.services.bulk_load import load_synthetic
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.planner_statistics import refresh_planner_statistics
from nir.register.services.sweep import run_sweep
from nir.register.statistics import cutoff_at, year_figures_as_of, year_figures_now
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from tests.conftest import at

# Every column the figures, data quality and the reports count, in the one index.
COVERING = [
    "kommune_id",
    "end_date",
    "start_date",
    "termination_reason",
    "termination_source",
    "regime",
    "category",
    "person_id",
    "id",
]
INDEXES = [
    ("register_participation", "participation_kommune_end", COVERING),
    ("register_participation", "participation_open_frist", ["frist"]),
    ("register_historyevent", "history_created", ["participation_id", "occurred_at"]),
    # With the end before and after each change (their keys are checked below).
    ("register_historyevent", "history_termination_changes", ["occurred_at", None, None]),
]


def _plan(sql: str, params: list[object] | None = None) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            return json.dumps(cursor.fetchone()[0])
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def _plans_of(work: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        work()
    # PostgreSQL reads an iterator() through a server-side cursor declared for its SELECT.
    sent = [q["sql"].split(" CURSOR FOR ", 1)[-1] for q in captured.captured_queries]
    return [_plan(sql) for sql in sent if sql.lstrip().startswith("SELECT")]


def _reads_index_only(plan: str, index: str) -> bool:
    """SQLite: the plan reads ``index`` without visiting the table. PostgreSQL, whose planner
    chooses among several fitting indexes by costs that mean little on a test table: the plan
    reads through indexes only (the designed index's columns are checked above)."""
    if connection.vendor == "postgresql":
        return '"Seq Scan"' not in plan and "Index" in plan
    return f"COVERING INDEX {index}" in plan


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "name", "columns"), INDEXES, ids=[i[1] for i in INDEXES])
def test_the_index_exists_with_its_columns(table, name, columns):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert name in constraints, f"index {name} is missing"
    assert constraints[name]["columns"] == columns


def _index_definition(name: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [name])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
        # As the database gives it back, less its quoting and PostgreSQL's casts of literals.
        found = " ".join(cursor.fetchone()[0].split())
        return found.replace('"', "").replace("::text", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("history_termination_changes", [("before", "end_date"), ("after", "end_date")]),
        ("history_created_at", [("after", "start_date")]),
    ],
)
def test_the_history_indexes_hold_the_ends_and_starts_the_cutoff_compares(name, keys):
    """The cut-off against now tells the changes that bear on a year from these keys in
    the index; a query spelling them otherwise would not use it (json_text.py)."""
    definition = _index_definition(name)
    for column, key in keys:
        spelled = JSON_TEXT[connection.vendor].format(col=column, key=key)
        assert spelled in definition, definition


@pytest.mark.django_db
def test_the_sweep_finds_its_participations_through_the_open_frist_index(kommune_a):
    with CaptureQueriesContext(connection) as captured:
        run_sweep(as_of=dt.date(2026, 1, 1))
    statements = [q["sql"] for q in captured.captured_queries if "frist <" in q["sql"]]
    assert statements
    for sql in statements:
        plan = _plan(sql)
        assert '"Seq Scan"' not in plan and "SCAN register_participation" not in plan, plan
        if connection.vendor == "sqlite":
            assert "participation_open_frist" in plan, plan


@pytest.mark.django_db
def test_the_figures_now_are_read_from_the_covering_index(kommune_a):
    [plan] = _plans_of(lambda: year_figures_now(2025, "kommune"))
    assert _reads_index_only(plan, "participation_kommune_end"), plan


@pytest.mark.django_db
def test_the_figures_at_the_cutoff_use_the_history_indexes(kommune_a):
    moment = cutoff_at(2025)  # IMDi's exception for the year is read first
    [plan] = _plans_of(lambda: year_figures_as_of(2025, "kommune", moment))
    assert "history_created" in plan, plan
    if connection.vendor == "postgresql":
        # The first change after the cut-off, by the changes' own index or in order by the
        # participation's (for DISTINCT ON, as on a small register); SQLite walks the latter
        # for its window.
        assert "history_termination_changes" in plan or "history_by_part" in plan, plan
        assert "Seq Scan" not in plan, plan
    assert _reads_index_only(plan, "participation_kommune_end"), plan


@pytest.fixture
def loaded_and_analysed(kommune_a, kommune_b, make_person, caseworker_a):
    """400 participations loaded in bulk, each with its decisions, and three started since
    with none yet; then ANALYZE, as the bulk load ends: the plans below follow this
    register's statistics, not what earlier tests left in an empty table's."""
    register = SyntheticRegister(today=dt.date(2026, 1, 15), config=DEFAULT_CONFIG, seed=7)
    load_synthetic(register.participations(["0301", "4601"] * 200), config=DEFAULT_CONFIG)
    for n in range(3):
        start = dt.date(2025, 3, 3 + n)
        create_participation(
            actor=caseworker_a,
            person_id=make_person(registered_on=start).pk,
            new=NewParticipation(start_date=start, sluttmaal="arbeid"),
            kommune_id=kommune_a.pk,
            at=at(start),
        )
    refresh_planner_statistics()


@pytest.mark.django_db
def test_data_quality_counts_from_the_covering_index_and_the_flags_own(loaded_and_analysed):
    plans = _plans_of(lambda: quality_by_kommune(2025, dt.date(2026, 1, 15)))
    # The pass over every participation: PostgreSQL may take the plain kommune index on a
    # table this small (the bench measures the covering index's at a million).
    assert any(_reads_index_only(p, "participation_kommune_end") for p in plans), plans
    # «Without a sluttmål» and «without a decision» read their flags' partial indexes, not
    # the sluttmål versions or the decisions.
    for index in ("participation_no_sluttmaal", "participation_no_decision"):
        assert any(index in p for p in plans), (index, plans)
    assert all('"Seq Scan"' not in p for p in plans), plans


@pytest.mark.django_db
def test_a_municipality_s_overview_and_counts_are_read_from_the_covering_index(kommune_a):
    for work in (
        lambda: reports.kommune_overview(kommune_a.pk, 2025),
        lambda: reports.terminated_counts(kommune_a.pk, reports.TerminatedFilter(year=2025)),
    ):
        for plan in _plans_of(work):
            if "lateregistrationgrant" in plan and "register_participation" not in plan:
                continue  # the municipality's few grants, read once for the triage
            assert _reads_index_only(plan, "participation_kommune_end"), plan


@pytest.mark.django_db
def test_a_municipality_s_ended_participations_page_in_index_order(kommune_a):
    queryset = reports.terminated_participations(kommune_a.pk, reports.TerminatedFilter())
    [plan] = _plans_of(lambda: list(queryset[:100]))
    if connection.vendor == "postgresql":
        # On a near-empty test table PostgreSQL may take the plain kommune index for a
        # first page just as well; what must never happen is reading the whole table.
        assert '"Seq Scan"' not in plan, plan
        assert "register_participation" in plan and "Index" in plan, plan
    else:
        assert "participation_kommune_end" in plan, plan
