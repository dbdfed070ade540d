"""rules.md §4 (automatic termination), §5 (windows, grants, cut-off), §6 (reasons)."""

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nir.rules.config import DEFAULT_CONFIG
from nir.rules.dates import DateInterval
from nir.rules.errors import RuleViolation
from nir.rules.goal_attainment import compute_goal_attainment
from nir.rules.registration_window import (
    GrantFacts,
    annual_cutoff,
    check_grant,
    check_registration_window,
    earliest_open_event,
    window_closes,
)
from nir.rules.termination import (
    TERMINATION_REASONS,
    AutomaticAction,
    OutcomeClass,
    ParticipationStatus,
    decide_automatic_termination,
    termination_reason,
)

D = dt.date
A = AutomaticAction
S = ParticipationStatus


@pytest.mark.parametrize(
    ("current", "current_end", "as_of", "action", "end_date"),
    [
        # frist 2023-07-31 throughout
        (S.ACTIVE, None, D(2023, 7, 31), A.NONE, None),  # on the frist: not yet
        (S.ACTIVE, None, D(2023, 8, 1), A.END, D(2023, 7, 31)),
        (S.ENDED, D(2023, 5, 1), D(2024, 1, 1), A.NONE, D(2023, 5, 1)),
        (S.ENDED_BY_SYSTEM, D(2023, 7, 31), D(2023, 8, 2), A.NONE, D(2023, 7, 31)),
        # the frist moved to 2023-07-31 from an earlier one, and has passed: move the end date
        (S.ENDED_BY_SYSTEM, D(2023, 6, 30), D(2023, 8, 2), A.MOVE, D(2023, 7, 31)),
        # the frist moved into the future: lift the automatic termination
        (S.ENDED_BY_SYSTEM, D(2023, 6, 30), D(2023, 7, 15), A.LIFT, None),
    ],
)
def test_automatic_termination_decision(current, current_end, as_of, action, end_date):
    decision = decide_automatic_termination(
        frist=D(2023, 7, 31),
        current=current,
        current_end_date=current_end,
        as_of=as_of,
        config=DEFAULT_CONFIG,
    )
    assert decision.action is action
    assert decision.end_date == end_date
    if action is not A.NONE:
        assert decision.basis is not None


def test_automatic_end_date_variant_frist_minus_one_is_configuration():
    config = dataclasses.replace(DEFAULT_CONFIG, automatic_end_offset_days=-1)
    decision = decide_automatic_termination(
        frist=D(2023, 7, 31),
        current=S.ACTIVE,
        current_end_date=None,
        as_of=D(2023, 8, 1),
        config=config,
    )
    assert decision.end_date == D(2023, 7, 30)


def test_rules_md_example_6_ordinary_window_and_grant():
    # Auto-termination dated 2023-07-31: ordinary window until 2023-09-30.
    assert window_closes(D(2023, 7, 31), DEFAULT_CONFIG) == D(2023, 9, 30)
    accepted = check_registration_window(
        event_date=D(2023, 7, 31),
        as_of=D(2023, 9, 30),
        grants=[],
        config=DEFAULT_CONFIG,
        field="end_date",
    )
    assert accepted.grant_ref is None
    with pytest.raises(RuleViolation) as refused:
        check_registration_window(
            event_date=D(2023, 7, 31),
            as_of=D(2023, 10, 1),
            grants=[],
            config=DEFAULT_CONFIG,
            field="end_date",
        )
    error = refused.value
    assert error.field == "end_date"
    assert error.code == "registration_window.closed"
    assert error.params["closed_on"] == D(2023, 9, 30)
    assert "30.09.2023" in error.message
    assert "etterregistrering" in error.message
    # With a grant, up to 2024-07-31.
    grant = GrantFacts(
        "g1",
        DateInterval(D(2023, 7, 31), D(2024, 7, 31)),
        granted_on=D(2024, 7, 31),
        expires_on=D(2024, 8, 31),
    )
    check_grant(
        covers=grant.covers,
        granted_on=grant.granted_on,
        expires_on=grant.expires_on,
        config=DEFAULT_CONFIG,
    )
    used = check_registration_window(
        event_date=D(2023, 7, 31),
        as_of=D(2024, 7, 31),
        grants=[grant],
        config=DEFAULT_CONFIG,
        field="end_date",
    )
    assert used.grant_ref == "g1"
    with pytest.raises(RuleViolation):  # 12 months and a day back
        check_registration_window(
            event_date=D(2023, 7, 31),
            as_of=D(2024, 8, 1),
            grants=[grant],
            config=DEFAULT_CONFIG,
            field="end_date",
        )


def test_a_grant_cannot_reach_more_than_12_months_back():
    with pytest.raises(RuleViolation) as refused:
        check_grant(
            covers=DateInterval(D(2023, 7, 30), D(2024, 1, 1)),
            granted_on=D(2024, 7, 31),
            expires_on=D(2024, 8, 31),
            config=DEFAULT_CONFIG,
        )
    assert refused.value.code == "grant.too_far_back"


def test_expired_or_revoked_grants_do_not_open_the_window():
    covers = DateInterval(D(2024, 1, 1), D(2024, 3, 1))
    expired = GrantFacts("g", covers, D(2024, 6, 1), D(2024, 6, 30))
    revoked = GrantFacts("r", covers, D(2024, 6, 1), D(2024, 12, 31), revoked_on=D(2024, 6, 15))
    for grant in (expired, revoked):
        with pytest.raises(RuleViolation):
            check_registration_window(
                event_date=D(2024, 2, 1),
                as_of=D(2024, 7, 1),
                grants=[grant],
                config=DEFAULT_CONFIG,
                field="date",
            )
    # the revoked grant worked before it was revoked
    assert (
        check_registration_window(
            event_date=D(2024, 2, 1),
            as_of=D(2024, 6, 14),
            grants=[revoked],
            config=DEFAULT_CONFIG,
            field="date",
        ).grant_ref
        == "r"
    )


@pytest.mark.parametrize(
    ("year", "cutoff"),
    [(2023, D(2024, 2, 29)), (2022, D(2023, 2, 28)), (2021, D(2022, 2, 28))],
)
def test_annual_cutoff_is_the_last_day_of_february_the_year_after(year, cutoff):
    assert annual_cutoff(year) == cutoff


def test_reason_catalogue_outcome_classes():
    assert TERMINATION_REASONS["arbeid"].outcome is OutcomeClass.WORK
    assert TERMINATION_REASONS["utdanning_vgo"].outcome.is_success
    assert not TERMINATION_REASONS["grunnskole"].outcome.is_success
    for code in ("flyttet", "utvandret", "dod"):
        assert not TERMINATION_REASONS[code].outcome.in_denominator
    assert TERMINATION_REASONS["ikke_registrert"].outcome.in_denominator
    assert len({r.external_code for r in TERMINATION_REASONS.values()}) == len(TERMINATION_REASONS)


def test_users_cannot_choose_ikke_registrert_nor_an_unknown_reason():
    with pytest.raises(RuleViolation) as refused:
        termination_reason("ikke_registrert")
    assert refused.value.code == "termination.reason_system_only"
    with pytest.raises(RuleViolation) as unknown:
        termination_reason("ferie")
    assert unknown.value.field == "reason"
    assert termination_reason("ikke_registrert", by_system=True).set_by_system_only


def test_direct_goal_attainment_keeps_ikke_registrert_in_the_denominator():
    leavers = (
        ["arbeid"] * 3
        + ["utdanning_hoyere"]
        + ["arbeid_og_utdanning"]
        + ["grunnskole"] * 2
        + ["ikke_registrert"] * 3
        + ["flyttet", "dod"]
    )
    result = compute_goal_attainment(leavers)
    assert result.numerator == 5
    assert result.denominator == 10  # 12 leavers less moved and deceased
    assert result.excluded == 2
    assert result.not_registered == 3
    assert result.share == Fraction(1, 2)
    assert compute_goal_attainment([]).share is None


@given(
    as_of=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    event=st.dates(min_value=D(2019, 1, 1), max_value=D(2035, 12, 31)),
)
def test_earliest_open_event_splits_open_from_closed_windows(as_of, event):
    bound = earliest_open_event(as_of, DEFAULT_CONFIG)
    assert (event >= bound) == (window_closes(event, DEFAULT_CONFIG) >= as_of)


def test_earliest_open_event_at_a_month_end():
    # On 2023-04-30 an event of 2023-02-28 is past its window (closed 04-28); 03-01's is open.
    assert earliest_open_event(D(2023, 4, 30), DEFAULT_CONFIG) == D(2023, 3, 1)
    # On 2023-02-28 the windows of 2022-12-28 to 12-31 all close that day (clamped).
    assert earliest_open_event(D(2023, 2, 28), DEFAULT_CONFIG) == D(2022, 12, 28)
