"""API batch ingest, end to end over HTTP, against the database's own bulk load of the same rows.

The February burst: case systems of the largest municipalities send their new participants
at once, a thousand records a request, several at a time. The register is served for real
(`nir serve`), every record passes the schema, the rules, the registration window and gets
its history. The limit is the database writing exactly the rows the register wrote, with
nothing to check: COPY on PostgreSQL, one transaction of plain INSERTs on SQLite. Each run
sends participants the register has never seen, and removes them again afterwards so the
register is left as it was.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from nir.api.clients import create_api_client
from nir.bench.figures import Figure
from nir.bench.load import served
from nir.register.models import (
    Absence,
    Decision,
    Extension,
    HistoryEvent,
    Leave,
    Measure,
    Participation,
    Person,
    SluttmaalVersion,
    Stop,
)
from nir.rules.identity import make_valid_identity_number

# One table's rows as column names and values; a run's rows by table.
Table = tuple[list[str], list[tuple[object, ...]]]
Written = dict[str, Table]

# The municipalities with the most participants send at once, as in February.
SENDERS = ("0301", "4601", "5001", "1103")
BATCH = 1000
# Children before parents for deleting; reversed for loading.
TABLES = (HistoryEvent, SluttmaalVersion, Decision, Measure, Leave, Absence, Extension, Stop)


@dataclass(frozen=True)
class IngestRun:
    records: int
    created: int
    rejected: int
    errors: int
    seconds: float
    rows: int
    limit_seconds: float

    @property
    def per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0

    @property
    def limit_per_second(self) -> float:
        return self.created / self.limit_seconds if self.limit_seconds else 0.0


def newcomer_records(
    count: int, *, as_of: dt.date, prefix: str, seed: int
) -> Iterator[dict[str, object]]:
    """New participants as a case system sends them: started in the last seven weeks (inside
    the registration window), with their sluttmål, the decision, a measure, and for some a
    leave, hours of absence or an early end."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by seed
    taken: set[str] = set()
    for n in range(count):
        birth = as_of - dt.timedelta(days=rng.randint(19 * 365, 55 * 365))
        number = _new_identity_number(rng, birth, taken)
        start = as_of - dt.timedelta(days=rng.randint(10, 50))
        permit = start - dt.timedelta(days=rng.randint(20, 300))
        vgo = rng.random() < 0.55
        goal = rng.choice(["arbeid", "hoyere_utdanning"]) if vgo else "grunnskole"
        record: dict[str, object] = {
            "case_id": f"{prefix}-{n:07d}",
            "person": {
                "identity_number": number,
                "given_name": rng.choice(["Olena", "Amina", "Dmytro", "Yonas", "Iryna", "Ahmad"]),
                "family_name": rng.choice(["Kovalenko", "Haile", "Shevchenko", "Rahimi"]),
                "birth_date": birth.isoformat(),
                "sex": rng.choice(["kvinne", "mann"]),
                "permit_type": rng.choice(["flyktning", "kollektiv_beskyttelse"]),
                "permit_date": permit.isoformat(),
                "arrival_date": (permit - dt.timedelta(days=rng.randint(0, 30))).isoformat(),
                "has_upper_secondary": vgo,
            },
            "start_date": start.isoformat(),
            "sluttmaal": [{"sluttmaal": goal, "valid_from": start.isoformat()}],
            "decisions": [{"decision_type": "innvilget", "decided_on": start.isoformat()}],
            "measures": [
                {
                    "measure_type": "norskopplaering",
                    "start_date": start.isoformat(),
                    "end_date": None,
                    "hours_per_week": rng.choice([15, 22.5, 30, 37.5]),
                }
            ],
        }
        record |= _events_of_some(rng, start, as_of)
        yield record


def _new_identity_number(rng: random.Random, birth: dt.date, taken: set[str]) -> str:
    """A synthetic number for ``birth`` that no earlier record of the run has."""
    while True:
        number = make_valid_identity_number(
            birth, rng.randint(500, 999), d_number=rng.random() < 0.3, synthetic=True
        )
        if number not in taken:
            taken.add(number)
            return number


def _events_of_some(rng: random.Random, start: dt.date, as_of: dt.date) -> dict[str, object]:
    """A leave for some, hours of absence for more, an early end for a few."""
    events: dict[str, object] = {}
    if rng.random() < 0.15:
        first = start + dt.timedelta(days=2)
        events["leaves"] = [
            {
                "leave_type": "foreldrepermisjon",
                "start_date": first.isoformat(),
                "end_date": (first + dt.timedelta(days=rng.randint(3, 8))).isoformat(),
                "decided_on": first.isoformat(),
            }
        ]
    if rng.random() < 0.3:
        day = start + dt.timedelta(days=1)
        events["absences"] = [
            {
                "absence_type": "gyldig_fravaer",
                "start_date": day.isoformat(),
                "end_date": day.isoformat(),
                "hours": rng.choice([2, 4, 7.5]),
            }
        ]
    if rng.random() < 0.03:
        events["termination"] = {
            "end_date": (as_of - dt.timedelta(days=1)).isoformat(),
            "reason": "arbeid",
        }
    return events


def _send_all(
    bases: list[str], tokens: list[str], batches: list[list[dict[str, object]]]
) -> tuple[dict[str, int], float]:
    """One client per municipality, each sending its batches in turn to one of the server
    processes; all start together."""
    counts = {"created": 0, "rejected": 0, "errors": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(len(tokens))

    def client(slot: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[slot]}"}
        base = bases[slot % len(bases)]
        with httpx.Client(base_url=base, headers=headers, timeout=300) as http:
            barrier.wait()
            for batch in batches[slot :: len(tokens)]:
                reply = http.post("/api/v1/batch/participations", json={"records": batch})
                with lock:
                    if reply.status_code != 200:
                        counts["errors"] += len(batch)
                        continue
                    summary = reply.json()["summary"]
                    counts["created"] += summary["created"]
                    counts["rejected"] += summary["rejected"]

    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(len(tokens))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts, time.perf_counter() - started


def _written(prefix: str) -> Written:
    """The rows one run wrote, table by table, as columns and values."""
    participations = list(
        Participation.objects.filter(case_id__startswith=f"{prefix}-").values_list(
            "pk", "person_id"
        )
    )
    parts = [p for p, _ in participations]
    persons = [p for _, p in participations]
    chosen: dict[str, tuple[str, list[int]]] = {
        Person._meta.db_table: ("id", persons),
        Participation._meta.db_table: ("id", parts),
    }
    for model in TABLES[1:]:
        chosen[model._meta.db_table] = ("participation_id", parts)
    out: Written = {}
    with connection.cursor() as cursor:
        for table, (column, ids) in chosen.items():
            out[table] = _select(cursor, table, column, ids)
        # History of the participations and of the persons themselves.
        columns, rows = _select(cursor, HistoryEvent._meta.db_table, "participation_id", parts)
        _, person_rows = _select(cursor, HistoryEvent._meta.db_table, "person_id", persons)
        seen = {row[0] for row in rows}
        out[HistoryEvent._meta.db_table] = (
            columns,
            rows + [row for row in person_rows if row[0] not in seen],
        )
    return out


def _select(cursor: CursorWrapper, table: str, column: str, ids: list[int]) -> Table:
    rows: list[tuple[object, ...]] = []
    columns: list[str] = []
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        if not chunk:
            continue
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"SELECT * FROM {table} WHERE {column} IN ({marks})", chunk)  # noqa: S608
        columns = [c[0] for c in cursor.description]
        rows += cursor.fetchall()
    return columns, rows


def _delete(written: Written) -> None:
    order = [m._meta.db_table for m in TABLES] + [
        Participation._meta.db_table,
        Person._meta.db_table,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in order:
            columns, rows = written.get(table, ([], []))
            ids = [int(str(row[columns.index("id")])) for row in rows]
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)  # noqa: S608


def _bulk_load(written: Written) -> float:
    """The limit: the same rows written by the database's fastest path, parents first."""
    order = [Person._meta.db_table, Participation._meta.db_table] + [
        m._meta.db_table for m in reversed(TABLES)
    ]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in order:
            columns, rows = written.get(table, ([], []))
            if not rows:
                continue
            names = ", ".join(columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["?"] * len(columns))
                insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.connection.executemany(insert, rows)
    return time.perf_counter() - started


def run_ingest(bases: list[str], records: int, *, as_of: dt.date, seed: int) -> IngestRun:
    """Send ``records`` new participants; time it; then time the database loading the same
    rows; then remove them."""
    tokens = [
        create_api_client(kommune_number=k, name=f"bench-{k}-{seed}", created_by="bench").token
        for k in SENDERS
    ]
    prefix = f"BENCH{seed}"
    generated = list(newcomer_records(records, as_of=as_of, prefix=prefix, seed=seed))
    numbers = {str(r["person"]["identity_number"]): r for r in generated}  # type: ignore[index]
    known: set[str] = set()
    for start in range(0, len(numbers), 5000):
        chunk = list(numbers)[start : start + 5000]
        known |= set(
            Person.objects.filter(identity_number__in=chunk).values_list(
                "identity_number", flat=True
            )
        )
    # Persons the register already has would be updates, not newcomers.
    fresh = [r for number, r in numbers.items() if number not in known]
    batches = [fresh[i : i + BATCH] for i in range(0, len(fresh), BATCH)]
    counts, seconds = _send_all(bases, tokens, batches)
    written = _written(prefix)
    rows = sum(len(rows) for _, rows in written.values())
    _delete(written)
    limit = _bulk_load(written)
    _delete(written)
    return IngestRun(
        len(fresh),
        counts["created"],
        counts["rejected"],
        counts["errors"],
        seconds,
        rows,
        limit,
    )


def bench_ingest(runs: int, as_of: dt.date, records: int) -> list[Figure]:
    """Records per second through the API (two `nir serve` processes, as behind a load
    balancer, four municipalities sending at once), against the database's bulk load."""
    env = {"NIR_DEBUG": "false", "NIR_API_RATE_PER_MINUTE": "0"}
    done: list[IngestRun] = []
    with served(env=env) as first, served(env=env) as second:
        for run in range(runs):
            done.append(run_ingest([first, second], records, as_of=as_of, seed=run + 1))
    created = statistics.median(r.created for r in done)
    problems = sum(r.rejected + r.errors for r in done)
    rows = statistics.median(r.rows for r in done)
    return [
        Figure(
            f"API-innlesing, {_spaced(created)} nye deltakere i bolker på {_spaced(BATCH)} over "
            f"HTTP ({_spaced(rows)} rader med historikk, {problems} avvist eller feil)",
            "poster/s",
            [r.per_second for r in done],
            "COPY av de samme radene"
            if connection.vendor == "postgresql"
            else "de samme radene i én transaksjon",
            [r.limit_per_second for r in done],
            target="≥ 10 000 poster/s",
            met=statistics.median(r.per_second for r in done) >= 10_000 and problems == 0,
        )
    ]


def _spaced(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ")
