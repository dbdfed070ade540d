"""Data quality per municipality and year (issue: IMDi's side): how many leavers ended as
«ikke registrert», who still awaits a reason and until when, who lacks a sluttmål or a
decision. Set-based: one grouped query per measure, whatever the size of the register."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, Min, OuterRef, Q

from nir.register.models import (
    Decision,
    Kommune,
    Participation,
    SluttmaalVersion,
    TerminationSource,
)
from nir.register.rule_config import rule_config
from nir.rules.regime import Regime
from nir.rules.registration_window import earliest_open_event, window_closes
from nir.rules.termination import IKKE_REGISTRERT

MIN_LEAVERS_FOR_RANKING = 20  # rules.md §8


@dataclass
class KommuneQuality:
    kommune_id: int
    kommune: str
    leavers: int = 0
    not_registered: int = 0
    awaiting_reason: int = 0  # ended by the register, window still open
    first_window_closes: dt.date | None = None
    without_sluttmaal: int = 0
    without_decision: int = 0

    @property
    def share_not_registered(self) -> Fraction | None:
        return Fraction(self.not_registered, self.leavers) if self.leavers else None


def quality_by_kommune(year: int, as_of: dt.date) -> list[KommuneQuality]:
    names = {k.pk: str(k) for k in Kommune.objects.all()}
    rows: dict[int, KommuneQuality] = {}

    def row(kommune_id: int) -> KommuneQuality:
        if kommune_id not in rows:
            rows[kommune_id] = KommuneQuality(kommune_id, names[kommune_id])
        return rows[kommune_id]

    ended = (
        Participation.objects.filter(end_date__year=year)
        .values("kommune_id")
        .annotate(
            leavers=Count("pk"),
            not_registered=Count("pk", filter=Q(termination_reason=IKKE_REGISTRERT)),
        )
    )
    for item in ended:
        quality = row(item["kommune_id"])
        quality.leavers, quality.not_registered = item["leavers"], item["not_registered"]
    config = rule_config()
    awaiting = (
        Participation.objects.filter(
            termination_source=TerminationSource.SYSTEM,
            end_date__gte=earliest_open_event(as_of, config),
        )
        .values("kommune_id")
        .annotate(n=Count("pk"), first_end=Min("end_date"))
    )
    for waiting in awaiting:
        quality = row(waiting["kommune_id"])
        quality.awaiting_reason = waiting["n"]
        quality.first_window_closes = window_closes(waiting["first_end"], config)
    in_year = Participation.objects.filter(start_date__lte=dt.date(year, 12, 31)).exclude(
        end_date__lt=dt.date(year, 1, 1)
    )
    lacking = (
        in_year.annotate(
            has_goal=Exists(SluttmaalVersion.objects.filter(participation=OuterRef("pk"))),
            has_decision=Exists(Decision.objects.filter(participation=OuterRef("pk"))),
        )
        .values("kommune_id")
        .annotate(
            without_sluttmaal=Count(
                "pk", filter=Q(has_goal=False) & ~Q(regime=Regime.INTRODUKSJONSLOVEN)
            ),
            without_decision=Count("pk", filter=Q(has_decision=False)),
        )
    )
    for gaps in lacking:
        quality = row(gaps["kommune_id"])
        quality.without_sluttmaal = gaps["without_sluttmaal"]
        quality.without_decision = gaps["without_decision"]
    return sorted(rows.values(), key=lambda q: q.kommune)


def national_ranking(year: int, as_of: dt.date) -> list[KommuneQuality]:
    """Municipalities with at least 20 leavers, the highest share ended without a reason
    first."""
    ranked = [q for q in quality_by_kommune(year, as_of) if q.leavers >= MIN_LEAVERS_FOR_RANKING]
    return sorted(ranked, key=lambda q: (-(q.share_not_registered or 0), q.kommune))


@dataclass(frozen=True)
class YearPoint:
    year: int
    leavers: int
    not_registered: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.not_registered, self.leavers) if self.leavers else None


def trend(years: range, kommune_id: int | None = None) -> list[YearPoint]:
    """Leavers and the share ended without a reason, year by year."""
    queryset = Participation.objects.filter(end_date__year__in=list(years))
    if kommune_id is not None:
        queryset = queryset.filter(kommune_id=kommune_id)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item in queryset.values("end_date__year").annotate(
        n=Count("pk"), nr=Count("pk", filter=Q(termination_reason=IKKE_REGISTRERT))
    ):
        counts[item["end_date__year"]] = [item["n"], item["nr"]]
    return [YearPoint(y, *counts[y]) for y in years]
