"""Varied synthetic registers as the statistics read them, without a database: the demo's
generator over every municipality, at several sizes."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from nir.register.figure_states import StatRow
from nir.register.kommuner import read_kommuner_2024
from nir.register.publication import StatisticsGroup, UkrainaGroup
from nir.register.statistics import DIMENSIONS
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from nir.rules.termination import TERMINATION_REASONS


def stat_rows(
    participants: int, *, seed: int, today: dt.date = dt.date(2026, 11, 1)
) -> list[StatRow]:
    kommuner = {k.number: k for k in read_kommuner_2024()}
    register = SyntheticRegister(today=today, config=DEFAULT_CONFIG, seed=seed)
    rng = random.Random(seed)
    reasons = sorted(TERMINATION_REASONS)
    rows = []
    plan = register.kommune_plan(sorted(kommuner), participants)
    for n, item in enumerate(register.participations(plan)):
        k = kommuner[item.kommune_number]
        end, reason = None, ""
        if item.termination is not None:
            end, reason = item.termination[0], item.termination[1]
        elif rng.random() < 0.25:
            # Ended by the register or otherwise, with a reason from every outcome.
            end = item.start_date + dt.timedelta(days=rng.randint(60, 900))
            reason = rng.choice(reasons) if end <= today else ""
            if end > today:
                end = None
        rows.append(
            StatRow(
                n,
                f"{k.number} {k.display_name}",
                f"{k.county_number} {k.county_name}",
                item.regime.value,
                item.start_date,
                end,
                reason,
                item.sex,
                item.birth_date,
            )
        )
    return rows


def ukraina_groups_of_rows(
    rows: Iterable[StatRow],
    first: dt.date,
    last: dt.date,
    dimensions: Sequence[Callable[[StatRow], str]],
) -> list[UkrainaGroup]:
    """The reference for the report's grouping in SQL: the month's states read row by row,
    as the report read them before (each row's labels, the measures it counts in)."""
    counts: Counter[tuple[tuple[str, ...], str, int]] = Counter()
    for row in rows:
        labels = tuple(key(row) for key in dimensions)
        ended = row.end is not None and first <= row.end <= last
        reason = TERMINATION_REASONS[row.reason].label_nb if ended and row.reason else ""
        if row.start <= last and (row.end is None or row.end > last):
            counts[(labels, reason, 0)] += 1
        if first <= row.start <= last:
            counts[(labels, reason, 1)] += 1
        if ended:
            counts[(labels, reason, 2)] += 1
    keys = {(labels, reason) for labels, reason, _ in counts}
    return [
        UkrainaGroup(
            labels,
            reason,
            (counts[(labels, reason, 0)], counts[(labels, reason, 1)], counts[(labels, reason, 2)]),
        )
        for labels, reason in keys
    ]


def statistics_groups_of_rows(rows: Iterable[StatRow], year: int) -> list[StatisticsGroup]:
    """The reference for the release's grouping in SQL: the states read row by row, as the
    release read them before (each row's labels in every dimension, and its ending)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    participants: Counter[tuple[tuple[str, ...], str]] = Counter()
    starts: Counter[tuple[tuple[str, ...], str]] = Counter()
    for row in rows:
        if row.start > last or (row.end is not None and row.end < first):
            continue
        labels = tuple(spec.of(row, year) for spec in DIMENSIONS.values())
        ended = row.end is not None and row.end <= last and row.reason
        key = (labels, row.reason if ended else "")
        participants[key] += 1
        starts[key] += row.start >= first
    return [
        StatisticsGroup(labels, reason, n, starts[(labels, reason)])
        for (labels, reason), n in participants.items()
    ]
