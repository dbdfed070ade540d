"""The monthly Ukraina report to the ministry (rules.md §8): kap. 6A participants in the
programme at the end of the month, starts and ends in the month, ends by reason (work above
all), by county and municipality, sex and age band, as the register stood at a stated
cut-off. Counts under five are shown as dots, with secondary suppression over all the
sheets together."""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext_noop, override

from nir.register.figure_states import states_sql
from nir.register.labels import month_label_of
from nir.register.models import HistoryEvent, Kommune, Person
from nir.register.publication import UkrainaGroup, protected, ukraina_release, ukraina_table
from nir.register.published_labels import PUBLISHED_KAP6A_CATEGORIES, PUBLISHED_SEXES
from nir.register.statistics import age_band, age_band_stand_ins
from nir.register.ukraina_norsk import NORSK_MEASURES, NorskUkraina, build_norsk_part
from nir.rules.disclosure import TOTAL, SuppressedTable
from nir.rules.regime import Regime
from nir.rules.termination import TERMINATION_REASONS

# The report's words stay bokmål in the workbook; marked so a page shows them in its
# reader's language (published_labels.published_word).
MEASURES = (
    gettext_noop("I program ved utgangen av måneden"),
    gettext_noop("Startet i måneden"),
    gettext_noop("Avsluttet i måneden"),
)
REASON_TITLE = gettext_noop("Avslutningsårsak")
ENDED = gettext_noop("Avsluttet")


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
    norsk: NorskUkraina | None = None  # the Norwegian scheme's part (register/ukraina_norsk.py)


# The sheets by dimension, in the order of every group's labels. Kategori, for kap. 6A:
# a right at 18-55, offered by the municipality at 55-67.
TITLES = (
    gettext_noop("Fylke"),
    gettext_noop("Kommune"),
    gettext_noop("Kjønn"),
    gettext_noop("Aldersgruppe"),
    gettext_noop("Kategori"),
)


def build_ukraina_report(month: str, cutoff: dt.datetime) -> UkrainaReport:
    """Every sheet of the month protected together, as one release (``nir.register.
    publication``), so no sheet can be subtracted from another to find a hidden count."""
    first, last = month_bounds(month)
    groups = ukraina_groups(cutoff, first, last)
    labels = [r.label_nb for r in TERMINATION_REASONS.values()]
    release = ukraina_release(groups, TITLES, MEASURES, labels)
    protection = protected(f"ukraina:{month}", release)
    by = {
        title: ukraina_table(protection, title, sorted({g.labels[n] for g in groups}), MEASURES)
        for n, title in enumerate(TITLES)
    }
    reasons = ukraina_table(protection, REASON_TITLE, labels, (ENDED,))
    # The national totals are published on the first sheet: part of the same release.
    totals = {m: protection.shown(("*", TOTAL, m)) for m in MEASURES}
    norsk = build_norsk_part(month, cutoff, first, last)
    return UkrainaReport(month, cutoff, by, reasons, totals, norsk)


def _age_band_sql(on: dt.date) -> tuple[str, dict[str, Any]]:
    """The age band on ``on`` as a CASE over the birth date (``age_band_stand_ins``)."""
    pairs, oldest = age_band_stand_ins(on)
    params: dict[str, Any] = {"band_oldest": age_band(oldest, on)}
    whens = []
    for n, (born_after, stand_in) in enumerate(pairs):
        whens.append(f"WHEN pe.birth_date > %(born_{n})s THEN %(band_{n})s")
        params[f"born_{n}"] = born_after
        params[f"band_{n}"] = age_band(stand_in, on)
    return f"CASE {' '.join(whens)} ELSE %(band_oldest)s END", params


def ukraina_groups(cutoff: dt.datetime, first: dt.date, last: dt.date) -> list[UkrainaGroup]:
    """The kap. 6A participants in the programme during the month as the register stood at
    the cut-off, grouped in the database by every sheet's label (the same states as
    ``states_sql``), so the report reads as many rows as there are groups."""
    db = connections[router.db_for_read(HistoryEvent)]
    states, params = states_sql(db, cutoff, regime=Regime.INTEGRERINGSLOVEN_KAP6A.value)
    band, band_params = _age_band_sql(last)
    ended = "s.end_date >= %(first)s AND s.end_date <= %(last)s"
    # Grouped by the municipality's id and named after, as the national figures are:
    # grouping by its names would sort every participation by four columns of text.
    query = f"""
        SELECT k.number, k.display_name, k.county_number, k.county_name, g.sex, g.band,
               g.category, g.ended_for, g.in_programme, g.started, g.ended
        FROM (
            SELECT s.kommune_id, pe.sex, {band} AS band, s.category,
                   CASE WHEN {ended} THEN s.reason ELSE '' END AS ended_for,
                   SUM(CASE WHEN s.end_date IS NULL OR s.end_date > %(last)s THEN 1 ELSE 0 END)
                       AS in_programme,
                   SUM(CASE WHEN s.start_date >= %(first)s THEN 1 ELSE 0 END) AS started,
                   SUM(CASE WHEN {ended} THEN 1 ELSE 0 END) AS ended
            FROM ({states}) s
            JOIN {Person._meta.db_table} pe ON pe.id = s.person_id
            WHERE s.start_date <= %(last)s AND (s.end_date IS NULL OR s.end_date >= %(first)s)
            GROUP BY 1, 2, 3, 4, 5
        ) g JOIN {Kommune._meta.db_table} k ON k.id = g.kommune_id
    """  # noqa: S608
    bounds = {"first": first, "last": last}
    adapted = {
        name: db.ops.adapt_datefield_value(value) if isinstance(value, dt.date) else value
        for name, value in {**band_params, **bounds}.items()
    }
    with db.cursor() as cursor:
        cursor.execute(query, {**params, **adapted})
        rows = cursor.fetchall()
    groups = []
    for number, name, county_number, county, sex, age_group, category, reason, *counts in rows:
        labels = (
            f"{county_number} {county}",
            f"{number} {name}",
            PUBLISHED_SEXES.get(sex, sex),
            age_group,
            PUBLISHED_KAP6A_CATEGORIES.get(category, category),
        )
        reason_label = TERMINATION_REASONS[reason].label_nb if reason else ""
        in_programme, started, ended_count = (int(c) for c in counts)
        groups.append(UkrainaGroup(labels, reason_label, (in_programme, started, ended_count)))
    return groups


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
    norsk = report.norsk
    for i, measure in enumerate(NORSK_MEASURES if norsk is not None else ()):
        sheet.write(8 + i, 0, measure)
        value = norsk.totals[measure] if norsk is not None else None
        if value is None:
            sheet.write(8 + i, 1, ".")
        else:
            sheet.write_number(8 + i, 1, value)
    sheet.set_column(0, 0, 45)
    sheets = [*report.by.items(), (REASON_TITLE, report.reasons)]
    for title, table in [*sheets, *(norsk.by.items() if norsk is not None else ())]:
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
