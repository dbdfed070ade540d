"""The user's choice of reminders in the daily digest, and of the digest's language."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from nir.jobs.models import EmailLanguage
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
    # Each language named in its own language (the template marks which is which).
    email_language = forms.ChoiceField(
        choices=EmailLanguage.choices, widget=forms.RadioSelect, label=_("Språk i e-posten")
    )

    def reminder_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("frist_reminders", "window_reminders", "notices")]


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
                "email_language": current.email_language,
            }
        )
    return render(request, "web/notifications.html", {"form": form, "email": user.email})
