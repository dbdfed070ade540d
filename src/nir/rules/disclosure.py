"""Small-cell suppression for published tables (rules.md §8, Decision).

Counts of 1 to 4 persons are shown as a dot. So that a hidden cell cannot be worked out from
the totals, more cells are hidden (secondary suppression) until every hidden cell lies on a
rectangle of hidden cells in the table *with its margins*: four hidden cells in two rows and
two columns. Adding one to two opposite corners and taking one from the other two (in the
margins, the sign follows the row or column it totals) keeps every published number true,
so each hidden cell has at least two possible values. Zero is published: it says nothing
about a person. Secondary cells are chosen among non-zero cells, cheapest first, so the
rectangle can always move in one direction without a count going below zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nir.rules.basis import BasisKind, LegalBasis

BASIS_SUPPRESSION = LegalBasis(
    "statistics.small_cells",
    "Registerets regel: færre enn 5 personer vises som prikk, med sekundærprikking",
    BasisKind.BESLUTNING,
)
MIN_SHOWN = 5
TOTAL = "__total__"

Cell = tuple[str, str]


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    rows: tuple[str, ...]  # without the total row
    columns: tuple[str, ...]  # without the total column
    values: Mapping[Cell, int]  # every cell, margins included (TOTAL as the key)
    primary: frozenset[Cell]
    secondary: frozenset[Cell]
    basis: LegalBasis = BASIS_SUPPRESSION

    @property
    def hidden(self) -> frozenset[Cell]:
        return self.primary | self.secondary

    def shown(self, row: str, column: str) -> int | None:
        """The published value, or None where a dot is shown."""
        cell = (row, column)
        return None if cell in self.hidden else self.values[cell]


def _with_margins(
    rows: Sequence[str], columns: Sequence[str], counts: Mapping[Cell, int]
) -> dict[Cell, int]:
    values = {(r, c): counts.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        values[(r, TOTAL)] = sum(values[(r, c)] for c in columns)
    for c in columns:
        values[(TOTAL, c)] = sum(values[(r, c)] for r in rows)
    values[(TOTAL, TOTAL)] = sum(values[(r, TOTAL)] for r in rows)
    return values


def _cheapest_rectangle(
    cell: Cell,
    all_rows: Sequence[str],
    all_columns: Sequence[str],
    values: Mapping[Cell, int],
    hidden: set[Cell],
) -> list[Cell] | None:
    """The cells to hide besides ``cell`` so that it lies on a rectangle of hidden non-zero
    cells, choosing the fewest persons hidden, then the fewest cells, then the first in the
    order of the rows and columns; None if none exists."""
    r, c = cell

    def corner(x: Cell) -> tuple[int, int] | None:
        """What hiding a corner costs (persons, cells); None for a zero it would need."""
        if x in hidden:
            return (0, 0)
        value = values[x]
        return None if value == 0 else (value, 1)

    along_row = [
        (c2, cost) for c2 in all_columns if c2 != c and (cost := corner((r, c2))) is not None
    ]
    best: tuple[int, int, str, str] | None = None
    for r2 in all_rows:
        if r2 == r or (down := corner((r2, c))) is None:
            continue
        # Every rectangle through (r2, c) costs at least that corner: once it costs as much
        # as the best found, none in this row can be cheaper.
        if best is not None and down >= best[:2]:
            continue
        for c2, across in along_row:
            far = corner((r2, c2))
            if far is None:
                continue
            persons = across[0] + down[0] + far[0]
            cells = across[1] + down[1] + far[1]
            if best is None or (persons, cells) < best[:2]:
                best = (persons, cells, r2, c2)
    if best is None:
        return None
    r2, c2 = best[2], best[3]
    return [x for x in ((r, c2), (r2, c), (r2, c2)) if x not in hidden]


def suppress(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Mapping[Cell, int],
    min_shown: int = MIN_SHOWN,
) -> SuppressedTable:
    """Hide counts under ``min_shown`` (not zero) and enough others to protect them."""
    all_rows = [*rows, TOTAL]
    all_columns = [*columns, TOTAL]
    values = _with_margins(rows, columns, counts)
    primary = {cell for cell, value in values.items() if 0 < value < min_shown}
    hidden = set(primary)
    by_row: dict[str, set[str]] = {r: set() for r in all_rows}
    by_column: dict[str, set[str]] = {c: set() for c in all_columns}
    for r, c in hidden:
        by_row[r].add(c)
        by_column[c].add(r)

    def hide(cell: Cell) -> None:
        hidden.add(cell)
        by_row[cell[0]].add(cell[1])
        by_column[cell[1]].add(cell[0])

    def on_rectangle(r: str, c: str) -> bool:
        return any(
            (r2, c2) in hidden for c2 in by_row[r] if c2 != c for r2 in by_column[c] if r2 != r
        )

    pending = sorted(hidden)
    while pending:
        r, c = pending.pop()
        if on_rectangle(r, c):
            continue
        best = _cheapest_rectangle((r, c), all_rows, all_columns, values, hidden)
        if best is None:
            # No rectangle of non-zero cells exists (a table of one row or column): hide the
            # whole table rather than publish a number that gives a person away.
            for cell in values:
                if values[cell] > 0 and cell not in hidden:
                    hide(cell)
            break
        for cell in best:
            hide(cell)
            pending.append(cell)
    return SuppressedTable(
        rows=tuple(rows),
        columns=tuple(columns),
        values=values,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
    )
