"""The year's figures at IMDi's annual cut-off against the register now.

The figures at the cut-off are the ones stored when it passed (``stored_figures``); the
figures now are those plus what changed after the cut-off: the participations whose
termination changed after it and those registered after it, read from the history events
after the cut-off instant (their indexes), never a rebuild of both. Until a year's figures
are stored, both sides are counted from the register. Every change that bears on the
year's figures is listed as a correction; an ending after the year, of a participation open
through it then and now, is not one (``bearing_on_year``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from nir.register.cutoffs import annual_cutoff
from nir.register.figure_states import StatRow, date_of, dialect_sql, in_list, states_sql
from nir.register.models import (
    CREATION_ACTIONS,
    PERSON_UPDATED_ACTION,
    HistoryEvent,
    Kommune,
    Participation,
    Person,
)
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
    then (``None``: not registered by the cut-off) and now. ``labels_then``: the state with
    the person's sex and birth date as they stood at the cut-off, where a correction after
    it moved the participation to another row of the figures."""

    state: StatRow
    then: tuple[dt.date | None, str] | None
    now: tuple[dt.date | None, str]
    labels_then: StatRow | None = None


def compare_with_cutoff(year: int, dimension: str = "kommune") -> CutoffComparison:
    """The year's figures as published at the cut-off, as they would be now, and every
    correction made after the cut-off that bears on the year's figures. With the figures
    stored at the cut-off: three queries (the cut-off, the stored figures, the changes
    after it), whatever the size of the register; before they are stored, the figures then
    and now are counted in two more."""
    cutoff = annual_cutoff(year)
    at = end_of_day(cutoff.day)
    changes = changes_after(at, year_end=dt.date(year, 12, 31))
    stored = stored_row(year, cutoff=cutoff)
    if stored is None:
        then = year_figures_as_of(year, dimension, at)
        now = year_figures_now(year, dimension)
    else:
        then = dataclasses.replace(stored_year_figures(stored, dimension), cutoff=None)
        groups = ((g[0], g[1], g[2], g[3]) for g in stored.figures[dimension])
        now = figures_from_groups(year, dimension, _with_changes(groups, changes, year, dimension))
    return CutoffComparison(year, at, then, now, _corrections(changes, year))


def bearing_on_year(
    start: dt.date, end: dt.date | None, reason: str, year: int
) -> tuple[dt.date, str] | bool:
    """What a state says to the year's figures: not in the programme in the year
    (False), in it and not ended in it (True), or ended in it, with its reason."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if start > last or (end is not None and end < first):
        return False
    return True if end is None or end > last else (end, reason)


def _counted(
    label: str, start: dt.date, end: dt.date | None, reason: str, year: int, sign: int
) -> tuple[str, str, int, int] | None:
    """A state's group in the year's figures (as ``statistics._grouped_figures`` counts
    it), counted ``sign`` times; None where it is not in the programme in the year."""
    bearing = bearing_on_year(start, end, reason, year)
    if bearing is False:
        return None
    ended = bearing[1] if isinstance(bearing, tuple) else ""
    return (label, ended, sign, sign if start >= dt.date(year, 1, 1) else 0)


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
            was = spec.of(change.labels_then or change.state, year)
            moved.append(_counted(was, start, *change.then, year, -1) or (was, "", 0, 0))
        moved.append(_counted(label, start, *change.now, year, 1) or (label, "", 0, 0))
    for label, reason, n, starts in moved:
        count = counts.setdefault((label, reason), [0, 0])
        count[0] += n
        count[1] += starts
    return [(label, reason, n, s) for (label, reason), (n, s) in counts.items() if n]


def _corrections(changes: Iterable[Change], year: int) -> list[Correction]:
    """The changes that bear on the year's figures: a participation registered after the
    cut-off that was in the programme in the year, or one whose state changed as the year
    sees it (an ending in the year moved, undone, given another reason or added; an end
    moved into or out of the year). An end registered after the year, of a participation
    open through it then and now, is no correction of the year."""
    corrections = []
    for change in changes:
        state = change.state
        now = bearing_on_year(state.start, *change.now, year)
        then = False if change.then is None else bearing_on_year(state.start, *change.then, year)
        if now != then:
            at_cutoff = change.then if change.then is not None else (None, "")
            corrections.append(
                Correction(state.participation_id, state.kommune, at_cutoff, change.now)
            )
    return corrections


_COLUMNS = (
    "s.id, k.number, k.display_name, k.county_number, k.county_name, s.regime, "
    "pe.sex, pe.birth_date, s.start_date, s.end_date, s.reason, s.end_now, s.reason_now"
)
_JOINS = (
    f"JOIN {Kommune._meta.db_table} k ON k.id = s.kommune_id "
    f"JOIN {Person._meta.db_table} pe ON pe.id = s.person_id"
)
# What a row of the query says: a termination changed after the moment, a participation
# registered after it, or a person's sex or birth date corrected after it.
CHANGED, REGISTERED, RELABELLED = 1, 0, 2
# A row without corrected facts; typed, as PostgreSQL matches a UNION's columns by type.
_NO_LABELS = "CAST(NULL AS text), CAST(NULL AS date)"


def _relabelled_sql(db: BaseDatabaseWrapper) -> str:
    """The participations (started by ``started_by``, registered by ``at``) of the persons
    whose sex or birth date was corrected after ``at``, with those facts as they stood
    then: the state before the first such correction. Driven by the corrections after
    the moment (their index), so an unchanged register is not read."""
    j = dialect_sql(db)
    history, table = HistoryEvent._meta.db_table, Participation._meta.db_table

    def differs(key: str) -> str:
        was, now = j["text"].format(col="before", key=key), j["text"].format(col="after", key=key)
        return f"{was} <> {now}"

    corrected = f"""
        SELECT person_id, {j["text"].format(col="before", key="sex")} AS sex_then,
               {j["date"].format(col="before", key="birth_date")} AS birth_then,
               ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY occurred_at, id) AS n
        FROM {history}
        WHERE action = '{PERSON_UPDATED_ACTION}' AND occurred_at > %(at)s
          AND ({differs("sex")} OR {differs("birth_date")})
    """  # noqa: S608
    return f"""
        SELECT p.id, p.kommune_id, p.person_id, p.regime, p.start_date,
               p.end_date, p.termination_reason AS reason,
               p.end_date AS end_now, p.termination_reason AS reason_now,
               c.sex_then, c.birth_then
        FROM ({corrected}) c JOIN {table} p ON p.person_id = c.person_id
        WHERE c.n = 1 AND p.start_date <= %(started_by)s
          AND EXISTS (SELECT 1 FROM {history} e WHERE e.participation_id = p.id
              AND e.action IN {in_list(CREATION_ACTIONS)} AND e.occurred_at <= %(at)s)
    """  # noqa: S608


def changes_after(at: dt.datetime, *, year_end: dt.date) -> list[Change]:
    """The participations whose state at the instant ``at`` may differ from their state
    now as figures to ``year_end`` see it, all started by then: terminations changed after
    it to or from an end by ``year_end`` (one open through the year then and now is the
    same to its figures), participations registered after it, and participations whose
    person's sex or birth date was corrected after it. One query, driven by the history
    events after ``at`` through their indexes."""
    db = connections[router.db_for_read(HistoryEvent)]
    changed, params = states_sql(db, at, changed_only=True, started_by=year_end, ended_by=year_end)
    missing, more = states_sql(db, at, created=False, started_by=year_end)
    params |= more
    query = f"""
        SELECT {_COLUMNS}, {CHANGED}, {_NO_LABELS} FROM ({changed}) s {_JOINS}
        UNION ALL
        SELECT {_COLUMNS}, {REGISTERED}, {_NO_LABELS} FROM ({missing}) s {_JOINS}
        UNION ALL
        SELECT {_COLUMNS}, {RELABELLED}, s.sex_then, s.birth_then
        FROM ({_relabelled_sql(db)}) s {_JOINS}
        ORDER BY 1
    """  # noqa: S608
    changes: dict[int, Change] = {}
    relabelled: dict[int, tuple[StatRow, StatRow]] = {}
    with db.cursor() as cursor:
        cursor.execute(query, params)
        for pk, number, name, county_number, county, regime, sex, birth, *rest in cursor:
            began, end, reason, end_now, reason_now, kind, sex_then, birth_then = rest
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
            if kind == RELABELLED:
                then_labels = dataclasses.replace(
                    state, sex=sex_then or "", birth_date=date_of(birth_then) or dt.date.min
                )
                relabelled[pk] = (state, then_labels)
                continue
            then = (date_of(end), reason or "") if kind == CHANGED else None
            changes[pk] = Change(state, then, now)
    for pk, (state, then_labels) in relabelled.items():
        # Its termination unchanged after the moment: as it stands now, it stood then.
        found = changes.get(pk) or Change(
            state, (state.end, state.reason), (state.end, state.reason)
        )
        changes[pk] = dataclasses.replace(found, labels_then=then_labels)
    return [changes[pk] for pk in sorted(changes)]


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
