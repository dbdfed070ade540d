"""The figures stored at IMDi's annual cut-off, written as JSON and read back.

When a year's cut-off has passed, its figures are what they will stay: the scheduler
stores them once (``nir.register.services.stored_figures``), and the published pages, the
exports and the comparison with now read them here, a lookup of one row, instead of
reconstructing the register as it stood. What is stored is what was published: every
dimension's counts (the participants, starts and endings by reason of each label, from
which the figures and the goal attainment follow) and every cell of every published table
with its value and its protection (hidden as a small count, or to protect one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from nir.register.cutoffs import annual_cutoff
from nir.register.figures_models import StoredFigures
from nir.register.statistics import (
    COUNTING_IMDI,
    DIMENSIONS,
    PublishedFigures,
    YearFigures,
    figures_from_groups,
)
from nir.rules.cutoff import Cutoff
from nir.rules.disclosure import SuppressedTable

# The tables of ``PublishedFigures``, by their attribute.
TABLES = ("participants", "starts", "ends")
PRIMARY, SECONDARY = "p", "s"

# One inner group: every dimension's label, the reason ended with in the year ("" if
# none), how many participants and how many of them started in the year.
Group = tuple[tuple[str, ...], str, int, int]


def figures_json(groups: Iterable[Group]) -> dict[str, list[list[Any]]]:
    """Every dimension's counts: [label, reason, participants, starts] per label and reason."""
    groups = list(groups)
    stored: dict[str, list[list[Any]]] = {}
    for n, dim in enumerate(DIMENSIONS):
        counts: dict[tuple[str, str], list[int]] = {}
        for labels, reason, participants, starts in groups:
            count = counts.setdefault((labels[n], reason), [0, 0])
            count[0] += participants
            count[1] += starts
        stored[dim] = [[label, reason, *count] for (label, reason), count in sorted(counts.items())]
    return stored


def cells_json(published: Mapping[str, PublishedFigures]) -> dict[str, dict[str, Any]]:
    """Every published table's columns and cells: [row, column, value, protection] with
    the protection ``PRIMARY``, ``SECONDARY`` or "" (shown)."""
    stored: dict[str, dict[str, Any]] = {}
    for dim, figures in published.items():
        stored[dim] = {}
        for name in TABLES:
            table: SuppressedTable = getattr(figures, name)
            cells = [
                [row, column, value, _protection(table, (row, column))]
                for (row, column), value in sorted(table.values.items())
            ]
            stored[dim][name] = {"columns": list(table.columns), "cells": cells}
    return stored


def _protection(table: SuppressedTable, cell: tuple[str, str]) -> str:
    if cell in table.primary:
        return PRIMARY
    return SECONDARY if cell in table.secondary else ""


def stored_row(
    year: int, counting: str = COUNTING_IMDI, cutoff: Cutoff | None = None
) -> StoredFigures | None:
    """The figures stored for the year at its cut-off as it now stands (``cutoff``, read
    if not given; none where the cut-off was moved after they were stored, until they are
    stored at the new one)."""
    day = (cutoff or annual_cutoff(year)).day
    return StoredFigures.objects.filter(year=year, counting=counting, cutoff_date=day).first()


def stored_year_figures(row: StoredFigures, dimension: str) -> YearFigures:
    """One dimension's figures as stored."""
    groups = ((label, reason, n, starts) for label, reason, n, starts in row.figures[dimension])
    figures = figures_from_groups(row.year, dimension, groups)
    return dataclasses.replace(figures, counting=row.counting, cutoff=row.cutoff_date)


def stored_published(row: StoredFigures) -> dict[str, PublishedFigures]:
    """Every dimension's tables as they were published, hidden cells hidden."""
    published = {}
    for dim in DIMENSIONS:
        figures = stored_year_figures(row, dim)
        tables = []
        for name in TABLES:
            table = row.cells[dim][name]
            values, primary, secondary = {}, set(), set()
            for r, c, value, protection in table["cells"]:
                values[(r, c)] = value
                if protection == PRIMARY:
                    primary.add((r, c))
                elif protection == SECONDARY:
                    secondary.add((r, c))
            tables.append(
                SuppressedTable(
                    figures.rows,
                    tuple(table["columns"]),
                    values,
                    frozenset(primary),
                    frozenset(secondary),
                )
            )
        published[dim] = PublishedFigures(figures, *tables)
    return published


def stored_statistics(
    year: int, counting: str = COUNTING_IMDI
) -> dict[str, PublishedFigures] | None:
    """The year's published figures as stored at its cut-off, or None if none are."""
    row = stored_row(year, counting)
    return None if row is None else stored_published(row)
