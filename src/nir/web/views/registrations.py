"""Registering on a participation, and previewing what it would do to the frist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from nir.register import triage
from nir.register.labels import reason_label
from nir.register.models import Participation
from nir.register.services.context import Actor
from nir.register.services.corrections import Cancellation, cancel_registration, cancel_termination
from nir.rules.errors import RuleViolation
from nir.rules.termination import ParticipationStatus
from nir.web.access import (
    actor_for,
    current_user,
    person_access,
    registering_access,
)
from nir.web.audit import log_read
from nir.web.correction_page import CorrectionPage, correction_page
from nir.web.errors import STALE, attach_violation, refusal_text, show_refusal
from nir.web.participant import registration_row
from nir.web.registrations import KINDS, RegistrationKind
from nir.web.visible import participation_or_404


def _kind(slug: str) -> RegistrationKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _back_to(request: HttpRequest, participation: Participation) -> HttpResponse:
    """After saving: back where the caseworker came from (the worklist, a report) when that
    is a page of this site, so a long list can be worked through; else the participant."""
    target = request.POST.get("neste", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("web:participation", participation_id=participation.pk)


def _saved_message(before: Participation, after: Participation, first: str = "") -> str:
    parts = [first or _("Registreringen er lagret.")]
    if after.frist != before.frist:
        parts.append(
            _("Ny frist for gjennomføring: %(frist)s.") % {"frist": f"{after.frist:%d.%m.%Y}"}
        )
    if before.status is ParticipationStatus.ENDED_BY_SYSTEM and after.is_active:
        parts.append(_("Den automatiske avslutningen er opphevet, og deltakelsen er aktiv igjen."))
    return " ".join(parts)


@registering_access
def register(request: HttpRequest, participation_id: int, kind: str) -> HttpResponse:
    registration = _kind(kind)
    participation = participation_or_404(request, participation_id)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "kind": registration,
        "participation": participation,
        "neste": request.POST.get("neste") or request.GET.get("neste", ""),
        # The grants in force: the form says which one admits a late event, and until when.
        "grants": list(triage.valid_grants(participation.kommune_id, today).order_by("pk")),
    }
    if registration.slug == "avslutning":
        # Where the register ended it and the reason can no longer be registered, the page
        # says what to do instead of offering a form that would be refused.
        context["reason_state"] = triage.state_of(participation, today)
    if request.method != "POST":
        form = registration.form(initial={"expected_version": participation.version})
        log_read(request, "web_registration_form", [participation.person_id])
        return render(request, "web/register.html", {**context, "form": form})

    form = registration.form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if "forhandsvis" in request.POST and registration.has_preview:
            # Without JavaScript the preview is a button: same form, nothing saved.
            context["preview"] = _run_preview(registration, participation, data, form)
        else:
            try:
                saved = registration.save(
                    actor_for(current_user(request)),
                    participation.pk,
                    data["expected_version"],
                    data,
                )
            except RuleViolation as violation:
                if violation.code == STALE:
                    # Never overwrite silently: show what is stored now and let the user
                    # decide; the form now carries the current version.
                    context["stale"] = violation
                    fresh = participation_or_404(request, participation_id)
                    context["participation"] = fresh
                    post = request.POST.copy()
                    post["expected_version"] = str(fresh.version)
                    form = registration.form(post)
                    if form.is_valid() and registration.has_preview:
                        # What the registration would do now, on top of the other change.
                        context["preview"] = _run_preview(
                            registration, fresh, form.cleaned_data, form
                        )
                else:
                    show_refusal(form, violation, context)
            else:
                messages.success(
                    request, f"{participation.person}: {_saved_message(participation, saved)}"
                )
                return _back_to(request, participation)
    # The form is shown again, with the participant: that is a read too.
    log_read(request, "web_registration_form", [participation.person_id])
    return render(request, "web/register.html", {**context, "form": form}, status=200)


def _run_preview(
    registration: RegistrationKind,
    participation: Participation,
    data: dict[str, Any],
    form: Any,
) -> Any:
    try:
        return registration.preview(participation, data, timezone.localdate())
    except RuleViolation as violation:
        attach_violation(form, violation)
        return None


@registering_access
def preview(request: HttpRequest, participation_id: int, kind: str) -> HttpResponse:
    """The htmx fragment under the form: a pure read, refreshed as the user types."""
    registration = _kind(kind)
    if not registration.has_preview:
        raise Http404
    participation = participation_or_404(request, participation_id)
    form = registration.form(request.GET)
    result = None
    problem = None
    if form.is_valid():
        try:
            result = registration.preview(participation, form.cleaned_data, timezone.localdate())
        except RuleViolation as violation:
            problem = refusal_text(violation)
    return render(
        request,
        "web/partials/preview.html",
        {"preview": result, "problem": problem, "participation": participation},
    )


@person_access
def late_registration(request: HttpRequest) -> HttpResponse:
    # Where IMDi's support requests are installed, the page links straight to a new one.
    try:
        support_url: str | None = reverse("imdi:request-create")
    except NoReverseMatch:
        support_url = None
    return render(request, "web/late_registration.html", {"support_url": support_url})


@registering_access
def cancel(
    request: HttpRequest, participation_id: int, entity: str, entity_id: int
) -> HttpResponse:
    """Cancel a registration made by mistake; the history keeps it (see corrections.py)."""
    participation = participation_or_404(request, participation_id)
    row = registration_row(participation, entity, entity_id)
    if row is None:
        raise Http404

    def correct(actor: Actor, reason: str, version: int) -> Participation:
        return cancel_registration(
            actor=actor,
            participation_id=participation.pk,
            cancellation=Cancellation(entity=entity, entity_id=entity_id, reason=reason),
            expected_version=version,
        )

    return correction_page(
        request,
        CorrectionPage(
            participation.person,
            reverse("web:participation", args=[participation.pk]),
            participation.version,
            correct,
            lambda saved: _saved_message(participation, saved, _("Registreringen er annullert.")),
            {"participation": participation, "row": row, "entity": entity},
        ),
    )


def _undone_message(saved: Participation) -> str:
    if saved.end_date is None:
        return _("Avslutningen er angret, og deltakelsen er aktiv igjen.")
    return _(
        "Avslutningen er angret. Fristen er passert, så registeret har avsluttet "
        "deltakelsen med «avslutningsårsak ikke registrert»."
    )


@registering_access
def undo_termination(request: HttpRequest, participation_id: int) -> HttpResponse:
    """Undo a termination registered by mistake (see corrections.cancel_termination)."""
    participation = participation_or_404(request, participation_id)
    if participation.status is not ParticipationStatus.ENDED:
        raise Http404

    def correct(actor: Actor, reason: str, version: int) -> Participation:
        return cancel_termination(
            actor=actor,
            participation_id=participation.pk,
            reason=reason,
            expected_version=version,
        )

    ended = f"{reason_label(participation.termination_reason)}, {participation.end_date:%d.%m.%Y}"
    return correction_page(
        request,
        CorrectionPage(
            participation.person,
            reverse("web:participation", args=[participation.pk]),
            participation.version,
            correct,
            _undone_message,
            {
                "participation": participation,
                "ended": ended,
                "lead": _(
                    "Bruk dette når deltakelsen ble avsluttet ved en feil og fortsetter. Er "
                    "fristen passert, avslutter registeret deltakelsen med «avslutningsårsak "
                    "ikke registrert». Avslutningen blir stående i historikken med "
                    "begrunnelsen din."
                ),
            },
            termination=True,
        ),
    )
