"""Every Decision of rules-norsk.md is a configuration value with the book's default."""

import datetime as dt
import re
from dataclasses import fields
from pathlib import Path

from nir.rules.norsk.config import DEFAULT_NORSK_CONFIG, NorskConfig
from nir.rules.norsk.frist import AnchorRule

D = dt.date


def test_the_defaults_are_the_rule_book_s():
    c = DEFAULT_NORSK_CONFIG
    assert c.rights.kap6a_ages == c.rights.ordinary_ages == (18, 67)  # N1-a
    assert c.rights.deferred_start_max_years == 10
    assert c.hours.kap6a_samf_hours is None  # N1-c
    assert c.hours.reception_hours_count is True  # N1-d
    assert c.norskmaal.kap6a_norskmaal_allowed is True  # N5-a
    assert c.frist.ordinary_anchor is AnchorRule.RIGHT_START  # N3-a
    assert (c.frist.months_with_upper_secondary, c.frist.months_without_upper_secondary) == (
        18,
        36,
    )
    assert c.frist.kap6a_months == 12
    assert (  # N3-c
        c.frist.extended_max_months,
        c.frist.extended_window_months,
        c.frist.extended_max_count_with_upper_secondary,
        c.frist.extended_max_count_without_upper_secondary,
        c.frist.extended_grant_nok,
    ) == (6, 2, 1, 4, 27_450)
    assert (c.frist.extended_valid_from, c.frist.extended_valid_to) == (
        D(2023, 7, 1),
        D(2024, 7, 1),
    )
    assert c.frist.auto_end_norsk_at_frist is False  # N3-d
    assert (c.frist.introduksjonsloven_duty_months, c.frist.introduksjonsloven_free_months) == (
        36,
        60,
    )  # N3-e
    assert c.final_tests.introduksjonsloven_test_duty_from == D(2013, 9, 1)
    assert NorskConfig() == c


def test_every_open_question_is_answered_in_docs_rules_by_a_setting_that_exists():
    """docs/rules.md lists rules-norsk.md's eight open questions (N10), each with the
    configuration that answers it: every `part.value` the table names is a setting of
    NorskConfig, so the table cannot name one that was renamed or removed."""
    doc = (Path(__file__).parents[3] / "docs" / "rules.md").read_text(encoding="utf-8")
    section = doc.split("## Norwegian training: the open questions", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \|", section, flags=re.M)
    assert rows == [str(n) for n in range(1, 9)]
    parts = {f.name: getattr(DEFAULT_NORSK_CONFIG, f.name) for f in fields(NorskConfig)}
    named = re.findall(r"`([a-z]\w*)\.([a-z]\w*)(?: = [^`]*)?`", section)
    settings = [(part, value) for part, value in named if part in parts]
    assert len(settings) >= 4
    for part, value in settings:
        assert hasattr(parts[part], value), f"docs/rules.md names {part}.{value}"
