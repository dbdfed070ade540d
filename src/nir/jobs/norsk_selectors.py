"""What a municipality must follow up in Norwegian training, for the worklist (reads only).

Each stream is a query through the scoped selector ``visible_norsk_participations``, so the
worklist shows a municipality only its own ordninger (IMDi: all). The streams of issue 16:
the frist soon, the frist passed without an end (N3-d), the norskmaal or the education
background missing (N2-a, N3-b), no hours registered this term, and results due.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from nir.jobs.selectors import FRIST_HORIZON_DAYS
from nir.register.norsk_models import (
    NorskHours,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.selectors import visible_norsk_participations
from nir.rules.norsk.rights import NorskCategory
from nir.rules.regime import Regime

# Where the sources are silent (configuration, documented in docs/ui.md): a term is a
# half-year, and results are due when the frist is this near with no test result.
RESULTS_HORIZON_DAYS = 90


def term_start(as_of: dt.date) -> dt.date:
    """The first day of the half-year (January-June, July-December) ``as_of`` falls in."""
    return as_of.replace(month=1 if as_of.month <= 6 else 7, day=1)


def _open(kommune_id: int | None) -> QuerySet[NorskParticipation]:
    return visible_norsk_participations(kommune_id).filter(end_date__isnull=True)


def norsk_frist_soon(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    horizon = as_of + dt.timedelta(days=FRIST_HORIZON_DAYS)
    return _open(kommune_id).filter(frist__range=(as_of, horizon)).order_by("frist", "pk")


def norsk_frist_passed(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    """Open with the frist passed and no end registered: «frist utløpt» (N3-d)."""
    return _open(kommune_id).filter(frist__lt=as_of).order_by("frist", "pk")


def norsk_goal_or_education_missing(kommune_id: int | None) -> QuerySet[NorskParticipation]:
    """Open under integreringsloven without a norskmaal (N2), or with the frist not
    computable for want of the education background (N3-b)."""
    has_goal = Exists(NorskmaalVersion.objects.filter(norsk_participation=OuterRef("pk")))
    no_goal = Q(regime=Regime.INTEGRERINGSLOVEN.value) & ~has_goal
    no_education = (
        ~Q(regime=Regime.INTRODUKSJONSLOVEN.value)
        & Q(education_background="")
        & Q(person__has_upper_secondary__isnull=True)
    )
    return _open(kommune_id).filter(no_goal | no_education).order_by("start_date", "pk")


def norsk_hours_missing(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    """Open since before this term, with no hours registered for a period in it."""
    since = term_start(as_of)
    this_term = NorskHours.objects.filter(norsk_participation=OuterRef("pk"), end_date__gte=since)
    return (
        _open(kommune_id)
        .filter(start_date__lt=since)
        .exclude(Exists(this_term))
        .order_by("start_date", "pk")
    )


def norsk_results_due(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    """With a test duty (N4-a: a duty under integreringsloven, not kap. 6A), the frist
    within the horizon, and no test result yet."""
    results = NorskTestResult.objects.filter(norsk_participation=OuterRef("pk"))
    horizon = as_of + dt.timedelta(days=RESULTS_HORIZON_DAYS)
    return (
        _open(kommune_id)
        .filter(
            regime=Regime.INTEGRERINGSLOVEN.value,
            category__in=[NorskCategory.RETT_OG_PLIKT.value, NorskCategory.PLIKT.value],
            frist__range=(as_of, horizon),
        )
        .exclude(Exists(results))
        .order_by("frist", "pk")
    )
