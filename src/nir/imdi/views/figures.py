"""Aggregates for IMDi: data quality, the published statistics and the cut-off comparison.

The statistics are protected as published (``nir.register.publication``) and open to
statisticians; data quality and the comparison are unprotected and the advisers' alone, and
the comparison's list of corrections is logged as a read of those persons' records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nir.db_routers import replica_reads
from nir.imdi.access import adviser_access, analyst_access
from nir.imdi.charts import SHARE_WIDTH, percent_text
from nir.imdi.forms import CompareForm, StatisticsForm, YearForm
from nir.imdi.tables import COLUMNS, EXPORT_COLUMNS, export_rows, figure_rows
from nir.register import (
    cutoff_comparison,
    data_quality,
    labels,
    norsk_quality,
    publication,
    related_items_quality,
    statistics,
)
from nir.register.cutoffs import annual_cutoff
from nir.rules.disclosure import TOTAL
from nir.web.audit import log_read
from nir.web.charts import bar_chart
from nir.web.exports import csv_response, xlsx_response
from nir.web.sorting import Column, Sorting, sort_of

YEARS_BACK = 6
TREND_YEARS = 6
DEFAULT_DIMENSION = "kommune"
CORRECTIONS_PAGE = 100


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - YEARS_BACK, -1))


def _share_percent(share: Fraction | None) -> float | None:
    return None if share is None else float(share * 100)


@adviser_access
@replica_reads()
def quality(request: HttpRequest) -> HttpResponse:
    years = _years()
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["aar"] if form.is_bound and form.is_valid() else years[0]
    today = timezone.localdate()
    points = data_quality.trend(range(year - TREND_YEARS + 1, year + 1))
    shares = [(str(p.year), _share_percent(p.share)) for p in points]
    chart = bar_chart(
        [(year_label, v, percent_text(v), False) for year_label, v in shares],
        value_width=SHARE_WIDTH,
    )
    return render(
        request,
        "imdi/quality.html",
        {
            "form": form,
            "year": year,
            "rows": data_quality.quality_by_kommune(year, today),
            "ranking": data_quality.national_ranking(year, today),
            "min_leavers": data_quality.MIN_LEAVERS_FOR_RANKING,
            "trend": points,
            "chart": chart,
            "related_rows": related_items_quality.related_items_quality(year),
            "related_kinds": [k.value for k in related_items_quality.COUNTED],
            "norsk_rows": norsk_quality.norsk_quality_by_kommune(year, today),
        },
    )


@dataclass(frozen=True, slots=True)
class Choice:
    year: int
    dimension: str
    at_cutoff: bool
    counting: str = statistics.COUNTING_IMDI

    @property
    def slug(self) -> str:
        when = "frist" if self.at_cutoff else "naa"
        return f"statistikk-{self.year}-{self.dimension}-{when}-{self.counting}"


def _choice(request: HttpRequest) -> tuple[StatisticsForm, Choice]:
    years = _years()
    # Last year by default: the year whose figures are being published.
    form = StatisticsForm(request.GET or None, years=years, initial={"aar": years[1]})
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, Choice(
            d["aar"],
            d["etter"] or DEFAULT_DIMENSION,
            d["tidspunkt"] == "frist",
            d["telling"] or statistics.COUNTING_IMDI,
        )
    return form, Choice(years[1], DEFAULT_DIMENSION, False)


def _published(choice: Choice) -> statistics.PublishedFigures:
    # Every dimension of the year, moment and counting is one release, protected together.
    return publication.published_figures(
        choice.year, choice.dimension, at_cutoff=choice.at_cutoff, counting=choice.counting
    )


@analyst_access
@replica_reads()
def statistics_page(request: HttpRequest) -> HttpResponse:
    form, choice = _choice(request)
    published = _published(choice)
    title = str(statistics.DIMENSIONS[choice.dimension].title)
    cutoff = annual_cutoff(choice.year)
    return render(
        request,
        "imdi/statistics.html",
        {
            "form": form,
            "choice": choice,
            "dimension_title": title,
            # Inside a sentence: «fordelt etter kommune», but «Ukraina (kap. 6A)» as written.
            "dimension_phrase": title if choice.dimension == "ukraina" else title.lower(),
            "cutoff_day": cutoff.day,
            "cutoff": cutoff,
            "counting": published.figures.counting,
            "columns": COLUMNS,
            "rows": figure_rows(published),
            "query_string": request.GET.urlencode(),
        },
    )


@analyst_access
@replica_reads()
def statistics_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _, choice = _choice(request)
    title = statistics.DIMENSIONS[choice.dimension].title
    rows = export_rows(_published(choice))
    header = (title, *EXPORT_COLUMNS)
    if fmt == "csv":
        return csv_response(choice.slug, header, rows)
    return xlsx_response(choice.slug, f"Statistikk {choice.year}", header, rows)


@dataclass(frozen=True, slots=True)
class TotalLine:
    measure: str
    at_cutoff: int | float | None
    now: int | float | None

    @property
    def difference(self) -> int | float | None:
        if self.at_cutoff is None or self.now is None:
            return None
        return round(self.now - self.at_cutoff, 1)


def _totals(comparison: cutoff_comparison.CutoffComparison) -> list[TotalLine]:
    then, now = comparison.at_cutoff, comparison.now

    def share(figures: statistics.YearFigures) -> float | None:
        value = _share_percent(figures.attainment[TOTAL].share)
        return None if value is None else round(value, 1)

    return [
        TotalLine(
            str(_("Deltakere i året")),
            sum(then.participants.values()),
            sum(now.participants.values()),
        ),
        TotalLine(str(_("Startet")), sum(then.starts.values()), sum(now.starts.values())),
        TotalLine(
            str(_("Avsluttet")),
            sum(then.ends(r) for r in then.rows),
            sum(now.ends(r) for r in now.rows),
        ),
        TotalLine(
            str(_("Avsluttet uten registrert årsak")),
            then.attainment[TOTAL].not_registered,
            now.attainment[TOTAL].not_registered,
        ),
        TotalLine(str(_("Direkte måloppnåelse (%)")), share(then), share(now)),
    ]


@dataclass(frozen=True, slots=True)
class ChangedRow:
    label: str
    participants: tuple[int, int]
    ends: tuple[int, int]
    not_registered: tuple[int, int]


def _changed_rows(comparison: cutoff_comparison.CutoffComparison) -> list[ChangedRow]:
    """The rows of the chosen breakdown whose counts differ between the cut-off and now."""
    then, now = comparison.at_cutoff, comparison.now
    missing = statistics.OUTCOME_COLUMNS[2]
    rows = [
        ChangedRow(
            label,
            (then.participants.get(label, 0), now.participants.get(label, 0)),
            (then.ends(label), now.ends(label)),
            (
                then.ends_by_outcome.get((label, missing), 0),
                now.ends_by_outcome.get((label, missing), 0),
            ),
        )
        for label in sorted(set(then.rows) | set(now.rows))
    ]
    return [
        r
        for r in rows
        if r.participants[0] != r.participants[1]
        or r.ends[0] != r.ends[1]
        or r.not_registered[0] != r.not_registered[1]
    ]


def _termination(state: tuple[dt.date | None, str]) -> tuple[dt.date, str] | None:
    """A termination then or now, ordered by its end date and then its reason's label as
    shown; none (not ended, or not registered yet) is empty and sorts last."""
    end, reason = state
    return None if end is None else (end, labels.reason_label(reason).casefold())


# The corrections after the cut-off, a list in memory (``cutoff_comparison``): sortable by
# any column on the server, so the order holds across its pages; by participation number.
CORRECTION_SORTING = Sorting(
    columns=(
        Column(
            "deltakelse",
            _("Deltakelsesnummer"),
            value=lambda c: c.participation_id,
        ),
        Column("kommune", _("Kommune"), value=lambda c: c.kommune.casefold()),
        Column("ved_fristen", _("Ved fristen"), value=lambda c: _termination(c.at_cutoff)),
        Column("naa", _("Nå"), value=lambda c: _termination(c.now)),
    ),
    default="deltakelse",
)


@adviser_access
@replica_reads()
def compare(request: HttpRequest) -> HttpResponse:
    years = _years()
    form = CompareForm(request.GET or None, years=years, initial={"aar": years[1]})
    year, dimension, kommune = years[1], DEFAULT_DIMENSION, None
    if form.is_bound and form.is_valid():
        year, dimension = form.cleaned_data["aar"], form.cleaned_data["etter"] or dimension
        kommune = form.cleaned_data["kommune"]
    comparison = cutoff_comparison.compare_with_cutoff(year, dimension)
    sort = sort_of(request, CORRECTION_SORTING)
    corrections = sort.sorted(cutoff_comparison.corrections_in(comparison.corrections, kommune))
    page = Paginator(corrections, CORRECTIONS_PAGE).get_page(request.GET.get("side"))
    log_read(
        request,
        "imdi_cutoff_corrections",
        cutoff_comparison.persons_of(c.participation_id for c in page.object_list),
    )
    params = request.GET.copy()
    params.pop("side", None)
    return render(
        request,
        "imdi/compare.html",
        {
            "form": form,
            "comparison": comparison,
            "totals": _totals(comparison),
            "changed_rows": _changed_rows(comparison),
            "dimension_title": statistics.DIMENSIONS[dimension].title,
            "cutoff_day": annual_cutoff(year).day,
            "cutoff": annual_cutoff(year),
            "page": page,
            "query_string": params.urlencode(),
            "sort": sort,
            "headers": sort.headers(request),
        },
    )
