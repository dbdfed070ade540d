"""API batch ingest, end to end over HTTP, against the database's own bulk load of the same rows.

The February burst: case systems of the largest municipalities send their new participants
at once, a thousand records a request, several at a time. The register is served for real
(`nir serve`), every record passes the schema, the rules, the registration window and gets
its history. The limit is the database writing exactly the rows the register wrote, with
nothing to check: COPY on PostgreSQL, one transaction of plain INSERTs on SQLite. Each run
sends participants the register has never seen, and removes them again afterwards so the
register is left as it was.

The machinery is the same for both schemes (``IngestScheme``): the programme's participants
here, the Norwegian-training ordninger in ``nir.bench.norsk_ingest``.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
from django.db import connection, models, transaction
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
from nir.rules.schemes import Scheme

# One table's rows as column names and values; a run's rows by table.
Table = tuple[list[str], list[tuple[object, ...]]]
Written = dict[str, Table]

# The municipalities with the most participants send at once, as in February.
SENDERS = ("0301", "4601", "5001", "1103")
BATCH = 1000
Records = Callable[[int, dt.date, str, int], Iterator[dict[str, object]]]


@dataclass(frozen=True)
class IngestScheme:
    """One scheme's ingest: what its case systems send and where, and the rows it writes
    (the scheme's participation by the run's case ids, its registrations, the persons, and
    the history of both)."""

    label: str  # the figure's name: «API-innlesing»
    noun: str  # what it counts: «nye deltakere»
    path: str
    scheme: Scheme
    root: type[models.Model]
    registrations: tuple[type[models.Model], ...]
    owner: str  # the registrations' and the history's column naming the root
    records: Records  # (count, as_of, prefix, seed): the run's records


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


@dataclass(frozen=True)
class Newcomer:
    """A person the register has never seen, as either scheme's record names them, with the
    start of their training or programme in the last seven weeks (inside the window)."""

    person: dict[str, object]
    start: dt.date
    upper_secondary: bool


def newcomer(rng: random.Random, as_of: dt.date, taken: set[str]) -> Newcomer:
    """A refugee (or a displaced person under collective protection) aged 19 to 55, whose
    permit came within the year before the start; a number no earlier one has."""
    birth = as_of - dt.timedelta(days=rng.randint(19 * 365, 55 * 365))
    number = _new_identity_number(rng, birth, taken)
    start = as_of - dt.timedelta(days=rng.randint(10, 50))
    permit = start - dt.timedelta(days=rng.randint(20, 300))
    vgo = rng.random() < 0.55
    person: dict[str, object] = {
        "identity_number": number,
        "given_name": rng.choice(["Olena", "Amina", "Dmytro", "Yonas", "Iryna", "Ahmad"]),
        "family_name": rng.choice(["Kovalenko", "Haile", "Shevchenko", "Rahimi"]),
        "birth_date": birth.isoformat(),
        "sex": rng.choice(["kvinne", "mann"]),
        "permit_type": rng.choice(["flyktning", "kollektiv_beskyttelse"]),
        "permit_date": permit.isoformat(),
        "arrival_date": (permit - dt.timedelta(days=rng.randint(0, 30))).isoformat(),
        "has_upper_secondary": vgo,
    }
    return Newcomer(person, start, vgo)


def newcomer_records(
    count: int, *, as_of: dt.date, prefix: str, seed: int
) -> Iterator[dict[str, object]]:
    """New participants as a case system sends them: with their sluttmål, the decision, a
    measure, and for some a leave, hours of absence or an early end."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by seed
    taken: set[str] = set()
    for n in range(count):
        new = newcomer(rng, as_of, taken)
        start = new.start.isoformat()
        goal = rng.choice(["arbeid", "hoyere_utdanning"]) if new.upper_secondary else "grunnskole"
        record: dict[str, object] = {
            "case_id": f"{prefix}-{n:07d}",
            "person": new.person,
            "start_date": start,
            "sluttmaal": [{"sluttmaal": goal, "valid_from": start}],
            "decisions": [{"decision_type": "innvilget", "decided_on": start}],
            "measures": [
                {
                    "measure_type": "norskopplaering",
                    "start_date": start,
                    "end_date": None,
                    "hours_per_week": rng.choice([15, 22.5, 30, 37.5]),
                }
            ],
        }
        record |= _events_of_some(rng, new.start, as_of)
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


def parental_leave(rng: random.Random, start: dt.date) -> dict[str, object]:
    """A parental leave of a few days, decided when it starts, soon after the start."""
    first = start + dt.timedelta(days=2)
    return {
        "leave_type": "foreldrepermisjon",
        "start_date": first.isoformat(),
        "end_date": (first + dt.timedelta(days=rng.randint(3, 8))).isoformat(),
        "decided_on": first.isoformat(),
    }


def _events_of_some(rng: random.Random, start: dt.date, as_of: dt.date) -> dict[str, object]:
    """A leave for some, hours of absence for more, an early end for a few."""
    events: dict[str, object] = {}
    if rng.random() < 0.15:
        events["leaves"] = [parental_leave(rng, start)]
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


PROGRAMME = IngestScheme(
    "API-innlesing",
    "nye deltakere",
    "/api/v1/batch/participations",
    Scheme.INTRODUKSJONSPROGRAM,
    Participation,
    (SluttmaalVersion, Decision, Measure, Leave, Absence, Extension, Stop),
    "participation_id",
    lambda count, as_of, prefix, seed: newcomer_records(
        count, as_of=as_of, prefix=prefix, seed=seed
    ),
)


def _send_all(
    bases: list[str], tokens: list[str], batches: list[list[dict[str, object]]], path: str
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
                reply = http.post(path, json={"records": batch})
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


def _written(prefix: str, scheme: IngestScheme = PROGRAMME) -> Written:
    """The rows one run wrote, table by table as columns and values, parents first: the
    persons, the scheme's participations, their registrations, and the history of both."""
    roots = list(
        scheme.root._default_manager.filter(case_id__startswith=f"{prefix}-").values_list(
            "pk", "person_id"
        )
    )
    parts = [p for p, _ in roots]
    persons = [p for _, p in roots]
    out: Written = {}
    history = HistoryEvent._meta.db_table
    with connection.cursor() as cursor:
        out[Person._meta.db_table] = _select(cursor, Person._meta.db_table, "id", persons)
        out[scheme.root._meta.db_table] = _select(cursor, scheme.root._meta.db_table, "id", parts)
        for model in scheme.registrations:
            out[model._meta.db_table] = _select(cursor, model._meta.db_table, scheme.owner, parts)
        # History of the participations and of the persons themselves.
        columns, rows = _select(cursor, history, scheme.owner, parts)
        _, person_rows = _select(cursor, history, "person_id", persons)
        seen = {row[0] for row in rows}
        out[history] = (columns, rows + [row for row in person_rows if row[0] not in seen])
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
    """The rows of ``_written`` removed, children first."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in reversed(written):
            columns, rows = written[table]
            ids = [int(str(row[columns.index("id")])) for row in rows]
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)  # noqa: S608


def _bulk_load(written: Written) -> float:
    """The limit: the same rows written by the database's fastest path, parents first."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in written.items():
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


@dataclass(frozen=True)
class IngestSetup:
    """What one run sends, to which server processes, as which scheme's records."""

    bases: list[str]
    records: int
    as_of: dt.date
    seed: int
    scheme: IngestScheme = PROGRAMME


def _fresh(generated: list[dict[str, object]]) -> list[dict[str, object]]:
    """The records whose person the register does not know (those would be updates)."""
    numbers = {str(r["person"]["identity_number"]): r for r in generated}  # type: ignore[index]
    known: set[str] = set()
    for start in range(0, len(numbers), 5000):
        chunk = list(numbers)[start : start + 5000]
        known |= set(
            Person.objects.filter(identity_number__in=chunk).values_list(
                "identity_number", flat=True
            )
        )
    return [r for number, r in numbers.items() if number not in known]


def run_ingest(setup: IngestSetup) -> IngestRun:
    """Send ``records`` new records of the scheme; time it; then time the database loading
    the same rows; then remove them."""
    scheme = setup.scheme
    tokens = [
        create_api_client(
            kommune_number=k,
            name=f"bench-{scheme.scheme.value}-{k}-{setup.seed}",
            created_by="bench",
            schemes=(scheme.scheme,),
        ).token
        for k in SENDERS
    ]
    prefix = f"BENCH{scheme.scheme.value.upper()}{setup.seed}"
    fresh = _fresh(list(scheme.records(setup.records, setup.as_of, prefix, setup.seed)))
    batches = [fresh[i : i + BATCH] for i in range(0, len(fresh), BATCH)]
    counts, seconds = _send_all(setup.bases, tokens, batches, scheme.path)
    written = _written(prefix, scheme)
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


def bench_ingest(
    runs: int, as_of: dt.date, records: int, schemes: tuple[IngestScheme, ...] = (PROGRAMME,)
) -> list[Figure]:
    """Records per second through the API (two `nir serve` processes, as behind a load
    balancer, four municipalities sending at once), against the database's bulk load; one
    figure per scheme, the same servers and the same number of records."""
    env = {"NIR_DEBUG": "false", "NIR_API_RATE_PER_MINUTE": "0"}
    figures: list[Figure] = []
    with served(env=env) as first, served(env=env) as second:
        for scheme in schemes:
            done = [
                run_ingest(IngestSetup([first, second], records, as_of, run + 1, scheme))
                for run in range(runs)
            ]
            figures.append(_figure(scheme, done))
    return figures


def _figure(scheme: IngestScheme, done: list[IngestRun]) -> Figure:
    created = statistics.median(r.created for r in done)
    problems = sum(r.rejected + r.errors for r in done)
    rows = statistics.median(r.rows for r in done)
    return Figure(
        f"{scheme.label}, {_spaced(created)} {scheme.noun} i bolker på {_spaced(BATCH)} over "
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


def _spaced(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ")
