"""Rows for many new participants at once: kept in memory by the services, then written with
one insert per table.

The February burst is mostly participants the register has never seen. For those, the batch
upsert runs the ordinary services (persons, participations, registrations) with a
``PendingRows`` store instead of the database: every row gets an id reserved in advance, so
the derivation of every frist names its registrations exactly as the one-at-a-time path
would, and nothing reaches the database until ``write_rows`` inserts each table in one
statement. A record the rules refuse simply has its rows dropped.
"""

from __future__ import annotations

import gc
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

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
from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskExemption,
    NorskHours,
    NorskLeave,
    NorskmaalVersion,
    NorskParticipation,
    NorskRegistration,
    NorskTestResult,
)
from nir.register.related_item_models import RelatedItemRecord
from nir.register.services.stores import Grants, facts_from_rows, in_stored_order, kommune_grants
from nir.rules.participation import ParticipationFacts

# Parents before children, so every foreign key points at a row already written.
WRITE_ORDER: tuple[type[models.Model], ...] = (
    Person,
    Participation,
    NorskParticipation,
    NorskmaalVersion,
    NorskLeave,
    ExtendedNorwegianDecision,
    NorskHours,
    NorskTestResult,
    NorskExemption,
    SluttmaalVersion,
    Decision,
    Measure,
    Leave,
    Absence,
    Extension,
    Stop,
    RelatedItemRecord,
    HistoryEvent,
)
# History events are never referred to by id, so the database numbers them as it writes.
RESERVED = WRITE_ORDER[:-1]


def ids_can_be_reserved() -> bool:
    return connection.vendor in {"postgresql", "sqlite"}


def reserve_ids(model: type[models.Model], count: int) -> Iterator[int]:
    """``count`` ids for new rows of ``model`` that no other writer will be given.

    PostgreSQL draws them from the table's sequence. SQLite keeps the last id of an
    AUTOINCREMENT table in ``sqlite_sequence``; moving it on takes the write lock first, so
    two writers never get the same range.
    """
    if count <= 0:
        return iter(())
    table = model._meta.db_table
    # Its own short transaction when the caller has none: two writers reserving the first
    # ids of an empty table must not both create its sqlite_sequence entry.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return iter(sorted(row[0] for row in cursor.fetchall()))
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq",
            [count, table],
        )
        row = cursor.fetchone()
        if row is None:
            # A table that never had a row has no entry yet.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            last = cursor.fetchone()[0] + count
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])
        else:
            last = row[0]
    return iter(range(last - count + 1, last + 1))


def reserve_all_ids(
    rows_of: Callable[[type[models.Model]], int],
) -> dict[type[models.Model], Iterator[int]]:
    """Ids for the rows of every reserved table (``rows_of`` each), in one short
    transaction: SQLite's write lock is taken once, not once a table."""
    with transaction.atomic():
        return {model: reserve_ids(model, rows_of(model)) for model in RESERVED}


class PendingRows:
    """A row store (services/stores.py ``RowStore``) that keeps the rows of one
    record in memory; ``rows`` lists them in the order the services added them.

    What it reads back about a participation or an ordning is what it holds: they are new.
    Its persons are new too, or were screened by the batch's plan (``plan_batch``: no open
    ordning, a case id the municipality has not used), and the database's unique
    constraints refuse the write if another writer got there first; so only the
    municipality's late-registration grants are read from the register (once a batch)."""

    def __init__(
        self, ids: dict[type[models.Model], Iterator[int]], grants: dict[int, Grants]
    ) -> None:
        self._ids = ids
        self._grants = grants
        self.rows: list[models.Model] = []
        # The rows by identity, so that saving one is a set lookup and not a scan of a
        # chunk's rows (Model.__eq__ on each).
        self._pending: set[int] = set()
        self._frist_rows: dict[int, dict[type[models.Model], list[Any]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # An ordning's rows by its id and model, and the ordninger themselves: the seed
        # loader keeps a chunk of thousands in one store.
        self._norsk_rows: dict[tuple[int, type[models.Model]], list[Any]] = defaultdict(list)
        self._ordninger: dict[int, list[NorskParticipation]] = defaultdict(list)
        self._case_ids: set[tuple[int, str]] = set()

    def add(self, row: models.Model) -> None:
        if not isinstance(row, HistoryEvent):
            row.pk = next(self._ids[type(row)])
        self.rows.append(row)
        self._pending.add(id(row))
        if isinstance(row, SluttmaalVersion | Extension | Leave | Absence):
            self._frist_rows[row.participation_id][type(row)].append(row)
        elif isinstance(row, NorskRegistration):
            self._norsk_rows[(row.norsk_participation_id, type(row))].append(row)
        elif isinstance(row, NorskParticipation):
            self._ordninger[row.person_id].append(row)
            self._case_ids.add((row.kommune_id, row.case_id))

    def save(self, row: models.Model, fields: Sequence[str] | None = None) -> None:
        # The row is written once, at the end, as it then stands.
        if id(row) not in self._pending:
            raise ValueError(f"{row!r} is not a pending row")

    def facts(self, participation: Participation) -> ParticipationFacts:
        rows = self._frist_rows[participation.pk]
        goals = in_stored_order(rows[SluttmaalVersion], SluttmaalVersion)
        return facts_from_rows(
            participation,
            latest_sluttmaal=goals[-1] if goals else None,
            extensions=in_stored_order(rows[Extension], Extension),
            leaves=in_stored_order(rows[Leave], Leave),
            dated_absences=[a for a in in_stored_order(rows[Absence], Absence) if a.hours is None],
        )

    def grants(self, kommune_id: int) -> Grants:
        if kommune_id not in self._grants:
            self._grants[kommune_id] = kommune_grants(kommune_id)
        return self._grants[kommune_id]

    def of(self, model: type[models.Model]) -> list[Any]:
        return [row for row in self.rows if type(row) is model]

    def norsk_rows[M: models.Model](self, model: type[M], ordning: NorskParticipation) -> list[M]:
        # A pending record's ordning is new: its rows are the ones added here.
        return in_stored_order(self._norsk_rows.get((ordning.pk, model), []), model)

    def has_open_norsk(self, person: Person) -> bool:
        return any(o.end_date is None for o in self._ordninger.get(person.pk, ()))

    def norsk_case_id_taken(self, kommune_id: int, case_id: str) -> bool:
        return (kommune_id, case_id) in self._case_ids


@contextmanager
def without_collection() -> Iterator[None]:
    """No cyclic garbage collection while pending rows are built and written: their tens of
    thousands of objects are all alive until written, and every collection would walk them
    again (13 % of a seed worker's time went to collections during the write alone). Rows
    hold no cycles; what is left is collected once collection is on again. Process-wide, so
    for the seed's own processes: the API's batches, in server processes that serve other
    requests meanwhile, collect as usual (without it their ingest measured the same)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def write_rows(stores: Iterable[PendingRows]) -> Counter[str]:
    """Insert every pending row, one statement per table, parents first. Returns the number
    of rows per table."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for store in stores:
        for row in store.rows:
            by_model[type(row)].append(row)
    written: Counter[str] = Counter()
    for model in WRITE_ORDER:
        rows = by_model.get(model, [])
        if rows:
            _insert(model, rows)
            written[model._meta.db_table] = len(rows)
    return written


# Fields whose Python value the database driver cannot take as it is.
_ADAPTED = (models.DateField, models.DecimalField, models.JSONField)


def _preparer(field: models.Field[Any, Any], db: Any) -> Callable[[Any], Any]:
    """A field's value as the bulk write sends it. JSON goes as its text, encoded as the
    field encodes it (SQL NULL for None): COPY's text format and SQLite both take that,
    and PostgreSQL's driver would otherwise encode it through a wrapper of its own."""
    if isinstance(field, models.JSONField):
        # json.dumps(value, cls=field.encoder), with the encoder made once.
        encode = (field.encoder or json.JSONEncoder)().encode

        def as_text(value: Any) -> str | None:
            return None if value is None else encode(value)

        return as_text
    return lambda value: field.get_db_prep_save(value, db)


def _insert(model: type[models.Model], rows: list[models.Model]) -> None:
    """The rows as the ORM would save them (timestamps set, dates, decimals and JSON adapted
    by their fields), written by the database's bulk path: COPY on PostgreSQL, one prepared
    INSERT run for every row on SQLite. Django's bulk_create spends most of its time
    building SQL for large batches; here the rules have been checked and nothing needs
    reading back."""
    db = transaction.get_connection()
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and model not in RESERVED)
    ]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for row in rows:
                setattr(row, f.attname, now)
    adapt = [(i, _preparer(f, db)) for i, f in enumerate(fields) if isinstance(f, _ADAPTED)]
    # A date or an instant is adapted once however many rows hold it (the write's own
    # instant, a batch's start dates), and a JSON value once however many rows share it (the
    # legal bases of a kind of event); decimals for each row. JSON is keyed by the object,
    # which the rows keep alive until the write is done.
    once = {i for i, f in enumerate(fields) if isinstance(f, models.DateField)}
    shared = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    adapted: dict[tuple[int, object], object] = {}
    read = attrgetter(*(f.attname for f in fields))
    values = []
    for row in rows:
        value = list(read(row))
        for i, prepare in adapt:
            if i in once:
                key: tuple[int, object] = (i, value[i])
            elif i in shared:
                key = (i, id(value[i]))
            else:
                value[i] = prepare(value[i])
                continue
            if key not in adapted:
                adapted[key] = prepare(value[i])
            value[i] = adapted[key]
        values.append(value)
    table = db.ops.quote_name(model._meta.db_table)
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    # The driver's COPY is used directly: its errors still become Django's (IntegrityError
    # for a person or case id another writer registered meanwhile).
    with db.wrap_database_errors, db.cursor() as cursor:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608
