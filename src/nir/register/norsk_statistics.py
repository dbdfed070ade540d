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

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from nir.register import labels as register_labels
from nir.register.figure_states import StatRow
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
from nir.register.statistics import DIMENSIONS
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


def _hours_in_year(subject: Subject, first: dt.date, last: dt.date) -> Coalesce:
    """The ordning's hours of the subject whose period ends in the year."""
    rows = (
        NorskHours.objects.filter(
            norsk_participation=OuterRef("pk"),
            subject=subject.value,
            end_date__gte=first,
            end_date__lte=last,
        )
        .order_by()
        .values("norsk_participation")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    decimal = DecimalField(max_digits=12, decimal_places=1)
    return Coalesce(Subquery(rows, output_field=decimal), Value(Decimal(0)), output_field=decimal)


def norsk_groups(year: int) -> list[NorskGroup]:
    """One grouped query over the ordninger open during the year."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ended_in_year = Q(end_date__gte=first, end_date__lte=last) & ~Q(end_reason="")
    rows = (
        NorskParticipation.objects.filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .annotate(
            reason_in_year=Coalesce(
                Case(When(ended_in_year, then="end_reason"), output_field=CharField()),
                Value(""),
            ),
            birth_year=ExtractYear("person__birth_date"),
        )
        .values(
            "kommune__number",
            "kommune__display_name",
            "kommune__county_number",
            "kommune__county_name",
            "regime",
            "person__sex",
            "birth_year",
            "reason_in_year",
        )
        .annotate(
            n=Count("pk"),
            starts=Sum(
                Case(When(start_date__gte=first, then=1), default=0, output_field=IntegerField())
            ),
            hours_norsk=Sum(_hours_in_year(Subject.NORSK, first, last)),
            hours_samfunnskunnskap=Sum(_hours_in_year(Subject.SAMFUNNSKUNNSKAP, first, last)),
        )
        .order_by()
    )
    merged: dict[tuple[tuple[str, ...], str], tuple[int, int]] = {}
    hours: dict[tuple[tuple[str, ...], str], dict[str, Decimal]] = {}
    for r in rows:
        state = StatRow(
            0,
            f"{r['kommune__number']} {r['kommune__display_name']}",
            f"{r['kommune__county_number']} {r['kommune__county_name']}",
            r["regime"],
            first,
            None,
            r["reason_in_year"],
            r["person__sex"],
            # The age band reads the birth year alone (the age on 31 December).
            dt.date(int(r["birth_year"]), 1, 1),
        )
        labels = tuple(DIMENSIONS[d].of(state, year) for d in NORSK_DIMENSIONS)
        key = (labels, r["reason_in_year"])
        n, starts = merged.get(key, (0, 0))
        merged[key] = (n + int(r["n"]), starts + int(r["starts"] or 0))
        by_subject = hours.setdefault(key, {s.value: Decimal(0) for s in Subject})
        by_subject[Subject.NORSK.value] += Decimal(r["hours_norsk"] or 0)
        by_subject[Subject.SAMFUNNSKUNNSKAP.value] += Decimal(r["hours_samfunnskunnskap"] or 0)
    return [
        NorskGroup(labels, reason, n, s, hours[(labels, reason)])
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
