"""The start page: the caseworker's worklist."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from nir.web.access import PERSON_ROLES, aggregate_access, current_user, scope_of
from nir.web.audit import log_read
from nir.web.worklist import build_worklist


@aggregate_access
def worklist(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.role not in PERSON_ROLES:
        # Statistics users see aggregates only: their start page is the overview.
        return redirect("web:report-overview")
    today = timezone.localdate()
    items = build_worklist(scope_of(user), today)
    log_read(request, "web_worklist", (t.participation.person_id for t in items.tasks))
    return render(request, "web/worklist.html", {"worklist": items, "today": today})
