"""The figures IMDi publishes (rules.md §6 and §8), as the register stands now or as it stood
at a moment in the past, such as the annual cut-off.

A participation's state at a past moment is read from its history: it counts only if it was
created by then, and where its termination changed afterwards, the state before the first
later change is the one that held. So the figures for a year can be reproduced exactly after
later corrections, and the corrections themselves can be listed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from nir.register.cutoffs import annual_cutoff
from nir.register.models import (
    CREATION_ACTIONS,
    TERMINATION_ACTIONS,
    HistoryEvent,
    Kommune,
    Participation,
    Person,
)
from nir.register.rule_config import rule_config
from nir.rules.disclosure import TOTAL, SuppressedTable, suppress
from nir.rules.goal_attainment import (
    GoalAttainment,
    compute_goal_attainment,
    goal_attainment_from_counts,
)
from nir.rules.regime import Regime, age_on
from nir.rules.termination import TERMINATION_REASONS, OutcomeClass

OSLO = ZoneInfo("Europe/Oslo")


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


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def states_now(*, regime: str | None = None) -> dict[int, StatRow]:
    queryset = Participation.objects.all()
    if regime is not None:
        queryset = queryset.filter(regime=regime)
    rows = queryset.values_list(
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
    moment: dt.datetime,
    *,
    regime: str | None = None,
    during: tuple[dt.date, dt.date] | None = None,
) -> dict[int, StatRow]:
    """Every participation as it stood at ``moment``, read back through its history in one
    query (see ``_states_sql``); with ``during``, only those in the programme at some day
    of that period (started by its last day, not ended before its first)."""
    db = connections[router.db_for_read(HistoryEvent)]
    sql, params = _states_sql(db, moment, regime=regime)
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
    """  # noqa: S608
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
                    _date(start),  # type: ignore[arg-type]
                    _date(end),
                    reason or "",
                    sex,
                    _date(birth),  # type: ignore[arg-type]
                    person_id,
                    category,
                )
    return rows


def last_endings_only(rows: Iterable[StatRow]) -> list[StatRow]:
    """The states with the endings SSB counts (its leaver cohort): only a person's latest
    participation (by start, then id) keeps its ending, so one who came back belongs to the
    later cohort. The same rule as ``_last_ending_only`` in SQL."""
    rows = list(rows)
    latest: dict[int, tuple[dt.date, int]] = {}
    for row in rows:
        mark = (row.start, row.participation_id)
        if row.person_id not in latest or mark > latest[row.person_id]:
            latest[row.person_id] = mark
    return [
        row
        if latest[row.person_id] == (row.start, row.participation_id)
        else dataclasses.replace(row, reason="")
        for row in rows
    ]


def _in(values: tuple[str, ...]) -> str:
    """An IN list of the register's own constants, written out so that the partial indexes
    over the same list match the query (a bound parameter would not)."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _json_sql(db: BaseDatabaseWrapper) -> dict[str, str]:
    if db.vendor == "postgresql":
        return {
            "is_null": "jsonb_typeof({col}) = 'null'",
            "text": "{col} ->> '{key}'",
            "date": "CAST(NULLIF({col} ->> '{key}', '') AS date)",
            "birth_year": "CAST(EXTRACT(YEAR FROM {col}) AS integer)",
        }
    return {
        "is_null": "json_type({col}) = 'null'",
        "text": "json_extract({col}, '$.{key}')",
        "date": "NULLIF(json_extract({col}, '$.{key}'), '')",
        "birth_year": "CAST(substr({col}, 1, 4) AS integer)",
    }


def _states_sql(
    db: BaseDatabaseWrapper,
    moment: dt.datetime,
    *,
    regime: str | None = None,
    created: bool = True,
    changed_only: bool = False,
    started_by: dt.date | None = None,
) -> tuple[str, dict[str, Any]]:
    """A subquery of every participation as it stood at ``moment``: ``id, kommune_id,
    person_id, regime, start_date, end_date, reason, end_now, reason_now``.

    It counts only if a creation event is recorded by ``moment`` (``created=False``: only
    those without one). Where the termination changed after ``moment``, the state before the
    first later change (by time, then id) that records one is the state that held; without
    a later change the current state held. The same reading as ``states_as_of`` always had,
    in set-based SQL: a semi-join for the creation, one pass over the later events."""
    j = _json_sql(db)
    history = HistoryEvent._meta.db_table
    before_null = j["is_null"].format(col="before")
    # Only the two fields read from ``before`` are carried, so the sort stays narrow.
    later = f"""
        SELECT participation_id, {j["date"].format(col="before", key="end_date")} AS end_then,
               {j["text"].format(col="before", key="termination_reason")} AS reason_then,
               ROW_NUMBER() OVER (PARTITION BY participation_id ORDER BY occurred_at, id) AS n
        FROM {history}
        WHERE action IN {_in(TERMINATION_ACTIONS)} AND occurred_at > %(moment)s
          AND participation_id IS NOT NULL AND before IS NOT NULL AND NOT {before_null}
    """  # noqa: S608
    end_then = "l.end_then"
    reason_then = "COALESCE(l.reason_then, '')"
    created_by_then = f"""EXISTS (SELECT 1 FROM {history} c WHERE c.participation_id = p.id
        AND c.action IN {_in(CREATION_ACTIONS)} AND c.occurred_at <= %(moment)s)"""  # noqa: S608
    where = [created_by_then if created else f"NOT {created_by_then}"]
    params: dict[str, Any] = {"moment": db.ops.adapt_datetimefield_value(moment)}
    if regime is not None:
        where.append("p.regime = %(regime)s")
        params["regime"] = regime
    if started_by is not None:
        where.append("p.start_date <= %(started_by)s")
        params["started_by"] = db.ops.adapt_datefield_value(started_by)
    sql = f"""
        SELECT p.id, p.kommune_id, p.person_id, p.regime, p.start_date,
               CASE WHEN l.participation_id IS NULL THEN p.end_date ELSE {end_then} END
                   AS end_date,
               CASE WHEN l.participation_id IS NULL THEN p.termination_reason
                    ELSE {reason_then} END AS reason,
               p.end_date AS end_now, p.termination_reason AS reason_now, p.category
        FROM {Participation._meta.db_table} p
        {"JOIN" if changed_only else "LEFT JOIN"} ({later}) l
            ON l.participation_id = p.id AND l.n = 1
        WHERE {" AND ".join(where)}
    """  # noqa: S608
    return sql, params


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment a day ends in Oslo: the register as it stood at the end of ``day``."""
    after = day + dt.timedelta(days=1)
    return dt.datetime(after.year, after.month, after.day, tzinfo=OSLO)


def cutoff_moment(year: int) -> dt.datetime:
    """The end of the year's cut-off day (Oslo time): IMDi's exception for the year, the
    published date, or the last day of February of the year after."""
    return end_of_day(annual_cutoff(year).day)


AGE_BANDS = ((18, 25, "18–25"), (26, 35, "26–35"), (36, 45, "36–45"), (46, 55, "46–55"))


def age_band(birth_date: dt.date, on: dt.date) -> str:
    age = age_on(birth_date, on)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "56+" if age > 55 else "under 18"


SEX_LABELS = {"kvinne": "Kvinner", "mann": "Menn", "ukjent": "Ukjent"}
# The published tables keep the law's name in bokmål, as delivered to SSB and the ministry.
REGIME_LABELS = {
    Regime.INTRODUKSJONSLOVEN.value: "Introduksjonsloven",
    Regime.INTEGRERINGSLOVEN.value: "Integreringsloven",
    Regime.INTEGRERINGSLOVEN_KAP6A.value: "Integreringsloven kap. 6A",
}

Dimension = Callable[[StatRow, int], str]
DIMENSIONS: Mapping[str, tuple[str, Dimension]] = {
    "kommune": ("Kommune", lambda r, y: r.kommune),
    "fylke": ("Fylke", lambda r, y: r.county),
    "regime": ("Lovverk", lambda r, y: REGIME_LABELS.get(r.regime, r.regime)),
    "ukraina": (
        "Ukraina (kap. 6A) og andre",
        lambda r, y: "Ukraina (kap. 6A)" if r.regime == Regime.INTEGRERINGSLOVEN_KAP6A else "Andre",
    ),
    "kjonn": ("Kjønn", lambda r, y: SEX_LABELS.get(r.sex, r.sex)),
    "alder": ("Aldersgruppe 31.12.", lambda r, y: age_band(r.birth_date, dt.date(y, 12, 31))),
}

OUTCOME_COLUMNS = ("Arbeid eller utdanning", "Annet", "Ikke registrert", "Holdt utenfor")


def _outcome_column(reason: str) -> str:
    outcome = TERMINATION_REASONS[reason].outcome
    if outcome.is_success:
        return OUTCOME_COLUMNS[0]
    if outcome is OutcomeClass.NOT_REGISTERED:
        return OUTCOME_COLUMNS[2]
    if reason in rule_config().outcome_excluded_reasons:
        return OUTCOME_COLUMNS[3]
    return OUTCOME_COLUMNS[1]


# How the leavers of a year are counted. IMDi's figures count every ending in the year;
# SSB's leaver cohort (avgangskohort) counts a person once, in the year of their last ending.
COUNTING_IMDI = "imdi"
COUNTING_SSB = "ssb"
COUNTINGS = {
    COUNTING_IMDI: "IMDis telling: hver avslutning i året",
    COUNTING_SSB: "SSBs avgangskohort: hver person én gang, i året for siste avslutning",
}
# What every export of figures states on each row: the counting, and the cut-off day the
# register is read at, or «nå» for the register as it stands.
BASIS_COLUMNS = ("Telling", "Frist for tallene")
NOW_NB = "nå"


@dataclass(frozen=True)
class YearFigures:
    year: int
    dimension: str
    rows: tuple[str, ...]
    participants: Mapping[str, int]
    starts: Mapping[str, int]
    ends_by_outcome: Mapping[tuple[str, str], int]
    attainment: Mapping[str, GoalAttainment]  # TOTAL included
    # Which counting the leavers follow, and the cut-off day (None: the register as now).
    counting: str = COUNTING_IMDI
    cutoff: dt.date | None = None

    @property
    def counting_nb(self) -> str:
        return COUNTINGS[self.counting]

    @property
    def basis(self) -> tuple[str, dt.date | str]:
        """The values of ``BASIS_COLUMNS``: which counting and which cut-off these are."""
        return (self.counting_nb, NOW_NB if self.cutoff is None else self.cutoff)

    def ends(self, row: str) -> int:
        return sum(self.ends_by_outcome.get((row, c), 0) for c in OUTCOME_COLUMNS)


# The raw columns each dimension is grouped by in SQL, and how a group gets its label.
_GROUPED: Mapping[str, tuple[tuple[str, ...], Callable[[tuple[Any, ...], int], str]]] = {
    "kommune": (("kommune__number", "kommune__display_name"), lambda v, y: f"{v[0]} {v[1]}"),
    "fylke": (("kommune__county_number", "kommune__county_name"), lambda v, y: f"{v[0]} {v[1]}"),
    "regime": (("regime",), lambda v, y: REGIME_LABELS.get(v[0], v[0])),
    "ukraina": (
        ("regime",),
        lambda v, y: "Ukraina (kap. 6A)" if v[0] == Regime.INTEGRERINGSLOVEN_KAP6A else "Andre",
    ),
    "kjonn": (("person__sex",), lambda v, y: SEX_LABELS.get(v[0], v[0])),
    # On 31 December everyone has had this year's birthday: age is the year difference.
    "alder": (("birth_year",), lambda v, y: _age_band_of_years(y - v[0])),
}


def _age_band_of_years(age: int) -> str:
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "56+" if age > 55 else "under 18"


def year_figures_now(year: int, dimension: str, counting: str = COUNTING_IMDI) -> YearFigures:
    """The same figures as ``year_figures(states_now().values(), ...)``, grouped in the
    database: one query, whatever the size of the register, read from the index
    ``participation_kommune_end`` alone where the dimension is the municipality."""
    db = connections[router.db_for_read(Participation)]
    states = f"""
        SELECT id, kommune_id, person_id, regime, start_date, end_date,
               termination_reason AS reason
        FROM {Participation._meta.db_table} WHERE start_date <= %(last)s
    """  # noqa: S608
    return _grouped_figures(db, states, {}, year, dimension, counting)


# Per dimension: what the states are grouped by, the joins that needs, and the columns the
# label is made of, read after grouping (a municipality's name is joined to its 357 groups,
# not to every participation).
_GROUPED_SQL: Mapping[str, tuple[str, str, str, str]] = {
    "kommune": ("s.kommune_id", "", "k.number, k.display_name", "JOIN {k} k ON k.id = g.grp"),
    "fylke": (
        "s.kommune_id",
        "",
        "k.county_number, k.county_name",
        "JOIN {k} k ON k.id = g.grp",
    ),
    "regime": ("s.regime", "", "g.grp", ""),
    "ukraina": ("s.regime", "", "g.grp", ""),
    "kjonn": ("pe.sex", "JOIN {pe} pe ON pe.id = s.person_id", "g.grp", ""),
    "alder": ("{birth_year}", "JOIN {pe} pe ON pe.id = s.person_id", "g.grp", ""),
}


def year_figures_as_of(
    year: int, dimension: str, moment: dt.datetime, counting: str = COUNTING_IMDI
) -> YearFigures:
    """The same figures as ``year_figures(states_as_of(moment).values(), ...)``: the states
    at ``moment`` reconstructed from the history and grouped in the database, one query
    whatever the size of the register."""
    db = connections[router.db_for_read(HistoryEvent)]
    states, params = _states_sql(db, moment, started_by=dt.date(year, 12, 31))
    return _grouped_figures(db, states, params, year, dimension, counting)


def _last_ending_only(states: str) -> str:
    """The states with the endings SSB counts: only a person's latest participation (by
    start, then id) keeps its ending; one who came back belongs to the later cohort."""
    return f"""
        SELECT s0.id, s0.kommune_id, s0.person_id, s0.regime, s0.start_date, s0.end_date,
               CASE WHEN EXISTS (
                   SELECT 1 FROM ({states}) s2
                   WHERE s2.person_id = s0.person_id
                     AND (s2.start_date > s0.start_date
                          OR (s2.start_date = s0.start_date AND s2.id > s0.id))
               ) THEN '' ELSE s0.reason END AS reason
        FROM ({states}) s0
    """  # noqa: S608


def _grouped_figures(
    db: BaseDatabaseWrapper,
    states: str,
    params: dict[str, Any],
    year: int,
    dimension: str,
    counting: str = COUNTING_IMDI,
) -> YearFigures:
    """The year's figures over a subquery of states (``id, kommune_id, person_id, regime,
    start_date, end_date, reason``), grouped in the database: one query. With SSB's
    counting an ending counts only where it is the person's last."""
    if counting not in COUNTINGS:
        raise ValueError(f"unknown counting {counting!r}")
    if counting == COUNTING_SSB:
        states = _last_ending_only(states)
    _, label_of = _GROUPED[dimension]
    key, joins, label_columns, label_join = _GROUPED_SQL[dimension]
    tables = {"k": Kommune._meta.db_table, "pe": Person._meta.db_table}
    birth_year = _json_sql(db)["birth_year"].format(col="pe.birth_date")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    params = {
        **params,
        "first": db.ops.adapt_datefield_value(first),
        "last": db.ops.adapt_datefield_value(last),
    }
    query = f"""
        SELECT {label_columns}, g.reason_in_year, g.n, g.starts
        FROM (
            SELECT {key.format(birth_year=birth_year)} AS grp,
                   CASE WHEN s.end_date >= %(first)s AND s.end_date <= %(last)s
                             AND s.reason <> '' THEN s.reason ELSE '' END AS reason_in_year,
                   COUNT(*) AS n,
                   SUM(CASE WHEN s.start_date >= %(first)s THEN 1 ELSE 0 END) AS starts
            FROM ({states}) s {joins.format(**tables)}
            WHERE s.start_date <= %(last)s AND (s.end_date IS NULL OR s.end_date >= %(first)s)
            GROUP BY 1, 2
        ) g {label_join.format(**tables)}
    """  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(query, params)
        grouped = cursor.fetchall()
    figures = _figures_from_groups(
        year, dimension, ((label_of(tuple(g[:-3]), year), *g[-3:]) for g in grouped)
    )
    return dataclasses.replace(figures, counting=counting)


def _figures_from_groups(
    year: int, dimension: str, groups: Iterable[tuple[str, str, int, int]]
) -> YearFigures:
    """Figures from groups of (label, the reason ended with in the year or "", participants,
    starts); a label may come in several groups."""
    participants: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[tuple[str, str]] = Counter()
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for label, reason, n, started in groups:
        participants[label] += n
        if started:
            starts[label] += started
        if reason:
            ends[(label, _outcome_column(reason))] += n
            reasons[label][reason] += n
            reasons[TOTAL][reason] += n
    labels = tuple(sorted(participants))
    excluded = rule_config().outcome_excluded_reasons
    attainment = {
        label: goal_attainment_from_counts(reasons[label], excluded) for label in (*labels, TOTAL)
    }
    return YearFigures(year, dimension, labels, participants, starts, ends, attainment)


def figures_for(
    year: int, dimension: str, *, at_cutoff: bool, counting: str = COUNTING_IMDI
) -> YearFigures:
    """The year's figures as the register stands now, or as it stood at the annual cut-off
    (reconstructed from the history); both grouped in SQL. The figures say which counting
    and which cut-off they use."""
    if at_cutoff:
        cutoff = annual_cutoff(year)
        figures = year_figures_as_of(year, dimension, end_of_day(cutoff.day), counting)
        return dataclasses.replace(figures, cutoff=cutoff.day)
    return year_figures_now(year, dimension, counting)


def year_figures(states: Iterable[StatRow], year: int, dimension: str) -> YearFigures:
    """Participants during the year, starts, ends by outcome and direct goal attainment."""
    _, key = DIMENSIONS[dimension]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    participants: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[tuple[str, str]] = Counter()
    reasons: dict[str, list[str]] = defaultdict(list)
    for row in states:
        if row.start > last or (row.end is not None and row.end < first):
            continue
        label = key(row, year)
        participants[label] += 1
        if row.start >= first:
            starts[label] += 1
        if row.end is not None and row.end <= last and row.reason:
            ends[(label, _outcome_column(row.reason))] += 1
            reasons[label].append(row.reason)
            reasons[TOTAL].append(row.reason)
    labels = tuple(sorted(participants))
    excluded = rule_config().outcome_excluded_reasons
    attainment = {
        label: compute_goal_attainment(reasons[label], excluded) for label in (*labels, TOTAL)
    }
    return YearFigures(year, dimension, labels, participants, starts, ends, attainment)


@dataclass(frozen=True)
class PublishedFigures:
    """Figures ready to publish: small counts hidden, with secondary suppression."""

    figures: YearFigures
    participants: SuppressedTable
    starts: SuppressedTable
    ends: SuppressedTable

    def attainment_percent(self, row: str) -> float | None:
        success = self.ends.shown(row, OUTCOME_COLUMNS[0])
        excluded = self.ends.shown(row, OUTCOME_COLUMNS[3])
        total = self.ends.shown(row, TOTAL)
        if success is None or excluded is None or total is None or total - excluded == 0:
            return None
        return round(100 * success / (total - excluded), 1)


def publish(figures: YearFigures) -> PublishedFigures:
    """One dimension's tables suppressed on their own, with no regard for the other tables
    of the year: not what the register publishes (``nir.register.publication`` protects
    every table of a release together); kept for the benchmarks' cost of grouping."""
    rows = figures.rows
    one = ("Antall",)
    return PublishedFigures(
        figures=figures,
        participants=suppress(rows, one, {(r, one[0]): figures.participants[r] for r in rows}),
        starts=suppress(rows, one, {(r, one[0]): figures.starts.get(r, 0) for r in rows}),
        ends=suppress(rows, OUTCOME_COLUMNS, dict(figures.ends_by_outcome)),
    )


@dataclass(frozen=True)
class Correction:
    participation_id: int
    kommune: str
    at_cutoff: tuple[dt.date | None, str]
    now: tuple[dt.date | None, str]


@dataclass(frozen=True)
class CutoffComparison:
    year: int
    cutoff: dt.datetime
    at_cutoff: YearFigures
    now: YearFigures
    corrections: list[Correction]


def compare_with_cutoff(year: int, dimension: str = "kommune") -> CutoffComparison:
    """The year's figures as published at the cut-off, as they would be now, and every
    correction made after the cut-off that touches the year. Three queries, whatever the
    size of the register: the figures then and now are grouped in the database, and only
    the participations whose state differs are read."""
    moment = cutoff_moment(year)
    return CutoffComparison(
        year,
        moment,
        year_figures_as_of(year, dimension, moment),
        year_figures_now(year, dimension),
        _corrections(year, moment),
    )


def _corrections(year: int, moment: dt.datetime) -> list[Correction]:
    """Participations whose state at ``moment`` differs from their state now, touching the
    year then or now: terminations changed after ``moment``, and participations registered
    after it that started by the end of the year."""
    db = connections[router.db_for_read(HistoryEvent)]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    changed, params = _states_sql(db, moment, changed_only=True)
    missing, more = _states_sql(db, moment, created=False, started_by=last)
    params |= more
    kommune = Kommune._meta.db_table
    columns = (
        "s.id, k.number, k.display_name, s.start_date, s.end_date, s.reason, s.end_now, "
        "s.reason_now"
    )
    query = f"""
        SELECT {columns}, 1 FROM ({changed}) s JOIN {kommune} k ON k.id = s.kommune_id
        UNION ALL
        SELECT {columns}, 0 FROM ({missing}) s JOIN {kommune} k ON k.id = s.kommune_id
        ORDER BY 1
    """  # noqa: S608

    def touches_year(start: dt.date, end: dt.date | None) -> bool:
        return start <= last and (end is None or end >= first)

    corrections = []
    with db.cursor() as cursor:
        cursor.execute(query, params)
        for pk, number, name, began, end, reason, end_now, reason_now, created in cursor.fetchall():
            start = _date(began) or dt.date.max  # start_date is never null
            then = (_date(end), reason or "") if created else (None, "")
            now = (_date(end_now), reason_now or "")
            touches = touches_year(start, now[0]) or (created and touches_year(start, then[0]))
            if touches and (not created or then != now):
                corrections.append(Correction(pk, f"{number} {name}", then, now))
    return corrections


def persons_of(participation_ids: Iterable[int]) -> list[int]:
    """The persons behind participations, for the access log of a page that lists them."""
    return list(
        Participation.objects.filter(pk__in=list(participation_ids))
        .values_list("person_id", flat=True)
        .distinct()
    )
