"""The programme time a start decision grants, against the one the sluttmål gives.

IMDi's notice on «avslutningsårsak ikke registrert» gives the example: a participant with
upper secondary education was decided 12 months' programme at the start, which the register
accepted, but the frist follows the sluttmål (6 months, integreringsloven § 13), so the
register ended the participation after 6. Where the decision grants more than the sluttmål
and the registered extensions give, the register says so when the decision is registered
and lists it until an extension is registered: the frist itself still follows the law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nir.rules.basis import BasisKind, LegalBasis

BASIS_DECIDED_PROGRAMME_TIME = LegalBasis(
    "length.decided_programme_time",
    "integreringsloven § 13: programtiden følger sluttmålet; lengre tid krever vedtak "
    "om utvidet programtid",
    BasisKind.LOV,
    "https://lovdata.no/lov/2020-11-06-127/§13",
)

# The decision types that start a programme and may state its length.
START_DECISION_TYPES = ("tilbud", "innvilget", "oppstart")
MAX_DECIDED_MONTHS = 48


@dataclass(frozen=True, slots=True)
class ProgrammeTimeMismatch:
    """A start decision grants more months than the sluttmål and extensions give."""

    decided_months: int
    computed_months: int  # the sluttmål's months plus the registered extensions
    base_months: int  # the sluttmål's months alone
    frist: dt.date
    basis: LegalBasis = BASIS_DECIDED_PROGRAMME_TIME

    @property
    def missing_extension_months(self) -> int:
        return self.decided_months - self.computed_months

    @property
    def message(self) -> str:
        """In the caseworker's words (Norwegian)."""
        given = f"sluttmålet gir {self.base_months}"
        if self.computed_months != self.base_months:
            given += f" og utvidet programtid {self.computed_months - self.base_months}"
        return (
            f"Vedtaket gir {self.decided_months} måneder, {given}: registrer vedtak om "
            f"utvidet deltakelse, ellers avsluttes deltakeren {self.frist:%d.%m.%Y}."
        )


def check_decided_programme_time(
    *, decided_months: int | None, base_months: int, extension_months: int, frist: dt.date
) -> ProgrammeTimeMismatch | None:
    """The mismatch, or None when the decision states no length or the frist covers it."""
    if decided_months is None or decided_months <= base_months + extension_months:
        return None
    return ProgrammeTimeMismatch(decided_months, base_months + extension_months, base_months, frist)
