"""Which law governs a participation (rules.md §1), and the participant's category."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

if TYPE_CHECKING:
    from nir.rules.config import RuleConfig

INTEGRERINGSLOVEN_IN_FORCE = dt.date(2021, 1, 1)


class Regime(StrEnum):
    INTRODUKSJONSLOVEN = "introduksjonsloven"
    INTEGRERINGSLOVEN = "integreringsloven"
    INTEGRERINGSLOVEN_KAP6A = "integreringsloven_kap6a"

    @property
    def has_sluttmaal(self) -> bool:
        """Introduksjonsloven persons have no sluttmål and no integreringskontrakt."""
        return self is not Regime.INTRODUKSJONSLOVEN


class PermitType(StrEnum):
    """The residence permit behind the right to the programme (utlendingsloven)."""

    FLYKTNING = "flyktning"  # utlendingsloven § 28
    KOLLEKTIV_BESKYTTELSE = "kollektiv_beskyttelse"  # § 34, displaced from Ukraina
    OVERFORINGSFLYKTNING = "overforingsflyktning"  # § 35
    STERKE_MENNESKELIGE_HENSYN = "sterke_menneskelige_hensyn"  # § 38
    BEGRENSET_BARNEFAMILIE = "begrenset_barnefamilie"  # § 38 femte ledd
    FAMILIEINNVANDRING = "familieinnvandring"  # kapittel 6
    SELVSTENDIG_GRUNNLAG = "selvstendig_grunnlag"  # § 53
    ANNET = "annet"


class Category(StrEnum):
    RETT_OG_PLIKT = "rett_og_plikt"
    RETT = "rett"  # kap. 6A: a right, no duty
    KAN_TILBYS = "kan_tilbys"


@dataclass(frozen=True, slots=True)
class RegimeResult:
    regime: Regime
    basis: LegalBasis


BASIS_KAP6A = LegalBasis(
    "regime.kap6a",
    "integreringsloven kap. 6A (lov 10. juni 2022 nr. 35), utlendingsloven § 34",
    BasisKind.LOV,
)
BASIS_KAP6A_NOT_IN_FORCE = LegalBasis(
    "regime.kap6a_outside_period",
    "integreringsloven kap. 6A gjelder bare i sin virkeperiode; ellers de ordinære reglene",
    BasisKind.BESLUTNING,
)
BASIS_INTEGRERINGSLOVEN = LegalBasis(
    "regime.integreringsloven", "integreringsloven (lov 6. november 2020 nr. 127)", BasisKind.LOV
)
BASIS_INTEGRERINGSLOVEN_ARRIVAL = LegalBasis(
    "regime.integreringsloven_arrival",
    "integreringsloven § 51, integreringsforskriften § 72 (innreise fra 1.1.2021)",
    BasisKind.LOV,
)
BASIS_INTRODUKSJONSLOVEN = LegalBasis(
    "regime.introduksjonsloven",
    "introduksjonsloven (lov 4. juli 2003 nr. 80), integreringsforskriften § 72",
    BasisKind.LOV,
)


def determine_regime(
    *,
    permit_type: PermitType,
    permit_date: dt.date,
    arrival_date: dt.date | None,
    programme_start: dt.date,
    config: RuleConfig,
) -> RegimeResult:
    """The law that governs a participation starting on ``programme_start``.

    The regime follows the person's permit, not the municipality. Kap. 6A covers § 34
    permits granted from its eligibility date, for programmes starting while the chapter is
    in force (its end date is configuration, since Stortinget has moved it several times).
    The caller fixes the result on the participation: a later permit change needs a new
    programme decision (rules.md §1, Decision).
    """
    if (
        permit_type is PermitType.KOLLEKTIV_BESKYTTELSE
        and permit_date >= config.kap6a_eligible_from
    ):
        in_period = programme_start >= config.kap6a_in_force and (
            config.kap6a_expires is None or programme_start < config.kap6a_expires
        )
        if in_period:
            return RegimeResult(Regime.INTEGRERINGSLOVEN_KAP6A, BASIS_KAP6A)
        return RegimeResult(Regime.INTEGRERINGSLOVEN, BASIS_KAP6A_NOT_IN_FORCE)
    if permit_date >= INTEGRERINGSLOVEN_IN_FORCE:
        return RegimeResult(Regime.INTEGRERINGSLOVEN, BASIS_INTEGRERINGSLOVEN)
    if arrival_date is not None and arrival_date >= INTEGRERINGSLOVEN_IN_FORCE:
        return RegimeResult(Regime.INTEGRERINGSLOVEN, BASIS_INTEGRERINGSLOVEN_ARRIVAL)
    return RegimeResult(Regime.INTRODUKSJONSLOVEN, BASIS_INTRODUKSJONSLOVEN)


BASIS_CATEGORY = LegalBasis(
    "category.target_group",
    "integreringsloven §§ 8–9, introduksjonsloven § 2, integreringsloven § 37 a (kap. 6A)",
    BasisKind.LOV,
)


def check_category(regime: Regime, category: Category) -> None:
    """Kap. 6A gives a right without duty; the other regimes never register "rett" alone."""
    if regime is Regime.INTEGRERINGSLOVEN_KAP6A and category is not Category.RETT:
        raise RuleViolation(
            field="category",
            code="category.kap6a_is_rett",
            message=(
                "Deltakere etter integreringsloven kapittel 6A har rett, men ikke plikt, "
                "til introduksjonsprogram: kategorien må være «rett»."
            ),
            basis=BASIS_CATEGORY,
            params={"regime": regime.value, "category": category.value},
        )
    if regime is not Regime.INTEGRERINGSLOVEN_KAP6A and category is Category.RETT:
        raise RuleViolation(
            field="category",
            code="category.rett_only_kap6a",
            message=(
                "Kategorien «rett» (uten plikt) gjelder bare etter kapittel 6A; velg "
                "«rett og plikt» eller «kan tilbys»."
            ),
            basis=BASIS_CATEGORY,
            params={"regime": regime.value, "category": category.value},
        )


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def suggest_category(
    *, regime: Regime, birth_date: dt.date, permit_date: dt.date, settled_by_agreement: bool
) -> Category:
    """The category the target-group rules point to; the municipality confirms it.

    Right and duty: aged 18-55 when the permit was granted and settled by agreement.
    Others the municipality may offer the programme to.
    """
    if regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        return Category.RETT
    if 18 <= age_on(birth_date, permit_date) <= 55 and settled_by_agreement:
        return Category.RETT_OG_PLIKT
    return Category.KAN_TILBYS
