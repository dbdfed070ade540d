"""Who has the right and/or duty to Norwegian training, and from when (rules-norsk.md N1).

The regime comes from ``nir.rules.regime.determine_regime`` (the caller fixes it on the first
Norwegian-training decision, Decision N1-b); this module computes the category within it from
the permit list, the permit date, the arrival and the age at the permit date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from nir.rules.basis import LOVDATA_INTEGRERINGSLOVEN, BasisKind, LegalBasis
from nir.rules.dates import add_months
from nir.rules.errors import RuleViolation
from nir.rules.regime import Regime, age_on

IMDI_VEILEDER_KAP6 = (
    "https://www.imdi.no/kvalifisering/regelverk/juridisk-veileder-til-integreringsloven/"
    "kapittel-6-opplaring-i-norsk-og-samfunnskunnskap/"
)
IMDI_FORSKRIFT_KAP5 = (
    "https://www.imdi.no/kvalifisering/regelverk/juridisk-veileder-til-integreringsforskriften/"
    "kapittel-5-opplaring-i-norsk-og-samfunnskunnskap/"
)
IMDI_NIR_KAP6A = (
    "https://www.imdi.no/imdinett/nasjonalt-introduksjonsregister-nir/"
    "endringer-i-nir-som-folge-av-fordrevne-fra-ukraina/"
)
IMDI_TIMER_INTRODUKSJONSLOVEN = "https://www.imdi.no/norskopplaring/timer-prover-og-fritak/"


class PermitList(StrEnum):
    """Which list of integreringsloven the permit is on (§ 27 right and duty, § 28 duty)."""

    RETT_OG_PLIKT = "ss27"  # refugee, resettlement, strong humanitarian grounds, family of these
    PLIKT = "ss28"  # work immigrants from outside the EEA and their family
    KOLLEKTIV_BESKYTTELSE = "kollektiv_beskyttelse"  # utlendingsloven § 34, not family members
    ANNEN = "annen"  # anyone else: the municipality may offer training (kan tilbys)


class NorskCategory(StrEnum):
    RETT_OG_PLIKT = "rett_og_plikt"
    PLIKT = "plikt"  # duty only: the person pays
    RETT = "rett"  # introduksjonsloven 55-67: a free right, no duty
    RETT_TIL_NORSK = "rett_til_norsk"  # kap. 6A: a free right, no duty
    KAN_TILBYS = "kan_tilbys"  # outside the groups; the municipality chooses to teach

    @property
    def has_right(self) -> bool:
        return self in (
            NorskCategory.RETT_OG_PLIKT,
            NorskCategory.RETT,
            NorskCategory.RETT_TIL_NORSK,
        )

    @property
    def has_duty(self) -> bool:
        return self in (NorskCategory.RETT_OG_PLIKT, NorskCategory.PLIKT)


class StartRule(StrEnum):
    """When the right and duty start for the person's permit."""

    ORDINARY = "ordinary"  # the permit date, or arrival if the permit was granted abroad
    FIRST_RENEWAL = "first_renewal"  # § 9 first paragraph (d): at the first renewal
    SETTLEMENT = "settlement"  # § 9 first paragraph (e): at settlement by agreement


class KravReason(StrEnum):
    """Why a later claim (krav) starts the right and duty (integreringsforskriften § 20)."""

    OMSORG = "store_omsorgsforpliktelser"
    TILBAKEHOLDT = "tilbakeholdt_mot_sin_vilje"
    FRITAK_OMSORG = "fritak_omsorg"  # the right revives after a § 29 second-paragraph exemption


@dataclass(frozen=True, slots=True)
class Krav:
    claim_date: dt.date
    reason: KravReason


@dataclass(frozen=True, slots=True)
class RightsParams:
    """The ages and limits of N1; each band is [low, high) in whole years."""

    # integreringsloven §§ 26-28: 18-67 at the permit date; ends at the 67th birthday.
    ordinary_ages: tuple[int, int] = (18, 67)
    # Decision N1-a: kap. 6A uses the ordinary band (no source gives another).
    kap6a_ages: tuple[int, int] = (18, 67)
    # introduksjonsloven: right and duty (and duty only) 16-55, the right alone 55-67.
    introduksjonsloven_duty_ages: tuple[int, int] = (16, 55)
    introduksjonsloven_right_only_ages: tuple[int, int] = (55, 67)
    right_ends_at_age: int = 67
    # integreringsforskriften § 20: a start by claim at most this long after the ordinary one.
    deferred_start_max_years: int = 10


@dataclass(frozen=True, slots=True)
class NorskPersonFacts:
    regime: Regime
    permit_list: PermitList
    birth_date: dt.date
    permit_date: dt.date
    permit_granted_abroad: bool = False
    arrival_date: dt.date | None = None
    leads_to_permanent_residence: bool = True
    start_rule: StartRule = StartRule.ORDINARY
    first_renewal_date: dt.date | None = None
    settlement_date: dt.date | None = None  # settled by agreement with IMDi
    krav: Krav | None = None
    permit_revoked_on: dt.date | None = None  # the final decision revoking the permit
    completes_programme_under_9_2: bool = False


@dataclass(frozen=True, slots=True)
class NorskRights:
    """The person's category and its dates; ``category`` None: outside the groups."""

    category: NorskCategory | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    right_to_complete: bool
    reason_nb: str
    basis: tuple[LegalBasis, ...]

    @property
    def has_right(self) -> bool:
        return self.right_to_complete or (self.category is not None and self.category.has_right)

    @property
    def has_duty(self) -> bool:
        return self.category is not None and self.category.has_duty

    def active_on(self, day: dt.date) -> bool:
        if self.starts_on is None or day < self.starts_on:
            return False
        return self.ends_on is None or day < self.ends_on


BASIS_RIGHT_AND_DUTY = LegalBasis(
    "norsk.rights.rett_og_plikt",
    "integreringsloven §§ 26–27: rett og plikt for 18–67 år da tillatelsen ble innvilget",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§27",
)
BASIS_DUTY_ONLY = LegalBasis(
    "norsk.rights.plikt",
    "integreringsloven §§ 26 og 28: plikt for 18–67 år da tillatelsen ble innvilget",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§28",
)
BASIS_NOT_IN_GROUP = LegalBasis(
    "norsk.rights.outside_group",
    "integreringsloven § 26: kommunen kan tilby opplæring til andre; med integreringsloven "
    "kan man ikke vokse seg inn i målgruppen (IMDis juridiske veileder)",
    BasisKind.LOV,
    IMDI_VEILEDER_KAP6,
)
BASIS_KAP6A_RIGHT = LegalBasis(
    "norsk.rights.kap6a",
    "integreringsloven kap. 6A § 37 d: rett, ikke plikt, til opplæring i norsk; "
    "registerets regel: samme aldersgrense som de ordinære reglene",
    BasisKind.LOV,
    IMDI_NIR_KAP6A,
)
BASIS_KAP6A_PENDING = LegalBasis(
    "norsk.rights.kap6a_after_settlement",
    "IMDis praksis i NIR: kategorien «Rett til norsk» beregnes først etter bosetting etter "
    "avtale mellom kommunen og IMDi",
    BasisKind.PRAKSIS,
    IMDI_NIR_KAP6A,
)
BASIS_INTRODUKSJONSLOVEN = LegalBasis(
    "norsk.rights.introduksjonsloven",
    "introduksjonsloven § 17: rett og plikt 16–55 år, rett 55–67 år, plikt for "
    "arbeidsinnvandrere utenfor EØS 16–55 år",
    BasisKind.LOV,
    IMDI_TIMER_INTRODUKSJONSLOVEN,
)
BASIS_START = LegalBasis(
    "norsk.rights.start",
    "integreringsloven § 26 andre ledd: retten og plikten inntrer når tillatelsen innvilges, "
    "ved ankomst, ved første fornyelse (§ 9 første ledd bokstav d) eller ved bosetting "
    "(bokstav e)",
    BasisKind.LOV,
    IMDI_VEILEDER_KAP6,
)
BASIS_DEFERRED_START = LegalBasis(
    "norsk.rights.deferred_start",
    "integreringsforskriften §§ 20–22: rett og plikt fra krav om opplæring, inntil ti år "
    "etter at retten og plikten inntrådte",
    BasisKind.FORSKRIFT,
    IMDI_FORSKRIFT_KAP5,
)
BASIS_ENDS_AT_67 = LegalBasis(
    "norsk.rights.ends_at_67",
    "integreringsloven § 26: retten og plikten opphører ved fylte 67 år; ved tilbakekall "
    "fra endelig vedtak",
    BasisKind.LOV,
    IMDI_VEILEDER_KAP6,
)
BASIS_COMPLETE_UNDER_9_2 = LegalBasis(
    "norsk.rights.complete_9_2",
    "integreringsloven § 26: den som har rett til å fullføre introduksjonsprogrammet etter "
    "§ 9 andre ledd, har også rett til å fullføre opplæringen",
    BasisKind.LOV,
    IMDI_VEILEDER_KAP6,
)


def _within(age: int, band: tuple[int, int]) -> bool:
    return band[0] <= age < band[1]


Found = tuple[NorskCategory | None, str, LegalBasis]


def _introduksjonsloven_category(
    facts: NorskPersonFacts, as_of: dt.date, params: RightsParams
) -> Found:
    # Under introduksjonsloven a person could grow into the group: the age on the day asked.
    age = age_on(facts.birth_date, as_of)
    reason = f"{age} år etter introduksjonsloven"
    if facts.permit_list is PermitList.ANNEN or not facts.leads_to_permanent_residence:
        return None, "tillatelsen gir ikke rett eller plikt", BASIS_INTRODUKSJONSLOVEN
    duty_only = facts.permit_list is PermitList.PLIKT
    if _within(age, params.introduksjonsloven_duty_ages):
        category = NorskCategory.PLIKT if duty_only else NorskCategory.RETT_OG_PLIKT
        return category, reason, BASIS_INTRODUKSJONSLOVEN
    if not duty_only and _within(age, params.introduksjonsloven_right_only_ages):
        return NorskCategory.RETT, reason, BASIS_INTRODUKSJONSLOVEN
    return None, reason, BASIS_INTRODUKSJONSLOVEN


def _kap6a_category(facts: NorskPersonFacts, as_of: dt.date, params: RightsParams) -> Found:
    if facts.settlement_date is None or facts.settlement_date > as_of:
        return None, "kategorien beregnes etter bosetting etter avtale", BASIS_KAP6A_PENDING
    age = age_on(facts.birth_date, facts.permit_date)
    category = NorskCategory.RETT_TIL_NORSK if _within(age, params.kap6a_ages) else None
    return category, f"{age} år da tillatelsen ble gitt", BASIS_KAP6A_RIGHT


def _category(facts: NorskPersonFacts, as_of: dt.date, params: RightsParams) -> Found:
    """The category by regime and permit list, the reason in a sentence, and its basis.

    Under integreringsloven the age at the permit date decides: one cannot grow into the
    group.
    """
    if facts.regime is Regime.INTRODUKSJONSLOVEN:
        return _introduksjonsloven_category(facts, as_of, params)
    if facts.regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        return _kap6a_category(facts, as_of, params)
    age = age_on(facts.birth_date, facts.permit_date)
    reason = f"{age} år da tillatelsen ble gitt"
    if facts.permit_list is PermitList.ANNEN or not facts.leads_to_permanent_residence:
        return None, "tillatelsen gir ikke rett eller plikt", BASIS_NOT_IN_GROUP
    if not _within(age, params.ordinary_ages):
        return None, reason, BASIS_NOT_IN_GROUP
    if facts.permit_list is PermitList.PLIKT:
        return NorskCategory.PLIKT, reason, BASIS_DUTY_ONLY
    return NorskCategory.RETT_OG_PLIKT, reason, BASIS_RIGHT_AND_DUTY


def _required(day: dt.date | None, field: str, what: str) -> dt.date:
    if day is None:
        raise RuleViolation(
            field=field,
            code="norsk.rights.start_date_missing",
            message=f"Retten og plikten inntrer {what}; datoen er ikke registrert.",
            basis=BASIS_START,
            params={"field": field},
        )
    return day


def ordinary_start(facts: NorskPersonFacts) -> dt.date:
    """The day the right and duty start before any claim (integreringsloven § 26)."""
    if facts.start_rule is StartRule.FIRST_RENEWAL:
        return _required(facts.first_renewal_date, "first_renewal_date", "ved første fornyelse")
    if facts.start_rule is StartRule.SETTLEMENT:
        return _required(facts.settlement_date, "settlement_date", "ved bosetting")
    if facts.permit_granted_abroad:
        return _required(facts.arrival_date, "arrival_date", "ved ankomst til Norge")
    return facts.permit_date


def check_krav(krav: Krav, ordinary: dt.date, params: RightsParams) -> None:
    """A start by claim lies between the ordinary start and ten years after it."""
    latest = add_months(ordinary, 12 * params.deferred_start_max_years)
    if not ordinary <= krav.claim_date <= latest:
        raise RuleViolation(
            field="claim_date",
            code="norsk.rights.deferred_start_limit",
            message=(
                f"Retten og plikten kan inntre fra krav om opplæring mellom "
                f"{ordinary:%d.%m.%Y} og {latest:%d.%m.%Y} (inntil "
                f"{params.deferred_start_max_years} år etter at den inntrådte)."
            ),
            basis=BASIS_DEFERRED_START,
            params={
                "earliest": ordinary.isoformat(),
                "latest": latest.isoformat(),
                "years": params.deferred_start_max_years,
            },
        )


def rights_end(facts: NorskPersonFacts, params: RightsParams) -> dt.date:
    """The 67th birthday, or the final revocation of the permit if that comes first."""
    birthday = add_months(facts.birth_date, 12 * params.right_ends_at_age)
    if facts.permit_revoked_on is not None:
        return min(birthday, facts.permit_revoked_on)
    return birthday


def determine_rights(
    facts: NorskPersonFacts, as_of: dt.date, params: RightsParams | None = None
) -> NorskRights:
    """The category on ``as_of`` with the day it starts and ends, each with its basis.

    Under integreringsloven the age at the permit date decides once: someone aged 17 then
    never gets the right or duty. A claim (krav) moves the start, at most ten years on.
    """
    params = params or RightsParams()
    category, reason, basis = _category(facts, as_of, params)
    bases = [basis]
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    if category is not None:
        starts_on = ordinary_start(facts)
        bases.append(BASIS_START)
        if facts.krav is not None:
            check_krav(facts.krav, starts_on, params)
            starts_on = facts.krav.claim_date
            bases.append(BASIS_DEFERRED_START)
        ends_on = rights_end(facts, params)
        bases.append(BASIS_ENDS_AT_67)
    if facts.completes_programme_under_9_2:
        bases.append(BASIS_COMPLETE_UNDER_9_2)
    return NorskRights(
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
        right_to_complete=facts.completes_programme_under_9_2,
        reason_nb=reason,
        basis=tuple(bases),
    )
