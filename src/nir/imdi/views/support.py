"""Support requests: the municipality asks, IMDi answers, grants or refuses; either closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nir.imdi import selectors
from nir.imdi.access import is_adviser, municipal_access, support_access
from nir.imdi.forms import DecisionForm, FileRequestForm, MessageForm, RequestFilterForm
from nir.rules.errors import RuleViolation
from nir.support import services
from nir.support.models import RequestKind, RequestStatus, SupportRequest
from nir.support.services import LateRegistrationDecision, NewSupportRequest
from nir.web.access import actor_for, current_user, scope_of
from nir.web.errors import attach_violation
from nir.web.sorting import ByLabel, Column, Sorting, sort_of

PAGE_SIZE = 50
DECIDABLE = (RequestStatus.OPEN, RequestStatus.ANSWERED)


def _request(request: HttpRequest, request_id: int) -> SupportRequest:
    found = selectors.support_request(scope_of(current_user(request)), request_id)
    if found is None:
        raise Http404
    return found


def _request_sorting(national: bool) -> Sorting:
    """The requests' columns, sortable by any; the last changed first by default."""
    kommune = (
        (Column("kommune", gettext_lazy("Kommune"), ("kommune__number",)),) if national else ()
    )
    return Sorting(
        columns=(
            Column("emne", gettext_lazy("Emne"), ("subject",)),
            Column("type", gettext_lazy("Type"), (ByLabel("kind", dict(RequestKind.choices)),)),
            *kommune,
            Column(
                "status", gettext_lazy("Status"), (ByLabel("status", dict(RequestStatus.choices)),)
            ),
            Column("meldinger", gettext_lazy("Meldinger"), ("message_count",), numeric=True),
            Column("endret", gettext_lazy("Sist endret"), ("updated_at",)),
        ),
        default="-endret",
        newest_first=True,
    )


@support_access
def request_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    scope = scope_of(user)
    sort = sort_of(request, _request_sorting(scope is None))
    filters = selectors.RequestFilter()
    form = None
    params = request.GET.copy()
    params.pop("side", None)
    if scope is None:
        # IMDi starts on what waits for an answer; the filters widen it. The default goes
        # into the page links too, so page 2 lists the same requests as page 1.
        params.setdefault("status", RequestStatus.OPEN)
        form = RequestFilterForm(params)
        if form.is_valid():
            d = form.cleaned_data
            filters = selectors.RequestFilter(
                status=d["status"] or None,
                kind=d["kind"] or None,
                kommune_id=d["kommune"].pk if d["kommune"] else None,
            )
    rows = selectors.support_requests(scope, filters).order_by(*sort.order_by())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "imdi/support/list.html",
        {
            "form": form,
            "page": page,
            "query_string": params.urlencode(),
            "is_imdi": scope is None,
            "sort": sort,
            "headers": sort.headers(request),
        },
    )


def _prefilled(request: HttpRequest) -> dict[str, Any]:
    """A request opened from a refusal, the participant page or the report: the type, the
    participation and the event's date as the period (``?type=etterregistrering&deltakelse=
    &fra=&til=&gjelder=``)."""
    get = request.GET
    initial: dict[str, Any] = {}
    if get.get("deltakelse", "").isdigit():
        initial["participations"] = get["deltakelse"]
    for param, name in (("fra", "period_from"), ("til", "period_to")):
        try:
            initial[name] = dt.date.fromisoformat(get.get(param, ""))
        except ValueError:
            continue
    what = get.get("gjelder", "").strip()[:100]
    if what:
        initial["subject"] = _("Etterregistrering: %(what)s") % {"what": what}
    return initial


@municipal_access
def request_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        late = request.POST.get("kind") == RequestKind.LATE_REGISTRATION
        form = FileRequestForm(request.POST, late_registration=late)
    else:
        late = request.GET.get("type") == "etterregistrering"
        form = FileRequestForm(late_registration=late, initial=_prefilled(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            filed = services.file_request(
                actor=actor_for(current_user(request)),
                request=NewSupportRequest(
                    kind=d["kind"],
                    subject=d["subject"],
                    body=d["body"],
                    participation_ids=d["participations"],
                    period_from=d.get("period_from"),
                    period_to=d.get("period_to"),
                ),
            )
        except RuleViolation as violation:
            attach_violation(form, violation)
        else:
            messages.success(request, _("Henvendelsen er sendt til IMDi."))
            return redirect("imdi:request", request_id=filed.pk)
    return render(request, "imdi/support/create.html", {"form": form, "late": late})


def _detail_context(request: HttpRequest, support: SupportRequest, **forms: Any) -> dict[str, Any]:
    user = current_user(request)
    open_for_decision = (
        is_adviser(user)
        and support.kind == RequestKind.LATE_REGISTRATION
        and support.status in DECIDABLE
    )
    return {
        "support": support,
        "thread": selectors.thread(support),
        "references": selectors.referenced_participations(support),
        "message_form": forms.get("message_form") or MessageForm(),
        # A refused decision is shown with its errors even where the form is otherwise gone.
        "decision_form": forms.get("decision_form")
        or (
            DecisionForm(
                initial={"covers_from": support.period_from, "covers_to": support.period_to}
            )
            if open_for_decision
            else None
        ),
        "closed": support.status == RequestStatus.CLOSED,
    }


@support_access
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    support = _request(request, request_id)
    return render(request, "imdi/support/detail.html", _detail_context(request, support))


@support_access
@require_POST
def request_reply(request: HttpRequest, request_id: int) -> HttpResponse:
    support = _request(request, request_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.add_message(
                actor=actor_for(current_user(request)),
                request_id=support.pk,
                body=form.cleaned_data["body"],
            )
        except RuleViolation as violation:
            attach_violation(form, violation)
        else:
            messages.success(request, _("Svaret er sendt."))
            return redirect("imdi:request", request_id=support.pk)
    context = _detail_context(request, support, message_form=form)
    return render(request, "imdi/support/detail.html", context)


@support_access
@require_POST
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    if not is_adviser(current_user(request)):
        raise PermissionDenied
    support = _request(request, request_id)
    form = DecisionForm(request.POST)
    if support.status not in DECIDABLE:
        # The service does not look at the status: a second submit (a double click, a
        # stale page) would otherwise create a second grant for the same request.
        form.add_error(
            None,
            _("Henvendelsen er allerede avgjort eller lukket (%(status)s).")
            % {"status": support.get_status_display()},
        )
    elif form.is_valid():
        d = form.cleaned_data
        try:
            decided = services.decide_late_registration(
                actor=actor_for(current_user(request)),
                request_id=support.pk,
                decision=LateRegistrationDecision(
                    grant=d["decision"] == "innvilg",
                    reason=d["reason"],
                    expires_on=d["expires_on"],
                    covers_from=d["covers_from"],
                    covers_to=d["covers_to"],
                ),
            )
        except RuleViolation as violation:
            attach_violation(form, violation)
        else:
            if decided.status == RequestStatus.GRANTED:
                messages.success(
                    request, _("Etterregistrering er innvilget, og tilgangen er gitt.")
                )
            else:
                messages.success(request, _("Etterregistrering er avslått."))
            return redirect("imdi:request", request_id=support.pk)
    context = _detail_context(request, support, decision_form=form)
    return render(request, "imdi/support/detail.html", context)


@support_access
@require_POST
def request_close(request: HttpRequest, request_id: int) -> HttpResponse:
    support = _request(request, request_id)
    services.close_request(actor=actor_for(current_user(request)), request_id=support.pk)
    messages.success(request, _("Henvendelsen er lukket."))
    return redirect("imdi:request", request_id=support.pk)
