"""Published figures laid out as one table, for the page and for the downloads alike, so
the screen, the CSV and the XLSX can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from nir.register.statistics import OUTCOME_COLUMNS, PublishedFigures
from nir.rules.disclosure import TOTAL

TOTAL_LABEL = "I alt"
COLUMNS = (
    "Deltakere i året",
    "Startet",
    *(f"Avsluttet: {c.lower()}" for c in OUTCOME_COLUMNS),
    "Avsluttet i alt",
    "Direkte måloppnåelse (%)",
)

Cell = int | float | None  # None: hidden (a dot)


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


def figure_rows(published: PublishedFigures) -> list[Row]:
    rows = []
    for key in (*published.figures.rows, TOTAL):
        cells: tuple[Cell, ...] = (
            published.participants.shown(key, "Antall"),
            published.starts.shown(key, "Antall"),
            *(published.ends.shown(key, c) for c in OUTCOME_COLUMNS),
            published.ends.shown(key, TOTAL),
            published.attainment_percent(key),
        )
        rows.append(Row(TOTAL_LABEL if key == TOTAL else key, cells, key == TOTAL))
    return rows


def export_rows(rows: list[Row]) -> list[list[object]]:
    """A dot where a cell is hidden, as in every table IMDi publishes."""
    return [[row.label, *("." if c is None else c for c in row.cells)] for row in rows]
