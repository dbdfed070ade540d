"""The limits the services once held themselves: § 18 stop, a measure's hours, an end date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nir.rules.errors import RuleViolation
from nir.rules.measure import BASIS_MEASURE_HOURS, check_hours_per_week
from nir.rules.stop import BASIS_STOP, check_temporary_stop
from nir.rules.termination import BASIS_END_DATE, check_end_date

D = dt.date


def test_a_temporary_stop_lasts_at_most_three_months():
    assert check_temporary_stop(D(2023, 3, 1), D(2023, 6, 1)) == D(2023, 6, 1)
    with pytest.raises(RuleViolation) as refused:
        check_temporary_stop(D(2023, 3, 1), D(2023, 6, 2))
    assert (refused.value.code, refused.value.basis) == ("stop.temporary_too_long", BASIS_STOP)


def test_a_temporary_stop_needs_an_end():
    with pytest.raises(RuleViolation) as refused:
        check_temporary_stop(D(2023, 3, 1), None)
    assert (refused.value.field, refused.value.code) == ("end_date", "stop.temporary_needs_end")


@pytest.mark.parametrize("hours", [Decimal(0), Decimal("-1"), Decimal("37.6")])
def test_a_measure_has_more_than_no_hours_and_at_most_full_time(hours):
    with pytest.raises(RuleViolation) as refused:
        check_hours_per_week(hours)
    assert (refused.value.code, refused.value.basis) == (
        "hours_per_week.range",
        BASIS_MEASURE_HOURS,
    )


def test_full_time_is_accepted():
    assert check_hours_per_week(Decimal("37.5")) == Decimal("37.5")


@pytest.mark.parametrize(
    ("end", "code"),
    [
        (D(2023, 8, 2), "termination.future"),
        (D(2023, 1, 30), "termination.before_start"),
        (D(2023, 8, 1), "termination.after_frist"),
    ],
)
def test_an_end_date_lies_between_the_start_the_frist_and_today(end, code):
    with pytest.raises(RuleViolation) as refused:
        check_end_date(end, start_date=D(2023, 1, 31), frist=D(2023, 7, 31), as_of=D(2023, 8, 1))
    assert (refused.value.code, refused.value.basis) == (code, BASIS_END_DATE)
    assert check_end_date(
        D(2023, 7, 31), start_date=D(2023, 1, 31), frist=D(2023, 7, 31), as_of=D(2023, 8, 1)
    ) == D(2023, 7, 31)
