"""The hot queries are index-backed, and the indexes designed for them exist: a lost index
fails here, before it slows the register.

Two checks per query: the designed index is in the database with its columns, and the plan
reads through an index, not the whole table. PostgreSQL is asked with sequential scans
switched off (on a small test table it would rightly prefer one); SQLite's planner uses a
fitting index whatever the table's size.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection

CASES = [
    (
        "the sweep: open participations past their frist",
        "SELECT id FROM register_participation WHERE end_date IS NULL AND frist < %s",
        ["2025-01-01"],
        ("register_participation", "participation_open_frist", ["frist"]),
    ),
    (
        "the worklist: a municipality's frist in the next 30 days",
        "SELECT id FROM register_participation WHERE kommune_id = %s AND end_date IS NULL "
        "AND frist BETWEEN %s AND %s",
        [1, "2025-01-01", "2025-01-31"],
        ("register_participation", "participation_kommune_end", ["kommune_id", "end_date"]),
    ),
    (
        "the report: a municipality's participations ended in a year",
        "SELECT id FROM register_participation WHERE kommune_id = %s "
        "AND end_date BETWEEN %s AND %s",
        [1, "2024-01-01", "2024-12-31"],
        ("register_participation", "participation_kommune_end", ["kommune_id", "end_date"]),
    ),
    (
        "the participant page: a participation's history",
        "SELECT id FROM register_historyevent WHERE participation_id = %s ORDER BY occurred_at",
        [1],
        ("register_historyevent", "history_by_part", ["participation_id", "occurred_at"]),
    ),
    (
        "a person's access log",
        "SELECT entry_id FROM audit_accesslogperson WHERE person_id = %s",
        [1],
        ("audit_accesslogperson", None, ["person_id"]),
    ),
    (
        "the change feed: a municipality's changes after a cursor",
        "SELECT id FROM register_participation WHERE kommune_id = %s AND updated_at > %s",
        [1, "2025-01-01"],
        ("register_participation", "participation_kommune_changed", ["kommune_id", "updated_at"]),
    ),
    (
        "the worklist's page: a municipality's open participations by frist",
        "SELECT id FROM register_participation WHERE kommune_id = %s AND end_date IS NULL "
        "AND frist >= %s ORDER BY frist, id LIMIT 26",
        [1, "2025-01-01"],
        ("register_participation", "participation_k_open_frist", ["kommune_id", "frist"]),
    ),
    (
        "the worklist's page: open participations lacking a decision, by start",
        "SELECT id FROM register_participation p WHERE kommune_id = %s AND end_date IS NULL "
        "AND start_date >= %s AND NOT EXISTS (SELECT 1 FROM register_decision d "
        "WHERE d.participation_id = p.id) ORDER BY start_date, id LIMIT 26",
        [1, "2025-01-01"],
        ("register_participation", "participation_k_open_start", ["kommune_id", "start_date"]),
    ),
    (
        "the cached counts: a municipality's last change",
        "SELECT MAX(updated_at) FROM register_participation WHERE kommune_id = %s",
        [1],
        ("register_participation", "participation_kommune_changed", ["kommune_id", "updated_at"]),
    ),
    (
        "finding a person by identity number",
        "SELECT id FROM register_person WHERE identity_number = %s",
        ["01019012345"],
        ("register_person", None, ["identity_number"]),
    ),
]


def _reads_through_an_index(sql: str, params: list[object]) -> tuple[bool, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = json.dumps(cursor.fetchone()[0])
            return '"Seq Scan"' not in plan and "Index" in plan, plan
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        return "USING" in plan and "INDEX" in plan, plan


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
@pytest.mark.parametrize(("name", "sql", "params", "index"), CASES, ids=[c[0] for c in CASES])
def test_hot_query_is_index_backed(name, sql, params, index):
    table, index_name, columns = index
    assert _index_exists(table, index_name, columns), f"{name}: index {index_name} is missing"
    uses_index, plan = _reads_through_an_index(sql, params)
    assert uses_index, f"{name}: the plan reads the whole table: {plan}"
