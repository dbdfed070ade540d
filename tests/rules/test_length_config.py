"""The length table replaced or extended by configuration, each row checked with a clear
message: IMDi can enter the enacted kap. 6A rows the day they are known."""

import dataclasses
import datetime as dt

import pytest

from nir.rules.config import DEFAULT_CONFIG
from nir.rules.length_config import LengthConfigError, build_length_table
from nir.rules.participation import ParticipationFacts, derive_frist
from nir.rules.programme_length import ProgrammeGroup, Sluttmaal
from nir.rules.regime import Regime

D = dt.date
ENACTED = D(2026, 9, 1)


def _kap6a_rows():
    """The kap. 6A § 13 group ends where an enacted row of 9 + 3 months begins."""
    return [
        {
            "row_id": "kap6a.p13.2022",
            "regime": "integreringsloven_kap6a",
            "group": "p13",
            "base_months": 6,
            "min_months": 3,
            "extension_limit_months": 6,
            "effective_from": "2022-06-15",
            "effective_to": ENACTED.isoformat(),
            "citation": "Registerets regel: som integreringsloven § 13",
            "kind": "beslutning",
        },
        {
            "row_id": "kap6a.p13.2026",
            "regime": "integreringsloven_kap6a",
            "group": "p13",
            "base_months": 9,
            "extension_limit_months": 3,
            "effective_from": ENACTED.isoformat(),
            "citation": "integreringsloven kap. 6A",
            "kind": "lov",
            "url": "https://lovdata.no/lov/2020-11-06-127",
        },
    ]


def _frist_for(table, start):
    config = dataclasses.replace(DEFAULT_CONFIG, programme_lengths=table)
    facts = ParticipationFacts(
        regime=Regime.INTEGRERINGSLOVEN_KAP6A,
        start=start,
        birth_date=D(1990, 1, 1),
        has_upper_secondary=True,
        sluttmaal=Sluttmaal.ARBEID,
    )
    return derive_frist(facts, config)


def test_configured_kap6a_rows_apply_from_their_date_and_old_participations_keep_theirs():
    table = build_length_table(prop81_in_force=None, configured=_kap6a_rows())
    before = _frist_for(table, D(2026, 8, 31))
    after = _frist_for(table, ENACTED)
    assert (before.row.row_id, before.derivation.base_months) == ("kap6a.p13.2022", 6)
    assert (after.row.row_id, after.derivation.base_months) == ("kap6a.p13.2026", 9)
    assert after.row.extension_limit_months == 3
    assert after.derivation.row_reference == "integreringsloven kap. 6A"
    # The other rows are the register's own, untouched.
    assert any(r.row_id == "integreringsloven.p13.2021" for r in table)


def test_replace_mode_uses_the_configured_rows_alone():
    table = build_length_table(prop81_in_force=None, configured=_kap6a_rows(), mode="replace")
    assert [r.row_id for r in table] == ["kap6a.p13.2022", "kap6a.p13.2026"]


def _broken(**changes):
    row = {**_kap6a_rows()[1], **changes}
    return [_kap6a_rows()[0], row]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_broken(regime="kap6"), "regime must be one of"),
        (_broken(group="p15"), "group must be one of"),
        (_broken(base_months="ni"), "base_months must be a whole number"),
        (_broken(base_months=0), "base_months must be at least 1"),
        (_broken(effective_from="1.9.2026"), "effective_from must be a date"),
        (_broken(effective_to="2026-08-01"), "effective_to must be after effective_from"),
        (_broken(citation=""), "citation is required"),
        (_broken(citation="integreringsloven § 14"), "does not exist in the 2021 text"),
        (_broken(citation="rules.md §2"), "own documents"),
        (_broken(colour="blue"), "unknown fields colour"),
        # Two rows in force on one day for one group.
        (_broken(effective_from="2026-08-01"), "are both in force for integreringsloven_kap6a p13"),
        ([_kap6a_rows()[1], _kap6a_rows()[1]], "row_id given twice: kap6a.p13.2026"),
    ],
)
def test_a_bad_row_is_refused_with_a_message_naming_the_row_and_the_fault(rows, message):
    with pytest.raises(LengthConfigError) as refused:
        build_length_table(prop81_in_force=None, configured=rows)
    assert message in str(refused.value)


def test_without_configuration_the_table_is_the_registers_own():
    table = build_length_table(prop81_in_force=None)
    assert {r.group for r in table} == set(ProgrammeGroup)
