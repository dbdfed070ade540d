"""Every Decision of rules-norsk.md is a configuration value with the book's default."""

import datetime as dt

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
