"""The figures IMDi publishes (rules.md §6 and §8), as the register stands now or as it stood
at a moment in the past, such as the annual cut-off.

A participation's state at a past moment is read from its history: it counts only if it was
created by then, and where its termination changed afterwards, the state before the first
later change is the one that held. So the figures for a year can be reproduced exactly after
later corrections, and the corrections themselves can be listed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear

from nir.register.models import HistoryEvent, Participation
from nir.rules.disclosure import TOTAL, SuppressedTable, suppress
from nir.rules.goal_attainment import (
    GoalAttainment,
    compute_goal_attainment,
    goal_attainment_from_counts,
)
from nir.rules.regime import Regime, age_on
from nir.rules.registration_window import annual_cutoff
from nir.rules.termination import TERMINATION_REASONS, OutcomeClass

OSLO = ZoneInfo("Europe/Oslo")
CREATION_ACTIONS = ("participation_created", "participation_seeded")
TERMINATION_ACTIONS = (
    "automatic_termination_end",
    "automatic_termination_lift",
    "automatic_termination_move",
    "termination_registered",
    "termination_replaced_automatic",
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
        ) in rows.iterator(chunk_size=5000)
    }


def states_as_of(moment: dt.datetime, *, regime: str | None = None) -> dict[int, StatRow]:
    """Every participation as it stood at ``moment``, read back through its history."""
    rows = states_now(regime=regime)
    created = set(
        HistoryEvent.objects.filter(action__in=CREATION_ACTIONS, occurred_at__lte=moment)
        .values_list("participation_id", flat=True)
        .iterator(chunk_size=5000)
    )
    rows = {pk: row for pk, row in rows.items() if pk in created}
    later = (
        HistoryEvent.objects.filter(
            action__in=TERMINATION_ACTIONS, occurred_at__gt=moment, participation_id__in=rows.keys()
        )
        .order_by("participation_id", "occurred_at", "id")
        .values_list("participation_id", "before")
    )
    undone: set[int] = set()
    for pk, before in later.iterator(chunk_size=5000):
        if pk in undone or pk is None or before is None:
            continue
        undone.add(pk)
        rows[pk] = replace(
            rows[pk],
            end=_date(before.get("end_date")),
            reason=before.get("termination_reason") or "",
        )
    return rows


def cutoff_moment(year: int) -> dt.datetime:
    """The end of the last day of February of the year after (Oslo time)."""
    day = annual_cutoff(year) + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=OSLO)


AGE_BANDS = ((18, 25, "18–25"), (26, 35, "26–35"), (36, 45, "36–45"), (46, 55, "46–55"))


def age_band(birth_date: dt.date, on: dt.date) -> str:
    age = age_on(birth_date, on)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "56+" if age > 55 else "under 18"


SEX_LABELS = {"kvinne": "Kvinner", "mann": "Menn", "ukjent": "Ukjent"}
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
    if outcome is OutcomeClass.EXCLUDED:
        return OUTCOME_COLUMNS[3]
    return OUTCOME_COLUMNS[1]


@dataclass(frozen=True)
class YearFigures:
    year: int
    dimension: str
    rows: tuple[str, ...]
    participants: Mapping[str, int]
    starts: Mapping[str, int]
    ends_by_outcome: Mapping[tuple[str, str], int]
    attainment: Mapping[str, GoalAttainment]  # TOTAL included

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


def year_figures_now(year: int, dimension: str) -> YearFigures:
    """The same figures as ``year_figures(states_now().values(), ...)``, grouped in the
    database: one query, whatever the size of the register."""
    fields, label_of = _GROUPED[dimension]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ended_in_year = Q(end_date__gte=first, end_date__lte=last) & ~Q(termination_reason="")
    rows = (
        Participation.objects.filter(start_date__lte=last)
        .exclude(end_date__lt=first)
        .annotate(
            birth_year=ExtractYear("person__birth_date"),
            reason_in_year=Case(
                When(ended_in_year, then=F("termination_reason")), default=Value("")
            ),
        )
        .values(*fields, "reason_in_year")
        .annotate(n=Count("pk"), starts=Count("pk", filter=Q(start_date__gte=first)))
        .order_by()
    )
    participants: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[tuple[str, str]] = Counter()
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        label = label_of(tuple(row[f] for f in fields), year)
        participants[label] += row["n"]
        starts[label] += row["starts"]
        reason = row["reason_in_year"]
        if reason:
            ends[(label, _outcome_column(reason))] += row["n"]
            reasons[label][reason] += row["n"]
            reasons[TOTAL][reason] += row["n"]
    labels = tuple(sorted(participants))
    attainment = {label: goal_attainment_from_counts(reasons[label]) for label in (*labels, TOTAL)}
    return YearFigures(year, dimension, labels, participants, starts, ends, attainment)


def figures_for(year: int, dimension: str, *, at_cutoff: bool) -> YearFigures:
    """The year's figures as the register stands now (grouped in SQL), or as it stood at the
    annual cut-off (read back through the history)."""
    if at_cutoff:
        return year_figures(states_as_of(cutoff_moment(year)).values(), year, dimension)
    return year_figures_now(year, dimension)


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
    attainment = {label: compute_goal_attainment(reasons[label]) for label in (*labels, TOTAL)}
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
    correction made after the cut-off that touches the year."""
    moment = cutoff_moment(year)
    then = states_as_of(moment)
    now = states_now()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def touches_year(row: StatRow | None) -> bool:
        return row is not None and row.start <= last and (row.end is None or row.end >= first)

    corrections = [
        Correction(
            pk,
            row.kommune,
            (then[pk].end, then[pk].reason) if pk in then else (None, ""),
            (row.end, row.reason),
        )
        for pk, row in now.items()
        if (touches_year(row) or touches_year(then.get(pk)))
        and (pk not in then or (then[pk].end, then[pk].reason) != (row.end, row.reason))
        and (pk in then or row.start <= last)
    ]
    return CutoffComparison(
        year,
        moment,
        year_figures(then.values(), year, dimension),
        year_figures(now.values(), year, dimension),
        corrections,
    )
