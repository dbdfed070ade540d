"""Data quality per municipality and year (issue: IMDi's side): how many leavers ended as
«ikke registrert», who still awaits a reason and until when, who lacks a sluttmål or a
decision. Set-based: one grouped query per measure, whatever the size of the register."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Min, Q

from nir.register.models import Kommune, Participation, TerminationSource
from nir.register.rule_config import rule_config
from nir.register.selectors import programme_time_exceeded
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
    # A start decision granting more months than the sluttmål gives, and no extension.
    programme_time_exceeded: int = 0

    @property
    def share_not_registered(self) -> Fraction | None:
        return Fraction(self.not_registered, self.leavers) if self.leavers else None


def quality_by_kommune(year: int, as_of: dt.date) -> list[KommuneQuality]:
    """Every municipality with a leaver in the year, a participant in the programme during
    the year, or a participation still awaiting its reason. Four grouped queries, whatever
    the size of the register: one pass over the participations with conditional counts
    (an index-only scan of ``participation_kommune_end``), the participations without a
    sluttmål and those without a decision (each their own partial index), and the start
    decisions granting more months than the sluttmål gives (only participations with
    a decision stating a time)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    rows = _kommune_counts(year, as_of, in_year)
    in_programme = Participation.objects.filter(in_year)
    # The flag the services keep with every frist (a regime with a sluttmål, none registered):
    # the worklist's «sluttmål mangler» and this count are one fact, read from its own index.
    without_goal = in_programme.filter(sluttmaal_missing=True)
    # The same for a decision: the flag the services keep with every decision written or
    # cancelled, instead of reading every decision of the register.
    without_decision = in_programme.filter(decision_missing=True)
    for queryset, field in (
        (without_goal, "without_sluttmaal"),
        (without_decision, "without_decision"),
    ):
        for kommune_id, n in (
            queryset.values("kommune_id")
            .annotate(n=Count("pk"))
            .values_list("kommune_id", "n")
            .order_by()
        ):
            setattr(rows[kommune_id], field, n)
    exceeded = programme_time_exceeded(in_programme)
    for kommune_id, n in (
        exceeded.values("kommune_id").annotate(n=Count("pk")).values_list("kommune_id", "n")
    ):
        rows[kommune_id].programme_time_exceeded = n
    return sorted(rows.values(), key=lambda q: q.kommune)


def _kommune_counts(year: int, as_of: dt.date, in_year: Q) -> dict[int, KommuneQuality]:
    """The leavers, those without a reason and those awaiting one, per municipality with
    any of them or a participant in the year: one pass with conditional counts."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    config = rule_config()
    ended = Q(end_date__gte=first, end_date__lte=last)
    awaiting = Q(
        termination_source=TerminationSource.SYSTEM,
        end_date__gte=earliest_open_event(as_of, config),
    )
    counts = (
        Participation.objects.values("kommune_id")
        .annotate(
            leavers=Count("pk", filter=ended),
            not_registered=Count("pk", filter=ended & Q(termination_reason=IKKE_REGISTRERT)),
            awaiting=Count("pk", filter=awaiting),
            first_end=Min("end_date", filter=awaiting),
            in_year=Count("pk", filter=in_year),
        )
        .order_by()
    )
    names = {k.pk: str(k) for k in Kommune.objects.all()}
    rows: dict[int, KommuneQuality] = {}
    for item in counts:
        if not (item["leavers"] or item["awaiting"] or item["in_year"]):
            continue
        quality = rows[item["kommune_id"]] = KommuneQuality(
            item["kommune_id"], names[item["kommune_id"]]
        )
        quality.leavers, quality.not_registered = item["leavers"], item["not_registered"]
        if item["awaiting"]:
            quality.awaiting_reason = item["awaiting"]
            quality.first_window_closes = window_closes(item["first_end"], config)
    return rows


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
