"""The start page: the caseworker's worklist."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from nir.jobs.preferences import recent_notices
from nir.jobs.reminders import next_reminders
from nir.web.access import PERSON_ROLES, aggregate_access, current_user, scope_of
from nir.web.audit import log_read
from nir.web.worklist import build_worklist

NEXT_REMINDERS_SHOWN = 20


@aggregate_access
def worklist(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.role not in PERSON_ROLES:
        # Statistics users see aggregates only: their start page is the overview.
        return redirect("web:report-overview")
    today = timezone.localdate()
    items = build_worklist(scope_of(user), today)
    log_read(request, "web_worklist", (t.participation.person_id for t in items.tasks))
    context = {"worklist": items, "today": today}
    if user.kommune_id is not None:
        # What tomorrow's reminder e-mail will say, and what the register told us lately.
        upcoming = next_reminders(user.kommune_id, today)
        context |= {"next_reminders": upcoming[:NEXT_REMINDERS_SHOWN],
                    "next_reminders_count": len(upcoming),
                    "notices": list(recent_notices(user.kommune_id, today)[:20])}
    return render(request, "web/worklist.html", context)
