"""The triage of an event: open window, covered by a grant, needs a grant, or too old."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.rules.config import DEFAULT_CONFIG
from nir.rules.dates import DateInterval
from nir.rules.errors import RuleViolation
from nir.rules.registration_window import (
    GrantFacts,
    WindowStatus,
    check_registration_window,
    furthest_reachable_event,
    grant_reach_ends,
    window_state,
)

D = dt.date
END = D(2025, 3, 31)  # an automatic termination's end date


def state(as_of: dt.date, grants: list[GrantFacts] | None = None) -> object:
    return window_state(event_date=END, as_of=as_of, grants=grants or [], config=DEFAULT_CONFIG)


def grant(expires: dt.date, revoked: dt.date | None = None) -> GrantFacts:
    return GrantFacts(
        "7", DateInterval(D(2025, 3, 1), D(2025, 4, 30)), D(2025, 8, 1), expires, revoked
    )


def test_open_until_two_months_after_the_event() -> None:
    s = state(D(2025, 5, 31))
    assert s.status is WindowStatus.OPEN and s.until == D(2025, 5, 31)
    assert s.can_register
    assert s.message == "kan registreres til 31.05.2025"
    assert s.basis.rule_id == "window.two_months"


def test_after_the_window_a_grant_can_reach_it_for_twelve_months() -> None:
    s = state(D(2025, 6, 1))
    assert s.status is WindowStatus.NEEDS_GRANT and not s.can_register
    assert s.until == D(2026, 3, 31)
    assert s.message == "krever etterregistrering, mulig til 31.03.2026"
    assert state(D(2026, 3, 31)).status is WindowStatus.NEEDS_GRANT


def test_older_than_twelve_months_cannot_be_fixed() -> None:
    s = state(D(2026, 4, 1))
    assert s.status is WindowStatus.TOO_OLD and s.until is None
    assert s.message == "eldre enn 12 måneder: kan ikke rettes"
    # Even a grant covering the date does not reach it any more.
    assert state(D(2026, 4, 1), [grant(D(2026, 12, 31))]).status is WindowStatus.TOO_OLD


def test_an_active_grant_covers_it_until_it_expires() -> None:
    s = state(D(2025, 8, 15), [grant(D(2025, 9, 30))])
    assert s.status is WindowStatus.GRANTED and s.can_register
    assert s.until == D(2025, 9, 30) and s.grant_ref == "7"
    # ...and never beyond the 12 months.
    assert state(D(2026, 3, 1), [grant(D(2026, 6, 30))]).until == D(2026, 3, 31)
    # Expired or revoked: back to needing a grant.
    assert state(D(2025, 10, 1), [grant(D(2025, 9, 30))]).status is WindowStatus.NEEDS_GRANT
    revoked = grant(D(2025, 12, 31), revoked=D(2025, 9, 1))
    assert state(D(2025, 9, 2), [revoked]).status is WindowStatus.NEEDS_GRANT


@pytest.mark.parametrize(
    ("event", "reach"),
    [
        (D(2025, 3, 31), D(2026, 3, 31)),
        (D(2024, 2, 29), D(2025, 2, 28)),
        (D(2025, 2, 28), D(2026, 2, 28)),
        (D(2025, 1, 31), D(2026, 1, 31)),
    ],
)
def test_grant_reach_is_the_inverse_of_twelve_months_back(event: dt.date, reach: dt.date) -> None:
    ends = grant_reach_ends(event, DEFAULT_CONFIG)
    assert furthest_reachable_event(ends, DEFAULT_CONFIG) <= event
    assert furthest_reachable_event(ends + dt.timedelta(days=1), DEFAULT_CONFIG) > event
    assert ends == reach


def _refusal(as_of: dt.date, grants: list[GrantFacts]) -> RuleViolation:
    with pytest.raises(RuleViolation) as refused:
        check_registration_window(
            event_date=END, as_of=as_of, grants=grants, config=DEFAULT_CONFIG, field="end_date"
        )
    assert refused.value.code == "registration_window.closed"
    return refused.value


def test_refusal_says_precisely_why() -> None:
    none = _refusal(D(2025, 7, 1), [])
    assert none.params["cause"] == "no_grant"
    assert "ingen etterregistrering" in none.message and "31.03.2026" in none.message

    expired = _refusal(D(2025, 10, 1), [grant(D(2025, 9, 30))])
    assert expired.params["cause"] == "grant_expired"
    assert expired.params["grant_ended_on"] == D(2025, 9, 30)
    assert "utløp 30.09.2025" in expired.message

    revoked = _refusal(D(2025, 9, 2), [grant(D(2025, 12, 31), revoked=D(2025, 9, 1))])
    assert "ble trukket tilbake 01.09.2025" in revoked.message

    old = _refusal(D(2026, 4, 1), [grant(D(2026, 12, 31))])
    assert old.params["cause"] == "too_old"
    assert "mer enn 12 måneder" in old.message
