"""The figures' row-by-row reading, which the tests hold the SQL to: every participation's
state read one by one, now or as it stood at an instant, and the year's figures counted from
such states in Python. The register itself groups in the database (``nir.register.statistics``,
``nir.register.publication``); this reading is the reference its results must equal."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connections, router

from nir.register.figure_states import StatRow, date_of, states_sql
from nir.register.models import HistoryEvent, Kommune, Participation, Person
from nir.register.rule_config import rule_config
from nir.register.statistics import DIMENSIONS, YearFigures, outcome_column
from nir.rules.disclosure import TOTAL
from nir.rules.goal_attainment import compute_goal_attainment


def states_now() -> dict[int, StatRow]:
    """Every participation as it stands now."""
    rows = Participation.objects.values_list(
        "pk",
        "kommune__number",
        "kommune__display_name",
        "kommune__county_number",
        "kommune__county_name",
        "regime",
        "start_date",
        "end_date",
        "termination_reason",
        "person__sex",
        "person__birth_date",
        "person_id",
    )
    return {
        pk: StatRow(
            pk,
            f"{number} {name}",
            f"{county_number} {county}",
            regime_value,
            start,
            end,
            reason,
            sex,
            birth,
            person_id,
        )
        for (
            pk,
            number,
            name,
            county_number,
            county,
            regime_value,
            start,
            end,
            reason,
            sex,
            birth,
            person_id,
        ) in rows.iterator(chunk_size=5000)
    }


def states_as_of(
    at: dt.datetime,
    *,
    regime: str | None = None,
    during: tuple[dt.date, dt.date] | None = None,
) -> dict[int, StatRow]:
    """Every participation as it stood at the instant ``at``, read back through its history
    in one query (see ``states_sql``); with ``during``, only those in the programme at some
    day of that period (started by its last day, not ended before its first)."""
    db = connections[router.db_for_read(HistoryEvent)]
    sql, params = states_sql(db, at, regime=regime)
    where = ""
    if during is not None:
        where = (
            "WHERE s.start_date <= %(during_last)s "
            "AND (s.end_date IS NULL OR s.end_date >= %(during_first)s)"
        )
        params = {
            **params,
            "during_first": db.ops.adapt_datefield_value(during[0]),
            "during_last": db.ops.adapt_datefield_value(during[1]),
        }
    query = f"""
        SELECT s.id, k.number, k.display_name, k.county_number, k.county_name, s.regime,
               s.start_date, s.end_date, s.reason, pe.sex, pe.birth_date, s.person_id,
               s.category
        FROM ({sql}) s
        JOIN {Kommune._meta.db_table} k ON k.id = s.kommune_id
        JOIN {Person._meta.db_table} pe ON pe.id = s.person_id
        {where}
    """
    rows: dict[int, StatRow] = {}
    with db.cursor() as cursor:
        cursor.execute(query, params)
        while chunk := cursor.fetchmany(5000):
            for pk, number, name, county_number, county, regime_value, start, end, *rest in chunk:
                reason, sex, birth, person_id, category = rest
                rows[pk] = StatRow(
                    pk,
                    f"{number} {name}",
                    f"{county_number} {county}",
                    regime_value,
                    date_of(start),  # type: ignore[arg-type]
                    date_of(end),
                    reason or "",
                    sex,
                    date_of(birth),  # type: ignore[arg-type]
                    person_id,
                    category,
                )
    return rows


def year_figures(states: Iterable[StatRow], year: int, dimension: str) -> YearFigures:
    """Participants during the year, starts, ends by outcome and direct goal attainment."""
    spec = DIMENSIONS[dimension]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    participants: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[tuple[str, str]] = Counter()
    reasons: dict[str, list[str]] = defaultdict(list)
    for row in states:
        if row.start > last or (row.end is not None and row.end < first):
            continue
        label = spec.of(row, year)
        participants[label] += 1
        if row.start >= first:
            starts[label] += 1
        if row.end is not None and row.end <= last and row.reason:
            ends[(label, outcome_column(row.reason))] += 1
            reasons[label].append(row.reason)
            reasons[TOTAL].append(row.reason)
    labels = tuple(sorted(participants))
    excluded = rule_config().outcome_excluded_reasons
    attainment = {
        label: compute_goal_attainment(reasons[label], excluded) for label in (*labels, TOTAL)
    }
    return YearFigures(year, dimension, labels, participants, starts, ends, attainment)
