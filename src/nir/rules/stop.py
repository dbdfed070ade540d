"""Stop (stans) of the programme, integreringsloven § 18 (rules.md §3).

A temporary stop is a sanction: it does not move the frist, it must end, and it lasts at
most three months. A permanent stop ends the participation with the reason ``stans``
(nir.rules.termination).
"""

from __future__ import annotations

import datetime as dt

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.dates import add_months
from nir.rules.errors import RuleViolation

BASIS_STOP = LegalBasis("stop.section_18", "integreringsloven § 18 (stans)", BasisKind.LOV)
TEMPORARY_STOP_MAX_MONTHS = 3


def check_temporary_stop(start_date: dt.date, end_date: dt.date | None) -> dt.date:
    """The end of a temporary stop that § 18 allows; refuses one without an end or longer
    than three months. Returns the end date."""
    if end_date is None:
        raise RuleViolation(
            field="end_date",
            code="stop.temporary_needs_end",
            message="Midlertidig stans må ha en sluttdato.",
            basis=BASIS_STOP,
        )
    if end_date > add_months(start_date, TEMPORARY_STOP_MAX_MONTHS):
        raise RuleViolation(
            field="end_date",
            code="stop.temporary_too_long",
            message="Midlertidig stans kan vare høyst tre måneder (integreringsloven § 18).",
            basis=BASIS_STOP,
        )
    return end_date
