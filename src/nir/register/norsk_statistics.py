"""IMDi's national figures for training in Norwegian and social studies (issue 16 §8): the
year's participants, starts, ends by reason and the share of ends reaching the norskmaal,
by municipality, county, regime, kap. 6A, sex and age band, grouped in SQL.

The breakdowns are the programme's own (``statistics.DIMENSIONS``, labelled by the same
``Dimension.of``), not a copy. Every table of the year is one release, protected with the
same linked suppression as the programme's (``rules.linked_suppression`` through
``publication.protected``): counts under five hidden, and enough other cells that none can
be computed, or bounded narrower than the protection interval, from all the published cells
together; the pattern is kept (``statistikk-norsk:<year>:naa``) so a later publication never
unlocks a hidden cell. The share reaching the norskmaal is published only where both its
cells are.

The hours are the hours of training registered for the year's ordninger whose period ends
in the year, per subject, rounded to whole hours. A sum of hours tells of the persons
behind it as a count does, so it is published exactly where the same row's participants
are: the hours table has the participants' pattern of hidden rows, the same linear
relations between its cells (the breakdowns' rows sum to one national total), and so no
hidden row's hours follow from the shown ones, as no hidden count does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from nir.register import labels as register_labels
from nir.register.figure_states import StatRow
from nir.register.models import Kommune
from nir.register.norsk_models import NorskHours, NorskParticipation
from nir.register.publication import (
    ANTALL,
    ENDS,
    PARTICIPANTS,
    STARTS,
    ReleaseBuilder,
    add_group_cells,
    declare_cells,
    protected,
)
from nir.register.publication import _table as suppressed_table  # the one table of a release
from nir.register.statistics import DIMENSIONS, age_band_stand_ins
from nir.rules.disclosure import TOTAL, SuppressedTable
from nir.rules.linked_suppression import ProtectionConfig, Release
from nir.rules.norsk.end_reasons import NORSK_END_REASONS, NORSKMAAL_NAADD
from nir.rules.norsk.hours import Subject

# The programme's breakdowns, every one: sex and the age band on 31 December as the
# programme's figures count them (``DIMENSIONS``' labels, one specification).
NORSK_DIMENSIONS = ("kommune", "fylke", "regime", "ukraina", "kjonn", "alder")
END_COLUMNS = tuple(r.label_nb for r in NORSK_END_REASONS.values())
NORSKMAAL_COLUMN = NORSK_END_REASONS[NORSKMAAL_NAADD].label_nb
# The hours table's columns: a subject each, by its label.
HOURS_COLUMNS = {s.value: str(register_labels.SUBJECTS[s.value]) for s in Subject}


@dataclass(frozen=True, slots=True)
class NorskGroup:
    """The year's ordninger sharing every breakdown's label and the reason they ended for
    in the year ("" if none)."""

    labels: tuple[str, ...]  # one per NORSK_DIMENSIONS
    reason: str
    participants: int
    starts: int
    hours: Mapping[str, Decimal]  # by subject: the hours registered whose period ends in the year


@dataclass(frozen=True)
class NorskFigures:
    year: int
    dimension: str
    participants: SuppressedTable
    starts: SuppressedTable
    ends: SuppressedTable  # by reason, with the row totals
    hours: SuppressedTable  # by subject (HOURS_COLUMNS), hidden where the participants are

    def norskmaal_share(self, row: str) -> Fraction | None:
        """Ends reaching the norskmaal of all ends in the row, where both cells are shown."""
        reached, ended = self.ends.shown(row, NORSKMAAL_COLUMN), self.ends.shown(row, TOTAL)
        if reached is None or not ended:
            return None
        return Fraction(reached, ended)


# The columns every group shares, read through the ordning (``prefix`` from another table).
# The municipality by its id: its number and names are joined to the groups afterwards.
_GROUP_COLUMNS = ("kommune_id", "regime", "person__sex")


def _age_band(last: dt.date, birth_date: str) -> Case:
    """The birth date standing for the age band on 31 December (``age_band_stand_ins``)."""
    pairs, oldest = age_band_stand_ins(last)
    whens = [When(**{f"{birth_date}__gt": born}, then=Value(band)) for born, band in pairs]
    return Case(*whens, default=Value(oldest), output_field=DateField())


def _in_groups(queryset: QuerySet[Any], first: dt.date, last: dt.date, prefix: str = "") -> Any:
    """The year's ordninger of ``queryset`` (reached through ``prefix``) by every group
    column, the age band and the reason they ended for in the year ("" if none)."""
    ended_in_year = Q(**{f"{prefix}end_date__gte": first, f"{prefix}end_date__lte": last}) & ~Q(
        **{f"{prefix}end_reason": ""}
    )
    return (
        queryset.filter(**{f"{prefix}start_date__lte": last})
        .filter(Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": first}))
        .annotate(
            reason_in_year=Coalesce(
                Case(When(ended_in_year, then=f"{prefix}end_reason"), output_field=CharField()),
                Value(""),
            ),
            band=_age_band(last, f"{prefix}person__birth_date"),
        )
        .values(*(f"{prefix}{c}" for c in _GROUP_COLUMNS), "band", "reason_in_year")
        .order_by()
    )


def _hours_by_group(first: dt.date, last: dt.date) -> dict[tuple[Any, ...], dict[str, Decimal]]:
    """The hours of each group's ordninger whose period ends in the year, by subject: one
    grouped pass over the year's hours, beside the pass over the ordninger."""
    prefix = "norsk_participation__"
    rows = _in_groups(
        NorskHours.objects.filter(end_date__gte=first, end_date__lte=last), first, last, prefix
    ).annotate(
        **{
            subject.value: Sum("hours", filter=Q(subject=subject.value), default=Decimal(0))
            for subject in Subject
        }
    )
    columns = [f"{prefix}{c}" for c in _GROUP_COLUMNS] + ["band", "reason_in_year"]
    return {
        tuple(r[c] for c in columns): {s.value: Decimal(r[s.value]) for s in Subject} for r in rows
    }


def norsk_groups(year: int) -> list[NorskGroup]:
    """Two grouped queries: the ordninger open during the year, and their hours."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = _in_groups(NorskParticipation.objects.all(), first, last).annotate(
        n=Count("pk"),
        starts=Sum(
            Case(When(start_date__gte=first, then=1), default=0, output_field=IntegerField())
        ),
    )
    hours = _hours_by_group(first, last)
    kommuner = {k.pk: k for k in Kommune.objects.all()}
    columns = [*_GROUP_COLUMNS, "band", "reason_in_year"]
    none = {s.value: Decimal(0) for s in Subject}
    merged: dict[tuple[tuple[str, ...], str], tuple[int, int]] = {}
    summed: dict[tuple[tuple[str, ...], str], dict[str, Decimal]] = {}
    for r in rows:
        group = tuple(r[c] for c in columns)
        kommune = kommuner[r["kommune_id"]]
        state = StatRow(
            0,
            f"{kommune.number} {kommune.display_name}",
            f"{kommune.county_number} {kommune.county_name}",
            r["regime"],
            first,
            None,
            r["reason_in_year"],
            r["person__sex"],
            r["band"],
        )
        labels = tuple(DIMENSIONS[d].of(state, year) for d in NORSK_DIMENSIONS)
        key = (labels, r["reason_in_year"])
        n, starts = merged.get(key, (0, 0))
        merged[key] = (n + int(r["n"]), starts + int(r["starts"] or 0))
        by_subject = summed.setdefault(key, dict(none))
        for subject, value in hours.get(group, none).items():
            by_subject[subject] += value
    return [
        NorskGroup(labels, reason, n, s, summed[(labels, reason)])
        for (labels, reason), (n, s) in merged.items()
    ]


def norsk_release(groups: Iterable[NorskGroup]) -> tuple[Release, dict[str, list[str]]]:
    """Every table of the year, in every breakdown, as one release; and each breakdown's
    rows."""
    groups = sorted(groups, key=lambda g: (g.labels, g.reason))
    rows = {d: sorted({g.labels[n] for g in groups}) for n, d in enumerate(NORSK_DIMENSIONS)}
    builder = ReleaseBuilder()
    declare_cells(builder, rows, END_COLUMNS)
    for group in groups:
        measures = [(PARTICIPANTS, ANTALL, group.participants), (STARTS, ANTALL, group.starts)]
        if group.reason:
            measures.append((ENDS, NORSK_END_REASONS[group.reason].label_nb, group.participants))
        add_group_cells(builder, NORSK_DIMENSIONS, group.labels, measures)
    return builder.release(), rows


def hours_by_row(groups: Iterable[NorskGroup], dim: str) -> dict[str, dict[str, Decimal]]:
    """The hours of each of the breakdown's rows and of the nation (TOTAL), by subject."""
    n = NORSK_DIMENSIONS.index(dim)
    sums: dict[str, dict[str, Decimal]] = {}
    for group in groups:
        for row in (group.labels[n], TOTAL):
            by_subject = sums.setdefault(row, {s: Decimal(0) for s in HOURS_COLUMNS})
            for subject, hours in group.hours.items():
                by_subject[subject] += hours
    return sums


def hours_table(
    participants: SuppressedTable, sums: Mapping[str, Mapping[str, Decimal]]
) -> SuppressedTable:
    """The hours of each row by subject, in whole hours, published exactly where the row's
    participants are: hidden (as a small count where theirs is one) where they are."""
    columns = tuple(HOURS_COLUMNS.values())
    values: dict[tuple[str, str], int] = {}
    primary, secondary = set(), set()
    for row in (*participants.rows, TOTAL):
        by_subject = sums.get(row, {})
        cells = {
            label: by_subject.get(subject, Decimal(0)) for subject, label in HOURS_COLUMNS.items()
        }
        cells[TOTAL] = sum(cells.values(), Decimal(0))
        for column, hours in cells.items():
            values[(row, column)] = int(hours.to_integral_value())
            if (row, ANTALL) in participants.primary:
                primary.add((row, column))
            elif (row, ANTALL) in participants.secondary:
                secondary.add((row, column))
    return SuppressedTable(
        participants.rows, columns, values, frozenset(primary), frozenset(secondary)
    )


def published_norsk_statistics(
    year: int, config: ProtectionConfig | None = None
) -> dict[str, NorskFigures]:
    """The year's figures of the scheme in every breakdown, protected together."""
    groups = norsk_groups(year)
    release, rows = norsk_release(groups)
    protection = protected(f"statistikk-norsk:{year}:naa", release, config)
    figures = {}
    for dim, labels in rows.items():
        participants = suppressed_table(protection, PARTICIPANTS, dim, labels, (ANTALL,))
        figures[dim] = NorskFigures(
            year,
            dim,
            participants,
            suppressed_table(protection, STARTS, dim, labels, (ANTALL,)),
            suppressed_table(protection, ENDS, dim, labels, END_COLUMNS),
            hours_table(participants, hours_by_row(groups, dim)),
        )
    return figures
