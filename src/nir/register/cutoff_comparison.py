"""The year's figures at IMDi's annual cut-off against the register now.

The figures at the cut-off are the ones stored when it passed (``stored_figures``); the
figures now are those plus what changed after the cut-off: the participations whose
termination changed after it and those registered after it, read from the history events
after the cut-off instant (their indexes), never a rebuild of both. Until a year's figures
are stored, both sides are counted from the register. Every change that touches the year
is listed as a correction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router

from nir.register.cutoffs import annual_cutoff
from nir.register.figure_states import StatRow, date_of, states_sql
from nir.register.models import HistoryEvent, Kommune, Participation, Person
from nir.register.statistics import (
    DIMENSIONS,
    YearFigures,
    end_of_day,
    figures_from_groups,
    year_figures_as_of,
    year_figures_now,
)
from nir.register.stored_figures import stored_row, stored_year_figures


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


@dataclass(frozen=True, slots=True)
class Change:
    """A participation whose state at the cut-off differs from its state now: its labels
    (as a state; its termination is the one now), when it started, and its termination
    then (``None``: not registered by the cut-off) and now."""

    state: StatRow
    then: tuple[dt.date | None, str] | None
    now: tuple[dt.date | None, str]


def compare_with_cutoff(year: int, dimension: str = "kommune") -> CutoffComparison:
    """The year's figures as published at the cut-off, as they would be now, and every
    correction made after the cut-off that touches the year. With the figures stored at
    the cut-off: three queries (the cut-off, the stored figures, the changes after it),
    whatever the size of the register; before they are stored, the figures then and now
    are counted in two more."""
    cutoff = annual_cutoff(year)
    at = end_of_day(cutoff.day)
    changes = changes_after(at, started_by=dt.date(year, 12, 31))
    stored = stored_row(year, cutoff=cutoff)
    if stored is None:
        then = year_figures_as_of(year, dimension, at)
        now = year_figures_now(year, dimension)
    else:
        then = dataclasses.replace(stored_year_figures(stored, dimension), cutoff=None)
        groups = ((g[0], g[1], g[2], g[3]) for g in stored.figures[dimension])
        now = figures_from_groups(year, dimension, _with_changes(groups, changes, year, dimension))
    return CutoffComparison(year, at, then, now, _corrections(changes, year))


def _counted(
    label: str, start: dt.date, end: dt.date | None, reason: str, year: int, sign: int
) -> tuple[str, str, int, int] | None:
    """A state's group in the year's figures (as ``statistics._grouped_figures`` counts
    it), counted ``sign`` times; None where it is not in the programme in the year."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if start > last or (end is not None and end < first):
        return None
    ended = reason if end is not None and first <= end <= last else ""
    return (label, ended, sign, sign if start >= first else 0)


def _with_changes(
    groups: Iterable[tuple[str, str, int, int]],
    changes: Iterable[Change],
    year: int,
    dimension: str,
) -> list[tuple[str, str, int, int]]:
    """The groups at the cut-off with each change's state then taken out and now put in."""
    spec = DIMENSIONS[dimension]
    counts: dict[tuple[str, str], list[int]] = {}
    moved = list(groups)
    for change in changes:
        label = spec.of(change.state, year)
        start = change.state.start
        if change.then is not None:
            moved.append(_counted(label, start, *change.then, year, -1) or (label, "", 0, 0))
        moved.append(_counted(label, start, *change.now, year, 1) or (label, "", 0, 0))
    for label, reason, n, starts in moved:
        count = counts.setdefault((label, reason), [0, 0])
        count[0] += n
        count[1] += starts
    return [(label, reason, n, s) for (label, reason), (n, s) in counts.items() if n]


def _corrections(changes: Iterable[Change], year: int) -> list[Correction]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def touches_year(start: dt.date, end: dt.date | None) -> bool:
        return start <= last and (end is None or end >= first)

    corrections = []
    for change in changes:
        start = change.state.start
        created = change.then is not None
        then = change.then if change.then is not None else (None, "")
        touches = touches_year(start, change.now[0]) or (created and touches_year(start, then[0]))
        if touches and (not created or then != change.now):
            corrections.append(
                Correction(change.state.participation_id, change.state.kommune, then, change.now)
            )
    return corrections


def changes_after(at: dt.datetime, *, started_by: dt.date) -> list[Change]:
    """Participations started by ``started_by`` whose state at the instant ``at`` differs
    from their state now: terminations changed after it, and participations registered
    after it. One query, driven by the history events after ``at``."""
    db = connections[router.db_for_read(HistoryEvent)]
    changed, params = states_sql(db, at, changed_only=True, started_by=started_by)
    missing, more = states_sql(db, at, created=False, started_by=started_by)
    params |= more
    columns = (
        "s.id, k.number, k.display_name, k.county_number, k.county_name, s.regime, "
        "pe.sex, pe.birth_date, s.start_date, s.end_date, s.reason, s.end_now, s.reason_now"
    )
    joins = (
        f"JOIN {Kommune._meta.db_table} k ON k.id = s.kommune_id "
        f"JOIN {Person._meta.db_table} pe ON pe.id = s.person_id"
    )
    query = f"""
        SELECT {columns}, 1 FROM ({changed}) s {joins}
        UNION ALL
        SELECT {columns}, 0 FROM ({missing}) s {joins}
        ORDER BY 1
    """  # noqa: S608
    changes = []
    with db.cursor() as cursor:
        cursor.execute(query, params)
        for pk, number, name, county_number, county, regime, sex, birth, *rest in cursor:
            began, end, reason, end_now, reason_now, created = rest
            now = (date_of(end_now), reason_now or "")
            state = StatRow(
                pk,
                f"{number} {name}",
                f"{county_number} {county}",
                regime,
                date_of(began) or dt.date.max,  # start_date is never null
                now[0],
                now[1],
                sex,
                date_of(birth) or dt.date.min,
            )
            then = (date_of(end), reason or "") if created else None
            changes.append(Change(state, then, now))
    return changes


def corrections_in(corrections: list[Correction], kommune: Kommune | None) -> list[Correction]:
    """The corrections of one municipality (as the list names it, ``Kommune.__str__``), or
    all of them."""
    if kommune is None:
        return corrections
    return [c for c in corrections if c.kommune == str(kommune)]


def persons_of(participation_ids: Iterable[int]) -> list[int]:
    """The persons behind participations, for the access log of a page that lists them."""
    return list(
        Participation.objects.filter(pk__in=list(participation_ids))
        .values_list("person_id", flat=True)
        .distinct()
    )
