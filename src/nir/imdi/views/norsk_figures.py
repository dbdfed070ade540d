"""IMDi's national figures for Norwegian training (``nir.register.norsk_statistics``), as
published: protected, with dots for hidden cells, for advisers and statisticians; the page
and its CSV and XLSX are one table (``nir.imdi.tables``)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nir.db_routers import replica_reads
from nir.imdi.access import analyst_access
from nir.imdi.forms import YearForm
from nir.imdi.tables import (
    NORSK_COLUMNS,
    NORSK_EXPORT_COLUMNS,
    norsk_export_rows,
    norsk_figure_rows,
)
from nir.register.norsk_statistics import NORSK_DIMENSIONS, published_norsk_statistics
from nir.register.statistics import DIMENSIONS
from nir.web.exports import csv_response, xlsx_response

YEARS_BACK = 6
DEFAULT_DIMENSION = "kommune"


class NorskFiguresForm(YearForm):
    etter = forms.ChoiceField(
        label=_("Fordelt etter"),
        required=False,
        choices=[(key, DIMENSIONS[key].title) for key in NORSK_DIMENSIONS],
    )


def _choice(request: HttpRequest) -> tuple[NorskFiguresForm, int, str]:
    """The form, and the year and breakdown it asks for (last year by municipality)."""
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - YEARS_BACK, -1))
    form = NorskFiguresForm(request.GET or None, years=years, initial={"aar": years[1]})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["aar"], form.cleaned_data["etter"] or DEFAULT_DIMENSION
    return form, years[1], DEFAULT_DIMENSION


@analyst_access
@replica_reads()
def norsk_statistics_page(request: HttpRequest) -> HttpResponse:
    form, year, dimension = _choice(request)
    figures = published_norsk_statistics(year)[dimension]
    return render(
        request,
        "imdi/norsk_statistics.html",
        {
            "form": form,
            "year": year,
            "dimension_title": DIMENSIONS[dimension].title,
            "columns": NORSK_COLUMNS,
            "rows": norsk_figure_rows(figures),
            "query_string": request.GET.urlencode(),
        },
    )


@analyst_access
@replica_reads()
def norsk_statistics_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, year, dimension = _choice(request)
    rows = norsk_export_rows(published_norsk_statistics(year)[dimension])
    header = (DIMENSIONS[dimension].title, *NORSK_EXPORT_COLUMNS)
    slug = f"statistikk-norsk-{year}-{dimension}-naa"
    if fmt == "csv":
        return csv_response(slug, header, rows)
    return xlsx_response(slug, f"Opplæring i norsk {year}", header, rows)
