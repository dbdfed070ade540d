"""Measures (tiltak) in the programme: the hours a week one may be registered with.

The register takes a full-time week as 37.5 hours; a measure has a positive number of
hours up to that. No source sets the figure: it is the register's own rule.
"""

from __future__ import annotations

from decimal import Decimal

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

FULL_TIME_HOURS_PER_WEEK = Decimal("37.5")

BASIS_MEASURE_HOURS = LegalBasis(
    "measure.hours_per_week",
    "Registerets regel: et tiltak har mellom 0 og 37,5 timer per uke (fulltid)",
    BasisKind.BESLUTNING,
)


def check_hours_per_week(hours_per_week: Decimal) -> Decimal:
    """The hours a week of a measure, when more than none and at most full time."""
    if not Decimal(0) < hours_per_week <= FULL_TIME_HOURS_PER_WEEK:
        raise RuleViolation(
            field="hours_per_week",
            code="hours_per_week.range",
            message="Timer per uke må være mellom 0 og 37,5 (fulltid).",
            basis=BASIS_MEASURE_HOURS,
        )
    return hours_per_week
