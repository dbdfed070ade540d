"""What a municipality must follow up in Norwegian training (reads only): the worklist's
streams, and what one ordning still lacks, for the API's read.

Each condition is spelled once, as a query condition: the worklist's streams filter on it
through the scoped selector ``visible_norsk_participations`` (a municipality sees only its
own ordninger; IMDi all), and ``norsk_missing`` reads the same conditions for one ordning
in one query. The streams of issue 16: the frist soon, the frist passed without an end
(N3-d), the norskmaal or the education background missing (N2-a, N3-b), no hours
registered this term, and results due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext

from nir.register.norsk_models import (
    NorskHours,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.selectors import FRIST_HORIZON_DAYS, visible_norsk_participations
from nir.rules.basis import LegalBasis
from nir.rules.norsk.final_tests import BASIS_TEST_DUTY
from nir.rules.norsk.frist import (
    BASIS_EDUCATION_MISSING,
    BASIS_FRIST_PASSED,
    OrdningStatus,
    frist_state,
)
from nir.rules.norsk.hours import BASIS_HOURS_REGISTERED
from nir.rules.norsk.norskmaal import BASIS_GUIDING_LEVELS
from nir.rules.norsk.rights import NorskCategory
from nir.rules.regime import Regime

# Where the sources are silent (configuration, documented in docs/ui.md): a term is a
# half-year, and results are due when the frist is this near with no test result.
RESULTS_HORIZON_DAYS = 90


def term_start(as_of: dt.date) -> dt.date:
    """The first day of the half-year (January-June, July-December) ``as_of`` falls in."""
    return as_of.replace(month=1 if as_of.month <= 6 else 7, day=1)


# --- the conditions, each once ------------------------------------------------------------


def no_norskmaal() -> Q:
    """Under integreringsloven, and no norskmaal registered (N2)."""
    has_goal = Exists(NorskmaalVersion.objects.filter(norsk_participation=OuterRef("pk")))
    return Q(regime=Regime.INTEGRERINGSLOVEN.value) & ~Q(has_goal)


def no_education() -> Q:
    """The frist not computable for want of the education background (N3-b): none on the
    ordning and none on the person, where the regime registers it."""
    return (
        ~Q(regime=Regime.INTRODUKSJONSLOVEN.value)
        & Q(education_background="")
        & Q(person__has_upper_secondary__isnull=True)
    )


def no_hours_this_term(as_of: dt.date) -> Q:
    """Open since before this term, with no hours registered for a period in it."""
    since = term_start(as_of)
    this_term = NorskHours.objects.filter(norsk_participation=OuterRef("pk"), end_date__gte=since)
    return Q(start_date__lt=since) & ~Q(Exists(this_term))


def results_due(as_of: dt.date) -> Q:
    """With a test duty (N4-a: a duty under integreringsloven, not kap. 6A), the frist
    within the horizon, and no test result yet."""
    results = NorskTestResult.objects.filter(norsk_participation=OuterRef("pk"))
    horizon = as_of + dt.timedelta(days=RESULTS_HORIZON_DAYS)
    return Q(
        regime=Regime.INTEGRERINGSLOVEN.value,
        category__in=[NorskCategory.RETT_OG_PLIKT.value, NorskCategory.PLIKT.value],
        frist__range=(as_of, horizon),
    ) & ~Q(Exists(results))


def frist_passed(as_of: dt.date) -> Q:
    """The frist has passed with no end registered: «frist utløpt» (N3-d)."""
    return Q(frist__lt=as_of)


def ordning_status(row: NorskParticipation, as_of: dt.date) -> OrdningStatus:
    """The ordning's status on ``as_of``: ended, «frist utløpt» from the day after the
    frist (N3-d), or active (also while the frist is not computable)."""
    if row.end_date is not None:
        return OrdningStatus.AVSLUTTET
    if row.frist is None:
        return OrdningStatus.AKTIV
    return frist_state(row.frist, as_of, ended=False).status


# --- the worklist's streams -----------------------------------------------------------------


def _open(kommune_id: int | None) -> QuerySet[NorskParticipation]:
    return visible_norsk_participations(kommune_id).filter(end_date__isnull=True)


def norsk_frist_soon(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    horizon = as_of + dt.timedelta(days=FRIST_HORIZON_DAYS)
    return _open(kommune_id).filter(frist__range=(as_of, horizon)).order_by("frist", "pk")


def norsk_frist_passed(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    return _open(kommune_id).filter(frist_passed(as_of)).order_by("frist", "pk")


def norsk_goal_or_education_missing(kommune_id: int | None) -> QuerySet[NorskParticipation]:
    return _open(kommune_id).filter(no_norskmaal() | no_education()).order_by("start_date", "pk")


def norsk_hours_missing(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    return _open(kommune_id).filter(no_hours_this_term(as_of)).order_by("start_date", "pk")


def norsk_results_due(kommune_id: int | None, as_of: dt.date) -> QuerySet[NorskParticipation]:
    return _open(kommune_id).filter(results_due(as_of)).order_by("frist", "pk")


# --- what one ordning lacks -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NorskMissing:
    """One thing an open ordning lacks, as the worklist's streams find it."""

    code: str
    field: str
    message: str
    due: dt.date | None
    basis: LegalBasis


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _day(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


# What the ordning lacks, per condition: its code, the record's field, the message (in the
# reader's language), the due date and the legal basis.
_LACKS: tuple[
    tuple[
        str,
        Callable[[dt.date], Q],
        str,
        Callable[[NorskParticipation, dt.date], str],
        bool,
        LegalBasis,
    ],
    ...,
] = (
    (
        "end",
        frist_passed,
        "end",
        lambda row, as_of: (
            gettext(
                "Fristen %(day)s er passert uten registrert avslutning: registrer avslutning "
                "med årsak."
            )
            % {"day": _day(row.frist)}
        ),
        True,
        BASIS_FRIST_PASSED,
    ),
    (
        "education",
        lambda as_of: no_education(),
        "education_background",
        lambda row, as_of: gettext(
            "Utdanningsbakgrunn er ikke registrert: fristen kan ikke beregnes."
        ),
        False,
        BASIS_EDUCATION_MISSING,
    ),
    (
        "norskmaal",
        lambda as_of: no_norskmaal(),
        "norskmaal",
        lambda row, as_of: gettext("Norskmål er ikke registrert."),
        False,
        BASIS_GUIDING_LEVELS,
    ),
    (
        "hours",
        no_hours_this_term,
        "hours",
        lambda row, as_of: (
            gettext("Ingen timer er registrert dette halvåret (fra %(day)s).")
            % {"day": _day(term_start(as_of))}
        ),
        False,
        BASIS_HOURS_REGISTERED,
    ),
    (
        "test_result",
        results_due,
        "test_results",
        lambda row, as_of: (
            gettext("Fristen %(day)s nærmer seg og ingen prøveresultat er registrert.")
            % {"day": _day(row.frist)}
        ),
        True,
        BASIS_TEST_DUTY,
    ),
)


def norsk_missing(row: NorskParticipation, as_of: dt.date) -> list[NorskMissing]:
    """What the open ordning lacks on ``as_of``, in the reader's language, from the
    conditions the worklist's streams filter on (one query); nothing for an ended one."""
    if row.end_date is not None:
        return []
    flags = (
        NorskParticipation.objects.filter(pk=row.pk)
        .annotate(**{f"lacks_{code}": _flag(condition(as_of)) for code, condition, *_ in _LACKS})
        .values(*(f"lacks_{code}" for code, *_ in _LACKS))
        .first()
    )
    return [
        NorskMissing(code, field, message(row, as_of), row.frist if dated else None, basis)
        for code, _, field, message, dated, basis in _LACKS
        if flags and flags[f"lacks_{code}"]
    ]
