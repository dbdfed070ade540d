"""k-anonymity for research extracts (rules.md §9, Decision).

Every column of an extract but the pseudonym is treated as a quasi-identifier: dates,
places, sex, permit and programme facts can each be known to someone who knows the person.
Each record must share its combination of quasi-identifiers with at least ``k - 1`` others.
That is reached by generalising whole columns a level at a time (a date to its month, its
quarter, its year; a municipality to its county; a birth year to a five- or ten-year band),
always the column with the most distinct values first, until no more than
``max_suppressed`` of the records are in groups smaller than k; those few are left out. The
report says which level each column ended at and how many records were left out.

Since every extract is k-anonymous on all its columns, two projects' extracts cannot be
linked one to one through the quasi-identifiers either: every combination stands for at
least k persons in each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from nir.rules.basis import BasisKind, LegalBasis

BASIS_K_ANONYMITY = LegalBasis(
    "research.k_anonymity",
    "Registerets regel: forskningsuttrekk er k-anonyme på alle kolonner (k = 5 som standard)",
    BasisKind.BESLUTNING,
)
DEFAULT_K = 5
MAX_SUPPRESSED = 0.05

# One record: for each column the value at every level of generalisation, exact first.
Ladders = Sequence[Sequence[str]]


@dataclass(frozen=True, slots=True)
class Anonymised:
    rows: list[list[str]]  # the records kept, each at the chosen levels
    kept: list[int]  # the index of each kept record in the input
    levels: list[int]  # per column, the level used (0: as registered)
    suppressed: int
    k: int
    basis: LegalBasis = BASIS_K_ANONYMITY


def _classes(records: Sequence[Ladders], levels: Sequence[int]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(r[c][lv] for c, lv in enumerate(levels)) for r in records)


def anonymise(
    records: Sequence[Ladders], *, k: int = DEFAULT_K, max_suppressed: float = MAX_SUPPRESSED
) -> Anonymised:
    if k < 1:
        raise ValueError("k must be at least 1")
    columns = len(records[0]) if records else 0
    levels = [0] * columns
    while True:
        classes = _classes(records, levels)
        small = sum(n for n in classes.values() if n < k)
        if small <= max_suppressed * len(records):
            break
        raisable = [c for c in range(columns) if levels[c] < len(records[0][c]) - 1]
        if not raisable:
            break

        def distinct(c: int) -> int:
            return len({r[c][levels[c]] for r in records})

        levels[max(raisable, key=lambda c: (distinct(c), -c))] += 1
    classes = _classes(records, levels)
    rows, kept = [], []
    for i, r in enumerate(records):
        values = tuple(r[c][lv] for c, lv in enumerate(levels))
        if classes[values] >= k:
            rows.append(list(values))
            kept.append(i)
    return Anonymised(rows, kept, levels, len(records) - len(kept), k)


def date_ladder(iso: str) -> tuple[str, ...]:
    """A date, its month, its quarter, its year, nothing."""
    if not iso:
        return ("", "", "", "", "")
    year, month = iso[:4], int(iso[5:7])
    return (iso, iso[:7], f"{year}-K{(month - 1) // 3 + 1}", year, "*")


def year_ladder(year: int) -> tuple[str, ...]:
    """A year, its five-year band, its ten-year band, nothing."""
    five, ten = year - year % 5, year - year % 10
    return (str(year), f"{five}–{five + 4}", f"{ten}–{ten + 9}", "*")


def category_ladder(value: str) -> tuple[str, ...]:
    return (value, "*")
