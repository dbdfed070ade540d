"""The figures IMDi publishes (rules.md §6 and §8), as the register stands now or as it stood
at a moment in the past, such as the annual cut-off.

The figures are counted from the participations' states (``nir.register.figure_states``),
grouped in the database, or over states read row by row where a release is protected
together (``nir.register.publication``). Both break the figures down by the one dimension
specification, ``DIMENSIONS``.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from nir.register.cutoffs import annual_cutoff
from nir.register.figure_states import (
    StatRow,
    current_states_sql,
    dialect_sql,
    last_endings_only_sql,
    states_sql,
)
from nir.register.models import HistoryEvent, Kommune, Participation, Person
from nir.register.published_labels import PUBLISHED_REGIMES, PUBLISHED_SEXES
from nir.register.rule_config import rule_config
from nir.rules.disclosure import TOTAL, SuppressedTable, suppress
from nir.rules.goal_attainment import (
    GoalAttainment,
    goal_attainment_from_counts,
)
from nir.rules.regime import Regime, age_on
from nir.rules.termination import TERMINATION_REASONS, OutcomeClass

OSLO = ZoneInfo("Europe/Oslo")


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment a day ends in Oslo: the register as it stood at the end of ``day``."""
    after = day + dt.timedelta(days=1)
    return dt.datetime(after.year, after.month, after.day, tzinfo=OSLO)


def cutoff_at(year: int) -> dt.datetime:
    """The end of the year's cut-off day (Oslo time): IMDi's exception for the year, the
    published date, or the last day of February of the year after."""
    return end_of_day(annual_cutoff(year).day)


AGE_BANDS = ((18, 25, "18–25"), (26, 35, "26–35"), (36, 45, "36–45"), (46, 55, "46–55"))


def age_band_of(age: int) -> str:
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "56+" if age > 55 else "under 18"


def age_band(birth_date: dt.date, on: dt.date) -> str:
    return age_band_of(age_on(birth_date, on))


def _born_by(age: int, on: dt.date) -> dt.date:
    """The last birth date of one who is ``age`` or older on ``on``, as ``age_on`` counts
    (one born on 29 February is a year older on 1 March in a year without it)."""
    year = on.year - age
    return dt.date(year, on.month, min(on.day, calendar.monthrange(year, on.month)[1]))


def age_band_stand_ins(on: dt.date) -> tuple[tuple[tuple[dt.date, dt.date], ...], dt.date]:
    """The age bands on ``on`` as birth dates, for a query to group by: one born after a
    pair's first date (the first such pair; the youngest band comes first) is in the band
    of the pair's second, a birth date standing for the band (``age_band(stand_in, on)``
    is its label); anyone else is in the band of the date returned last. Grouping by the
    stand-in makes a few groups of each municipality, not one for every birth date."""
    youngest = AGE_BANDS[0][0]
    ages = [youngest, *(high + 1 for _, high, _ in AGE_BANDS)]
    limits = [_born_by(age, on) for age in ages]
    # Each band's youngest birth date stands for the next band: the limit is its oldest age.
    return tuple(zip(limits, [on, *limits[:-1]], strict=True)), limits[-1]


@dataclass(frozen=True, slots=True)
class Dimension:
    """One breakdown of the figures, however they are computed. ``values`` are what a
    label is made of, taken from a state read row by row; in SQL the states are grouped by
    ``key`` (with the ``join`` it needs) and the same values are the ``label_columns`` of
    each group (joined to it by ``label_join``, so a municipality's name is joined to its
    357 groups, not to every participation). ``label`` makes the label of either."""

    title: Promise  # in the user's language
    values: Callable[[StatRow], tuple[Any, ...]]
    label: Callable[[tuple[Any, ...], int], str]
    key: str
    label_columns: str = "g.grp"
    join: str = ""
    label_join: str = ""

    def of(self, row: StatRow, year: int) -> str:
        """The label of a state read row by row, in the figures for ``year``."""
        return self.label(self.values(row), year)


def _joined(values: tuple[Any, ...], year: int) -> str:
    # A state read row by row carries the number and name joined already ("0301 Oslo").
    return " ".join(str(v) for v in values)


def _ukraina(values: tuple[Any, ...], year: int) -> str:
    kap6a = values[0] == Regime.INTEGRERINGSLOVEN_KAP6A
    return gettext_noop("Ukraina (kap. 6A)") if kap6a else gettext_noop("Andre")


_KOMMUNE_LABEL = "JOIN {k} k ON k.id = g.grp"
_PERSON = "JOIN {pe} pe ON pe.id = s.person_id"
DIMENSIONS: Mapping[str, Dimension] = {
    "kommune": Dimension(
        _("Kommune"),
        lambda r: (r.kommune,),
        _joined,
        "s.kommune_id",
        "k.number, k.display_name",
        label_join=_KOMMUNE_LABEL,
    ),
    "fylke": Dimension(
        _("Fylke"),
        lambda r: (r.county,),
        _joined,
        "s.kommune_id",
        "k.county_number, k.county_name",
        label_join=_KOMMUNE_LABEL,
    ),
    "regime": Dimension(
        _("Lovverk"),
        lambda r: (r.regime,),
        lambda v, y: PUBLISHED_REGIMES.get(v[0], v[0]),
        "s.regime",
    ),
    "ukraina": Dimension(
        _("Ukraina (kap. 6A) og andre"), lambda r: (r.regime,), _ukraina, "s.regime"
    ),
    "kjonn": Dimension(
        _("Kjønn"),
        lambda r: (r.sex,),
        lambda v, y: PUBLISHED_SEXES.get(v[0], v[0]),
        "pe.sex",
        join=_PERSON,
    ),
    # Age on 31 December: by then everyone has had this year's birthday, so the age is the
    # difference of the years, which SQL can group by.
    "alder": Dimension(
        _("Aldersgruppe 31.12."),
        lambda r: (r.birth_date.year,),
        lambda v, y: age_band_of(y - v[0]),
        "{birth_year}",
        join=_PERSON,
    ),
}

OUTCOME_COLUMNS = ("Arbeid eller utdanning", "Annet", "Ikke registrert", "Holdt utenfor")


def outcome_column(reason: str) -> str:
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
    COUNTING_IMDI: gettext_noop("IMDis telling: hver avslutning i året"),
    COUNTING_SSB: gettext_noop(
        "SSBs avgangskohort: hver person én gang, i året for siste avslutning"
    ),
}
# What every export of figures states on each row: the counting, and the cut-off day the
# register is read at, or «nå» for the register as it stands.
BASIS_COLUMNS = (_("Telling"), _("Frist for tallene"))
NOW_NB = gettext_noop("nå")


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


def year_figures_now(year: int, dimension: str, counting: str = COUNTING_IMDI) -> YearFigures:
    """The figures the tests count row by row from every state now, grouped in the
    database: one query, whatever the size of the register, read from the index
    ``participation_kommune_end`` alone where the dimension is the municipality."""
    db = connections[router.db_for_read(Participation)]
    return _grouped_figures(db, current_states_sql(), {}, year, dimension, counting)


def year_figures_as_of(
    year: int, dimension: str, at: dt.datetime, counting: str = COUNTING_IMDI
) -> YearFigures:
    """The figures the tests count row by row from the states at ``at``: the states at
    the instant ``at`` reconstructed from the history and grouped in the database, one
    query whatever the size of the register."""
    db = connections[router.db_for_read(HistoryEvent)]
    states, params = states_sql(db, at, started_by=dt.date(year, 12, 31))
    return _grouped_figures(db, states, params, year, dimension, counting)


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
        states = last_endings_only_sql(states)
    spec = DIMENSIONS[dimension]
    tables = {"k": Kommune._meta.db_table, "pe": Person._meta.db_table}
    birth_year = dialect_sql(db)["birth_year"].format(col="pe.birth_date")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    params = {
        **params,
        "first": db.ops.adapt_datefield_value(first),
        "last": db.ops.adapt_datefield_value(last),
    }
    query = f"""
        SELECT {spec.label_columns}, g.reason_in_year, g.n, g.starts
        FROM (
            SELECT {spec.key.format(birth_year=birth_year)} AS grp,
                   CASE WHEN s.end_date >= %(first)s AND s.end_date <= %(last)s
                             AND s.reason <> '' THEN s.reason ELSE '' END AS reason_in_year,
                   COUNT(*) AS n,
                   SUM(CASE WHEN s.start_date >= %(first)s THEN 1 ELSE 0 END) AS starts
            FROM ({states}) s {spec.join.format(**tables)}
            WHERE s.start_date <= %(last)s AND (s.end_date IS NULL OR s.end_date >= %(first)s)
            GROUP BY 1, 2
        ) g {spec.label_join.format(**tables)}
    """  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(query, params)
        grouped = cursor.fetchall()
    figures = figures_from_groups(
        year, dimension, ((spec.label(tuple(g[:-3]), year), *g[-3:]) for g in grouped)
    )
    return dataclasses.replace(figures, counting=counting)


def figures_from_groups(
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
            ends[(label, outcome_column(reason))] += n
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
