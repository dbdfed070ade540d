"""rules-norsk.md N1: categories, start points, deferred start, the end at 67."""

import datetime as dt

import pytest

from nir.rules.errors import RuleViolation
from nir.rules.norsk.rights import (
    Krav,
    KravReason,
    NorskCategory,
    NorskPersonFacts,
    PermitList,
    RightsParams,
    StartRule,
    determine_rights,
)
from nir.rules.regime import Regime

D = dt.date
IL, KAP6A, INTRO = (
    Regime.INTEGRERINGSLOVEN,
    Regime.INTEGRERINGSLOVEN_KAP6A,
    Regime.INTRODUKSJONSLOVEN,
)


def person(regime=IL, permit_list=PermitList.RETT_OG_PLIKT, birth=D(1990, 6, 1), **kw):
    return NorskPersonFacts(regime, permit_list, birth, kw.pop("permit", D(2022, 3, 10)), **kw)


@pytest.mark.parametrize(
    ("facts", "as_of", "category"),
    [
        pytest.param(person(), D(2023, 1, 1), NorskCategory.RETT_OG_PLIKT, id="ss27"),
        pytest.param(
            person(permit_list=PermitList.PLIKT),
            D(2023, 1, 1),
            NorskCategory.PLIKT,
            id="ss28-duty-only",
        ),
        pytest.param(person(permit_list=PermitList.ANNEN), D(2023, 1, 1), None, id="kan-tilbys"),
        pytest.param(
            person(leads_to_permanent_residence=False),
            D(2023, 1, 1),
            None,
            id="no-permanent-residence",
        ),
        pytest.param(person(birth=D(1955, 3, 10)), D(2023, 1, 1), None, id="67-on-permit-date"),
        pytest.param(
            person(birth=D(1955, 3, 11)),
            D(2023, 1, 1),
            NorskCategory.RETT_OG_PLIKT,
            id="66-on-permit-date",
        ),
        pytest.param(
            person(birth=D(2004, 3, 10)),
            D(2023, 1, 1),
            NorskCategory.RETT_OG_PLIKT,
            id="18th-birthday-on-permit-date",
        ),
        pytest.param(
            person(KAP6A, PermitList.KOLLEKTIV_BESKYTTELSE, settlement_date=D(2022, 7, 1)),
            D(2023, 1, 1),
            NorskCategory.RETT_TIL_NORSK,
            id="kap6a",
        ),
        pytest.param(
            person(KAP6A, PermitList.KOLLEKTIV_BESKYTTELSE),
            D(2023, 1, 1),
            None,
            id="kap6a-before-settlement",
        ),
        pytest.param(
            person(KAP6A, PermitList.KOLLEKTIV_BESKYTTELSE, settlement_date=D(2023, 2, 1)),
            D(2023, 1, 1),
            None,
            id="kap6a-settled-later",
        ),
        pytest.param(
            person(INTRO, birth=D(1980, 1, 1), permit=D(2019, 1, 1)),
            D(2020, 1, 1),
            NorskCategory.RETT_OG_PLIKT,
            id="intro-16-55",
        ),
        pytest.param(
            person(INTRO, birth=D(1960, 1, 1), permit=D(2019, 1, 1)),
            D(2020, 1, 1),
            NorskCategory.RETT,
            id="intro-55-67-right-only",
        ),
        pytest.param(
            person(INTRO, PermitList.PLIKT, birth=D(1980, 1, 1), permit=D(2019, 1, 1)),
            D(2020, 1, 1),
            NorskCategory.PLIKT,
            id="intro-duty-only",
        ),
        pytest.param(
            person(INTRO, PermitList.PLIKT, birth=D(1960, 1, 1), permit=D(2019, 1, 1)),
            D(2020, 1, 1),
            None,
            id="intro-duty-only-over-55",
        ),
        pytest.param(
            person(INTRO, birth=D(2003, 6, 1), permit=D(2018, 1, 1)),
            D(2019, 6, 1),
            NorskCategory.RETT_OG_PLIKT,
            id="intro-grows-into-the-group",
        ),
        pytest.param(
            person(INTRO, birth=D(2003, 6, 1), permit=D(2018, 1, 1)),
            D(2019, 5, 31),
            None,
            id="intro-not-yet-16",
        ),
    ],
)
def test_the_category_follows_regime_list_and_age(facts, as_of, category):
    assert determine_rights(facts, as_of).category is category


def test_kap6a_gives_a_right_without_duty():
    rights = determine_rights(
        person(KAP6A, PermitList.KOLLEKTIV_BESKYTTELSE, settlement_date=D(2022, 7, 1)),
        D(2023, 1, 1),
    )
    assert (rights.has_right, rights.has_duty) == (True, False)
    assert "norsk.rights.kap6a" in {b.rule_id for b in rights.basis}


def test_the_kap6a_age_band_is_configurable():
    facts = person(
        KAP6A, PermitList.KOLLEKTIV_BESKYTTELSE, birth=D(1960, 1, 1), settlement_date=D(2022, 7, 1)
    )
    assert determine_rights(facts, D(2023, 1, 1)).category is NorskCategory.RETT_TIL_NORSK
    narrow = RightsParams(kap6a_ages=(18, 55))
    assert determine_rights(facts, D(2023, 1, 1), narrow).category is None


@pytest.mark.parametrize(
    ("facts", "starts_on"),
    [
        pytest.param(person(), D(2022, 3, 10), id="permit-date"),
        pytest.param(
            person(permit_granted_abroad=True, arrival_date=D(2022, 5, 2)),
            D(2022, 5, 2),
            id="arrival-after-permit-abroad",
        ),
        pytest.param(
            person(start_rule=StartRule.FIRST_RENEWAL, first_renewal_date=D(2023, 3, 1)),
            D(2023, 3, 1),
            id="ss9-d-first-renewal",
        ),
        pytest.param(
            person(start_rule=StartRule.SETTLEMENT, settlement_date=D(2022, 9, 1)),
            D(2022, 9, 1),
            id="ss9-e-settlement",
        ),
        pytest.param(
            person(krav=Krav(D(2031, 1, 1), KravReason.OMSORG)),
            D(2031, 1, 1),
            id="krav-after-care-duties",
        ),
        pytest.param(
            person(krav=Krav(D(2032, 3, 10), KravReason.TILBAKEHOLDT)),
            D(2032, 3, 10),
            id="krav-on-the-tenth-anniversary",
        ),
    ],
)
def test_the_right_and_duty_start_on(facts, starts_on):
    assert determine_rights(facts, D(2023, 1, 1)).starts_on == starts_on


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(
            person(krav=Krav(D(2032, 3, 11), KravReason.OMSORG)), id="krav-after-10-years"
        ),
        pytest.param(person(krav=Krav(D(2022, 3, 9), KravReason.OMSORG)), id="krav-before-start"),
    ],
)
def test_a_start_by_claim_more_than_ten_years_on_is_refused(facts):
    with pytest.raises(RuleViolation) as refused:
        determine_rights(facts, D(2023, 1, 1))
    assert refused.value.code == "norsk.rights.deferred_start_limit"
    assert refused.value.basis.reference.startswith("integreringsforskriften §§ 20–22")


@pytest.mark.parametrize(
    "facts",
    [
        person(permit_granted_abroad=True),
        person(start_rule=StartRule.FIRST_RENEWAL),
        person(start_rule=StartRule.SETTLEMENT),
    ],
)
def test_a_start_date_the_rule_needs_must_be_registered(facts):
    with pytest.raises(RuleViolation, match="ikke registrert"):
        determine_rights(facts, D(2023, 1, 1))


def test_the_right_ends_at_the_67th_birthday_or_at_a_final_revocation():
    rights = determine_rights(person(birth=D(1960, 2, 29)), D(2023, 1, 1))
    assert rights.ends_on == D(2027, 2, 28)
    assert rights.active_on(D(2027, 2, 27)) and not rights.active_on(D(2027, 2, 28))
    revoked = determine_rights(person(permit_revoked_on=D(2024, 5, 1)), D(2023, 1, 1))
    # Until the final decision the person stays in the group.
    assert revoked.active_on(D(2024, 4, 30)) and not revoked.active_on(D(2024, 5, 1))


def test_the_right_to_complete_under_9_2_is_a_right_outside_the_groups():
    rights = determine_rights(
        person(birth=D(1950, 1, 1), completes_programme_under_9_2=True), D(2023, 1, 1)
    )
    assert rights.category is None
    assert rights.has_right and not rights.has_duty
