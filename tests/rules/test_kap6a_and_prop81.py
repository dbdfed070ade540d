"""Kap. 6A «kan tilbys» by age, and the amendment of Prop. 81 L (2024–2025) switched on by
one configured date: worked examples as table tests."""

import dataclasses
import datetime as dt

import pytest

from nir.rules.config import DEFAULT_CONFIG
from nir.rules.dates import add_months
from nir.rules.errors import RuleViolation
from nir.rules.participation import ParticipationFacts, derive_frist
from nir.rules.programme_length import Sluttmaal, programme_length_table
from nir.rules.regime import Category, Regime, check_category, suggest_category

D = dt.date
K6A = Regime.INTEGRERINGSLOVEN_KAP6A
PERMIT = D(2023, 3, 1)
IN_FORCE = D(2026, 1, 1)
PROP81 = dataclasses.replace(
    DEFAULT_CONFIG,
    prop81_in_force=IN_FORCE,
    programme_lengths=programme_length_table(IN_FORCE),
)


def _born(age: int) -> dt.date:
    """Born so as to be ``age`` on the permit date."""
    return D(PERMIT.year - age, 1, 1)


@pytest.mark.parametrize(
    ("age", "suggested"),
    [
        (18, Category.RETT),
        (55, Category.RETT),
        (56, Category.KAN_TILBYS),
        (67, Category.KAN_TILBYS),
    ],
)
def test_kap6a_suggestion_follows_the_age_at_the_permit_date(age, suggested):
    assert (
        suggest_category(
            regime=K6A, birth_date=_born(age), permit_date=PERMIT, settled_by_agreement=False
        )
        is suggested
    )


@pytest.mark.parametrize(
    ("age", "category", "accepted"),
    [
        (30, Category.RETT, True),
        (55, Category.RETT, True),
        (55, Category.KAN_TILBYS, True),  # the bands meet at 55
        (60, Category.KAN_TILBYS, True),
        (67, Category.KAN_TILBYS, True),
        (60, Category.RETT, False),  # over 55: no right, but the municipality may offer it
        (68, Category.KAN_TILBYS, False),  # beyond 67: refused with the rule's message
        (30, Category.KAN_TILBYS, False),  # 18-55 have the right itself
        (30, Category.RETT_OG_PLIKT, False),  # kap. 6A never gives a duty
    ],
)
def test_kap6a_accepts_rett_at_18_55_and_kan_tilbys_at_55_67(age, category, accepted):
    if accepted:
        check_category(K6A, category, age_at_permit=age)
        return
    with pytest.raises(RuleViolation) as refused:
        check_category(K6A, category, age_at_permit=age)
    assert refused.value.field == "category"
    assert refused.value.basis.rule_id == "category.kap6a_by_age"
    assert "kapittel 6A" in refused.value.message


def test_a_kap6a_refusal_over_55_points_to_kan_tilbys():
    with pytest.raises(RuleViolation) as refused:
        check_category(K6A, Category.RETT, age_at_permit=60)
    assert "velg «kan tilbys»" in refused.value.message
    with pytest.raises(RuleViolation) as beyond:
        check_category(K6A, Category.KAN_TILBYS, age_at_permit=70)
    assert "mellom 55 og 67 år" in beyond.value.message and "70 år" in beyond.value.message


@pytest.mark.parametrize(
    ("age", "start", "config", "expected"),
    [
        (55, D(2026, 2, 1), DEFAULT_CONFIG, Category.RETT_OG_PLIKT),
        (58, D(2026, 2, 1), DEFAULT_CONFIG, Category.KAN_TILBYS),  # not in force
        (58, D(2025, 12, 31), PROP81, Category.KAN_TILBYS),  # started the day before
        (58, D(2026, 1, 1), PROP81, Category.RETT_OG_PLIKT),  # on the in-force date
        (60, D(2026, 2, 1), PROP81, Category.RETT_OG_PLIKT),
        (61, D(2026, 2, 1), PROP81, Category.KAN_TILBYS),
    ],
)
def test_prop81_widens_right_and_duty_to_60_for_programmes_starting_from_its_date(
    age, start, config, expected
):
    assert (
        suggest_category(
            regime=Regime.INTEGRERINGSLOVEN,
            birth_date=_born(age),
            permit_date=PERMIT,
            settled_by_agreement=True,
            programme_start=start,
            config=config,
        )
        is expected
    )


def _facts(start, sluttmaal, *, age=22, upper_secondary=False, regime=Regime.INTEGRERINGSLOVEN):
    return ParticipationFacts(
        regime=regime,
        start=start,
        birth_date=D(start.year - age, 1, 1),
        has_upper_secondary=upper_secondary,
        sluttmaal=sluttmaal,
    )


S = Sluttmaal


@pytest.mark.parametrize(
    ("start", "sluttmaal", "age", "upper", "config", "months", "row"),
    [
        # Before the date, or with no date configured, old and new compute as before.
        (
            D(2026, 3, 1),
            S.FULLFORT_VIDEREGAENDE,
            22,
            False,
            DEFAULT_CONFIG,
            36,
            "p14_under_25.2021",
        ),
        (D(2025, 12, 31), S.FULLFORT_VIDEREGAENDE, 22, False, PROP81, 36, "p14_under_25.2021"),
        # From the in-force date: one year more for all or part of upper secondary.
        (D(2026, 1, 1), S.FULLFORT_VIDEREGAENDE, 22, False, PROP81, 48, "p14_under_25.prop81"),
        (D(2026, 3, 1), S.FULLFORT_VIDEREGAENDE, 30, False, PROP81, 48, "p14_25_pluss_vgo.prop81"),
        (D(2026, 3, 1), S.DELER_AV_VIDEREGAENDE, 30, False, PROP81, 36, "p14_deler_vgo.prop81"),
        (D(2025, 3, 1), S.DELER_AV_VIDEREGAENDE, 30, False, PROP81, 24, "p14_deler_vgo.2021"),
        # Other goals keep their length; the citation is the amended text's.
        (D(2026, 3, 1), S.ARBEID, 30, False, PROP81, 24, "p14_andre.prop81"),
        (D(2026, 3, 1), S.ARBEID, 30, True, PROP81, 6, "p13.prop81"),
    ],
)
def test_prop81_rows_apply_from_the_programme_start_on_or_after_the_in_force_date(
    start, sluttmaal, age, upper, config, months, row
):
    result = derive_frist(_facts(start, sluttmaal, age=age, upper_secondary=upper), config)
    assert result.row.row_id == f"integreringsloven.{row}"
    assert result.derivation.base_months == months
    assert result.derivation.frist == add_months(start, months)


def test_the_derivation_says_why_the_programme_time_is_what_it_is():
    p13 = derive_frist(
        _facts(D(2023, 1, 31), S.ARBEID, age=30, upper_secondary=True), DEFAULT_CONFIG
    )
    assert p13.derivation.explain_nb()[1] == (
        "Programtid 6 måneder fordi deltakeren har utdanning på videregående nivå eller "
        "høyere fra før, integreringsloven § 13."
    )
    longer = derive_frist(_facts(D(2026, 3, 1), S.FULLFORT_VIDEREGAENDE), PROP81)
    line = longer.derivation.explain_nb()[1]
    assert line.startswith("Programtid 48 måneder fordi deltakeren er under 25 år")
    assert "Prop. 81 L (2024–2025) gir ett år lenger programtid" in line
    assert line.endswith("integreringsloven § 14 (endret etter Prop. 81 L (2024–2025)).")


def test_kap6a_rows_are_not_changed_by_the_amendment():
    result = derive_frist(
        _facts(D(2026, 3, 1), S.FULLFORT_VIDEREGAENDE, regime=Regime.INTEGRERINGSLOVEN_KAP6A),
        PROP81,
    )
    assert result.row.row_id == "kap6a.p14_under_25.2022"
    assert result.derivation.base_months == 36
