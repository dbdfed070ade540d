"""Small-cell suppression: no hidden count can be worked out from what is published."""

from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from nir.rules.disclosure import TOTAL, suppress


def _bounds_of_hidden_cells(table):
    """For each hidden cell, the least and greatest value consistent with every published
    number and every total, by linear programming over the hidden cells."""
    rows, columns = list(table.rows), list(table.columns)
    hidden = sorted(table.hidden)
    index = {cell: i for i, cell in enumerate(hidden)}
    equations, rhs = [], []

    def add(cells_plus, cells_minus):
        row = np.zeros(len(hidden))
        constant = 0
        for sign, cells in ((1, cells_plus), (-1, cells_minus)):
            for cell in cells:
                if cell in index:
                    row[index[cell]] += sign
                else:
                    constant += sign * table.values[cell]
        if row.any():
            equations.append(row)
            rhs.append(-constant)

    for r in [*rows, TOTAL]:
        add([(r, TOTAL)], [(r, c) for c in columns])
    for c in [*columns, TOTAL]:
        add([(TOTAL, c)], [(r, c) for r in rows])
    bounds = {}
    for cell, i in index.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1
        low = linprog(objective, A_eq=equations, b_eq=rhs, bounds=(0, None))
        high = linprog(-objective, A_eq=equations, b_eq=rhs, bounds=(0, None))
        # Unbounded above (status 3) means the published table does not pin the cell at all.
        bounds[cell] = (round(low.fun), float("inf") if high.status == 3 else round(-high.fun))
    return bounds


def test_a_single_small_cell_takes_three_more_with_it():
    table = suppress(
        ["Oslo", "Bergen"],
        ["arbeid", "annet"],
        {
            ("Oslo", "arbeid"): 3,
            ("Oslo", "annet"): 40,
            ("Bergen", "arbeid"): 20,
            ("Bergen", "annet"): 30,
        },
    )
    assert table.primary == {("Oslo", "arbeid")}
    assert len(table.hidden) >= 4
    assert table.shown("Oslo", "arbeid") is None
    for low, high in _bounds_of_hidden_cells(table).values():
        assert low < high


def test_zero_and_five_are_shown():
    table = suppress(
        ["a", "b"], ["x", "y"], {("a", "x"): 0, ("a", "y"): 5, ("b", "x"): 7, ("b", "y"): 9}
    )
    assert table.hidden == frozenset()
    assert table.shown("a", "x") == 0


def test_a_small_total_is_hidden_too():
    table = suppress(
        ["a", "b", "c"],
        ["x", "y"],
        {
            ("a", "x"): 1,
            ("a", "y"): 2,
            ("b", "x"): 10,
            ("b", "y"): 12,
            ("c", "x"): 8,
            ("c", "y"): 9,
        },
    )
    assert ("a", TOTAL) in table.primary
    for low, high in _bounds_of_hidden_cells(table).values():
        assert low < high


def _table_of(table_spec):
    n_rows, n_cols, flat = table_spec
    rows = [f"r{i}" for i in range(n_rows)]
    columns = [f"c{j}" for j in range(n_cols)]
    counts = {
        (r, c): flat[i * n_cols + j] for i, r in enumerate(rows) for j, c in enumerate(columns)
    }
    return rows, columns, counts


def _tables(most_rows: int, most_columns: int, largest: int) -> st.SearchStrategy:
    """Tables as (rows, columns, the counts row by row)."""
    return st.integers(min_value=1, max_value=most_rows).flatmap(
        lambda n_rows: st.integers(min_value=1, max_value=most_columns).flatmap(
            lambda n_cols: st.lists(
                st.integers(min_value=0, max_value=largest),
                min_size=n_rows * n_cols,
                max_size=n_rows * n_cols,
            ).map(lambda values: (n_rows, n_cols, values))
        )
    )


tables = _tables(4, 4, 12)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_recovered_from_the_published_table(table_spec):
    rows, columns, counts = _table_of(table_spec)
    table = suppress(rows, columns, counts)
    for cell, value in table.values.items():
        if 0 < value < 5:
            assert cell in table.hidden
    for cell, (low, high) in _bounds_of_hidden_cells(table).items():
        assert low < high, (cell, table.values, sorted(table.hidden))


def _every_rectangle_searched(cell, all_rows, all_columns, values, hidden):
    """The cheapest rectangle found by trying every pair of another row and another column,
    the plain reading ``_cheapest_rectangle`` must agree with."""
    r, c = cell
    best = None
    for r2 in all_rows:
        if r2 == r:
            continue
        for c2 in all_columns:
            if c2 == c:
                continue
            needed = [x for x in ((r, c2), (r2, c), (r2, c2)) if x not in hidden]
            if any(values[x] == 0 for x in needed):
                continue
            cost = (sum(values[x] for x in needed), len(needed))
            if best is None or cost < best[:2]:
                best = (*cost, needed)
    return None if best is None else best[2]


@settings(max_examples=300, deadline=None)
@given(_tables(9, 5, 9))
def test_the_pruned_search_hides_the_cells_every_rectangle_tried_would(table_spec):
    rows, columns, counts = _table_of(table_spec)
    table = suppress(rows, columns, counts)
    with patch("nir.rules.disclosure._cheapest_rectangle", _every_rectangle_searched):
        searched = suppress(rows, columns, counts)
    assert table.hidden == searched.hidden
