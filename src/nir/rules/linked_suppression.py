"""Disclosure control over every table of a release at once (rules.md §8, Decision).

The method is Statistics Norway's secondary suppression by Gaussian elimination (Langsrud,
«Secondary cell suppression by Gaussian elimination», 2024; the R package GaussSuppression):
every published cell is a sum of *inner cells*, the finest cross-classification behind all
the tables of a release, and the cells form the columns of one model matrix. A hidden cell
is safe only if its column is not a linear combination of the columns of the published
cells: then no arithmetic over everything published, in every table, gives it exactly.

1. Primary: counts of 1 to ``min_shown - 1`` are hidden. Zero is published, and so a reader
   knows every dot is at least 1 (the interval check below takes that into account).
2. Secondary: the other cells are taken in order of preference to publish (cells that were
   published before first, then totals before their parts, then larger before smaller). A
   cell is published if its column, reduced against the columns published so far, would not
   make a primary cell's column a combination of them; otherwise it is hidden too. The
   elimination is exact (whole numbers, scaled instead of divided), so «not a combination»
   is proved, not estimated.
3. Interval: a hidden cell that no equation gives exactly may still be bounded, since counts
   are not negative and a dot is at least 1. For each primary cell the least and greatest
   value consistent with everything published are found by linear programming (HiGHS); where
   the interval is narrower than ``interval``, the smallest published cell that holds part of
   it is hidden as well, until every primary cell is protected or nothing more can be hidden.
4. Singletons: the one person in a count of 1 knows their own cell is at least 1, and so
   does everyone else, because zeros are published: the interval in step 3 is measured with
   every dot at least 1, so subtracting oneself tells no more than that check allowed.

Stable publication: ``previously_hidden`` cells stay hidden whatever their count now, and
``previously_published`` cells are the first candidates to publish again (a count that has
since become small is hidden all the same), so publishing the same period again or one more
table later never unlocks a cell.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nir.rules.basis import BasisKind, LegalBasis

BASIS_LINKED_SUPPRESSION = LegalBasis(
    "statistics.linked_suppression",
    "Registerets regel: færre enn 5 personer vises som prikk; sekundærprikking over alle "
    "tabeller "
    "i en publisering samlet (Gauss-eliminasjon), med beskyttelsesintervall",
    BasisKind.BESLUTNING,
)
MIN_SHOWN = 5
# A dot says «1 to 4»: no one may narrow a hidden cell to less than that from what is
# published (the greatest value minus the least value an attacker can prove).
PROTECTION_INTERVAL = 3

Key = Hashable
# A column in whole numbers: the elimination scales instead of dividing, so it stays exact.
Vector = dict[int, int]


@dataclass(frozen=True, slots=True)
class ProtectionConfig:
    min_shown: int = MIN_SHOWN
    interval: int = PROTECTION_INTERVAL
    check_intervals: bool = True


@dataclass(frozen=True, slots=True)
class Release:
    """The model matrix of one release: every published cell as the set of inner cells it
    sums, and each inner cell's count. A cell's key is whatever names it in its table."""

    inner: Sequence[int]
    cells: Mapping[Key, frozenset[int]]

    def value(self, key: Key) -> int:
        return sum(self.inner[i] for i in self.cells[key])


@dataclass(frozen=True, slots=True)
class Protection:
    values: Mapping[Key, int]
    primary: frozenset[Key]
    secondary: frozenset[Key]
    # Primary cells whose interval could not be widened to the configured one (every cell
    # that could be hidden is hidden): reported, never silently published.
    short_intervals: frozenset[Key] = field(default_factory=frozenset)
    basis: LegalBasis = BASIS_LINKED_SUPPRESSION

    @property
    def hidden(self) -> frozenset[Key]:
        return self.primary | self.secondary

    def shown(self, key: Key) -> int | None:
        return None if key in self.hidden else self.values[key]


def _primitive(v: Vector) -> Vector:
    """The vector divided by the greatest common divisor of its entries: the same line, so
    the same answer to every question of span, with entries kept small."""
    divisor = math.gcd(*v.values()) if v else 1
    return v if divisor == 1 else {i: x // divisor for i, x in v.items()}


def _less(v: Vector, pivot: int, b: Vector) -> Vector:
    """``b[pivot]·v - v[pivot]·b``: ``v`` made zero at ``b``'s pivot, in whole numbers
    (a multiple of ``v`` less a multiple of ``b``: the same span as fractions give)."""
    factor, scale = v[pivot], b[pivot]
    w = v if scale == 1 else {i: scale * x for i, x in v.items()}
    for i, x in b.items():
        y = w.get(i, 0) - factor * x
        if y:
            w[i] = y
        else:
            w.pop(i, None)
    return w


class _Echelon:
    """The published columns reduced so far: each vector is zero at the pivot of every
    vector before it, so reducing in their order leaves a column zero at every pivot. A
    column is reduced only by the vectors whose pivots it holds, found by the pivots' places
    rather than by trying every vector."""

    def __init__(self) -> None:
        self.vectors: list[tuple[int, Vector]] = []
        self.place: dict[int, int] = {}  # pivot -> the place of its vector

    def reduce(self, vector: Vector) -> Vector:
        """The vector less its combination of the basis (up to a whole factor)."""
        v = dict(vector)
        place = self.place
        waiting = [place[i] for i in v if i in place]
        heapq.heapify(waiting)
        queued = set(waiting)
        while waiting:
            pivot, b = self.vectors[heapq.heappop(waiting)]
            if not v.get(pivot):
                continue
            v = _less(v, pivot, b)
            for i in b:
                # b is zero at earlier pivots: what it brings in comes later in the order.
                n = place.get(i)
                if n is not None and n not in queued and i in v:
                    queued.add(n)
                    heapq.heappush(waiting, n)
        return _primitive(v)

    def add(self, r: Vector) -> int:
        pivot = min(r)
        self.place[pivot] = len(self.vectors)
        self.vectors.append((pivot, r))
        return pivot


def _parallel(a: Vector, b: Vector) -> bool:
    if len(a) != len(b):
        return False
    i = next(iter(b))
    if i not in a:
        return False
    ai, bi = a[i], b[i]
    return all(j in a and a[j] * bi == x * ai for j, x in b.items())


def _column(cells: frozenset[int]) -> Vector:
    return dict.fromkeys(cells, 1)


def gauss_secondary(
    release: Release,
    hidden: Iterable[Key],
    order: Sequence[Key],
) -> set[Key]:
    """The cells of ``order`` that must be hidden so that no cell of ``hidden`` is a linear
    combination of the published ones. ``order`` lists the candidates to publish, most
    wanted first; cells in neither are published and taken first."""
    basis = _Echelon()
    residuals: dict[Key, Vector] = {}
    for key in hidden:
        if release.cells[key]:
            residuals[key] = _column(release.cells[key])
    secondary: set[Key] = set()
    for key in order:
        if key in residuals:
            continue
        r = basis.reduce(_column(release.cells[key]))
        if not r:
            continue  # already given by what is published: publishing it tells nothing new
        if any(_parallel(res, r) for res in residuals.values()):
            secondary.add(key)
            continue
        pivot = basis.add(r)
        for h, res in residuals.items():
            if res.get(pivot):
                residuals[h] = _primitive(_less(res, pivot, r))
    return secondary


def _components(release: Release) -> list[Release]:
    """The release split where no cell links one part with another (the measures, as a
    rule): each part is bounded by its own, much smaller, linear programme."""
    parent = list(range(len(release.inner)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for cells in release.cells.values():
        if not cells:
            continue
        first, *rest = sorted(cells)
        for i in rest:
            a, b = find(first), find(i)
            if a != b:
                parent[b] = a
    groups: dict[int, list[Key]] = {}
    for key, cells in release.cells.items():
        if cells:
            groups.setdefault(find(next(iter(cells))), []).append(key)
    parts = []
    for keys in groups.values():
        inner = sorted({i for k in keys for i in release.cells[k]})
        renumber = {i: n for n, i in enumerate(inner)}
        parts.append(
            Release(
                tuple(release.inner[i] for i in inner),
                {k: frozenset(renumber[i] for i in release.cells[k]) for k in keys},
            )
        )
    return parts


def interval_bounds(
    release: Release, hidden: frozenset[Key], targets: Iterable[Key]
) -> dict[Key, tuple[int, int]]:
    """The least and greatest whole value each target cell can have given every published
    cell, counts not negative and every hidden cell at least 1 (zeros are published)."""
    wanted = set(targets)
    result: dict[Key, tuple[int, int]] = {k: (0, 0) for k in wanted if not release.cells[k]}
    for part, mine in _parts_with(release, wanted):
        solver = _solver(part, hidden)
        for key in _each_objective(solver, part, mine):
            least = _objective_end(solver, minimise=True)
            result[key] = (_whole_least(least), _whole_greatest(_objective_end(solver)))
    return result


def narrow_cells(
    release: Release, hidden: frozenset[Key], targets: Iterable[Key], interval: int
) -> set[Key]:
    """The target cells whose interval (``interval_bounds``) is narrower than ``interval``.

    The greatest value is found first: the least is never above the cell's own count,
    which the published cells admit, so a greatest value ``interval`` above the count
    settles the cell without the least; it usually is, and protecting a national release
    then takes half the linear programmes."""
    wanted = set(targets)
    narrow = {k for k in wanted if not release.cells[k]}
    for part, mine in _parts_with(release, wanted):
        solver = _solver(part, hidden)
        for key in _each_objective(solver, part, mine):
            greatest = _whole_greatest(_objective_end(solver))
            if greatest - part.value(key) >= interval:
                continue
            if greatest - _whole_least(_objective_end(solver, minimise=True)) < interval:
                narrow.add(key)
    return narrow


def _parts_with(release: Release, wanted: set[Key]) -> Iterator[tuple[Release, list[Key]]]:
    """The release's unlinked parts that hold a wanted cell (with inner cells), each with
    those cells in a stable order."""
    for part in _components(release):
        mine = [k for k in part.cells if k in wanted]
        if mine:
            yield part, sorted(mine, key=repr)


def _each_objective(solver: Any, release: Release, targets: Iterable[Key]) -> Iterator[Key]:
    """Each target in turn, with the solver's objective set to the sum of its inner cells.

    One linear programme over the inner cells, solved again for each target with only the
    objective changed: the simplex starts from the last basis, so a release's hundreds of
    cells take seconds, not minutes."""
    import numpy as np

    previous: list[int] = []
    for key in targets:
        columns = sorted(release.cells[key])
        if previous:
            solver.changeColsCost(
                len(previous), np.array(previous, dtype=np.int32), np.zeros(len(previous))
            )
        solver.changeColsCost(
            len(columns), np.array(columns, dtype=np.int32), np.ones(len(columns))
        )
        previous = columns
        yield key


def _whole_least(least: float) -> int:
    return math.ceil(least - 1e-6)


def _whole_greatest(greatest: float) -> int:
    return math.floor(greatest + 1e-6) if greatest != math.inf else 10**9


def _solver(release: Release, hidden: frozenset[Key]) -> Any:
    """HiGHS holding the release's linear programme: a column per inner cell, a row per
    published or hidden cell (the sum of its inner cells), no objective yet."""
    import highspy  # the solver is loaded when a release is protected, not on import
    import numpy as np

    n = len(release.inner)
    starts = [0]
    index: list[int] = []
    lower: list[float] = []
    upper: list[float] = []
    for key, cells in release.cells.items():
        if not cells:
            continue
        index.extend(sorted(cells))
        starts.append(len(index))
        if key in hidden:
            # A dot is at least 1, as zeros are published; a cell hidden in an earlier
            # publication whose count has since fallen to zero is the one exception.
            lower.append(1.0 if release.value(key) > 0 else 0.0)
            upper.append(highspy.kHighsInf)
        else:
            lower.append(float(release.value(key)))
            upper.append(float(release.value(key)))
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(lower)
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, highspy.kHighsInf)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(len(index))
    # The bare binding: the Python wrapper prints a banner on stdout, which would end up
    # in front of the CSV that ``nir report statistikk`` writes there.
    solver = highspy._core._Highs()
    solver.setOptionValue("output_flag", False)
    # HiGHS's presolve spent 30 s on a national release's 10,000 inner cells, where the
    # simplex itself takes half a second: these programmes have nothing it can remove.
    solver.setOptionValue("presolve", "off")
    solver.passModel(lp)
    return solver


def _objective_end(solver: Any, *, minimise: bool = False) -> float:
    """The greatest (or least) value of the solver's objective (inf when unbounded)."""
    import highspy

    settled = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded)
    sense = highspy.ObjSense.kMinimize if minimise else highspy.ObjSense.kMaximize
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    if status not in settled:
        # A warm start can end without a verdict; the published cells always admit the
        # true counts, so solving the same programme afresh settles it.
        solver.clearSolver()
        solver.run()
        status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return float(solver.getInfo().objective_function_value)
    if status == highspy.HighsModelStatus.kUnbounded:
        return math.inf
    raise ValueError(f"The published cells admit no counts: {solver.modelStatusToString(status)}")


def protect(
    release: Release,
    config: ProtectionConfig | None = None,
    *,
    previously_hidden: Iterable[Key] = (),
    previously_published: Iterable[Key] = (),
) -> Protection:
    """Hide small counts and enough other cells of the release that none of them can be
    computed exactly, or bounded narrower than the protection interval, from all the
    published cells together."""
    config = config or ProtectionConfig()
    values = {key: release.value(key) for key in release.cells}
    kept_out = set(previously_published)
    primary = {k for k, v in values.items() if 0 < v < config.min_shown}
    forced = {k for k in previously_hidden if k in values} - primary
    primary_or_forced = primary | forced
    candidates = sorted(
        (k for k in values if k not in primary_or_forced),
        # Zeros first: they are always published (a zero says nothing about a person, and
        # no combination of zeros can give a count above zero away).
        key=lambda k: (
            values[k] != 0,
            k not in kept_out,
            -len(release.cells[k]),
            -values[k],
            repr(k),
        ),
    )
    secondary = forced | gauss_secondary(release, primary | forced, candidates)
    short: set[Key] = set()
    if config.check_intervals and primary:
        pending = set(primary)
        while pending:
            hidden = frozenset(primary | secondary)
            narrow = narrow_cells(release, hidden, sorted(pending, key=repr), config.interval)
            if not narrow:
                break
            widened = False
            for key in sorted(narrow, key=repr):
                inner = release.cells[key]
                choices = [
                    k
                    for k in values
                    if k not in hidden and values[k] > 0 and release.cells[k] & inner
                ]
                if not choices:
                    short.add(key)
                    continue
                # Hide what was published before only when nothing else widens the interval.
                secondary.add(min(choices, key=lambda k: (k in kept_out, values[k], repr(k))))
                widened = True
            pending = narrow - short
            if not widened:
                break
    return Protection(values, frozenset(primary), frozenset(secondary - primary), frozenset(short))
