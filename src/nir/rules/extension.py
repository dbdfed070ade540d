"""Extension of programme time, utvidet programtid (rules.md §2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.programme_length import ProgrammeLengthRow

BASIS_EXTENSION_LIMIT = LegalBasis(
    "extension.limit",
    "integreringsloven § 13 / introduksjonsloven § 5: utvidet programtid innenfor grensen",
    BasisKind.LOV,
    "https://lovdata.no/lov/2020-11-06-127/§13",
)


@dataclass(frozen=True, slots=True)
class ExtensionCheck:
    granted_months: int
    requested_months: int
    limit_months: int
    basis: LegalBasis

    @property
    def remaining_after(self) -> int:
        return self.limit_months - self.granted_months - self.requested_months


def check_extension(
    *, row: ProgrammeLengthRow, granted_months: Sequence[int], requested_months: int
) -> ExtensionCheck:
    """Several extension decisions may be registered, but their sum stays within the limit.

    A decision past the limit is refused, naming the limit and what was already granted.
    """
    if requested_months < 1:
        raise RuleViolation(
            field="months",
            code="extension.months_positive",
            message="Utvidet programtid må være minst én måned.",
            basis=BASIS_EXTENSION_LIMIT,
            params={"requested_months": requested_months},
        )
    granted = sum(granted_months)
    limit = row.extension_limit_months
    if granted + requested_months > limit:
        raise RuleViolation(
            field="months",
            code="extension.limit_exceeded",
            message=(
                f"Utvidet programtid kan til sammen være høyst {limit} måneder etter "
                f"{row.basis.reference}. {granted} måneder er allerede innvilget, så "
                f"{requested_months} måneder til går over grensen (høyst "
                f"{max(limit - granted, 0)} måneder kan innvilges)."
            ),
            basis=BASIS_EXTENSION_LIMIT,
            params={
                "limit_months": limit,
                "granted_months": granted,
                "requested_months": requested_months,
                "rule_row": row.row_id,
                "rule_reference": row.basis.reference,
            },
        )
    return ExtensionCheck(granted, requested_months, limit, BASIS_EXTENSION_LIMIT)
