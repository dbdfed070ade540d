"""The joint linear-programming attack over every table of a release: it must find nothing
in what the register publishes, and it must find the leaks of per-table suppression."""

from __future__ import annotations

import pytest

from nir.register.publication import (
    ANTALL,
    ENDS,
    PARTICIPANTS,
    STARTS,
    statistics_release,
)
from nir.register.statistics import DIMENSIONS, OUTCOME_COLUMNS, publish
from nir.rules.disclosure import TOTAL
from nir.rules.linked_suppression import PROTECTION_INTERVAL, ProtectionConfig, protect
from tests.disclosure.attacks import lp_attack, too_narrow
from tests.disclosure.registers import stat_rows, statistics_groups_of_rows


@pytest.mark.parametrize(
    ("participants", "seed", "year"),
    [(200, 3, 2024), (800, 5, 2025), (3000, 1, 2025)],  # 3,000: the demo's size
)
def test_no_hidden_cell_of_a_release_is_exact_or_narrower_than_the_interval(
    participants, seed, year
):
    release, _ = statistics_release(
        statistics_groups_of_rows(stat_rows(participants, seed=seed), year), year
    )
    protection = protect(release)
    assert protection.primary, "a register this size has small counts to protect"
    assert not protection.short_intervals
    bounds = lp_attack(release, protection.hidden)
    assert set(bounds) >= {k for k in protection.primary if release.cells[k]}
    leaks = too_narrow(bounds, release, PROTECTION_INTERVAL, set(protection.primary))
    assert leaks == {}
    # Every published number is the true one: protection hides, it never alters.
    for key in release.cells:
        if key not in protection.hidden:
            assert protection.shown(key) == release.value(key)


def _per_table_pattern(rows, year):
    """What the register published before: each table suppressed on its own."""
    hidden = set()
    for dim in DIMENSIONS:
        from tests.statistics.row_by_row import year_figures

        published = publish(year_figures(rows, year, dim))
        for r, c in published.participants.hidden:
            if c == ANTALL:
                hidden.add((PARTICIPANTS, "*" if r == TOTAL else dim, r, ANTALL))
        for r, c in published.starts.hidden:
            if c == ANTALL:
                hidden.add((STARTS, "*" if r == TOTAL else dim, r, ANTALL))
        for r, c in published.ends.hidden:
            if c in (*OUTCOME_COLUMNS, TOTAL):
                hidden.add((ENDS, "*" if r == TOTAL else dim, r, c))
    return hidden


def test_the_attack_finds_the_leaks_of_per_table_suppression():
    rows = stat_rows(800, seed=5)
    release, _ = statistics_release(statistics_groups_of_rows(rows, 2025), 2025)
    hidden = _per_table_pattern(rows, 2025) & set(release.cells)
    primary = {k for k in release.cells if 0 < release.value(k) < 5}
    assert primary <= hidden  # every small count was dotted, table by table
    leaks = too_narrow(lp_attack(release, hidden), release, PROTECTION_INTERVAL, primary)
    exact = {k: v for k, v in leaks.items() if v[0] == v[1]}
    assert exact, "per-table suppression gives cells away across tables"
    for lo, hi, value in leaks.values():
        assert lo <= value <= hi  # the attack is sound: the truth is inside its bounds


def test_gaussian_elimination_alone_leaves_intervals_the_attack_finds():
    """Without the interval step, no hidden cell is a linear combination of published ones,
    yet non-negative counts and published zeros still bound some of them narrowly."""
    release, _ = statistics_release(statistics_groups_of_rows(stat_rows(800, seed=5), 2025), 2025)
    protection = protect(release, ProtectionConfig(check_intervals=False))
    leaks = too_narrow(
        lp_attack(release, protection.hidden), release, PROTECTION_INTERVAL, set(protection.primary)
    )
    assert leaks


def test_a_republish_keeps_every_cell_hidden_that_was_hidden():
    rows = stat_rows(400, seed=9)
    release, _ = statistics_release(statistics_groups_of_rows(rows, 2025), 2025)
    first = protect(release)
    # One more participant later: the same period published again.
    again, _ = statistics_release(statistics_groups_of_rows(rows[:-1], 2025), 2025)
    second = protect(
        again,
        previously_hidden=first.hidden,
        previously_published=set(release.cells) - first.hidden,
    )
    assert first.hidden & set(again.cells) <= second.hidden
    leaks = too_narrow(
        lp_attack(again, second.hidden), again, PROTECTION_INTERVAL, set(second.primary)
    )
    assert leaks == {}
