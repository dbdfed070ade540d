"""rules-norsk.md N3: the frist's edge cases, § 43 g, the passing of the frist, properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nir.rules.dates import DateInterval, add_months
from nir.rules.errors import RuleViolation
from nir.rules.frist import ClockStop
from nir.rules.norsk.frist import (
    AnchorRule,
    ExtendedNorwegian,
    FristNotComputable,
    FristParams,
    NorskFristDerivation,
    NorskFristFacts,
    OrdningStatus,
    check_extended_norwegian,
    compute_norsk_frist,
    frist_state,
)
from nir.rules.norsk.rights import NorskCategory
from nir.rules.regime import Regime

D = dt.date
IL, KAP6A, INTRO = (
    Regime.INTEGRERINGSLOVEN,
    Regime.INTEGRERINGSLOVEN_KAP6A,
    Regime.INTRODUKSJONSLOVEN,
)


def leave(start, end, ref="p1"):
    return ClockStop(ref, "permisjon", DateInterval(start, end), True, "Permisjon")


def facts(
    regime=IL,
    category=NorskCategory.RETT_OG_PLIKT,
    right=D(2022, 1, 1),
    first=None,
    vgo=True,
    leaves=(),
    extended=(),
):
    return NorskFristFacts(regime, category, right, first, vgo, tuple(leaves), tuple(extended))


@pytest.mark.parametrize(
    ("given_facts", "code"),
    [
        pytest.param(facts(vgo=None), "norsk.frist.education_missing", id="N3-b-no-education"),
        pytest.param(
            facts(category=NorskCategory.PLIKT),
            "norsk.frist.plikt_no_limit",
            id="duty-only-no-limit",
        ),
        pytest.param(
            facts(category=NorskCategory.KAN_TILBYS), "norsk.frist.no_right", id="offered-no-frist"
        ),
        pytest.param(
            facts(KAP6A, NorskCategory.RETT_TIL_NORSK),
            "norsk.frist.no_decision",
            id="kap6a-before-first-decision",
        ),
        pytest.param(facts(right=None), "norsk.frist.no_anchor", id="no-right-start"),
    ],
)
def test_a_frist_that_cannot_be_computed_says_why_and_never_defaults(given_facts, code):
    result = compute_norsk_frist(given_facts)
    assert isinstance(result, FristNotComputable)
    assert result.code == code


def test_N3_b_the_message_asks_for_the_education_background():
    result = compute_norsk_frist(facts(vgo=None))
    assert isinstance(result, FristNotComputable)
    assert "registrer utdanningsbakgrunn" in result.message_nb


def test_N3_a_the_anchor_is_one_switch():
    given_facts = facts(right=D(2022, 1, 1), first=D(2022, 4, 1))
    by_right = compute_norsk_frist(given_facts)
    by_decision = compute_norsk_frist(
        given_facts, FristParams(ordinary_anchor=AnchorRule.FIRST_DECISION_START)
    )
    assert isinstance(by_right, NorskFristDerivation)
    assert isinstance(by_decision, NorskFristDerivation)
    assert (by_right.frist, by_decision.frist) == (D(2023, 7, 1), D(2023, 10, 1))


def test_N3_e_introduksjonsloven_gives_two_dates_and_adds_no_leave():
    result = compute_norsk_frist(
        facts(INTRO, right=D(2019, 8, 31), vgo=None, leaves=[leave(D(2020, 1, 1), D(2020, 1, 31))])
    )
    assert isinstance(result, NorskFristDerivation)
    assert (result.frist, result.free_right_until) == (D(2022, 8, 31), D(2024, 8, 31))
    assert result.leave_days == 0 and result.clock_stops == ()


def test_leave_outside_the_period_adds_nothing_and_overlaps_count_once():
    overlapping = [leave(D(2022, 3, 1), D(2022, 3, 31), "a"), leave(D(2022, 3, 15), D(2022, 4, 9))]
    result = compute_norsk_frist(
        facts(leaves=[*overlapping, leave(D(2025, 1, 1), D(2025, 2, 1), "c")])
    )
    assert isinstance(result, NorskFristDerivation)
    assert result.leave_days == 40
    assert result.frist == D(2023, 7, 1) + dt.timedelta(days=40)
    assert "Godkjent permisjon legger til 40 dager." in result.explain_nb()


def test_a_43_g_decision_of_more_than_six_months_is_refused():
    with pytest.raises(RuleViolation) as refused:
        check_extended_norwegian(
            facts(KAP6A, NorskCategory.RETT_TIL_NORSK, first=D(2023, 9, 1), vgo=False),
            ExtendedNorwegian("u1", D(2024, 9, 1), 7),
            FristParams(extended_valid_to=None),
        )
    assert refused.value.code == "norsk.frist.extended.months"


def test_a_43_g_decision_needs_the_education_flag_first():
    with pytest.raises(RuleViolation) as refused:
        check_extended_norwegian(
            facts(KAP6A, NorskCategory.RETT_TIL_NORSK, first=D(2023, 9, 1), vgo=None),
            ExtendedNorwegian("u1", D(2024, 9, 1), 6),
        )
    assert refused.value.code == "norsk.frist.extended.education_missing"


def test_a_43_g_decision_only_under_kap6a():
    with pytest.raises(RuleViolation) as refused:
        check_extended_norwegian(facts(), ExtendedNorwegian("u1", D(2023, 7, 1), 6))
    assert refused.value.code == "norsk.frist.extended.kap6a_only"


@pytest.mark.parametrize(
    ("decision_date", "accepted"),
    [
        (D(2023, 6, 30), False),
        (D(2023, 7, 1), True),
        (D(2024, 6, 30), True),
        (D(2024, 7, 1), False),
    ],
)
def test_43_g_applies_from_2023_07_01_and_lapses_on_2024_07_01_by_default(decision_date, accepted):
    # A first decision on 2023-03-01 gives a frist of 2024-03-01; the window is wide enough.
    given_facts = facts(KAP6A, NorskCategory.RETT_TIL_NORSK, first=D(2023, 3, 1), vgo=False)
    params = FristParams(extended_window_months=12)
    decision = ExtendedNorwegian("u1", decision_date, 6)
    if accepted:
        assert check_extended_norwegian(given_facts, decision, params).frist == D(2024, 9, 1)
    else:
        with pytest.raises(RuleViolation) as refused:
            check_extended_norwegian(given_facts, decision, params)
        assert refused.value.code == "norsk.frist.extended.provision_not_in_force"


@pytest.mark.parametrize(
    ("as_of", "ended", "auto", "status", "worklist", "end"),
    [
        pytest.param(
            D(2024, 1, 31), False, False, OrdningStatus.AKTIV, False, False, id="on-the-frist"
        ),
        pytest.param(
            D(2024, 2, 1),
            False,
            False,
            OrdningStatus.FRIST_UTLOPT,
            True,
            False,
            id="day-after-flagged",
        ),
        pytest.param(
            D(2024, 2, 1),
            False,
            True,
            OrdningStatus.FRIST_UTLOPT,
            True,
            True,
            id="day-after-switch-on",
        ),
        pytest.param(
            D(2024, 2, 1), True, True, OrdningStatus.AVSLUTTET, False, False, id="already-ended"
        ),
    ],
)
def test_N3_d_the_frist_passing_flags_and_ends_only_behind_the_switch(
    as_of, ended, auto, status, worklist, end
):
    state = frist_state(
        D(2024, 1, 31), as_of, ended=ended, params=FristParams(auto_end_norsk_at_frist=auto)
    )
    assert (state.status, state.on_worklist, state.end_automatically) == (status, worklist, end)


DAYS = st.dates(min_value=D(2021, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def leaves(draw):
    start = draw(DAYS)
    length = draw(st.integers(min_value=0, max_value=400))
    return leave(start, start + dt.timedelta(days=length), ref=f"l{draw(st.integers(0, 10**6))}")


@given(anchor=DAYS, vgo=st.booleans(), stops=st.lists(leaves(), max_size=4))
def test_the_frist_never_precedes_the_months_and_leave_never_shortens_it(anchor, vgo, stops):
    without = compute_norsk_frist(facts(right=anchor, vgo=vgo))
    with_leave = compute_norsk_frist(facts(right=anchor, vgo=vgo, leaves=stops))
    assert isinstance(without, NorskFristDerivation)
    assert isinstance(with_leave, NorskFristDerivation)
    assert without.frist == add_months(anchor, 18 if vgo else 36)
    assert with_leave.frist >= without.frist > anchor
