"""The monthly Ukraina report to the ministry (rules.md §8): kap. 6A participants in the
programme at the end of the month, starts and ends in the month, ends by reason (work above
all), by county and municipality, sex and age band, as the register stood at a stated
cut-off. Counts under five are shown as dots, with secondary suppression over all the
sheets together."""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import xlsxwriter
from django.utils import timezone
from django.utils.translation import override

from nir.register.figure_states import StatRow, states_as_of
from nir.register.labels import PUBLISHED_KAP6A_CATEGORIES, PUBLISHED_SEXES, month_label_of
from nir.register.publication import protected, ukraina_release, ukraina_table
from nir.register.statistics import age_band
from nir.rules.disclosure import TOTAL, SuppressedTable
from nir.rules.regime import Regime
from nir.rules.termination import TERMINATION_REASONS

MEASURES = ("I program ved utgangen av måneden", "Startet i måneden", "Avsluttet i måneden")


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = dt.date(year, number, 1)
    except ValueError:
        raise ValueError(f"--month {month!r} is not a month; write YYYY-MM.") from None
    return first, dt.date(year, number, calendar.monthrange(year, number)[1])


@dataclass(frozen=True)
class UkrainaReport:
    month: str
    cutoff: dt.datetime
    by: dict[str, SuppressedTable]  # dimension title -> measures table
    reasons: SuppressedTable  # reason -> ends in the month
    totals: dict[str, int | None]  # national totals (published cells of the same release)


def build_ukraina_report(month: str, cutoff: dt.datetime) -> UkrainaReport:
    """Every sheet of the month protected together, as one release (``nir.register.
    publication``), so no sheet can be subtracted from another to find a hidden count."""
    first, last = month_bounds(month)
    # Only who was in the programme during the month can count in any of its figures.
    rows = list(
        states_as_of(
            cutoff, regime=Regime.INTEGRERINGSLOVEN_KAP6A.value, during=(first, last)
        ).values()
    )
    dimensions: dict[str, Callable[[StatRow], str]] = {
        "Fylke": lambda r: r.county,
        "Kommune": lambda r: r.kommune,
        "Kjønn": lambda r: PUBLISHED_SEXES.get(r.sex, r.sex),
        "Aldersgruppe": lambda r: age_band(r.birth_date, last),
        "Kategori": lambda r: PUBLISHED_KAP6A_CATEGORIES.get(r.category, r.category),
    }
    labels = [r.label_nb for r in TERMINATION_REASONS.values()]
    release = ukraina_release(
        rows,
        first,
        last,
        dimensions,
        MEASURES,
        lambda code: TERMINATION_REASONS[code].label_nb,
        labels,
    )
    protection = protected(f"ukraina:{month}", release)
    by = {
        title: ukraina_table(protection, title, sorted({key(r) for r in rows}), MEASURES)
        for title, key in dimensions.items()
    }
    reasons = ukraina_table(protection, "Avslutningsårsak", labels, ("Avsluttet",))
    # The national totals are published on the first sheet: part of the same release.
    totals = {m: protection.shown(("*", TOTAL, m)) for m in MEASURES}
    return UkrainaReport(month, cutoff, by, reasons, totals)


def ukraina_report_xlsx(report: UkrainaReport) -> bytes:
    with override("nb"):  # delivered in bokmål whoever downloads it
        return _ukraina_report_xlsx(report)


def _ukraina_report_xlsx(report: UkrainaReport) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Oversikt")
    # The ministry reads the report in Norway: the month in words, the time in Europe/Oslo
    # as on the page (the cut-off is stored in UTC).
    month = month_label_of(report.month)
    sheet.write(0, 0, f"Månedsrapport Ukraina (integreringsloven kap. 6A), {month}", bold)
    cutoff = (
        timezone.localtime(report.cutoff) if timezone.is_aware(report.cutoff) else report.cutoff
    )
    sheet.write(1, 0, f"Registeret slik det sto {cutoff:%d.%m.%Y kl. %H:%M}.")
    sheet.write(
        2,
        0,
        "Tall under 5 vises som «.», og flere celler er skjult så de ikke kan "
        "regnes ut fra summene.",
    )
    for i, measure in enumerate(MEASURES):
        sheet.write(4 + i, 0, measure)
        total = report.totals[measure]
        if total is None:
            sheet.write(4 + i, 1, ".")
        else:
            sheet.write_number(4 + i, 1, total)
    sheet.set_column(0, 0, 45)
    for title, table in [*report.by.items(), ("Avslutningsårsak", report.reasons)]:
        ws = book.add_worksheet(title)
        ws.write(0, 0, title, bold)
        for j, column in enumerate(table.columns):
            ws.write(0, 1 + j, column, bold)
        for i, row in enumerate([*table.rows, TOTAL]):
            ws.write(1 + i, 0, "I alt" if row == TOTAL else row, bold if row == TOTAL else None)
            for j, column in enumerate(table.columns):
                value = table.shown(row, column)
                if value is None:
                    ws.write(1 + i, 1 + j, ".")
                else:
                    ws.write_number(1 + i, 1 + j, value)
        ws.set_column(0, 0, 40)
        ws.set_column(1, len(table.columns), 18)
    book.close()
    return buffer.getvalue()
