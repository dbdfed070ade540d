"""Reports: who ended and why, the person list, the municipality overview; with downloads."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nir.db_routers import replica_reads
from nir.register import labels, reports, triage
from nir.register.reports import EXPORT_CHUNK_SIZE
from nir.rules.registration_window import WindowState, WindowStatus
from nir.rules.termination import IKKE_REGISTRERT
from nir.web.access import current_user, person_access, programme_report_access, scope_of
from nir.web.audit import log_read
from nir.web.charts import bar_chart
from nir.web.counts import COUNTS_SECONDS, cache_key, cached, cached_counts, last_change
from nir.web.exports import Export, export_response
from nir.web.forms import (
    OverviewForm,
    PersonListForm,
    TerminatedReportForm,
    with_without,
)
from nir.web.sorting import ByLabel, Column, Sort, Sorting, sort_of

# Fifty rows a page: a page the caseworker can take in, and one the server renders quickly.
PAGE_SIZE = 50


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator given its count (cached, see nir.web.counts) instead of counting again."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


YEARS_BACK = 6


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - YEARS_BACK, -1))


def _national_scope(request: HttpRequest, form: Any) -> int | None:
    """The municipality a list is read for: the user's own, or for a national user the one
    chosen in the form's filter (narrowing stays within IMDi's scope), else all."""
    scope = scope_of(current_user(request))
    if scope is None and form.is_bound and form.is_valid() and form.cleaned_data.get("kommune"):
        return int(form.cleaned_data["kommune"].pk)
    return scope


def _terminated_filter(
    request: HttpRequest,
) -> tuple[TerminatedReportForm, reports.TerminatedFilter]:
    national = scope_of(current_user(request)) is None
    form = TerminatedReportForm(request.GET or None, years=_years(), choose_kommune=national)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        reason = {"registrert": True, "ikke_registrert": False}.get(d["aarsak"])
        return form, reports.TerminatedFilter(
            year=d["aar"] or None,
            regime=d["lovverk"] or None,
            category=d["kategori"] or None,
            reason_registered=reason,
            window_status=WindowStatus(d["registrering"]) if d["registrering"] else None,
            as_of=timezone.localdate(),
        )
    return form, reports.TerminatedFilter(as_of=timezone.localdate())


def _terminated_sorting(national: bool, scope: int | None) -> Sorting:
    """The report's columns, sortable by any; the newest end first by default."""
    kommune = (Column("kommune", _("Kommune"), ("kommune__display_name",)),) if national else ()

    def state() -> Case:
        return triage.status_rank(scope, timezone.localdate())

    return Sorting(
        columns=(
            Column("navn", _("Navn"), ("person__family_name", "person__given_name")),
            Column("fnr", _("Fødselsnr./D-nr."), ("person__identity_number",)),
            *kommune,
            Column("lovverk", _("Lovverk"), (ByLabel("regime", labels.REGIMES),)),
            Column("kategori", _("Kategori"), (ByLabel("category", labels.CATEGORIES),)),
            Column("sluttdato", _("Sluttdato"), ("end_date",)),
            Column("aarsak", _("Årsak"), (ByLabel("termination_reason", labels.REASONS),)),
            Column("registrering", _("Registrering av årsak"), (state, "end_date")),
        ),
        default="-sluttdato",
    )


def _sorted_terminated(
    request: HttpRequest,
) -> tuple[TerminatedReportForm, reports.TerminatedFilter, int | None, Sort]:
    """The report's filters, scope and order, as the page and its exports read them."""
    form, filters = _terminated_filter(request)
    scope = _national_scope(request, form)
    sort = sort_of(request, _terminated_sorting(scope_of(current_user(request)) is None, scope))
    return form, dataclasses.replace(filters, order=sort.order_by()), scope, sort


def _person_list_sorting(national: bool) -> Sorting:
    """The person list's columns, sortable by any; by name by default."""
    kommune = (Column("kommune", _("Kommune"), ("kommune__display_name",)),) if national else ()
    return Sorting(
        columns=(
            Column("navn", _("Navn"), ("person__family_name", "person__given_name")),
            Column("fnr", _("Fødselsnr./D-nr."), ("person__identity_number",)),
            *kommune,
            Column("lovverk", _("Lovverk"), (ByLabel("regime", labels.REGIMES),)),
            Column("frist", _("Frist"), ("frist",)),
            Column("vedtak", _("Vedtak"), ("has_decision",)),
            Column("tiltak", _("Tiltak"), ("has_measures",)),
            Column("sluttmaal", _("Sluttmål"), ("sluttmaal_applies", "has_sluttmaal")),
        ),
        default="navn",
    )


def _sorted_person_list(
    request: HttpRequest,
) -> tuple[PersonListForm, reports.PersonListFilter, int | None, Sort]:
    """The person list's filters, scope and order, as the page and its exports read them."""
    form, filters = _person_list_filter(request)
    scope = _national_scope(request, form)
    sort = sort_of(request, _person_list_sorting(scope_of(current_user(request)) is None))
    return form, dataclasses.replace(filters, order=sort.order_by()), scope, sort


def _person_list_filter(request: HttpRequest) -> tuple[PersonListForm, reports.PersonListFilter]:
    national = scope_of(current_user(request)) is None
    form = PersonListForm(request.GET or None, choose_kommune=national)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, reports.PersonListFilter(
            has_decision=with_without(d["vedtak"]),
            has_measures=with_without(d["tiltak"]),
            has_sluttmaal=with_without(d["sluttmaal"]),
            active_only=d["bare_aktive"],
        )
    return form, reports.PersonListFilter(active_only=False)


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()


def _list_context(request: HttpRequest, form: Any, page: Any, sort: Sort) -> dict[str, Any]:
    """What a paged, sortable report shows besides its rows: the filters, the page, and the
    column headers with their order."""
    return {
        "form": form,
        "page": page,
        "query_string": _query_string(request),
        "national": scope_of(current_user(request)) is None,
        "sort": sort,
        "headers": sort.headers(request),
    }


@programme_report_access
@replica_reads()
def terminated(request: HttpRequest) -> HttpResponse:
    form, filters, scope, sort = _sorted_terminated(request)
    today = timezone.localdate()
    grants = triage.grants_signature(scope, today)
    changed = last_change(scope)  # one lookup for both keys
    counts = cached_counts(
        "terminated",
        scope,
        today,
        lambda: reports.terminated_counts(scope, filters),
        f"{filters!r}:{grants}",
        changed,
    )
    # The page's rows and their states, and the rendered table (the template's cache tag),
    # under one key that changes with the municipality's participations.
    # (The filters' repr leaves out their order, which the counts do not depend on.)
    side = request.GET.get("side")
    extra = f"{filters!r}:{sort.param}:{grants}:{side}"
    rows_key = cache_key("terminated_page", scope, today, extra, changed)
    number, rows = cached(
        rows_key, lambda: _terminated_page(scope, filters, counts.total, side, today)
    )
    page = Page([p for p, _ in rows], number, CountedPaginator([], PAGE_SIZE, counts.total))
    log_read(request, "web_report_terminated", (p.person_id for p in page.object_list))
    context = _list_context(request, form, page, sort)
    return render(
        request,
        "web/reports/terminated.html",
        context
        | {"counts": counts, "rows": rows, "rows_key": rows_key, "cache_seconds": COUNTS_SECONDS},
    )


def _terminated_page(
    scope: int | None,
    filters: reports.TerminatedFilter,
    total: int,
    side: str | None,
    today: dt.date,
) -> tuple[int, list[tuple[Any, WindowState | None]]]:
    """The page's number (as the paginator reads ``side``) and its rows with their states."""
    # The total on top is the list's length: the pages need no count of their own.
    page = CountedPaginator(reports.terminated_participations(scope, filters), PAGE_SIZE, total)
    shown = page.get_page(side)
    grants = triage.grants_by_kommune(scope, today)
    return shown.number, [(p, triage.state_of(p, today, grants)) for p in shown.object_list]


@programme_report_access
@replica_reads()
def terminated_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    _form, filters, scope, _sort = _sorted_terminated(request)
    export = Export(
        "avsluttede",
        "Avsluttede",
        reports.TERMINATED_COLUMNS,
        reports.terminated_rows(scope, filters),
        reports.terminated_participations(scope, filters)
        .values_list("person_id", flat=True)
        .iterator(chunk_size=EXPORT_CHUNK_SIZE),
    )
    return export_response(fmt, export, partial(log_read, request, "web_export_terminated"))


@programme_report_access
@replica_reads()
def person_list(request: HttpRequest) -> HttpResponse:
    form, filters, scope, sort = _sorted_person_list(request)
    rows = reports.person_list(scope, filters)
    total = cached_counts("person_list", scope, timezone.localdate(), rows.count, repr(filters))
    page = CountedPaginator(rows, PAGE_SIZE, total).get_page(request.GET.get("side"))
    log_read(request, "web_report_person_list", (p.person_id for p in page.object_list))
    return render(
        request,
        "web/reports/person_list.html",
        _list_context(request, form, page, sort),
    )


@programme_report_access
@replica_reads()
def person_list_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    _form, filters, scope, _sort = _sorted_person_list(request)
    export = Export(
        "personliste",
        "Personliste",
        reports.PERSON_LIST_COLUMNS,
        reports.person_list_rows(scope, filters),
        reports.person_list(scope, filters)
        .values_list("person_id", flat=True)
        .iterator(chunk_size=EXPORT_CHUNK_SIZE),
    )
    return export_response(fmt, export, partial(log_read, request, "web_export_person_list"))


# Unsuppressed counts: a municipality's own, or IMDi's advisers'; statisticians see the
# published, protected figures instead.
@person_access
@replica_reads()
def overview(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    scope = scope_of(user)
    years = _years()
    form = OverviewForm(request.GET or None, years=years, choose_kommune=scope is None)
    year, kommune = years[0], user.kommune
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["aar"]
        if scope is None and form.cleaned_data.get("kommune"):
            # IMDi sees every municipality, so narrowing to one stays within its scope.
            kommune = form.cleaned_data["kommune"]
            scope = kommune.pk
    result = reports.kommune_overview(scope, year)
    chart = bar_chart(
        [(r.label, r.count, str(r.count), r.code == IKKE_REGISTRERT) for r in result.ends_by_reason]
    )
    return render(
        request,
        "web/reports/overview.html",
        {
            "form": form,
            "overview": result,
            "chart": chart,
            "kommune": kommune,
            "reason_label": labels.reason_label,
        },
    )
