"""The user's choice of reminders in the daily digest."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from nir.jobs.preferences import reminder_preference, save_reminder_preference
from nir.web.access import current_user, person_access
from nir.web.form_messages import RegisterForm


class PreferenceForm(RegisterForm):
    frist_reminders = forms.BooleanField(
        required=False, label=_("Påminnelse 30 og 7 dager før fristen for gjennomføring")
    )
    window_reminders = forms.BooleanField(
        required=False, label=_("Påminnelse før fristen for å registrere avslutningsårsak går ut")
    )
    notices = forms.BooleanField(
        required=False,
        label=_(
            "Varsel når registeret avslutter en deltakelse, og når etterregistrering snart utløper"
        ),
    )


@person_access
def preferences(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    current = reminder_preference(user.pk)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            save_reminder_preference(user_id=user.pk, **form.cleaned_data)
            messages.success(request, _("Varslingsvalgene er lagret."))
            return redirect("web:notifications")
    else:
        form = PreferenceForm(
            initial={
                "frist_reminders": current.frist_reminders,
                "window_reminders": current.window_reminders,
                "notices": current.notices,
            }
        )
    return render(request, "web/notifications.html", {"form": form, "email": user.email})
