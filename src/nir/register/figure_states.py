"""The participations' states the figures are counted from (rules.md §6 and §8): as the
register stands now, or as it stood at a moment in the past, such as the annual cut-off.

A participation's state at a past moment is read from its history: it counts only if it was
created by then, and where its termination changed afterwards, the state before the first
later change is the one that held. So the figures for a year can be reproduced exactly after
later corrections, and the corrections themselves can be listed. The states are an SQL
subquery that the figures and the releases are grouped over in the database
(``nir.register.statistics``, ``nir.register.publication``); ``StatRow`` is one state as a
row, the shape the dimensions' labels are made from (and the row-by-row reading the tests
hold the SQL to).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from nir.register.json_text import JSON_TEXT
from nir.register.models import (
    CREATION_ACTIONS,
    TERMINATION_ACTIONS,
    HistoryEvent,
    Participation,
)


@dataclass(frozen=True, slots=True)
class StatRow:
    participation_id: int
    kommune: str
    county: str
    regime: str
    start: dt.date
    end: dt.date | None
    reason: str
    sex: str
    birth_date: dt.date
    # Whose participation it is: SSB's counting keeps only a person's last ending.
    person_id: int = dataclasses.field(default=0, compare=False)
    # rett_og_plikt, rett (kap. 6A) or kan_tilbys, as registered now (not in the history).
    category: str = dataclasses.field(default="", compare=False)


def date_of(value: object) -> dt.date | None:
    """A date column as read from a raw cursor (SQLite gives text)."""
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def in_list(values: tuple[str, ...]) -> str:
    """An IN list of the register's own constants, written out so that the partial indexes
    over the same list match the query (a bound parameter would not)."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def dialect_sql(db: BaseDatabaseWrapper) -> dict[str, str]:
    """The expressions the two databases spell differently, as templates."""
    if db.vendor == "postgresql":
        return {
            "is_null": "jsonb_typeof({col}) = 'null'",
            "text": JSON_TEXT["postgresql"],
            "date": "CAST(NULLIF({col} ->> '{key}', '') AS date)",
            "birth_year": "CAST(EXTRACT(YEAR FROM {col}) AS integer)",
        }
    return {
        "is_null": "json_type({col}) = 'null'",
        "text": JSON_TEXT["sqlite"],
        "date": "NULLIF(json_extract({col}, '$.{key}'), '')",
        "birth_year": "CAST(substr({col}, 1, 4) AS integer)",
    }


def states_sql(
    db: BaseDatabaseWrapper,
    at: dt.datetime,
    *,
    regime: str | None = None,
    created: bool = True,
    changed_only: bool = False,
    started_by: dt.date | None = None,
    ended_by: dt.date | None = None,
) -> tuple[str, dict[str, Any]]:
    """A subquery of every participation as it stood at the instant ``at``: ``id,
    kommune_id, person_id, regime, start_date, end_date, reason, end_now, reason_now``.

    It counts only if a creation event is recorded by then (``created=False``: only
    those whose creation is recorded after it). Where the termination changed after it,
    the state before the first later change (by time, then id) that records one is the
    state that held; without a later change the current state held. The same reading as
    the row-by-row one the tests keep (``tests/statistics/row_by_row.py``),
    in set-based SQL: a semi-join for the creation, one pass over the later events.

    ``changed_only``: only those whose termination changed after ``at``; with
    ``ended_by``, only those among them with an end by that date before or after a change
    (the others were open through it then and now, so a year's figures to that date are
    the same), found through the index of the ends, not by reading every later change."""
    if ended_by is not None and not changed_only:
        raise ValueError("ended_by selects among the changed states only")
    history = HistoryEvent._meta.db_table
    later, first_only = _first_changes_after(db, ended_by is not None)
    end_then = "l.end_then"
    reason_then = "COALESCE(l.reason_then, '')"
    created_by_then = f"""EXISTS (SELECT 1 FROM {history} c WHERE c.participation_id = p.id
        AND c.action IN {in_list(CREATION_ACTIONS)} AND c.occurred_at <= %(at)s)"""  # noqa: S608
    where = (
        [created_by_then]
        if created
        else [_created_after(db, started_by is not None), f"NOT {created_by_then}"]
    )
    params: dict[str, Any] = {"at": db.ops.adapt_datetimefield_value(at)}
    if regime is not None:
        where.append("p.regime = %(regime)s")
        params["regime"] = regime
    if started_by is not None:
        where.append("p.start_date <= %(started_by)s")
        params["started_by"] = db.ops.adapt_datefield_value(started_by)
        params["started_by_text"] = started_by.isoformat()
    if ended_by is not None:
        params["ended_by_text"] = ended_by.isoformat()
    sql = f"""
        SELECT p.id, p.kommune_id, p.person_id, p.regime, p.start_date,
               CASE WHEN l.participation_id IS NULL THEN p.end_date ELSE {end_then} END
                   AS end_date,
               CASE WHEN l.participation_id IS NULL THEN p.termination_reason
                    ELSE {reason_then} END AS reason,
               p.end_date AS end_now, p.termination_reason AS reason_now, p.category
        FROM {Participation._meta.db_table} p
        {"JOIN" if changed_only else "LEFT JOIN"} ({later}) l
            ON l.participation_id = p.id {first_only}
        WHERE {" AND ".join(where)}
    """  # noqa: S608
    return sql, params


def _first_changes_after(db: BaseDatabaseWrapper, ended_by: bool) -> tuple[str, str]:
    """A subquery of each participation's first termination change after the instant bound
    as ``at`` (``participation_id, end_then, reason_then``), and what its join adds to keep
    only that first one. Only the two fields read from ``before`` are carried, so the sort
    stays narrow. ``ended_by``: only of the participations with a change after ``at`` to
    or from an end by the date bound as ``ended_by_text`` (``_ending_by``), each first
    change looked up by the participation's own index."""
    j = dialect_sql(db)
    state_then = f"""participation_id,
               {j["date"].format(col="before", key="end_date")} AS end_then,
               {j["text"].format(col="before", key="termination_reason")} AS reason_then"""
    history = HistoryEvent._meta.db_table

    def recorded(t: str) -> str:  # a change after the moment, with the state before it
        return f"""{t}action IN {in_list(TERMINATION_ACTIONS)} AND {t}occurred_at > %(at)s
          AND {t}participation_id IS NOT NULL AND {t}before IS NOT NULL
          AND NOT {j["is_null"].format(col=f"{t}before")}"""

    if ended_by:
        first = f"""SELECT (SELECT f.id FROM {history} f
            WHERE f.participation_id = e.participation_id AND {recorded("f.")}
            ORDER BY f.occurred_at, f.id LIMIT 1) FROM ({_ending_by(db)}) e"""  # noqa: S608
        return f"SELECT {state_then} FROM {history} WHERE id IN ({first})", ""  # noqa: S608
    if db.vendor == "postgresql":
        # DISTINCT ON: the planner counts its rows as the participations changed, where it
        # takes a window's «first of each» for a few dozen and joins it in a nested loop
        # that reads every change once for every participation.
        later = f"""SELECT DISTINCT ON (participation_id) {state_then} FROM {history}
            WHERE {recorded("")} ORDER BY participation_id, occurred_at, id"""  # noqa: S608
        return later, ""
    later = f"""SELECT {state_then},
           ROW_NUMBER() OVER (PARTITION BY participation_id ORDER BY occurred_at, id) AS n
        FROM {history} WHERE {recorded("")}"""  # noqa: S608
    return later, "AND l.n = 1"


def _ending_by(db: BaseDatabaseWrapper) -> str:
    """The participations with a termination change after ``at`` whose end before or after
    it is by the date bound as ``ended_by_text``: read from the index of the changes with
    their ends (``history_termination_changes``), a scan of it for each side."""
    history = HistoryEvent._meta.db_table

    def side(col: str) -> str:
        end = JSON_TEXT[db.vendor].format(col=col, key="end_date")
        return f"""SELECT participation_id FROM {history}
            WHERE action IN {in_list(TERMINATION_ACTIONS)} AND occurred_at > %(at)s
              AND {end} <= %(ended_by_text)s"""  # noqa: S608

    return f"{side('before')} UNION {side('after')}"


def _created_after(db: BaseDatabaseWrapper, started_by: bool) -> str:
    """Registered after the instant bound as ``at``: a creation event after it (read
    through the index of the creations by time, so only those after it are read; with
    ``started_by``, only those that started by the date bound as ``started_by``: the
    creation records the start, which never changes) and, beside it, none by then."""
    started = ""
    if started_by:  # ISO text, as the index of the creations holds it (json_text.py)
        start = JSON_TEXT[db.vendor].format(col="a.after", key="start_date")
        started = f"AND {start} <= %(started_by_text)s"
    return f"""p.id IN (SELECT a.participation_id FROM {HistoryEvent._meta.db_table} a
        WHERE a.action IN {in_list(CREATION_ACTIONS)} AND a.occurred_at > %(at)s
        {started})"""  # noqa: S608


def last_endings_only_sql(states: str) -> str:
    """The states with the endings SSB counts: only a person's latest participation (by
    start, then id) keeps its ending; one who came back belongs to the later cohort. One
    window over the states, sorted once by person, rather than a search of the person's
    other states for every state."""
    return f"""
        SELECT s0.id, s0.kommune_id, s0.person_id, s0.regime, s0.start_date, s0.end_date,
               CASE WHEN ROW_NUMBER() OVER (
                   PARTITION BY s0.person_id ORDER BY s0.start_date DESC, s0.id DESC
               ) > 1 THEN '' ELSE s0.reason END AS reason
        FROM ({states}) s0
    """  # noqa: S608


def current_states_sql(*, started_by_last: bool = True) -> str:
    """A subquery of every participation as it stands now (that started by the date bound
    as ``last``, unless ``started_by_last`` is false): the columns of ``states_sql`` that
    the figures read."""
    where = "WHERE start_date <= %(last)s" if started_by_last else ""
    return f"""
        SELECT id, kommune_id, person_id, regime, start_date, end_date,
               termination_reason AS reason
        FROM {Participation._meta.db_table} {where}
    """  # noqa: S608
