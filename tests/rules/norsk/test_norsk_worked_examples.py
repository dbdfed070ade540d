"""rules-norsk.md N3 worked examples N-1..N-8, one row each, named by the example's id."""

import datetime as dt
from dataclasses import replace

import pytest

from nir.rules.dates import DateInterval
from nir.rules.errors import RuleViolation
from nir.rules.frist import ClockStop
from nir.rules.norsk.frist import (
    ExtendedNorwegian,
    FristParams,
    NorskFristDerivation,
    NorskFristFacts,
    check_extended_norwegian,
    compute_norsk_frist,
    extended_decision_window,
)
from nir.rules.norsk.hours import timemaal
from nir.rules.norsk.rights import NorskCategory, NorskPersonFacts, PermitList, determine_rights
from nir.rules.regime import Regime

D = dt.date
# N-4 and N-6 assume § 43 g applies on their decision dates; it was set to lapse on
# 2024-07-01 and whether it was prolonged is open (N10 6), so these rows say so.
PROLONGED = FristParams(extended_valid_to=None)


def leave(start, end, ref="p1"):
    return ClockStop(ref, "permisjon", DateInterval(start, end), True, "Permisjon")


def ordinary(vgo, right_start, leaves=()):
    return NorskFristFacts(
        Regime.INTEGRERINGSLOVEN, NorskCategory.RETT_OG_PLIKT, right_start, None, vgo, leaves
    )


def kap6a(start, vgo=None, leaves=(), extended=()):
    return NorskFristFacts(
        Regime.INTEGRERINGSLOVEN_KAP6A,
        NorskCategory.RETT_TIL_NORSK,
        None,
        start,
        vgo,
        leaves,
        tuple(extended),
    )


def frist(facts, params=None):
    result = compute_norsk_frist(facts, params)
    assert isinstance(result, NorskFristDerivation), result
    return result.frist


def six_months(decision_date, ref):
    return ExtendedNorwegian(ref, decision_date, 6)


def grant_in_turn(facts, count, params):
    """Register ``count`` § 43 g decisions of 6 months, each dated on the frist it extends."""
    for n in range(count):
        current = frist(facts, params)
        check_extended_norwegian(facts, six_months(current, f"u{n}"), params)
        facts = replace(facts, extended=(*facts.extended, six_months(current, f"u{n}")))
    return facts


N1_LEAVE = [leave(D(2022, 8, 1), D(2022, 9, 30))]
N3_LEAVE = [leave(D(2023, 6, 1), D(2023, 6, 30))]

FRIST_EXAMPLES = [
    pytest.param(ordinary(True, D(2022, 3, 10)), None, D(2023, 9, 10), id="N-1a"),
    pytest.param(ordinary(True, D(2022, 3, 10), N1_LEAVE), None, D(2023, 11, 10), id="N-1b"),
    pytest.param(ordinary(False, D(2021, 8, 31)), None, D(2024, 8, 31), id="N-2"),
    pytest.param(kap6a(D(2023, 1, 31), leaves=N3_LEAVE), None, D(2024, 3, 1), id="N-3"),
    pytest.param(
        kap6a(D(2023, 1, 31), leaves=N3_LEAVE, extended=[six_months(D(2024, 2, 1), "u1")]),
        PROLONGED,
        D(2024, 8, 30),
        id="N-4",
    ),
]


@pytest.mark.parametrize(("facts", "params", "expected"), FRIST_EXAMPLES)
def test_the_frist_of_each_worked_example(facts, params, expected):
    assert frist(facts, params) == expected


def test_N_1_counts_the_61_days_of_leave_once():
    result = compute_norsk_frist(ordinary(True, D(2022, 3, 10), N1_LEAVE))
    assert isinstance(result, NorskFristDerivation)
    assert (result.months_date, result.leave_days) == (D(2023, 9, 10), 61)


def test_N_4_adds_the_months_in_one_step_from_the_anchor():
    facts = kap6a(D(2023, 1, 31), leaves=N3_LEAVE, extended=[six_months(D(2024, 2, 1), "u1")])
    result = compute_norsk_frist(facts, PROLONGED)
    assert isinstance(result, NorskFristDerivation)
    assert (result.months_total, result.months_date) == (18, D(2024, 7, 31))


def test_N_4_the_decision_is_accepted_against_the_frist_of_N_3():
    grant = check_extended_norwegian(
        kap6a(D(2023, 1, 31), vgo=False, leaves=N3_LEAVE),
        six_months(D(2024, 2, 1), "u1"),
        PROLONGED,
    )
    assert (grant.frist, grant.grant_nok) == (D(2024, 8, 30), 27_450)


@pytest.mark.parametrize(
    ("frist_date", "earliest", "latest"),
    [pytest.param(D(2024, 1, 31), D(2023, 11, 30), D(2024, 3, 31), id="N-5")],
)
def test_when_a_43_g_decision_may_be_dated(frist_date, earliest, latest):
    window = extended_decision_window(frist_date)
    assert (window.start, window.end) == (earliest, latest)


def test_N_5_a_decision_outside_the_window_is_refused():
    facts = kap6a(D(2023, 1, 31), vgo=False)
    for day in (D(2023, 11, 29), D(2024, 4, 1)):
        with pytest.raises(RuleViolation) as refused:
            check_extended_norwegian(facts, six_months(day, "u1"), PROLONGED)
        assert refused.value.code == "norsk.frist.extended.decision_date_window"
    for day in (D(2023, 11, 30), D(2024, 3, 31)):
        check_extended_norwegian(facts, six_months(day, "u1"), PROLONGED)


@pytest.mark.parametrize(
    ("vgo", "allowed", "last_frist"),
    [
        pytest.param(False, 4, D(2026, 9, 1), id="N-6a"),
        pytest.param(True, 1, D(2025, 3, 1), id="N-6c"),
    ],
)
def test_N_6_the_count_of_43_g_decisions_follows_education(vgo, allowed, last_frist):
    facts = grant_in_turn(kap6a(D(2023, 9, 1), vgo=vgo), allowed, PROLONGED)
    assert frist(facts, PROLONGED) == last_frist
    with pytest.raises(RuleViolation) as refused:
        check_extended_norwegian(facts, six_months(last_frist, "one-more"), PROLONGED)
    assert refused.value.code == "norsk.frist.extended.count"


def test_N_6b_a_fifth_decision_is_refused():
    facts = grant_in_turn(kap6a(D(2023, 9, 1), vgo=False), 4, PROLONGED)
    assert frist(kap6a(D(2023, 9, 1), vgo=False)) == D(2024, 9, 1)
    with pytest.raises(RuleViolation, match="Høyst 4 vedtak"):
        check_extended_norwegian(facts, six_months(D(2026, 9, 1), "u5"), PROLONGED)


@pytest.mark.parametrize(
    ("birth_date", "permit_date", "category"),
    [
        pytest.param(D(2004, 1, 15), D(2021, 12, 15), None, id="N-7"),
        pytest.param(D(2004, 1, 15), D(2022, 1, 15), NorskCategory.RETT_OG_PLIKT, id="N-7-at-18"),
    ],
)
def test_N_7_a_permit_granted_at_17_years_11_months_gives_no_category(
    birth_date, permit_date, category
):
    facts = NorskPersonFacts(
        Regime.INTEGRERINGSLOVEN, PermitList.RETT_OG_PLIKT, birth_date, permit_date
    )
    # Later birthdays do not grow the person into the group.
    assert determine_rights(facts, D(2030, 1, 1)).category is category


@pytest.mark.parametrize(
    ("abroad", "arrival", "hours", "modules"),
    [
        pytest.param(False, None, 50, 1, id="N-8a"),
        pytest.param(True, D(2022, 1, 10), 75, 3, id="N-8b"),
    ],
)
def test_N_8_social_studies_hours_follow_the_permit_or_the_arrival(abroad, arrival, hours, modules):
    facts = NorskPersonFacts(
        Regime.INTEGRERINGSLOVEN,
        PermitList.RETT_OG_PLIKT,
        D(1990, 5, 5),
        D(2021, 11, 15),
        permit_granted_abroad=abroad,
        arrival_date=arrival,
    )
    target = timemaal(facts, NorskCategory.RETT_OG_PLIKT).samfunnskunnskap
    assert target is not None
    assert (target.hours, target.modules) == (hours, modules)
