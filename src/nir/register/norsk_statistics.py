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
cells are. Hours are not in the figures yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from nir.register.figure_states import StatRow
from nir.register.norsk_models import NorskParticipation
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

# The programme's breakdowns, every one: sex and the age band on 31 December as the
# programme's figures count them (``DIMENSIONS``' labels, one specification).
NORSK_DIMENSIONS = ("kommune", "fylke", "regime", "ukraina", "kjonn", "alder")
END_COLUMNS = tuple(r.label_nb for r in NORSK_END_REASONS.values())
NORSKMAAL_COLUMN = NORSK_END_REASONS[NORSKMAAL_NAADD].label_nb


@dataclass(frozen=True, slots=True)
class NorskGroup:
    """The year's ordninger sharing every breakdown's label and the reason they ended for
    in the year ("" if none)."""

    labels: tuple[str, ...]  # one per NORSK_DIMENSIONS
    reason: str
    participants: int
    starts: int


@dataclass(frozen=True)
class NorskFigures:
    year: int
    dimension: str
    participants: SuppressedTable
    starts: SuppressedTable
    ends: SuppressedTable  # by reason, with the row totals

    def norskmaal_share(self, row: str) -> Fraction | None:
        """Ends reaching the norskmaal of all ends in the row, where both cells are shown."""
        reached, ended = self.ends.shown(row, NORSKMAAL_COLUMN), self.ends.shown(row, TOTAL)
        if reached is None or not ended:
            return None
        return Fraction(reached, ended)


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
        )
        .order_by()
    )
    merged: dict[tuple[tuple[str, ...], str], tuple[int, int]] = {}
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
    return [NorskGroup(labels, reason, n, s) for (labels, reason), (n, s) in merged.items()]


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


def published_norsk_statistics(
    year: int, config: ProtectionConfig | None = None
) -> dict[str, NorskFigures]:
    """The year's figures of the scheme in every breakdown, protected together."""
    release, rows = norsk_release(norsk_groups(year))
    protection = protected(f"statistikk-norsk:{year}:naa", release, config)
    return {
        dim: NorskFigures(
            year,
            dim,
            suppressed_table(protection, PARTICIPANTS, dim, labels, (ANTALL,)),
            suppressed_table(protection, STARTS, dim, labels, (ANTALL,)),
            suppressed_table(protection, ENDS, dim, labels, END_COLUMNS),
        )
        for dim, labels in rows.items()
    }
