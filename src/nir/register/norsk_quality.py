"""Data quality of Norwegian training per municipality (issue 16 §8): of the ordninger open
during the year, how many lack an education background (it decides the frist, N2-a), lack a
norskmaal (integreringsloven only: none is registered under introduksjonsloven), have a frist
the register cannot compute (N3-b), or are still open with their frist passed («frist
utløpt», N3-d). One grouped query, whatever the size of the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from nir.register.models import Kommune
from nir.register.norsk_models import NorskmaalVersion, NorskParticipation
from nir.rules.regime import Regime


@dataclass(frozen=True)
class NorskQuality:
    kommune_id: int
    kommune: str
    ordninger: int
    without_education: int
    without_norskmaal: int
    frist_not_computable: int
    frist_passed_open: int


def norsk_quality_by_kommune(year: int, as_of: dt.date) -> list[NorskQuality]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    has_goal = Exists(NorskmaalVersion.objects.filter(norsk_participation=OuterRef("pk")))
    counts = (
        NorskParticipation.objects.filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .annotate(has_goal=has_goal)
        .values("kommune_id")
        .annotate(
            ordninger=Count("pk"),
            without_education=Count("pk", filter=Q(education_background="")),
            without_norskmaal=Count(
                "pk", filter=Q(has_goal=False) & ~Q(regime=Regime.INTRODUKSJONSLOVEN.value)
            ),
            not_computable=Count("pk", filter=Q(frist__isnull=True)),
            passed=Count("pk", filter=Q(end_date__isnull=True, frist__lt=as_of)),
        )
        .order_by()
    )
    names = {k.pk: str(k) for k in Kommune.objects.all()}
    rows = [
        NorskQuality(
            c["kommune_id"],
            names[c["kommune_id"]],
            c["ordninger"],
            c["without_education"],
            c["without_norskmaal"],
            c["not_computable"],
            c["passed"],
        )
        for c in counts
    ]
    return sorted(rows, key=lambda r: r.kommune)
