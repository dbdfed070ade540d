"""One protection for everything a release publishes (rules.md §8).

A release is every table published for one period and one moment: the year's statistics in
every dimension as the register stands now, or as it stood at the cut-off; one month of the
Ukraina report. Each is built from the same participations, as a model matrix over the
finest cross-classification behind all its tables (municipality, regime, sex, age band and
measure), its inner cells grouped in the database (as many rows as there are groups,
not participants), and protected at once by ``nir.rules.linked_suppression``. The pattern is kept in
``PublishedRelease``: a cell hidden once stays hidden in every later publication of the
release, and what was published before is published first again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from nir.register.cutoffs import annual_cutoff
from nir.register.figure_states import (
    StatRow,
    current_states_sql,
    dialect_sql,
    last_endings_only_sql,
    states_sql,
)
from nir.register.figures_models import PublishedRelease
from nir.register.models import HistoryEvent, Kommune, Person
from nir.register.statistics import (
    COUNTING_IMDI,
    COUNTING_SSB,
    DIMENSIONS,
    OUTCOME_COLUMNS,
    PublishedFigures,
    YearFigures,
    end_of_day,
    figures_from_groups,
    outcome_column,
)
from nir.register.stored_figures import stored_statistics
from nir.rules.disclosure import TOTAL, SuppressedTable
from nir.rules.linked_suppression import Protection, ProtectionConfig, Release, protect

CellKey = tuple[str, ...]
ANTALL = "Antall"
PARTICIPANTS, STARTS, ENDS = "deltakere", "startet", "avsluttet"


class ReleaseBuilder:
    """Inner cells (by their key) and published cells (each the inner cells it sums)."""

    def __init__(self) -> None:
        self.index: dict[Hashable, int] = {}
        self.inner: list[int] = []
        self.cells: dict[CellKey, set[int]] = {}

    def count(self, inner_key: Hashable, n: int = 1) -> int:
        i = self.index.get(inner_key)
        if i is None:
            i = self.index[inner_key] = len(self.inner)
            self.inner.append(0)
        self.inner[i] += n
        return i

    def add(self, cell: CellKey, inner: int) -> None:
        self.cells.setdefault(cell, set()).add(inner)

    def declare(self, cell: CellKey) -> None:
        """A published cell that may be empty (a published zero)."""
        self.cells.setdefault(cell, set())

    def release(self) -> Release:
        return Release(tuple(self.inner), {k: frozenset(v) for k, v in self.cells.items()})


def _encode(cell: Hashable) -> str:
    assert isinstance(cell, tuple)  # the cells of a release are named by tuples of text
    return "\x1f".join(cell)


def _fingerprint(release: Release, config: ProtectionConfig) -> str:
    digest = hashlib.sha256(repr((config.min_shown, config.interval)).encode())
    for name, key in sorted((_encode(k), k) for k in release.cells):
        digest.update(name.encode())
        digest.update(str(release.value(key)).encode())
    return digest.hexdigest()


def protection_config() -> ProtectionConfig:
    return ProtectionConfig(interval=settings.NIR_PROTECTION_INTERVAL)


def protected(key: str, release: Release, config: ProtectionConfig | None = None) -> Protection:
    """The release protected together with what was published of it before, and the
    pattern kept for the next time. Unchanged counts reuse the kept pattern as it is."""
    config = config or protection_config()
    fingerprint = _fingerprint(release, config)
    # The pattern is written where writes go, also from pages that read from a replica.
    db = router.db_for_write(PublishedRelease)
    with transaction.atomic(using=db):
        stored = PublishedRelease.objects.using(db).select_for_update().filter(key=key).first()
        hidden_before = set(stored.hidden) if stored else set()
        published_before = set(stored.published) if stored else set()
        if stored is not None and stored.fingerprint == fingerprint:
            values = {k: release.value(k) for k in release.cells}
            hidden = frozenset(k for k in release.cells if _encode(k) in hidden_before)
            primary = frozenset(k for k in hidden if 0 < values[k] < config.min_shown)
            return Protection(values, primary, hidden - primary)
        result = protect(
            release,
            config,
            previously_hidden={k for k in release.cells if _encode(k) in hidden_before},
            previously_published={k for k in release.cells if _encode(k) in published_before},
        )
        hidden_all = {_encode(c) for c in result.hidden} | hidden_before
        published_all = {_encode(c) for c in release.cells if c not in result.hidden}
        PublishedRelease.objects.using(db).update_or_create(
            key=key,
            defaults={
                "hidden": sorted(hidden_all),
                "published": sorted((published_all | published_before) - hidden_all),
                "fingerprint": fingerprint,
                "protected_at": timezone.now(),
            },
        )
    return result


# --- The year's statistics -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatisticsGroup:
    """The year's participants who share every dimension's label and the reason they ended
    for in the year ("" if none): how many they are, and how many of them started in it."""

    labels: tuple[str, ...]  # one per dimension, in the order of ``DIMENSIONS``
    reason: str
    participants: int
    starts: int


def statistics_groups(
    db: BaseDatabaseWrapper, states: str, params: dict[str, Any], year: int
) -> list[StatisticsGroup]:
    """The year's participants among a subquery of states (``states_sql``), grouped in the
    database by the finest cross-classification behind every dimension: one query, as
    many rows as there are groups, not participants."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    birth_year = dialect_sql(db)["birth_year"].format(col="pe.birth_date")
    query = f"""
        SELECT k.number, k.display_name, k.county_number, k.county_name, g.regime, g.sex,
               g.birth_year, g.reason_in_year, g.n, g.starts
        FROM (
            SELECT s.kommune_id, s.regime, pe.sex, {birth_year} AS birth_year,
                   CASE WHEN s.end_date >= %(first)s AND s.end_date <= %(last)s
                             AND s.reason <> '' THEN s.reason ELSE '' END AS reason_in_year,
                   COUNT(*) AS n,
                   SUM(CASE WHEN s.start_date >= %(first)s THEN 1 ELSE 0 END) AS starts
            FROM ({states}) s JOIN {Person._meta.db_table} pe ON pe.id = s.person_id
            WHERE s.start_date <= %(last)s AND (s.end_date IS NULL OR s.end_date >= %(first)s)
            GROUP BY 1, 2, 3, 4, 5
        ) g JOIN {Kommune._meta.db_table} k ON k.id = g.kommune_id
    """  # noqa: S608
    params = {
        **params,
        "first": db.ops.adapt_datefield_value(first),
        "last": db.ops.adapt_datefield_value(last),
    }
    with db.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    # Several birth years share an age band: the groups are merged by their labels.
    counts: dict[tuple[tuple[str, ...], str], tuple[int, int]] = {}
    for number, name, county_number, county, regime, sex, born, reason, n, starts in rows:
        # The group as a state, for the dimensions' own labels: they read only these
        # fields, and of the birth date only its year.
        state = StatRow(
            0,
            f"{number} {name}",
            f"{county_number} {county}",
            regime,
            first,
            None,
            reason,
            sex,
            dt.date(int(born), 1, 1),
        )
        key = (tuple(spec.of(state, year) for spec in DIMENSIONS.values()), reason)
        before = counts.get(key, (0, 0))
        counts[key] = (before[0] + int(n), before[1] + int(starts or 0))
    return [
        StatisticsGroup(labels, reason, n, starts)
        for (labels, reason), (n, starts) in counts.items()
    ]


def statistics_release(
    groups: Iterable[StatisticsGroup], year: int
) -> tuple[Release, dict[str, YearFigures]]:
    """Every table of the year's statistics, in every dimension, as one release, and the
    figures of each dimension from the same groups."""
    groups = sorted(groups, key=lambda g: (g.labels, g.reason))
    figures = {
        dim: figures_from_groups(
            year, dim, ((g.labels[n], g.reason, g.participants, g.starts) for g in groups)
        )
        for n, dim in enumerate(DIMENSIONS)
    }
    builder = ReleaseBuilder()
    declare_cells(builder, {dim: fig.rows for dim, fig in figures.items()}, OUTCOME_COLUMNS)
    for group in groups:
        measures = [(PARTICIPANTS, ANTALL, group.participants), (STARTS, ANTALL, group.starts)]
        if group.reason:
            measures.append((ENDS, outcome_column(group.reason), group.participants))
        add_group_cells(builder, DIMENSIONS, group.labels, measures)
    return builder.release(), figures


def declare_cells(
    builder: ReleaseBuilder, rows: Mapping[str, Iterable[str]], end_columns: Sequence[str]
) -> None:
    """Every cell of a year's tables of participants, starts and ends (by ``end_columns``),
    one table per breakdown with ``rows`` as its rows, and the national ends."""
    for dim, labels in rows.items():
        for label in labels:
            builder.declare((PARTICIPANTS, dim, label, ANTALL))
            builder.declare((STARTS, dim, label, ANTALL))
            for column in (*end_columns, TOTAL):
                builder.declare((ENDS, dim, label, column))
    for column in (*end_columns, TOTAL):
        builder.declare((ENDS, "*", TOTAL, column))


def add_group_cells(
    builder: ReleaseBuilder,
    dimensions: Iterable[str],
    labels: tuple[str, ...],
    measures: Iterable[tuple[str, str, int]],
) -> None:
    """One group's counts (the inner cells) added to every table cell they sum into."""
    for measure, column, count in measures:
        if not count:
            continue
        i = builder.count((measure, column, labels), count)
        # The national total is one cell, however many tables repeat it.
        builder.add((measure, "*", TOTAL, column), i)
        for dim, label in zip(dimensions, labels, strict=True):
            builder.add((measure, dim, label, column), i)
            if measure == ENDS:
                builder.add((measure, dim, label, TOTAL), i)
        if measure == ENDS:
            builder.add((measure, "*", TOTAL, TOTAL), i)


def _table(
    protection: Protection, measure: str, dim: str, rows: Sequence[str], columns: Sequence[str]
) -> SuppressedTable:
    def key(r: str, c: str) -> CellKey:
        return (measure, "*" if r == TOTAL else dim, r, c)

    margins = (*columns, TOTAL) if len(columns) > 1 else tuple(columns)
    values: dict[tuple[str, str], int] = {}
    primary, secondary = set(), set()
    for r in (*rows, TOTAL):
        for c in margins:
            k = key(r, c)
            values[(r, c)] = protection.values.get(k, 0)
            if k in protection.primary:
                primary.add((r, c))
            elif k in protection.secondary:
                secondary.add((r, c))
    if len(columns) == 1:
        for r in (*rows, TOTAL):
            values[(r, TOTAL)] = values[(r, columns[0])]
            if (r, columns[0]) in primary | secondary:
                secondary.add((r, TOTAL))
    return SuppressedTable(
        tuple(rows), tuple(columns), values, frozenset(primary), frozenset(secondary)
    )


def published_statistics(
    year: int,
    *,
    at_cutoff: bool,
    config: ProtectionConfig | None = None,
    counting: str = COUNTING_IMDI,
) -> dict[str, PublishedFigures]:
    """The year's figures in every dimension, protected together (now or at the cut-off),
    counted IMDi's way or SSB's; each figure says which counting and cut-off it uses. At a
    cut-off that has passed they are the figures stored then (``stored_figures``), read
    back as they were published; otherwise they are counted from the register."""
    if at_cutoff and config is None:
        stored = stored_statistics(year, counting)
        if stored is not None:
            return stored
    return computed_statistics(year, at_cutoff=at_cutoff, config=config, counting=counting)[1]


def computed_statistics(
    year: int,
    *,
    at_cutoff: bool,
    config: ProtectionConfig | None = None,
    counting: str = COUNTING_IMDI,
) -> tuple[list[StatisticsGroup], dict[str, PublishedFigures]]:
    """The year's release counted from the register (grouped in the database) and
    protected, with the groups it was counted from: what the cut-off's figures are stored
    from."""
    cutoff = annual_cutoff(year).day if at_cutoff else None
    db = connections[router.db_for_read(HistoryEvent)]
    # Every state, also those started after the year: with SSB's counting a later
    # participation takes the ending from an earlier one.
    params: dict[str, Any] = {}
    if cutoff is None:
        states = current_states_sql(started_by_last=False)
    else:
        states, params = states_sql(db, end_of_day(cutoff))
    if counting == COUNTING_SSB:
        states = last_endings_only_sql(states)
    groups = statistics_groups(db, states, params, year)
    release, figures = statistics_release(groups, year)
    key = f"statistikk:{year}:{'frist' if at_cutoff else 'naa'}"
    if counting != COUNTING_IMDI:
        key += f":{counting}"
    protection = protected(key, release, config)
    return groups, {
        dim: PublishedFigures(
            figures=dataclasses.replace(fig, counting=counting, cutoff=cutoff),
            participants=_table(protection, PARTICIPANTS, dim, fig.rows, (ANTALL,)),
            starts=_table(protection, STARTS, dim, fig.rows, (ANTALL,)),
            ends=_table(protection, ENDS, dim, fig.rows, OUTCOME_COLUMNS),
        )
        for dim, fig in figures.items()
    }


def published_figures(
    year: int, dimension: str, *, at_cutoff: bool, counting: str = COUNTING_IMDI
) -> PublishedFigures:
    return published_statistics(year, at_cutoff=at_cutoff, counting=counting)[dimension]


# --- The Ukraina report's sheets -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UkrainaGroup:
    """The month's participants who share every sheet's label and the reason they ended
    for ("" if they did not end in the month), with how many of them count in each
    measure: in the programme at the end of the month, started in it, ended in it."""

    labels: tuple[str, ...]  # one per sheet, in the order of the sheets' titles
    reason: str
    counts: tuple[int, int, int]


def ukraina_release(
    groups: Iterable[UkrainaGroup],
    titles: Sequence[str],
    measures: Sequence[str],
    reason_labels: Sequence[str],
) -> Release:
    """The month's sheets as one release: each dimension's measures (one-column tables each,
    as the measures do not add up), the ends by reason, and the national totals. The inner
    cells are the groups by measure (and reason, for the ends)."""
    builder = ReleaseBuilder()
    ended = measures[2]
    groups = sorted(groups, key=lambda g: (g.labels, g.reason))
    # Every cell of every sheet is published, zeros too: declared before it is counted.
    for measure in measures:
        builder.declare(("*", TOTAL, measure))
        for n, title in enumerate(titles):
            for label in {g.labels[n] for g in groups}:
                builder.declare((title, label, measure))
    for label in (*reason_labels, TOTAL):
        builder.declare(("Avslutningsårsak", label, "Avsluttet"))
    for group in groups:
        for measure, count in zip(measures, group.counts, strict=True):
            if not count:
                continue
            reason = group.reason if measure == ended else ""
            i = builder.count((measure, reason, group.labels), count)
            builder.add(("*", TOTAL, measure), i)
            for title, label in zip(titles, group.labels, strict=True):
                builder.add((title, label, measure), i)
            if reason:
                builder.add(("Avslutningsårsak", reason, "Avsluttet"), i)
                builder.add(("Avslutningsårsak", TOTAL, "Avsluttet"), i)
    return builder.release()


def ukraina_table(
    protection: Protection, title: str, rows: Sequence[str], columns: Sequence[str]
) -> SuppressedTable:
    values: dict[tuple[str, str], int] = {}
    primary, secondary = set(), set()
    for r in (*rows, TOTAL):
        for c in columns:
            k = ("*", TOTAL, c) if r == TOTAL and title != "Avslutningsårsak" else (title, r, c)
            values[(r, c)] = protection.values.get(k, 0)
            if k in protection.primary:
                primary.add((r, c))
            elif k in protection.secondary:
                secondary.add((r, c))
    return SuppressedTable(
        tuple(rows), tuple(columns), values, frozenset(primary), frozenset(secondary)
    )
