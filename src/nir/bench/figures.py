"""A benchmark's figure and the ways of timing one: the pieces every bench module shares.

Each figure is the median of several runs. Where a write is measured, each run happens in a
transaction that is rolled back, so every run does the same work on the same data.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction


class _Rollback(Exception):
    pass


@dataclass
class Figure:
    name: str
    unit: str
    runs: list[float]
    limit_name: str = ""
    limit_runs: list[float] = field(default_factory=list)
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def limit(self) -> float | None:
        return statistics.median(self.limit_runs) if self.limit_runs else None


def timed(work: Callable[[], object], *, rollback: bool) -> float:
    start = time.perf_counter()
    try:
        with transaction.atomic():
            work()
            elapsed = time.perf_counter() - start
            if rollback:
                raise _Rollback
    except _Rollback:
        pass
    return elapsed


def bench_read(
    name: str,
    work: Callable[[], object],
    runs: int,
    target_seconds: float,
    limit_name: str = "",
    limit: Callable[[], object] | None = None,
) -> Figure:
    figure = Figure(name, "s", [], limit_name, target=f"< {target_seconds:g} s")
    for _ in range(runs):
        figure.runs.append(timed(work, rollback=False))
        if limit is not None:
            figure.limit_runs.append(timed(limit, rollback=False))
    figure.met = figure.median < target_seconds
    return figure


def bench_daily_write(
    name: str, work: Callable[[], object], limit: Callable[[], object], runs: int
) -> Figure:
    """A daily job's write against the same rows changed by one hand-written UPDATE without
    history, each run rolled back; met at most twice the limit."""
    figure = Figure(name, "s", [], "én håndskrevet UPDATE uten historikk", target="≤ 2 × grensen")
    for _ in range(runs):
        figure.runs.append(timed(work, rollback=True))
        figure.limit_runs.append(timed(limit, rollback=True))
    bare = figure.limit or 0
    figure.met = bare > 0 and figure.median <= 2 * bare
    return figure


def peak_memory_mb(work: Callable[[], object]) -> float:
    """Peak Python memory while ``work`` runs (tracemalloc), in MB."""
    tracemalloc.start()
    try:
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024 / 1024
