"""The hot queries are index-backed, and the indexes designed for them exist: a lost index
fails here, before it slows the register.

Two checks per query: the designed index is in the database with its columns, and the plan
reads through an index, not the whole table. The queries are the ones the code runs: the
querysets its selectors build, compiled for the database, or the statements captured as a
function runs. PostgreSQL is asked with sequential scans switched off (on a small test
table it would rightly prefer one); SQLite's planner uses a fitting index whatever the
table's size. (The sweep's statement is explained in test_report_query_plans.py.)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from nir.api.selectors import changes
from nir.audit.access_log import person_access_log
from nir.jobs.selectors import frist_soon
from nir.register import reports
from nir.register.models import Participation
from nir.register.selectors import participation_history
from nir.web.counts import last_change
from nir.web.search import persons_without_participation
from nir.web.worklist import page_queries

KOMMUNE = 1
DAY = dt.date(2025, 1, 1)


def _compiled(queryset: QuerySet[object]) -> Callable[[], list[tuple[str, object]]]:
    """The queryset's statement as the code would send it."""

    def statements() -> list[tuple[str, object]]:
        return [queryset.query.get_compiler(using=connection.alias).as_sql()]

    return statements


def _captured(work: Callable[[], object]) -> Callable[[], list[tuple[str, object]]]:
    """The SELECT statements ``work`` sends, as sent (the parameters are in the text)."""

    def statements() -> list[tuple[str, object]]:
        with CaptureQueriesContext(connection) as captured:
            work()
        # PostgreSQL reads an iterator() through a server-side cursor declared for its SELECT.
        sent = [q["sql"].split(" CURSOR FOR ", 1)[-1] for q in captured.captured_queries]
        return [(sql, None) for sql in sent if sql.lstrip().startswith("SELECT")]

    return statements


CASES = [
    (
        "the worklist: a municipality's frist in the next 30 days",
        _captured(lambda: frist_soon(KOMMUNE, DAY).count()),
        ("register_participation", "participation_kommune_end", ["kommune_id", "end_date"]),
    ),
    (
        "the report: a municipality's participations ended in a year",
        _captured(
            lambda: list(
                reports.terminated_participations(KOMMUNE, reports.TerminatedFilter(year=2024))[
                    :100
                ]
            )
        ),
        ("register_participation", "participation_kommune_end", ["kommune_id", "end_date"]),
    ),
    (
        "the participant page: a participation's history",
        lambda: _compiled(participation_history(Participation(pk=1)))(),
        ("register_historyevent", "history_by_part", ["participation_id", "occurred_at"]),
    ),
    (
        "a person's access log",
        _captured(lambda: list(person_access_log(1))),
        ("audit_accesslogperson", None, ["person_id"]),
    ),
    (
        "the change feed: a municipality's changes after a cursor",
        _captured(lambda: changes(KOMMUNE, after=0, limit=101)),
        ("register_historyevent", None, ["kommune_id"]),
    ),
    (
        "the worklist's page: a municipality's open participations by frist",
        lambda: _compiled(page_queries(KOMMUNE, DAY)["frist"])(),
        ("register_participation", "participation_k_open_frist", ["kommune_id", "frist"]),
    ),
    (
        "the worklist's page: open participations lacking a decision, by start",
        lambda: _compiled(page_queries(KOMMUNE, DAY)["decision"])(),
        ("register_participation", "participation_k_open_start", ["kommune_id", "start_date"]),
    ),
    (
        "the cached counts: a municipality's last change",
        _captured(lambda: last_change(KOMMUNE)),
        ("register_participation", "participation_kommune_changed", ["kommune_id", "updated_at"]),
    ),
    (
        "finding a person by identity number",
        _captured(lambda: list(persons_without_participation(None, "01019012345"))),
        ("register_person", None, ["identity_number"]),
    ),
]


def _reads_through_an_index(sql: str, params: object) -> tuple[bool, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = json.dumps(cursor.fetchone()[0])
            # A statement that reads no table (a setting, the newest ids' subqueries'
            # shell) has nothing to scan.
            reads_a_table = '"Relation Name"' in plan
            return '"Seq Scan"' not in plan and ("Index" in plan or not reads_a_table), plan
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [str(row[-1]) for row in cursor.fetchall()]
        plan = " | ".join(steps)
        # SEARCH alone is a lookup by an index or the rowid (MAX(id) reads the rowid's end);
        # a SELECT of scalar subqueries scans only its one constant row.
        shell = ("SCAN CONSTANT ROW", "SCALAR SUBQUERY")
        by_key = bool(steps) and all(step.startswith(("SEARCH", *shell)) for step in steps)
        return ("USING" in plan and "INDEX" in plan) or by_key, plan


def _index_exists(table: str, name: str | None, columns: list[str]) -> bool:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return any(
        (name is None or found == name)
        and (info.get("index") or info.get("unique"))
        and info["columns"][: len(columns)] == columns
        for found, info in constraints.items()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "statements", "index"), CASES, ids=[c[0] for c in CASES])
def test_hot_query_is_index_backed(name, statements, index):
    table, index_name, columns = index
    assert _index_exists(table, index_name, columns), f"{name}: index {index_name} is missing"
    sent = statements()
    assert sent, f"{name}: the code sent no query"
    for sql, params in sent:
        uses_index, plan = _reads_through_an_index(sql, params)
        assert uses_index, f"{name}: the plan reads the whole table: {plan}"
