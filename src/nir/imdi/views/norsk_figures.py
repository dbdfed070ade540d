"""IMDi's national figures for Norwegian training (``nir.register.norsk_statistics``), as
published: protected, with dots for hidden cells, for advisers and statisticians."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nir.db_routers import replica_reads
from nir.imdi.access import analyst_access
from nir.imdi.forms import YearForm
from nir.imdi.tables import TOTAL_LABEL
from nir.register.norsk_statistics import (
    NORSK_DIMENSIONS,
    NORSKMAAL_COLUMN,
    NorskFigures,
    published_norsk_statistics,
)
from nir.register.publication import ANTALL
from nir.register.statistics import DIMENSIONS
from nir.rules.disclosure import TOTAL

YEARS_BACK = 6


class NorskFiguresForm(YearForm):
    etter = forms.ChoiceField(
        label=_("Fordelt etter"),
        required=False,
        choices=[(key, DIMENSIONS[key].title) for key in NORSK_DIMENSIONS],
    )


def _rows(figures: NorskFigures) -> list[tuple[Any, list[int | None], str, bool]]:
    rows = []
    for row in (*figures.participants.rows, TOTAL):
        share = figures.norskmaal_share(row)
        cells = [
            figures.participants.shown(row, ANTALL),
            figures.starts.shown(row, ANTALL),
            figures.ends.shown(row, TOTAL),
            figures.ends.shown(row, NORSKMAAL_COLUMN),
        ]
        share_text = "." if share is None else f"{float(share) * 100:.1f} %".replace(".", ",")
        rows.append((str(TOTAL_LABEL) if row == TOTAL else row, cells, share_text, row == TOTAL))
    return rows


@analyst_access
@replica_reads()
def norsk_statistics_page(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - YEARS_BACK, -1))
    form = NorskFiguresForm(request.GET or None, years=years, initial={"aar": years[1]})
    valid = form.is_bound and form.is_valid()
    year = form.cleaned_data["aar"] if valid else years[1]
    dimension = (form.cleaned_data.get("etter") if valid else "") or "kommune"
    figures = published_norsk_statistics(year)[dimension]
    return render(
        request,
        "imdi/norsk_statistics.html",
        {
            "form": form,
            "year": year,
            "dimension_title": DIMENSIONS[dimension].title,
            "rows": _rows(figures),
        },
    )
