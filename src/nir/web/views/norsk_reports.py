"""Reports of Norwegian training: the ordninger ended with reasons, and the person list with
the scheme's filters, each as a page, CSV and XLSX (nir.register.norsk_reports)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from nir.register import labels, norsk_reports
from nir.register.reports import EXPORT_CHUNK_SIZE
from nir.register.rule_config import rule_config
from nir.rules.norsk.hours import samf_modules_from
from nir.web.access import current_user, person_access, scope_of
from nir.web.audit import log_read
from nir.web.exports import Export, export_response
from nir.web.form_messages import RegisterForm
from nir.web.forms import WITH_WITHOUT, with_without
from nir.web.views.reports import PAGE_SIZE, _query_string, _years


class NorskEndedForm(RegisterForm):
    aar = forms.TypedChoiceField(label=_("År"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aar"].choices = [("", _("Alle år")), *((y, y) for y in _years())]  # type: ignore[attr-defined]


class NorskPersonListForm(RegisterForm):
    samfunnskunnskap = forms.ChoiceField(
        label=_("Samfunnskunnskap"),
        choices=[("", _("Alle")), *labels.choices(labels.SAMF_SCHEMES)],
        required=False,
    )
    kap6a = forms.ChoiceField(label=_("Kap. 6A"), choices=WITH_WITHOUT, required=False)
    bare_aktive = forms.BooleanField(label=_("Bare aktive"), required=False)


def _ended_year(request: HttpRequest) -> tuple[NorskEndedForm, int | None]:
    form = NorskEndedForm(request.GET or None)
    return form, (form.cleaned_data["aar"] if form.is_bound and form.is_valid() else None)


def _person_filter(
    request: HttpRequest,
) -> tuple[NorskPersonListForm, norsk_reports.NorskPersonListFilter]:
    form = NorskPersonListForm(request.GET or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, norsk_reports.NorskPersonListFilter(
            samf_scheme=d["samfunnskunnskap"] or None,
            kap6a=with_without(d["kap6a"]),
            active_only=d["bare_aktive"],
        )
    return form, norsk_reports.NorskPersonListFilter()


@person_access
def ended(request: HttpRequest) -> HttpResponse:
    form, year = _ended_year(request)
    scope = scope_of(current_user(request))
    rows = norsk_reports.norsk_ended(scope, year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("side"))
    log_read(request, "web_report_norsk_ended", (r.person_id for r in page.object_list))
    context = {
        "form": form,
        "page": page,
        "by_reason": norsk_reports.norsk_ended_by_reason(scope, year),
        "query_string": _query_string(request),
        "national": scope is None,
    }
    return render(request, "web/reports/norsk_ended.html", context)


@person_access
def ended_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    _, year = _ended_year(request)
    scope = scope_of(current_user(request))
    export = Export(
        "avsluttet-norskopplaering",
        "Avsluttet norsk",
        norsk_reports.NORSK_ENDED_COLUMNS,
        norsk_reports.norsk_ended_rows(scope, year),
        norsk_reports.norsk_ended(scope, year)
        .values_list("person_id", flat=True)
        .iterator(chunk_size=EXPORT_CHUNK_SIZE),
    )
    return export_response(fmt, export, partial(log_read, request, "web_export_norsk_ended"))


@person_access
def person_list(request: HttpRequest) -> HttpResponse:
    form, filters = _person_filter(request)
    scope = scope_of(current_user(request))
    page = Paginator(norsk_reports.norsk_person_list(scope, filters), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    log_read(request, "web_report_norsk_person_list", (r.person_id for r in page.object_list))
    cutoff = samf_modules_from(rule_config().norsk.hours)
    rows = [(r, norsk_reports.samf_scheme_of(r, cutoff)) for r in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query_string": _query_string(request),
        "national": scope is None,
    }
    return render(request, "web/reports/norsk_person_list.html", context)


@person_access
def person_list_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    _, filters = _person_filter(request)
    scope = scope_of(current_user(request))
    export = Export(
        "personliste-norskopplaering",
        "Personliste norsk",
        norsk_reports.NORSK_PERSON_LIST_COLUMNS,
        norsk_reports.norsk_person_list_rows(scope, filters),
        norsk_reports.norsk_person_list(scope, filters)
        .values_list("person_id", flat=True)
        .iterator(chunk_size=EXPORT_CHUNK_SIZE),
    )
    log = partial(log_read, request, "web_export_norsk_person_list")
    return export_response(fmt, export, log)
