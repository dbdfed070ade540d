"""The attacks a statistician with the register's outputs would make, written apart from the
protection: scipy's own HiGHS, not the solver the protection uses."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from nir.rules.linked_suppression import Release


def _parts(release: Release) -> list[list[Hashable]]:
    """Cells grouped where they share inner cells (the measures): each is its own problem."""
    owner: dict[int, int] = {}
    groups: list[set[Hashable]] = []
    for key, cells in release.cells.items():
        hits = {owner[i] for i in cells if i in owner}
        if hits:
            target = min(hits)
            for other in hits - {target}:
                groups[target] |= groups[other]
                for k in groups[other]:
                    for i in release.cells[k]:
                        owner[i] = target
                groups[other] = set()
        else:
            target = len(groups)
            groups.append(set())
        groups[target].add(key)
        for i in cells:
            owner[i] = target
    return [sorted(g, key=repr) for g in groups if g]


def _matrix(rows: Sequence[list[int]], sign: float, width: int) -> csr_matrix:
    r = [n for n, row in enumerate(rows) for _ in row]
    c = [i for row in rows for i in row]
    return csr_matrix(([sign] * len(c), (r, c)), shape=(len(rows), width))


def lp_attack(release: Release, hidden: Iterable[Hashable]) -> dict[Hashable, tuple[int, int]]:
    """For every hidden cell, the least and greatest count consistent with every published
    cell of the release, counts not negative and every dot at least 1 (zeros are shown)."""
    hidden = set(hidden)
    bounds: dict[Hashable, tuple[int, int]] = {}
    for keys in _parts(release):
        targets = [k for k in keys if k in hidden and release.cells[k]]
        if not targets:
            continue
        inner = sorted({i for k in keys for i in release.cells[k]})
        col = {i: n for n, i in enumerate(inner)}
        eq, b_eq, ub, b_ub = [], [], [], []
        for k in keys:
            if not release.cells[k]:
                continue
            row = [col[i] for i in release.cells[k]]
            if k in hidden:
                ub.append(row)
                b_ub.append(-1.0)
            else:
                eq.append(row)
                b_eq.append(float(release.value(k)))

        a_eq, a_ub = _matrix(eq, 1.0, len(inner)), _matrix(ub, -1.0, len(inner))
        for key in targets:
            objective = np.zeros(len(inner))
            objective[[col[i] for i in release.cells[key]]] = 1.0
            ends = []
            for sign in (1.0, -1.0):
                lp = linprog(
                    sign * objective,
                    A_ub=a_ub if ub else None,
                    b_ub=b_ub or None,
                    A_eq=a_eq if eq else None,
                    b_eq=b_eq or None,
                    bounds=(0, None),
                    method="highs",
                )
                assert lp.status in (0, 3), lp.message
                ends.append(math.inf if lp.status == 3 else sign * lp.fun)
            bounds[key] = (
                math.ceil(ends[0] - 1e-6),
                10**9 if ends[1] == math.inf else math.floor(ends[1] + 1e-6),
            )
    return bounds


def too_narrow(
    bounds: dict[Hashable, tuple[int, int]], release: Release, interval: int, primary: set
) -> dict[Hashable, tuple[int, int, int]]:
    """The small counts an attacker pins down exactly or to less than the interval."""
    return {
        k: (lo, hi, release.value(k))
        for k, (lo, hi) in bounds.items()
        if k in primary and hi - lo < interval
    }


def reidentified(rows: Sequence[Sequence[str]], k: int) -> list[tuple[str, ...]]:
    """Combinations of quasi-identifiers (every column but the pseudonym) shared by fewer
    than k rows: whoever knows those facts of a person finds them."""
    classes = Counter(tuple(r[1:]) for r in rows)
    return [c for c, n in classes.items() if n < k]


def links(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """Pseudonyms of two projects joined one to one through identical quasi-identifiers."""
    in_a = Counter(tuple(r[1:]) for r in a)
    in_b = Counter(tuple(r[1:]) for r in b)
    first = {tuple(r[1:]): r[0] for r in a}
    return [(first[qi], r[0]) for r in b if in_b[(qi := tuple(r[1:]))] == 1 and in_a.get(qi) == 1]
