"""Late-registration grants: IMDi grants and revokes; a municipality sees its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nir.imdi import selectors
from nir.imdi.access import adviser_access, is_adviser, support_access
from nir.imdi.forms import GrantFilterForm, GrantForm
from nir.register.models import LateRegistrationGrant
from nir.register.services.grants import NewGrant, grant_late_registration, revoke_grant
from nir.rules.errors import RuleViolation
from nir.web.access import actor_for, current_user, scope_of
from nir.web.errors import attach_violation, refusal_text
from nir.web.sorting import Column, Sorting, sort_of

PAGE_SIZE = 50


def _grant_sorting(national: bool, as_of: dt.date) -> Sorting:
    """The grants' columns, sortable by any; the newest grant first by default."""
    kommune = (
        (Column("kommune", gettext_lazy("Kommune"), ("kommune__number",)),) if national else ()
    )
    given = gettext_lazy("Gitt av") if national else gettext_lazy("Gitt")
    return Sorting(
        columns=(
            *kommune,
            Column("periode", gettext_lazy("Hendelser i perioden"), ("covers_from", "covers_to")),
            Column("utloper", gettext_lazy("Utløper"), ("expires_on",)),
            Column("status", gettext_lazy("Status"), (selectors.grant_status_rank(as_of),)),
            Column("gitt", given, ("granted_on",)),
            Column("begrunnelse", gettext_lazy("Begrunnelse"), ("reason",)),
        ),
        default="-gitt",
        newest_first=True,
    )


def _list_context(request: HttpRequest, scope: int | None) -> dict[str, Any]:
    as_of = timezone.localdate()
    sort = sort_of(request, _grant_sorting(scope is None, as_of))
    form = GrantFilterForm(request.GET or None, auto_id="filter_%s")
    status, kommune_id = None, None
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or None
        chosen = form.cleaned_data["kommune"]
        kommune_id = chosen.pk if chosen else None
    queryset = selectors.grants(scope, as_of, status=status, kommune_id=kommune_id).order_by(
        *sort.order_by()
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))
    params = request.GET.copy()
    params.pop("side", None)
    rows = [(g, selectors.grant_status(g, as_of)) for g in page.object_list]
    return {
        "filter_form": form,
        "page": page,
        "rows": rows,
        "counts": selectors.grant_counts(scope, as_of),
        "query_string": params.urlencode(),
        "today": as_of,
        "sort": sort,
        "headers": sort.headers(request),
    }


@support_access
def own_grants(request: HttpRequest) -> HttpResponse:
    """The municipality's grants; IMDi's advisers have the full list on their own page."""
    user = current_user(request)
    if is_adviser(user):
        return redirect("imdi:grants")
    return render(
        request,
        "imdi/grants/own.html",
        {**_list_context(request, scope_of(user)), "kommune": user.kommune},
    )


@adviser_access
def grant_list(request: HttpRequest) -> HttpResponse:
    grant_form = GrantForm(request.POST or None)
    if request.method == "POST" and grant_form.is_valid():
        d = grant_form.cleaned_data
        try:
            grant = grant_late_registration(
                actor=actor_for(current_user(request)),
                grant=NewGrant(
                    kommune_id=d["kommune"].pk,
                    covers_from=d["covers_from"],
                    covers_to=d["covers_to"],
                    expires_on=d["expires_on"],
                    reason=d["reason"],
                ),
            )
        except RuleViolation as violation:
            attach_violation(grant_form, violation)
        else:
            messages.success(
                request,
                _("%(kommune)s har fått tilgang til etterregistrering til og med %(date)s.")
                % {"kommune": grant.kommune.display_name, "date": f"{grant.expires_on:%d.%m.%Y}"},
            )
            return redirect("imdi:grants")
    context = _list_context(request, None)
    return render(request, "imdi/grants/list.html", {**context, "grant_form": grant_form})


@adviser_access
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    if not LateRegistrationGrant.objects.filter(pk=grant_id).exists():
        raise Http404
    try:
        grant = revoke_grant(actor=actor_for(current_user(request)), grant_id=grant_id)
    except RuleViolation as violation:
        messages.error(request, refusal_text(violation))
    else:
        messages.success(
            request,
            _("Tilgangen for %(kommune)s er trukket tilbake fra i dag.")
            % {"kommune": grant.kommune.display_name},
        )
    return redirect("imdi:grants")
