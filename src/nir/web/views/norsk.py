"""The Norwegian-training scheme's pages: starting an ordning, registering on it, the live
frist preview, and the corrections: cancelling a registration made by mistake and undoing
an end registered by mistake. Every page belongs to the role
kommunenorskbruker (N7-a)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nir.register import labels
from nir.register.norsk_models import NorskParticipation
from nir.register.norsk_previews import NorskFristPreview, preview_norsk
from nir.register.services.context import Actor
from nir.register.services.corrections import (
    Cancellation,
    cancel_norsk_end,
    cancel_norsk_registration,
)
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.errors import RuleViolation
from nir.rules.norsk.end_reasons import SetBy
from nir.rules.norsk.norskmaal import EducationBackground
from nir.rules.norsk.rights import PermitList
from nir.web.access import actor_for, current_user, norsk_access
from nir.web.audit import log_read
from nir.web.correction_page import CorrectionPage, correction_page
from nir.web.errors import STALE, attach_violation, show_refusal
from nir.web.norsk_registrations import NORSK_KINDS, NorskKind, NorskStartForm
from nir.web.participant import registration_row
from nir.web.visible import ordning_or_404, person_or_404


def _kind(slug: str) -> NorskKind:
    kind = NORSK_KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _person_url(ordning: NorskParticipation) -> str:
    return reverse("web:person", args=[ordning.person_id]) + f"#norsk-{ordning.pk}"


@norsk_access
def start(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    person = person_or_404(request, person_id)
    if user.kommune_id is None:
        raise Http404
    form = NorskStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        background = d.get("education_background")
        try:
            row = start_norsk_participation(
                actor=actor_for(user),
                person_id=person.pk,
                kommune_id=user.kommune_id,
                new=NewNorskParticipation(
                    start_date=d["start_date"],
                    permit_list=PermitList(d["permit_list"]),
                    permit_granted_abroad=d["permit_granted_abroad"],
                    education_background=EducationBackground(background) if background else None,
                ),
            )
        except RuleViolation as violation:
            attach_violation(form, violation)
        else:
            messages.success(request, _("Opplæring i norsk og samfunnskunnskap er registrert."))
            return redirect(_person_url(row))
    log_read(request, "web_norsk_start_form", [person.pk])
    return render(request, "web/norsk_start.html", {"person": person, "form": form})


def _preview(
    ordning: NorskParticipation, kind: NorskKind, data: dict[str, Any], form: Any
) -> NorskFristPreview | None:
    try:
        return preview_norsk(ordning, kind.item(data), timezone.localdate())
    except RuleViolation as violation:
        attach_violation(form, violation)
        return None


def _saved_message(
    before: NorskParticipation, after: NorskParticipation, done: str | None = None
) -> str:
    """What the write did, as the caseworker sees it: the new frist, and an end the
    register set or lifted."""
    parts = [done or _("Registreringen er lagret.")]
    if after.frist != before.frist and after.frist is not None:
        parts.append(
            _("Ny frist for gjennomføring: %(frist)s.") % {"frist": f"{after.frist:%d.%m.%Y}"}
        )
    if after.end_date is not None and (before.end_date, before.end_reason) != (
        after.end_date,
        after.end_reason,
    ):
        parts.append(
            _("Opplæringen er avsluttet %(date)s: %(reason)s.")
            % {
                "date": f"{after.end_date:%d.%m.%Y}",
                "reason": labels.norsk_end_reason_label(after.end_reason),
            }
        )
    elif after.end_date is None and before.end_date is not None:
        parts.append(_("Opplæringen er aktiv igjen."))
    return " ".join(parts)


@norsk_access
def register(request: HttpRequest, norsk_participation_id: int, kind: str) -> HttpResponse:
    registration = _kind(kind)
    ordning = ordning_or_404(request, norsk_participation_id)
    context: dict[str, Any] = {"kind": registration, "ordning": ordning}
    if request.method != "POST":
        form = registration.form(initial={"expected_version": ordning.version})
    else:
        form = registration.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "forhandsvis" in request.POST:
                context["preview"] = _preview(ordning, registration, data, form)
            else:
                try:
                    saved = register_norsk_item(
                        actor=actor_for(current_user(request)),
                        norsk_participation_id=ordning.pk,
                        item=registration.item(data),
                        expected_version=data["expected_version"],
                    )
                except RuleViolation as violation:
                    show_refusal(form, violation, context)
                    if violation.code == STALE:
                        # Never overwrite silently: show what is stored now; the form now
                        # carries the current version, so saving again is a choice.
                        fresh = ordning_or_404(request, norsk_participation_id)
                        context["ordning"] = fresh
                        post = request.POST.copy()
                        post["expected_version"] = str(fresh.version)
                        form = registration.form(post)
                        form.is_valid()
                else:
                    messages.success(request, f"{ordning.person}: {_saved_message(ordning, saved)}")
                    return redirect(_person_url(saved))
    log_read(request, "web_norsk_registration_form", [ordning.person_id])
    return render(request, "web/norsk_register.html", {**context, "form": form})


@norsk_access
def preview(request: HttpRequest, norsk_participation_id: int, kind: str) -> HttpResponse:
    """The htmx fragment under the form: a pure read, refreshed as the user types."""
    registration = _kind(kind)
    ordning = ordning_or_404(request, norsk_participation_id)
    form = registration.form(request.GET)
    result, problem = None, None
    if form.is_valid():
        result = _preview(ordning, registration, form.cleaned_data, form)
        if result is None:
            problem = " ".join(str(e) for errors in form.errors.values() for e in errors)
    log_read(request, "web_norsk_preview", [ordning.person_id])
    return render(
        request,
        "web/partials/norsk_preview.html",
        {"preview": result, "problem": problem, "ordning": ordning},
    )


@norsk_access
def cancel(
    request: HttpRequest, norsk_participation_id: int, entity: str, entity_id: int
) -> HttpResponse:
    """Cancel a registration made by mistake (corrections.cancel_norsk_registration); the
    history keeps it, and a system's end that followed from it is lifted."""
    ordning = ordning_or_404(request, norsk_participation_id)
    row = registration_row(ordning, entity, entity_id)
    if row is None:
        raise Http404

    def correct(actor: Actor, reason: str, version: int) -> NorskParticipation:
        return cancel_norsk_registration(
            actor=actor,
            norsk_participation_id=ordning.pk,
            cancellation=Cancellation(entity=entity, entity_id=entity_id, reason=reason),
            expected_version=version,
        )

    def cancelled(saved: NorskParticipation) -> str:
        done = _saved_message(ordning, saved, _("Registreringen er annullert."))
        return f"{ordning.person}: {done}"

    return correction_page(
        request,
        CorrectionPage(
            ordning.person,
            _person_url(ordning),
            ordning.version,
            correct,
            cancelled,
            {"row": row, "entity": entity, "norsk": True},
        ),
    )


@norsk_access
def undo_end(request: HttpRequest, norsk_participation_id: int) -> HttpResponse:
    """Undo the municipality's end registered by mistake (corrections.cancel_norsk_end)."""
    ordning = ordning_or_404(request, norsk_participation_id)
    if ordning.end_date is None or ordning.end_set_by != SetBy.MUNICIPALITY.value:
        raise Http404

    def correct(actor: Actor, reason: str, version: int) -> NorskParticipation:
        return cancel_norsk_end(
            actor=actor, norsk_participation_id=ordning.pk, reason=reason, expected_version=version
        )

    def undone(saved: NorskParticipation) -> str:
        if saved.end_date is None:
            return _("Avslutningen er angret, og opplæringen er aktiv igjen.")
        return _("Avslutningen er angret. Registeret har avsluttet opplæringen: %(reason)s.") % {
            "reason": labels.norsk_end_reason_label(saved.end_reason)
        }

    ended = f"{labels.norsk_end_reason_label(ordning.end_reason)}, {ordning.end_date:%d.%m.%Y}"
    lead = _(
        "Bruk dette når opplæringen ble avsluttet ved en feil og fortsetter. Er fristen "
        "passert og registeret avslutter opplæringen ved fristen, avslutter det "
        "opplæringen med «Fristen er utløpt». Avslutningen blir stående i historikken "
        "med begrunnelsen din."
    )
    return correction_page(
        request,
        CorrectionPage(
            ordning.person,
            _person_url(ordning),
            ordning.version,
            correct,
            undone,
            {"ended": ended, "lead": lead, "norsk": True},
            termination=True,
        ),
    )
