"""What a participation still lacks, with the date it is due."""

import datetime as dt

from nir.rules.config import DEFAULT_CONFIG
from nir.rules.missing import RegistrationState, missing_registrations
from nir.rules.regime import Regime

D = dt.date


def state(**changes):
    base = dict(
        regime=Regime.INTEGRERINGSLOVEN,
        start=D(2023, 1, 31),
        has_sluttmaal=True,
        has_decision=True,
        has_measures=True,
        education_registered=True,
        ended_by_system=False,
        end_date=None,
    )
    base.update(changes)
    return RegistrationState(**base)


def codes(s, as_of=D(2023, 6, 1)):
    return [m.code for m in missing_registrations(s, as_of=as_of, config=DEFAULT_CONFIG)]


def test_a_complete_participation_lacks_nothing():
    assert codes(state()) == []


def test_each_gap_is_named():
    assert codes(
        state(
            has_sluttmaal=False, has_decision=False, has_measures=False, education_registered=False
        )
    ) == ["sluttmaal", "decision", "measures", "education"]


def test_introduksjonsloven_needs_no_sluttmaal_nor_education():
    assert (
        codes(
            state(regime=Regime.INTRODUKSJONSLOVEN, has_sluttmaal=False, education_registered=False)
        )
        == []
    )


def test_an_automatic_termination_asks_for_the_reason_by_the_window_closing_date():
    s = state(ended_by_system=True, end_date=D(2023, 7, 31))
    [item] = missing_registrations(s, as_of=D(2023, 8, 2), config=DEFAULT_CONFIG)
    assert (item.code, item.due) == ("termination_reason", D(2023, 9, 30))
    assert "30.09.2023" in item.message
    [late] = missing_registrations(s, as_of=D(2023, 10, 2), config=DEFAULT_CONFIG)
    assert "be IMDi om etterregistrering" in late.message
