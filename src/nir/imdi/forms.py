"""Forms: parse and shape input only. Every rule is checked by the service that saves it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nir.register.models import Kommune
from nir.register.statistics import DIMENSIONS
from nir.support.models import RequestKind, RequestStatus
from nir.web.form_messages import RegisterForm
from nir.web.forms import date_field

ALL = [("", _("Alle"))]


def kommune_field(*, required: bool, label: Any = None) -> forms.ModelChoiceField[Kommune]:
    return forms.ModelChoiceField(
        label=label or _("Kommune"),
        required=required,
        queryset=Kommune.objects.filter(valid_to__isnull=True).order_by("number"),
        # Lazy: the field is made when its form class is, and read in each request's language.
        empty_label=_("Alle kommuner") if not required else _("Velg kommune"),
    )


class RequestFilterForm(RegisterForm):
    """IMDi's filters on the list of requests across municipalities."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[*ALL, *RequestStatus.choices]
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[*ALL, *RequestKind.choices])
    kommune = kommune_field(required=False)


REFERENCES = re.compile(r"[\s,;]+")


class FileRequestForm(RegisterForm):
    """A question to IMDi, or (``late_registration``) a request for late registration,
    whose period is then required and says so."""

    kind = forms.ChoiceField(choices=RequestKind.choices, widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Emne"), max_length=200)
    body = forms.CharField(
        label=_("Melding"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Skriv ikke fødselsnummer, D-nummer eller navn. Pek på deltakere med "
            "deltakelsesnummeret i feltet under."
        ),
    )
    period_from = date_field(
        _("Hendelser fra og med"),
        help_text=_("Datoen for den første hendelsen som skal etterregistreres."),
    )
    period_to = date_field(
        _("Hendelser til og med"),
        help_text=_("Datoen for den siste hendelsen som skal etterregistreres."),
    )
    participations = forms.CharField(
        label=_("Deltakelsesnummer"),
        required=False,
        help_text=_(
            "Står på deltakerens side ved hver deltakelse. Flere deltakelser skilles med komma."
        ),
    )

    def __init__(self, *args: Any, late_registration: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.late_registration = late_registration
        kind = RequestKind.LATE_REGISTRATION if late_registration else RequestKind.QUESTION
        self.fields["kind"].initial = kind
        if not late_registration:
            # A question has no period: the fields would only be optional noise.
            del self.fields["period_from"]
            del self.fields["period_to"]

    def clean_kind(self) -> str:
        # The form's mode decides the kind, so what the labels promised is what is checked.
        return RequestKind.LATE_REGISTRATION if self.late_registration else RequestKind.QUESTION

    def clean_participations(self) -> list[int]:
        text: str = self.cleaned_data["participations"]
        parts = [p for p in REFERENCES.split(text.strip()) if p]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(
                _("Skriv deltakelsesnumrene som tall, skilt med komma."), code="invalid"
            )
        return sorted({int(p) for p in parts})


class MessageForm(RegisterForm):
    body = forms.CharField(
        label=_("Svar"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Skriv ikke fødselsnummer, D-nummer eller navn."),
    )


class DecisionForm(RegisterForm):
    """IMDi's decision on a request for late registration."""

    decision = forms.ChoiceField(
        label=_("Avgjørelse"),
        choices=[("innvilg", _("Innvilg etterregistrering")), ("avslaa", _("Avslå"))],
        widget=forms.RadioSelect,
    )
    expires_on = date_field(
        _("Tilgangen utløper (når du innvilger)"),
        required=False,
        help_text=_("Den siste dagen kommunen kan bruke tilgangen. Må fylles ut for å innvilge."),
    )
    covers_from = date_field(
        _("Tilgangen gjelder hendelser fra og med (når du innvilger)"),
        required=False,
        help_text=_("Fylt ut med perioden kommunen ba om. Du kan snevre den inn."),
    )
    covers_to = date_field(
        _("Tilgangen gjelder hendelser til og med (når du innvilger)"),
        required=False,
        help_text=_("Fylt ut med perioden kommunen ba om. Du kan snevre den inn."),
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sendes til kommunen som svar i henvendelsen."),
    )

    # Required only for one choice: the label says when, instead of «(valgfritt)».
    conditionally_required = ("expires_on", "covers_from", "covers_to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.conditionally_required:
            self.fields[name].conditionally_required = True  # type: ignore[attr-defined]


class GrantForm(RegisterForm):
    """A grant made directly by IMDi, without a request."""

    kommune = kommune_field(required=True)
    covers_from = date_field(_("Hendelser fra og med"))
    covers_to = date_field(_("Hendelser til og med"))
    expires_on = date_field(_("Tilgangen utløper"))
    reason = forms.CharField(label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 3}))


class GrantFilterForm(RegisterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            *ALL,
            ("aktiv", _("Aktiv")),
            ("utlopt", _("Utløpt")),
            ("trukket", _("Trukket tilbake")),
        ],
    )
    kommune = kommune_field(required=False)


class YearForm(RegisterForm):
    aar = forms.TypedChoiceField(label=_("År"), coerce=int, choices=[])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aar"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]


class StatisticsForm(YearForm):
    etter = forms.ChoiceField(
        label=_("Fordelt etter"),
        required=False,
        choices=[(key, spec.title) for key, spec in DIMENSIONS.items()],
    )
    tidspunkt = forms.ChoiceField(
        label=_("Registeret slik det"),
        required=False,
        choices=[("naa", _("står nå")), ("frist", _("sto ved årlig frist for tallene"))],
    )
    telling = forms.ChoiceField(
        label=_("Telling av avsluttede"),
        required=False,
        choices=[
            ("imdi", _("IMDi: hver avslutning i året")),
            ("ssb", _("SSB: én gang per person, siste avslutning")),
        ],
    )


class CompareForm(YearForm):
    etter = StatisticsForm.base_fields["etter"]
    # The list of corrections only: the sums above it are the whole country's.
    kommune = kommune_field(required=False, label=_("Rettinger i kommune"))


class UkrainaBuildForm(RegisterForm):
    maaned = forms.RegexField(
        label=_("Måned"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text=_("Skriv år og måned som ÅÅÅÅ-MM, for eksempel 2026-10."),
        error_messages={"invalid": _("Skriv måneden som ÅÅÅÅ-MM, for eksempel 2026-10.")},
    )
