"""The one page that corrects a mistake: cancelling a registration, or undoing an end of
either scheme (the programme's termination, a Norwegian-training ordning's end).

Each view says what is corrected, where to go back, which correction service does it
(``services/corrections.py``: ``cancel_registration``, ``cancel_termination``,
``cancel_norsk_end``) and what to say after; the form, the refusals with the field named,
the access log and the message are this page's, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nir.register.models import Person
from nir.register.services.context import Actor
from nir.rules.errors import RuleViolation
from nir.web.access import actor_for, current_user
from nir.web.audit import log_read
from nir.web.errors import show_refusal
from nir.web.forms import CancelForm, UndoEndForm

# A correction saved from the form: the actor, the reason and the version it was made
# against; it gives the saved row.
Correction = Callable[[Actor, str, int], Any]


@dataclass(frozen=True)
class CorrectionPage:
    """What one correction page shows and does. ``termination``: an end undone (its form
    asks why the end is undone), else a registration cancelled."""

    person: Person
    back_url: str
    version: int
    correct: Correction
    saved_message: Callable[[Any], str]
    context: dict[str, Any]
    termination: bool = False


def correction_page(request: HttpRequest, page: CorrectionPage) -> HttpResponse:
    """The form: shown, refused with the field named, or saved and back to the person."""
    form_class = UndoEndForm if page.termination else CancelForm
    context = {
        **page.context,
        "person": page.person,
        "back_url": page.back_url,
        "termination": page.termination,
    }
    if request.method != "POST":
        form = form_class(initial={"expected_version": page.version})
    else:
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = page.correct(
                    actor_for(current_user(request)), data["reason"], data["expected_version"]
                )
            except RuleViolation as violation:
                show_refusal(form, violation, context)
            else:
                messages.success(request, page.saved_message(saved))
                return redirect(page.back_url)
    log_read(request, "web_cancel_form", [page.person.pk])
    return render(request, "web/cancel.html", {**context, "form": form})
