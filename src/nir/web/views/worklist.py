"""The start page: the caseworker's worklist."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nir.web.access import current_user, person_access, scope_of
from nir.web.worklist import build_worklist


@person_access
def worklist(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = build_worklist(scope_of(current_user(request)), today)
    return render(request, "web/worklist.html", {"worklist": items, "today": today})
