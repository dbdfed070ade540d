"""Secondary suppression by Gaussian elimination over a release's model matrix, with the
protection interval: small cells are neither a combination of published cells nor bounded
narrowly, zeros are published, and what was hidden stays hidden."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nir.rules.linked_suppression import (
    PROTECTION_INTERVAL,
    ProtectionConfig,
    Release,
    gauss_secondary,
    interval_bounds,
    narrow_cells,
    protect,
)


def _two_way(counts: list[list[int]]) -> Release:
    """A table with its margins, the inner cells being its body."""
    rows, columns = len(counts), len(counts[0])
    inner = [v for row in counts for v in row]
    cells: dict[tuple[str, str], frozenset[int]] = {}
    for r in range(rows):
        for c in range(columns):
            cells[(f"r{r}", f"c{c}")] = frozenset({r * columns + c})
        cells[(f"r{r}", "total")] = frozenset(r * columns + c for c in range(columns))
    for c in range(columns):
        cells[("total", f"c{c}")] = frozenset(r * columns + c for r in range(rows))
    cells[("total", "total")] = frozenset(range(rows * columns))
    return Release(tuple(inner), cells)


def _in_span(release: Release, target, published) -> bool:
    n = len(release.inner)

    def column(key):
        v = np.zeros(n)
        v[list(release.cells[key])] = 1
        return v

    if not published:
        return False
    basis = np.array([column(k) for k in published]).T
    x, *_ = np.linalg.lstsq(basis, column(target), rcond=None)
    return bool(np.allclose(basis @ x, column(target)))


def test_a_small_count_beside_a_large_one_takes_another_row_with_it():
    release = _two_way([[1, 9], [7, 8]])
    protection = protect(release)
    assert protection.primary == {("r0", "c0")}
    published = [k for k in release.cells if k not in protection.hidden]
    assert not _in_span(release, ("r0", "c0"), published)
    assert protection.shown(("total", "total")) == 25  # totals first: published


def test_gaussian_elimination_hides_exactly_what_breaks_a_combination():
    release = _two_way([[2, 6], [5, 7]])
    secondary = gauss_secondary(
        release, [("r0", "c0")], sorted(k for k in release.cells if k != ("r0", "c0"))
    )
    published = [k for k in release.cells if k not in secondary and k != ("r0", "c0")]
    assert not _in_span(release, ("r0", "c0"), published)
    # Every cell it hid was needed: publishing any one of them gives the small count away.
    for key in secondary:
        assert _in_span(release, ("r0", "c0"), [*published, key])


def test_zeros_are_published_and_counted_as_known_by_the_interval():
    # A dot beside two zeros in its row: with the row total 2 and both dots at least 1,
    # per-cell suppression would give each dot away as exactly 1.
    release = _two_way([[1, 1, 0], [6, 9, 8]])
    protection = protect(release)
    assert protection.shown(("r0", "c2")) == 0
    bounds = interval_bounds(release, protection.hidden, protection.primary)
    assert all(hi - lo >= PROTECTION_INTERVAL for lo, hi in bounds.values())


def test_without_the_interval_step_a_dot_can_be_pinned_down():
    counts = [[5, 1, 2], [1, 6, 1], [8, 3, 2]]
    release = _two_way(counts)
    bare = protect(release, ProtectionConfig(check_intervals=False))
    published = [k for k in release.cells if k not in bare.hidden]
    assert not any(_in_span(release, k, published) for k in bare.primary)
    # No equation gives a dot, yet counts of at least 1 pin one of them to exactly 1.
    bounds = interval_bounds(release, bare.hidden, bare.primary)
    assert any(lo == hi for lo, hi in bounds.values())
    full = protect(release)
    bounds = interval_bounds(release, full.hidden, full.primary)
    assert all(hi - lo >= PROTECTION_INTERVAL for lo, hi in bounds.values())


def test_what_was_hidden_stays_hidden_when_counts_change():
    first = protect(_two_way([[1, 9], [7, 8]]))
    later = protect(_two_way([[6, 9], [7, 8]]), previously_hidden=first.hidden)
    assert first.hidden <= later.hidden
    assert later.primary == frozenset()  # no small count now; the old pattern holds


# Small tables of counts: two to four rows of three columns.
TABLES = st.lists(
    st.lists(st.integers(min_value=0, max_value=12), min_size=3, max_size=3),
    min_size=2,
    max_size=4,
)


@settings(max_examples=25, deadline=None)
@given(TABLES)
# A table on which the solver's warm start once ended without a verdict.
@example([[1, 1, 5], [2, 3, 0]])
def test_every_small_count_is_protected_in_random_tables(counts):
    release = _two_way(counts)
    protection = protect(release)
    published = [k for k in release.cells if k not in protection.hidden]
    for key in protection.primary:
        assert not _in_span(release, key, published)
    bounds = interval_bounds(release, protection.hidden, protection.primary)
    for key, (lo, hi) in bounds.items():
        assert lo <= release.value(key) <= hi
        assert hi - lo >= PROTECTION_INTERVAL or key in protection.short_intervals
    for key in published:
        assert protection.shown(key) == release.value(key)


@settings(max_examples=40, deadline=None)
@given(
    TABLES,
    st.integers(min_value=1, max_value=6),
)
@example([[5, 1, 2], [1, 6, 1], [8, 3, 2]], PROTECTION_INTERVAL)
def test_the_narrow_cells_are_those_the_full_bounds_find_narrow(counts, interval):
    # The greatest value first, the least only where needed: the same cells as from both.
    release = _two_way(counts)
    bare = protect(release, ProtectionConfig(check_intervals=False))
    targets = sorted(bare.hidden, key=repr)
    bounds = interval_bounds(release, bare.hidden, targets)
    expected = {k for k, (lo, hi) in bounds.items() if hi - lo < interval}
    assert narrow_cells(release, bare.hidden, targets, interval) == expected


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=9), min_size=4, max_size=8).flatmap(
        lambda inner: st.tuples(
            st.just(inner),
            st.lists(
                st.frozensets(st.integers(0, len(inner) - 1), min_size=1), min_size=3, max_size=9
            ),
        )
    )
)
def test_no_dot_is_a_combination_of_what_is_published_in_overlapping_tables(drawn):
    # Cells that overlap every which way, not only a table's margins: the elimination in
    # whole numbers must find every combination the floating-point solve finds.
    inner, sums = drawn
    release = Release(tuple(inner), {f"c{n}": cells for n, cells in enumerate(sums)})
    protection = protect(release, ProtectionConfig(check_intervals=False))
    published = [k for k in release.cells if k not in protection.hidden]
    for key in protection.hidden:
        assert not _in_span(release, key, published)
