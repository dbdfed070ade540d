"""The start page: the caseworker's worklist, a page at a time."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from nir.jobs.preferences import recent_notices
from nir.jobs.selectors import notice_line
from nir.rules.schemes import Scheme
from nir.web.access import PERSON_ROLES, aggregate_access, current_user, scope_of
from nir.web.audit import log_read
from nir.web.counts import COUNTS_SECONDS, last_change
from nir.web.norsk_worklist import norsk_worklist
from nir.web.reminders_preview import reminders_key, upcoming_reminders
from nir.web.worklist import worklist_page

NEXT_REMINDERS_SHOWN = 20


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("side", "1")))
    except ValueError:
        return 1


def _tomorrow(
    kommune_id: int | None, schemes: frozenset[Scheme], today: date, changed: str
) -> dict[str, object]:
    """What tomorrow's reminder e-mail will say to this user: the reminders of the schemes
    the user holds (the digest's recipients are chosen by the same roles). ``changed``: the
    municipality's ``last_change``."""
    if kommune_id is None or not schemes:
        return {}
    key = reminders_key(kommune_id, today, NEXT_REMINDERS_SHOWN, schemes, changed)
    upcoming, count = upcoming_reminders(kommune_id, today, NEXT_REMINDERS_SHOWN, schemes, key)
    # The list's rendering is cached under the same key (web/partials/next_reminders.html).
    return {
        "next_reminders": upcoming,
        "next_reminders_count": count,
        "next_reminders_key": key,
    }


@aggregate_access
def worklist(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.role_set & PERSON_ROLES:
        # Statistics users see protected figures only: their start page is the statistics.
        return redirect("imdi:statistics")
    today = timezone.localdate()
    scope = scope_of(user)
    norsk = norsk_worklist(scope, today) if Scheme.NORSK in user.schemes or user.is_imdi else []
    log_read(request, "web_norsk_worklist", (n.person_id for s in norsk for n in s.rows))
    # The municipality's last change, read once for the keys of the page and of tomorrow's
    # reminders (a municipality's user's scope is their municipality).
    changed = last_change(scope)
    tomorrow = _tomorrow(user.kommune_id, user.schemes, today, changed)
    if not user.is_imdi and Scheme.INTRODUKSJONSPROGRAM not in user.schemes:
        # A Norwegian-training user's worklist is that scheme's alone.
        context = {"norsk_streams": norsk, "today": today, "cache_seconds": COUNTS_SECONDS}
        context |= tomorrow
        return render(request, "web/norsk_worklist.html", context)
    items = worklist_page(
        scope, today, request.GET.get("etter"), _page_number(request), changed=changed
    )
    log_read(request, "web_worklist", (t.participation.person_id for t in items.tasks))
    context = {
        "worklist": items,
        "today": today,
        "here": request.get_full_path(),
        "norsk_streams": norsk,
        # How long the page's cached fragments are kept (their keys are exact).
        "cache_seconds": COUNTS_SECONDS,
    } | tomorrow
    if user.kommune_id is not None:
        # What the register told us lately, each notice worded where the e-mail's are.
        context["notices"] = [
            (notice, notice_line(notice)) for notice in recent_notices(user.kommune_id, today)[:20]
        ]
    return render(request, "web/worklist.html", context)
