"""Direct goal attainment, direkte måloppnåelse (rules.md §6)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.termination import OutcomeClass, termination_reason

BASIS_ATTAINMENT = LegalBasis(
    "statistics.direct_goal_attainment",
    "IMDis nøkkeltall: direkte overgang til arbeid eller utdanning (vgo eller høyere); "
    "«ikke registrert» i nevneren",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/arkiv/arkiverte-nyheter/registrering-av-avslutningsarsak-i-nir/",
)


@dataclass(frozen=True, slots=True)
class GoalAttainment:
    numerator: int  # ended with work or education
    denominator: int  # all who ended, except the excluded reasons
    excluded: int  # moved, emigrated, deceased
    not_registered: int  # ended as ikke_registrert (in the denominator)
    basis: LegalBasis

    @property
    def share(self) -> Fraction | None:
        if self.denominator == 0:
            return None
        return Fraction(self.numerator, self.denominator)


# Which reasons leave the denominator is not published: configuration, this the default.
DEFAULT_EXCLUDED_REASONS = frozenset({"flyttet", "utvandret", "dod"})


def compute_goal_attainment(
    reason_codes: Iterable[str], excluded_reasons: frozenset[str] = DEFAULT_EXCLUDED_REASONS
) -> GoalAttainment:
    """Share of leavers who went straight to work or education (primary school is not)."""
    return goal_attainment_from_counts(Counter(reason_codes), excluded_reasons)


def goal_attainment_from_counts(
    leavers_by_reason: Mapping[str, int],
    excluded_reasons: frozenset[str] = DEFAULT_EXCLUDED_REASONS,
) -> GoalAttainment:
    """The same figure from the number of leavers per reason (as a grouped query gives it).

    ``excluded_reasons`` (configuration) leave the denominator; «ikke registrert» never
    does, whatever the configuration says.
    """
    numerator = denominator = excluded = not_registered = 0
    for code, count in leavers_by_reason.items():
        outcome = termination_reason(code, by_system=True).outcome
        if code in excluded_reasons and outcome is not OutcomeClass.NOT_REGISTERED:
            excluded += count
            continue
        denominator += count
        if outcome.is_success:
            numerator += count
        elif outcome is OutcomeClass.NOT_REGISTERED:
            not_registered += count
    return GoalAttainment(numerator, denominator, excluded, not_registered, BASIS_ATTAINMENT)
