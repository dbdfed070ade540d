"""The register's own limits on input: control characters and the date range, by path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nir.rules.input_limits import date_violation, text_violation, value_violations

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Leave:
    start_date: dt.date
    note: str = ""


@dataclass(frozen=True)
class Record:
    name: str
    leaves: tuple[Leave, ...] = ()


def test_tab_and_newlines_pass_other_control_characters_do_not():
    assert text_violation("f", "linje 1\nlinje 2\r\n\tinnrykk") is None
    for bad in ("\x00", "a\x01", "\x1b[31m", "\x7f"):
        violation = text_violation("f", bad)
        assert violation is not None
        assert violation.code == "text.control_character"
        assert violation.basis.rule_id == "input.text"


def test_the_range_is_inclusive_and_the_basis_is_the_registers_decision():
    assert date_violation("d", EARLIEST, EARLIEST, LATEST) is None
    assert date_violation("d", LATEST, EARLIEST, LATEST) is None
    refused = date_violation("d", dt.date(9999, 12, 31), EARLIEST, LATEST)
    assert refused is not None and refused.code == "date.out_of_range"
    assert refused.basis.kind == "beslutning"


def test_every_violation_in_a_record_comes_with_its_path():
    record = Record("A\x00", (Leave(dt.date(2025, 1, 1)), Leave(dt.date(1850, 1, 1), "\x02")))
    found = [(v.field, v.code) for v in value_violations(record, EARLIEST, LATEST)]
    assert found == [
        ("name", "text.control_character"),
        ("leaves[1].start_date", "date.out_of_range"),
        ("leaves[1].note", "text.control_character"),
    ]


def test_only_the_owner_or_imdi_rewrites_who_the_person_is():
    from nir.rules.master_data import master_data_violation

    assert master_data_violation(["given_name"], None) is None  # the owner, or IMDi
    assert master_data_violation(["permit_date"], "Oslo") is None  # not master data
    refused = master_data_violation(["permit_date", "birth_date"], "Oslo")
    assert refused is not None
    assert (refused.field, refused.code) == ("birth_date", "person.owned_by_other_kommune")
    assert "Oslo" in refused.message and refused.basis.kind == "beslutning"
