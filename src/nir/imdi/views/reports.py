"""The monthly Ukraina report to the ministry, and the scheduler's record of runs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nir.imdi import selectors
from nir.imdi.access import adviser_access, analyst_access, is_adviser
from nir.imdi.charts import SHARE_WIDTH
from nir.imdi.forms import UkrainaBuildForm
from nir.imdi.tables import TOTAL_LABEL
from nir.jobs.models import RunStatus
from nir.register import labels
from nir.register.message_dates import bokmaal
from nir.register.published_labels import published_word
from nir.register.services.reports import store_ukraina_report
from nir.register.ukraina_norsk import NORSK_MEASURES, NORSK_PREFIX, NORSK_TITLES
from nir.register.ukraina_report import (
    MEASURES,
    REASON_TITLE,
    build_ukraina_report,
    month_bounds,
)
from nir.rules.dates import add_months
from nir.rules.disclosure import TOTAL, SuppressedTable
from nir.web.access import current_user
from nir.web.charts import bar_chart
from nir.web.sorting import ByLabel, Column, Sorting, sort_of

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


MISSING_LOOKBACK = 12


def _missing_months(delivered: set[str]) -> list[str]:
    """Ended months of the last year with no delivered report, newest first: a failed run
    of the monthly job shows up here as a button."""
    first = timezone.localdate().replace(day=1)
    months = [f"{add_months(first, -i):%Y-%m}" for i in range(1, MISSING_LOOKBACK + 1)]
    return [m for m in months if m not in delivered]


def _list(request: HttpRequest, form: UkrainaBuildForm | None) -> HttpResponse:
    show_form = is_adviser(current_user(request))
    reports = list(selectors.ukraina_reports())
    context: dict[str, Any] = {
        "reports": reports,
        "form": (form or UkrainaBuildForm()) if show_form else None,
        "missing": _missing_months({r.period for r in reports}) if show_form else [],
        "measures": MEASURES,
    }
    return render(request, "imdi/ukraina/list.html", context)


@analyst_access
def ukraina_list(request: HttpRequest) -> HttpResponse:
    return _list(request, None)


@adviser_access
@require_POST
def ukraina_build(request: HttpRequest) -> HttpResponse:
    form = UkrainaBuildForm(request.POST)
    if form.is_valid():
        month = form.cleaned_data["maaned"]
        _first, last = month_bounds(month)
        if last >= timezone.localdate():
            form.add_error(
                "maaned", _("Måneden er ikke over ennå. Rapporten lages når den er slutt.")
            )
        elif selectors.ukraina_report(month) is not None:
            form.add_error("maaned", _("Rapporten for denne måneden er allerede levert."))
        else:
            # As the register stands now: the cut-off of a report made by hand is the moment
            # it is made, and it is kept as delivered from then on.
            store_ukraina_report(month, timezone.now())
            messages.success(request, _("Rapporten for %(month)s er laget.") % {"month": month})
            return redirect("imdi:ukraina-month", month=month)
    return _list(request, form)


def _stored(month: str) -> Any:
    try:
        month_bounds(month)
    except ValueError:
        raise Http404 from None
    stored = selectors.ukraina_report(month)
    if stored is None:
        raise Http404
    return stored


def _display_table(
    title: str, table: SuppressedTable
) -> tuple[str, list[str], list[tuple[str, list[int | None], bool]]]:
    """A sheet of the report as the page shows it: its words in the reader's language (the
    workbook as delivered keeps them in bokmål)."""
    rows = [
        (
            str(TOTAL_LABEL) if row == TOTAL else published_word(row),
            [table.shown(row, c) for c in table.columns],
            row == TOTAL,
        )
        for row in (*table.rows, TOTAL)
    ]
    return title, [published_word(c) for c in table.columns], rows


@analyst_access
def ukraina_month(request: HttpRequest, month: str) -> HttpResponse:
    stored = _stored(month)
    # Rebuilt as the register stood at the stored cut-off: the history gives back the same
    # figures that went into the delivered workbook.
    report = build_ukraina_report(month, stored.cutoff)
    by_county = report.by["Fylke"]
    stock = MEASURES[0]
    shown = [(row, by_county.shown(row, stock)) for row in by_county.rows]
    chart = bar_chart(
        [(row, v, "." if v is None else str(v), False) for row, v in shown],
        value_width=SHARE_WIDTH,
    )
    tables = [
        _display_table(published_word(title), table)
        for title, table in [*report.by.items(), (REASON_TITLE, report.reasons)]
    ]
    if report.norsk is not None:
        # The part's sheets in the order of their titles, «Norsk – Fylke» and on.
        prefix = published_word(NORSK_PREFIX)
        tables += [
            _display_table(f"{prefix} – {published_word(title)}", table)
            for title, table in zip(NORSK_TITLES, report.norsk.by.values(), strict=True)
        ]
    return render(
        request,
        "imdi/ukraina/month.html",
        {
            "stored": stored,
            "report": report,
            "totals": [(published_word(m), report.totals[m]) for m in MEASURES]
            + [
                (published_word(m), report.norsk.totals[m])
                for m in NORSK_MEASURES
                if report.norsk is not None
            ],
            "chart": chart,
            "stock": stock,
            "tables": tables,
        },
    )


@analyst_access
def ukraina_download(request: HttpRequest, month: str) -> HttpResponse:
    stored = _stored(month)
    response = HttpResponse(bytes(stored.xlsx), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ukraina-{stored.period}.xlsx"'
    return response


# The scheduler's runs, sortable by any column but the counts; the latest first.
JOB_SORTING = Sorting(
    columns=(
        Column("jobb", gettext_lazy("Jobb"), (ByLabel("job", labels.JOBS),)),
        Column("periode", gettext_lazy("Periode"), ("period",)),
        Column("status", gettext_lazy("Status"), (ByLabel("status", dict(RunStatus.choices)),)),
        Column("forsok", gettext_lazy("Forsøk"), ("attempts",), numeric=True),
        Column("startet", gettext_lazy("Startet"), ("started_at",)),
        Column(
            "varighet",
            gettext_lazy("Varighet (s)"),
            (F("finished_at") - F("started_at"),),
            numeric=True,
        ),
    ),
    default="-startet",
    newest_first=True,
)
# The access review's findings; the latest day first.
UNUSUAL_SORTING = Sorting(
    columns=(
        Column("dag", gettext_lazy("Dag"), ("day",)),
        Column("bruker", gettext_lazy("Bruker"), ("actor",)),
        Column("organisasjon", gettext_lazy("Organisasjon"), ("organisation",)),
        Column("funn", gettext_lazy("Funn"), (ByLabel("kind", labels.ACCESS_FINDINGS),)),
        Column("personer", gettext_lazy("Personer"), ("persons",), numeric=True),
        Column("detaljer", gettext_lazy("Detaljer"), ("detail",)),
    ),
    default="-dag",
)


def _sorted_page(request: HttpRequest, rows: Any, sorting: Sorting) -> dict[str, Any]:
    sort = sort_of(request, sorting)
    page = Paginator(rows.order_by(*sort.order_by()), PAGE_SIZE).get_page(request.GET.get("side"))
    params = request.GET.copy()
    params.pop("side", None)
    return {
        "page": page,
        "query_string": params.urlencode(),
        "sort": sort,
        "headers": sort.headers(request),
    }


@adviser_access
def job_runs(request: HttpRequest) -> HttpResponse:
    context = _sorted_page(request, selectors.job_runs(), JOB_SORTING)
    return render(request, "imdi/jobs.html", context)


# A finding's detail is stored as the review worded it, in bokmål (with the day's limit);
# another language tells it from the kind and the count.
FINDING_DETAILS = {
    "many_persons": gettext_lazy("Leste %(persons)s personer på én dag."),
    "outside_kommune": gettext_lazy(
        "Leste %(persons)s personer med deltakelse i en annen kommune."
    ),
}


@adviser_access
def unusual_access(request: HttpRequest) -> HttpResponse:
    context = _sorted_page(request, selectors.unusual_access(), UNUSUAL_SORTING)
    findings = list(context["page"].object_list)
    for finding in findings:
        finding.kind_label = labels.label(labels.ACCESS_FINDINGS, finding.kind)
        template = FINDING_DETAILS.get(finding.kind)
        if template is not None and not bokmaal():
            finding.detail = str(template) % {"persons": finding.persons}
    context["page"].object_list = findings
    return render(request, "imdi/unusual_access.html", context)
