"""rules.md §1 (regime, category) and §2 (programme length, extension limits)."""

import dataclasses
import datetime as dt

import pytest

from nir.rules.config import DEFAULT_CONFIG
from nir.rules.errors import RuleViolation
from nir.rules.extension import check_extension
from nir.rules.programme_length import (
    ProgrammeGroup,
    Sluttmaal,
    determine_programme_group,
    select_programme_length,
)
from nir.rules.regime import (
    Category,
    PermitType,
    Regime,
    check_category,
    determine_regime,
    suggest_category,
)

D = dt.date
P = PermitType


@pytest.mark.parametrize(
    ("permit_type", "permit_date", "arrival", "start", "expected", "rule_id"),
    [
        (
            P.KOLLEKTIV_BESKYTTELSE,
            D(2022, 4, 1),
            D(2022, 3, 20),
            D(2022, 9, 1),
            Regime.INTEGRERINGSLOVEN_KAP6A,
            "regime.kap6a",
        ),
        (
            P.KOLLEKTIV_BESKYTTELSE,
            D(2022, 3, 11),
            None,
            D(2022, 6, 15),
            Regime.INTEGRERINGSLOVEN_KAP6A,
            "regime.kap6a",
        ),
        # Before kap. 6A was in force, and after it expires: the ordinary rules.
        (
            P.KOLLEKTIV_BESKYTTELSE,
            D(2022, 3, 11),
            None,
            D(2022, 6, 14),
            Regime.INTEGRERINGSLOVEN,
            "regime.kap6a_outside_period",
        ),
        (
            P.KOLLEKTIV_BESKYTTELSE,
            D(2025, 3, 1),
            None,
            D(2026, 7, 1),
            Regime.INTEGRERINGSLOVEN,
            "regime.kap6a_outside_period",
        ),
        # A Ukrainian with asylum (§ 28), or a family member: ordinary rules.
        (
            P.FLYKTNING,
            D(2022, 5, 1),
            None,
            D(2022, 9, 1),
            Regime.INTEGRERINGSLOVEN,
            "regime.integreringsloven",
        ),
        (
            P.FAMILIEINNVANDRING,
            D(2023, 5, 1),
            None,
            D(2023, 9, 1),
            Regime.INTEGRERINGSLOVEN,
            "regime.integreringsloven",
        ),
        (
            P.FLYKTNING,
            D(2021, 1, 1),
            None,
            D(2021, 3, 1),
            Regime.INTEGRERINGSLOVEN,
            "regime.integreringsloven",
        ),
        # Permit before 2021, arrival from 2021: integreringsloven by the transition rule.
        (
            P.OVERFORINGSFLYKTNING,
            D(2020, 11, 1),
            D(2021, 1, 1),
            D(2021, 2, 1),
            Regime.INTEGRERINGSLOVEN,
            "regime.integreringsloven_arrival",
        ),
        (
            P.OVERFORINGSFLYKTNING,
            D(2020, 11, 1),
            D(2020, 12, 31),
            D(2021, 2, 1),
            Regime.INTRODUKSJONSLOVEN,
            "regime.introduksjonsloven",
        ),
        (
            P.FLYKTNING,
            D(2019, 5, 1),
            None,
            D(2019, 10, 1),
            Regime.INTRODUKSJONSLOVEN,
            "regime.introduksjonsloven",
        ),
        # § 34 granted before 2022-03-11 does not exist as collective protection: ordinary.
        (
            P.KOLLEKTIV_BESKYTTELSE,
            D(2022, 3, 10),
            None,
            D(2022, 9, 1),
            Regime.INTEGRERINGSLOVEN,
            "regime.integreringsloven",
        ),
    ],
)
def test_regime_follows_permit_and_dates(
    permit_type, permit_date, arrival, start, expected, rule_id
):
    result = determine_regime(
        permit_type=permit_type,
        permit_date=permit_date,
        arrival_date=arrival,
        programme_start=start,
        config=DEFAULT_CONFIG,
    )
    assert result.regime is expected
    assert result.basis.rule_id == rule_id


def test_kap6a_expiry_is_configuration():
    open_ended = dataclasses.replace(DEFAULT_CONFIG, kap6a_expires=None)
    result = determine_regime(
        permit_type=P.KOLLEKTIV_BESKYTTELSE,
        permit_date=D(2025, 3, 1),
        arrival_date=None,
        programme_start=D(2026, 9, 1),
        config=open_ended,
    )
    assert result.regime is Regime.INTEGRERINGSLOVEN_KAP6A


def test_kap6a_participants_have_a_right_without_duty():
    check_category(Regime.INTEGRERINGSLOVEN_KAP6A, Category.RETT)
    with pytest.raises(RuleViolation) as refused:
        check_category(Regime.INTEGRERINGSLOVEN_KAP6A, Category.RETT_OG_PLIKT)
    assert refused.value.field == "category"
    assert "kapittel 6A" in refused.value.message
    with pytest.raises(RuleViolation):
        check_category(Regime.INTEGRERINGSLOVEN, Category.RETT)


@pytest.mark.parametrize(
    ("birth", "permit", "agreement", "expected"),
    [
        (D(1990, 1, 1), D(2023, 1, 1), True, Category.RETT_OG_PLIKT),
        (D(1967, 1, 2), D(2023, 1, 1), True, Category.RETT_OG_PLIKT),  # 55
        (D(1967, 1, 1), D(2023, 1, 1), True, Category.KAN_TILBYS),  # 56
        (D(2005, 1, 2), D(2023, 1, 1), True, Category.KAN_TILBYS),  # 17
        (D(1990, 1, 1), D(2023, 1, 1), False, Category.KAN_TILBYS),
    ],
)
def test_suggested_category_uses_age_when_the_permit_was_granted(
    birth, permit, agreement, expected
):
    assert (
        suggest_category(
            regime=Regime.INTEGRERINGSLOVEN,
            birth_date=birth,
            permit_date=permit,
            settled_by_agreement=agreement,
        )
        is expected
    )


S = Sluttmaal
G = ProgrammeGroup


@pytest.mark.parametrize(
    ("sluttmaal", "upper_secondary", "age", "group"),
    [
        (S.ARBEID, True, 30, G.P13),
        (S.HOYERE_UTDANNING, True, 30, G.P13),
        (S.HOYERE_UTDANNING, None, 30, G.P13),
        (S.KOMPLETTERENDE_UTDANNING, True, 40, G.P13),
        (S.FULLFORT_VIDEREGAENDE, False, 24, G.P14_UNDER_25),
        (S.FULLFORT_VIDEREGAENDE, False, 25, G.P14_25_PLUS_VGO),
        (S.ARBEID, False, 30, G.P14_ANDRE),
        (S.ARBEID, None, 30, G.P14_ANDRE),
        (S.GRUNNSKOLE, False, 40, G.P14_ANDRE),
        (S.DELER_AV_VIDEREGAENDE, False, 40, G.P14_DELER_VGO),
    ],
)
def test_sluttmaal_education_and_age_choose_the_group(sluttmaal, upper_secondary, age, group):
    result = determine_programme_group(
        regime=Regime.INTEGRERINGSLOVEN,
        sluttmaal=sluttmaal,
        has_upper_secondary=upper_secondary,
        age_at_start=age,
        group_without_sluttmaal=G.P14_ANDRE,
    )
    assert result.group is group
    assert not result.sluttmaal_missing


def test_higher_education_goal_is_refused_without_upper_secondary_education():
    with pytest.raises(RuleViolation) as refused:
        determine_programme_group(
            regime=Regime.INTEGRERINGSLOVEN,
            sluttmaal=S.HOYERE_UTDANNING,
            has_upper_secondary=False,
            age_at_start=30,
            group_without_sluttmaal=G.P14_ANDRE,
        )
    assert refused.value.field == "sluttmaal"
    assert refused.value.code == "sluttmaal.requires_upper_secondary"


def test_introduksjonsloven_has_no_sluttmaal():
    result = determine_programme_group(
        regime=Regime.INTRODUKSJONSLOVEN,
        sluttmaal=None,
        has_upper_secondary=None,
        age_at_start=30,
        group_without_sluttmaal=G.P14_ANDRE,
    )
    assert result.group is G.INTRODUKSJONSLOVEN
    with pytest.raises(RuleViolation) as refused:
        determine_programme_group(
            regime=Regime.INTRODUKSJONSLOVEN,
            sluttmaal=S.ARBEID,
            has_upper_secondary=None,
            age_at_start=30,
            group_without_sluttmaal=G.P14_ANDRE,
        )
    assert refused.value.code == "sluttmaal.not_for_introduksjonsloven"


def test_missing_sluttmaal_uses_the_configured_group_and_says_so():
    result = determine_programme_group(
        regime=Regime.INTEGRERINGSLOVEN_KAP6A,
        sluttmaal=None,
        has_upper_secondary=True,
        age_at_start=30,
        group_without_sluttmaal=G.P14_ANDRE,
    )
    assert result.group is G.P14_ANDRE
    assert result.sluttmaal_missing
    assert result.basis.rule_id == "length.missing_sluttmaal"


@pytest.mark.parametrize(
    ("regime", "group", "base", "limit", "cap"),
    [
        (Regime.INTEGRERINGSLOVEN, G.P13, 6, 6, 12),
        (Regime.INTEGRERINGSLOVEN, G.P14_UNDER_25, 36, 12, 48),
        (Regime.INTEGRERINGSLOVEN, G.P14_25_PLUS_VGO, 36, 12, 48),
        (Regime.INTEGRERINGSLOVEN, G.P14_ANDRE, 24, 12, 36),
        (Regime.INTRODUKSJONSLOVEN, G.INTRODUKSJONSLOVEN, 24, 12, 36),
        (Regime.INTEGRERINGSLOVEN_KAP6A, G.P13, 6, 6, 12),
        (Regime.INTEGRERINGSLOVEN_KAP6A, G.P14_ANDRE, 24, 12, 36),
    ],
)
def test_programme_length_table_of_rules_md(regime, group, base, limit, cap):
    row = select_programme_length(
        regime=regime,
        group=group,
        start_date=D(2023, 1, 1),
        table=DEFAULT_CONFIG.programme_lengths,
    )
    assert (row.base_months, row.extension_limit_months, row.cap_months) == (base, limit, cap)


def test_a_new_law_version_is_a_new_row_and_old_participations_keep_theirs():
    old = select_programme_length(
        regime=Regime.INTEGRERINGSLOVEN,
        group=G.P13,
        start_date=D(2023, 1, 1),
        table=DEFAULT_CONFIG.programme_lengths,
    )
    ended = dataclasses.replace(old, effective_to=D(2027, 1, 1))
    new = dataclasses.replace(
        old, row_id="integreringsloven.p13.2027", base_months=9, effective_from=D(2027, 1, 1)
    )
    table = [ended, new]
    assert (
        select_programme_length(
            regime=Regime.INTEGRERINGSLOVEN, group=G.P13, start_date=D(2026, 12, 31), table=table
        ).base_months
        == 6
    )
    assert (
        select_programme_length(
            regime=Regime.INTEGRERINGSLOVEN, group=G.P13, start_date=D(2027, 1, 1), table=table
        ).base_months
        == 9
    )


def test_no_row_in_force_is_a_clear_error():
    with pytest.raises(RuleViolation) as refused:
        select_programme_length(
            regime=Regime.INTEGRERINGSLOVEN_KAP6A,
            group=G.P13,
            start_date=D(2022, 1, 1),
            table=DEFAULT_CONFIG.programme_lengths,
        )
    assert refused.value.field == "start_date"
    assert refused.value.code == "length.no_rule_in_force"


P13_ROW = select_programme_length(
    regime=Regime.INTEGRERINGSLOVEN,
    group=G.P13,
    start_date=D(2023, 1, 1),
    table=DEFAULT_CONFIG.programme_lengths,
)
P14_ROW = select_programme_length(
    regime=Regime.INTEGRERINGSLOVEN,
    group=G.P14_ANDRE,
    start_date=D(2023, 1, 1),
    table=DEFAULT_CONFIG.programme_lengths,
)


def test_several_extensions_within_the_limit_are_accepted():
    check = check_extension(row=P14_ROW, granted_months=[6, 3], requested_months=3)
    assert check.remaining_after == 0


def test_an_extension_past_the_limit_is_refused_naming_limit_and_granted():
    with pytest.raises(RuleViolation) as refused:
        check_extension(row=P13_ROW, granted_months=[4], requested_months=3)
    error = refused.value
    assert error.field == "months"
    assert error.code == "extension.limit_exceeded"
    assert error.params["limit_months"] == 6
    assert error.params["granted_months"] == 4
    assert "høyst 6 måneder" in error.message
    assert "4 måneder er allerede innvilget" in error.message
    assert "høyst 2 måneder kan innvilges" in error.message


def test_an_extension_must_be_at_least_a_month():
    with pytest.raises(RuleViolation) as refused:
        check_extension(row=P13_ROW, granted_months=[], requested_months=0)
    assert refused.value.code == "extension.months_positive"
