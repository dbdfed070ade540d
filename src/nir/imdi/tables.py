"""Published figures laid out as one table, for the page and for the downloads alike, so
the screen, the CSV and the XLSX can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from nir.register.norsk_statistics import HOURS_COLUMNS, NORSKMAAL_COLUMN, NorskFigures
from nir.register.publication import ANTALL
from nir.register.published_labels import published_word
from nir.register.statistics import (
    BASIS_COLUMNS,
    COUNTING_IMDI,
    COUNTINGS,
    NOW_NB,
    OUTCOME_COLUMNS,
    PublishedFigures,
)
from nir.rules.disclosure import TOTAL

TOTAL_LABEL = _("I alt")  # the total row, in the reader's language
# The headers of the ends by outcome, per outcome column of the figures.
ENDED_HEADERS = {
    "Arbeid eller utdanning": _("Avsluttet: arbeid eller utdanning"),
    "Annet": _("Avsluttet: annet"),
    "Ikke registrert": _("Avsluttet: ikke registrert"),
    "Holdt utenfor": _("Avsluttet: holdt utenfor"),
}
COLUMNS = (
    _("Deltakere i året"),
    _("Startet"),
    *(ENDED_HEADERS[c] for c in OUTCOME_COLUMNS),
    _("Avsluttet i alt"),
    _("Direkte måloppnåelse (%)"),
)

Cell = int | float | str | None  # None: hidden (a dot); "–": nothing to compute


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
            _attainment(published, key),
        )
        label = str(TOTAL_LABEL) if key == TOTAL else published_word(key)
        rows.append(Row(label, cells, key == TOTAL))
    return rows


def _attainment(published: PublishedFigures, key: str) -> Cell:
    """The share, a dot when a count behind it is hidden, a dash when no one ended."""
    percent = published.attainment_percent(key)
    if percent is not None:
        return percent
    cells = [published.ends.shown(key, c) for c in (*OUTCOME_COLUMNS, TOTAL)]
    return "–" if None not in cells else None


# The downloads add, on every row, which counting and which cut-off the figures use: a
# column rather than a line above the table, so a CSV reader and a spreadsheet filter
# still see one header and then data, and a row copied elsewhere keeps what it means.
EXPORT_COLUMNS = (*COLUMNS, *BASIS_COLUMNS)


def export_rows(published: PublishedFigures) -> list[list[object]]:
    """The table's rows with a dot where a cell is hidden, as in every table IMDi
    publishes, each followed by the counting and the cut-off (``EXPORT_COLUMNS``), in the
    reader's language as the headers are."""
    counting, cutoff = published.figures.basis
    basis = (
        published_word(counting),
        published_word(cutoff) if isinstance(cutoff, str) else cutoff,
    )
    return [
        [row.label, *("." if c is None else c for c in row.cells), *basis]
        for row in figure_rows(published)
    ]


# --- Norwegian training's figures (nir.register.norsk_statistics) ----------------------------

NORSK_COLUMNS = (
    _("Deltakere"),
    _("Startet"),
    _("Avsluttet"),
    _("Norskmålet nådd"),
    _("Andel som nådde norskmålet (%)"),
    _("Timer i norsk"),
    _("Timer i samfunnskunnskap"),
)
# The scheme's figures are the register as it stands, every ending in the year counted.
NORSK_BASIS = (COUNTINGS[COUNTING_IMDI], NOW_NB)
NORSK_EXPORT_COLUMNS = (*NORSK_COLUMNS, *BASIS_COLUMNS)


def norsk_figure_rows(figures: NorskFigures) -> list[Row]:
    rows = []
    for key in (*figures.participants.rows, TOTAL):
        ended = figures.ends.shown(key, TOTAL)
        share = figures.norskmaal_share(key)
        # The share, a dot when a count behind it is hidden, a dash when no one ended.
        percent: Cell = "–" if ended == 0 else None
        if share is not None:
            percent = round(float(share) * 100, 1)
        cells: tuple[Cell, ...] = (
            figures.participants.shown(key, ANTALL),
            figures.starts.shown(key, ANTALL),
            ended,
            figures.ends.shown(key, NORSKMAAL_COLUMN),
            percent,
            *(figures.hours.shown(key, column) for column in HOURS_COLUMNS.values()),
        )
        label = str(TOTAL_LABEL) if key == TOTAL else published_word(key)
        rows.append(Row(label, cells, key == TOTAL))
    return rows


def norsk_export_rows(figures: NorskFigures) -> list[list[object]]:
    """The page's rows with a dot where a cell is hidden, each followed by the counting and
    the cut-off (``NORSK_EXPORT_COLUMNS``), as the programme's downloads."""
    basis = [published_word(word) for word in NORSK_BASIS]
    return [
        [row.label, *("." if c is None else c for c in row.cells), *basis]
        for row in norsk_figure_rows(figures)
    ]
