"""Which law governs a participation (rules.md §1), and the participant's category."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from nir.rules.basis import (
    LOVDATA_INTEGRERINGSLOVEN,
    LOVDATA_INTRODUKSJONSLOVEN,
    TEXT_PROP81,
    BasisKind,
    LegalBasis,
)
from nir.rules.errors import RuleViolation

INTEGRERINGSLOVEN_IN_FORCE = dt.date(2021, 1, 1)
# Kap. 6A (lov 18. mars 2022 nr. 14) came into force for programmes from this day; the
# default of RegimeParameters.kap6a_in_force and the start of kap. 6A's length rows.
KAP6A_IN_FORCE = dt.date(2022, 6, 15)


# No slots: RuleConfig extends several parameter classes, and only one base may have them.
@dataclass(frozen=True)
class RegimeParameters:
    """The dates this module's rules read from configuration; ``RuleConfig`` extends it.

    Stortinget has moved kap. 6A's end date several times and Prop. 81 L has no in-force
    date yet, so they are deployment settings rather than constants.
    """

    # Kap. 6A: § 34 permits from this date; programmes starting in [in_force, expires).
    kap6a_eligible_from: dt.date = dt.date(2022, 3, 11)
    kap6a_in_force: dt.date = KAP6A_IN_FORCE
    kap6a_expires: dt.date | None = dt.date(2026, 7, 1)
    # Prop. 81 L (2024–2025): the day the amendment comes into force (None: not in force).
    # It switches on the 18-60 age band and the amended length rows for programmes
    # starting on or after it; ``RuleConfig.programme_lengths`` must be built with it.
    prop81_in_force: dt.date | None = None


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
    LOVDATA_INTEGRERINGSLOVEN,
)
BASIS_KAP6A_NOT_IN_FORCE = LegalBasis(
    "regime.kap6a_outside_period",
    "Registerets regel: integreringsloven kap. 6A gjelder bare i sin virkeperiode; ellers "
    "gjelder de ordinære reglene",
    BasisKind.BESLUTNING,
)
BASIS_INTEGRERINGSLOVEN = LegalBasis(
    "regime.integreringsloven",
    "integreringsloven (lov 6. november 2020 nr. 127)",
    BasisKind.LOV,
    LOVDATA_INTEGRERINGSLOVEN,
)
BASIS_INTEGRERINGSLOVEN_ARRIVAL = LegalBasis(
    "regime.integreringsloven_arrival",
    "integreringsloven § 51, integreringsforskriften § 72 (innreise fra 1.1.2021)",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§51",
)
BASIS_INTRODUKSJONSLOVEN = LegalBasis(
    "regime.introduksjonsloven",
    "introduksjonsloven (lov 4. juli 2003 nr. 80), integreringsforskriften § 72",
    BasisKind.LOV,
    LOVDATA_INTRODUKSJONSLOVEN,
)


def determine_regime(
    *,
    permit_type: PermitType,
    permit_date: dt.date,
    arrival_date: dt.date | None,
    programme_start: dt.date,
    config: RegimeParameters,
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
    "integreringsloven §§ 8–9 (målgruppe, 18–55 år da tillatelsen ble gitt), "
    "introduksjonsloven § 2, integreringsloven kap. 6A (rett uten plikt)",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§8",
)
BASIS_CATEGORY_PROP81 = LegalBasis(
    "category.target_group.prop81",
    "integreringsloven §§ 8–9 som endret etter Prop. 81 L (2024–2025): rett og plikt "
    "for 18–60 år da tillatelsen ble gitt",
    BasisKind.LOV,
    "https://www.regjeringen.no/no/dokumenter/prop.-81-l-20242025/",
    TEXT_PROP81,
)
BASIS_CATEGORY_KAP6A = LegalBasis(
    "category.kap6a_by_age",
    "integreringsloven kap. 6A: rett (uten plikt) for 18–55 år; kommunen kan tilby "
    "programmet til personer med kollektiv beskyttelse mellom 55 og 67 år "
    "(IMDis informasjon på nyinorge.no)",
    BasisKind.LOV,
    "https://www.nyinorge.no/",
)

# Kap. 6A: the right covers 18-55 at the permit date; the municipality may offer the
# programme at 55-67 (both are accepted at 55, where the bands meet).
KAP6A_RIGHT_AGES = (18, 55)
KAP6A_OFFER_AGES = (55, 67)


def right_and_duty_ages(
    programme_start: dt.date | None, config: RegimeParameters | None
) -> tuple[tuple[int, int], LegalBasis]:
    """The age band (at the permit date) of right and duty for a programme starting then.

    Prop. 81 L (2024–2025) widens it from 18-55 to 18-60 from its in-force date, which is
    configuration; the programme's start date decides (docs: the transition rule), so a
    participation that started before keeps the band it had.
    """
    in_force = config.prop81_in_force if config is not None else None
    if in_force is not None and programme_start is not None and programme_start >= in_force:
        return (18, 60), BASIS_CATEGORY_PROP81
    return (18, 55), BASIS_CATEGORY


def check_category(regime: Regime, category: Category, *, age_at_permit: int | None = None) -> None:
    """Kap. 6A gives a right without duty at 18-55 and may be offered at 55-67; the other
    regimes never register "rett" alone."""
    params: dict[str, object] = {"regime": regime.value, "category": category.value}
    if age_at_permit is not None:
        params["age"] = age_at_permit
    if regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        if category is Category.RETT_OG_PLIKT:
            raise RuleViolation(
                field="category",
                code="category.kap6a_no_duty",
                message=(
                    "Deltakere etter integreringsloven kapittel 6A har rett, men ikke plikt, "
                    "til introduksjonsprogram: kategorien må være «rett» (18–55 år) eller "
                    "«kan tilbys» (55–67 år)."
                ),
                basis=BASIS_CATEGORY_KAP6A,
                params=params,
            )
        if age_at_permit is None:
            return
        low, high = KAP6A_RIGHT_AGES if category is Category.RETT else KAP6A_OFFER_AGES
        if not low <= age_at_permit <= high:
            if category is Category.RETT:
                message = (
                    f"Retten til introduksjonsprogram etter kapittel 6A gjelder personer "
                    f"mellom 18 og 55 år da tillatelsen ble gitt; deltakeren var "
                    f"{age_at_permit} år."
                )
                if KAP6A_OFFER_AGES[0] <= age_at_permit <= KAP6A_OFFER_AGES[1]:
                    message += " Kommunen kan tilby programmet: velg «kan tilbys»."
            else:
                message = (
                    f"Etter kapittel 6A kan kommunen tilby introduksjonsprogram til personer "
                    f"mellom 55 og 67 år da tillatelsen ble gitt; deltakeren var "
                    f"{age_at_permit} år."
                )
                if KAP6A_RIGHT_AGES[0] <= age_at_permit <= KAP6A_RIGHT_AGES[1]:
                    message += " Deltakeren har rett til programmet: velg «rett»."
            raise RuleViolation(
                field="category",
                code="category.kap6a_age",
                message=message,
                basis=BASIS_CATEGORY_KAP6A,
                params=params,
            )
        return
    if category is Category.RETT:
        raise RuleViolation(
            field="category",
            code="category.rett_only_kap6a",
            message=(
                "Kategorien «rett» (uten plikt) gjelder bare etter kapittel 6A; velg "
                "«rett og plikt» eller «kan tilbys»."
            ),
            basis=BASIS_CATEGORY,
            params=params,
        )


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def suggest_category(
    *,
    regime: Regime,
    birth_date: dt.date,
    permit_date: dt.date,
    settled_by_agreement: bool,
    programme_start: dt.date | None = None,
    config: RegimeParameters | None = None,
) -> Category:
    """The category the target-group rules point to; the municipality confirms it.

    Right and duty: aged 18-55 (18-60 once Prop. 81 L is in force on the programme start)
    when the permit was granted, and settled by agreement; others the municipality may offer
    the programme to. Kap. 6A: a right at 18-55 at the permit date, "kan tilbys" above.
    """
    age = age_on(birth_date, permit_date)
    if regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        return Category.RETT if age <= KAP6A_RIGHT_AGES[1] else Category.KAN_TILBYS
    (low, high), _ = right_and_duty_ages(programme_start, config)
    if low <= age <= high and settled_by_agreement:
        return Category.RETT_OG_PLIKT
    return Category.KAN_TILBYS
