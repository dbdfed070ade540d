"""Forms: parse and shape input only. Every rule is checked by the service that saves it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nir.register import labels
from nir.register.models import Kommune, Sex
from nir.register.rule_config import rule_config
from nir.register.rule_messages import rule_message
from nir.rules.errors import RuleViolation
from nir.rules.identity import compact_identity_number, parse_identity_number
from nir.rules.schemes import Scheme
from nir.web.form_messages import RegisterForm
from nir.web.search import PROGRAMME_LACKS, PROGRAMME_ONLY_STATUSES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )


class VersionedForm(RegisterForm):
    """A change to a participation names the version it was based on (optimistic locking)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DecisionForm(VersionedForm):
    decision_type = forms.ChoiceField(
        label=_("Type vedtak"), choices=labels.choices(labels.DECISION_TYPES)
    )
    decided_on = date_field(_("Vedtaksdato"))
    reason = forms.CharField(
        label=_("Begrunnelse eller utfall"),
        required=False,
        max_length=200,
        help_text=_("Valgfritt. For avslag og klage: kort begrunnelse eller utfall."),
    )
    programme_months = forms.IntegerField(
        label=_("Programtid i vedtaket (måneder)"),
        required=False,
        min_value=1,
        max_value=48,
        help_text=_(
            "For vedtak om tilbud, innvilget deltakelse eller oppstart: programtiden vedtaket "
            "gir. Registeret varsler om den er lengre enn sluttmålet gir."
        ),
    )


class SluttmaalForm(VersionedForm):
    sluttmaal = forms.ChoiceField(
        label=_("Sluttmål"), choices=[("", _("Velg sluttmål")), *labels.SLUTTMAAL.items()]
    )
    valid_from = date_field(_("Gjelder fra"))


class LeaveForm(VersionedForm):
    leave_type = forms.ChoiceField(label=_("Type permisjon"), choices=[])
    start_date = date_field(_("Første dag med permisjon"))
    end_date = date_field(_("Siste dag med permisjon"))
    decided_on = date_field(_("Vedtaksdato"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].choices = labels.leave_type_choices()  # type: ignore[attr-defined]


class AbsenceForm(VersionedForm):
    absence_type = forms.ChoiceField(label=_("Type fravær"), choices=[])
    start_date = date_field(_("Fra og med"))
    end_date = date_field(_("Til og med"))
    hours = forms.DecimalField(
        label=_("Timer"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text=_(
            "Fyll ut timer for fravær som telles i timer. Fravær i timer flytter ikke fristen."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["absence_type"].choices = labels.absence_type_choices()  # type: ignore[attr-defined]


class ExtensionForm(VersionedForm):
    months = forms.IntegerField(
        label=_("Antall måneder"),
        min_value=1,
        max_value=12,
        help_text=_(
            "Hele måneder. Grensen er 6 måneder for deltakere med videregående opplæring "
            "fra før, ellers 12 (integreringsloven § 13)."
        ),
    )
    decided_on = date_field(_("Vedtaksdato"))


class StopForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("Type stans"), choices=labels.choices(labels.STOP_KINDS), widget=forms.RadioSelect
    )
    start_date = date_field(_("Stansen gjelder fra"))
    end_date = date_field(
        _("Stansen gjelder til"),
        required=False,
        help_text=_("Påkrevd for midlertidig stans (høyst tre måneder). Tom for varig stans."),
    )
    decided_on = date_field(_("Vedtaksdato"))


class MeasureForm(VersionedForm):
    measure_type = forms.ChoiceField(
        label=_("Tiltak"), choices=[("", _("Velg tiltak")), *labels.MEASURE_TYPES.items()]
    )
    start_date = date_field(_("Startdato"))
    end_date = date_field(_("Sluttdato"), required=False, help_text=_("Tom om tiltaket pågår."))
    hours_per_week = forms.DecimalField(
        label=_("Timer per uke"), min_value=0, max_digits=4, decimal_places=1
    )


class TerminationForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Avslutningsårsak (hovedaktivitet ved avslutning)"), choices=[]
    )
    end_date = date_field(
        _("Sluttdato"),
        help_text=_("Kan ikke være etter fristen for gjennomføring eller fram i tid."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [  # type: ignore[attr-defined]
            ("", _("Velg årsak")),
            *labels.termination_reason_choices(),
        ]


class IdentityNumberField(forms.CharField):
    """A fødselsnummer or D-nummer as people write it, checked on its own by the rule.

    Spaces, dots and hyphens are dropped; the number is then checked (length, birth date,
    check digits) before the other fields are, so a wrong digit is reported at once.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        )

    def to_python(self, value: Any) -> str:
        return compact_identity_number(super().to_python(value) or "")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            check_identity_number(value)


def check_identity_number(value: str) -> None:
    try:
        parse_identity_number(value, allow_synthetic=rule_config().allow_synthetic_identity_numbers)
    except RuleViolation as violation:
        raise forms.ValidationError(
            rule_message(violation.code, violation.params, violation.message), code=violation.code
        ) from None


YES_NO_UNKNOWN = [("", _("Ikke registrert")), ("ja", _("Ja")), ("nei", _("Nei"))]


class PersonForm(RegisterForm):
    identity_number = IdentityNumberField(
        label=_("Fødselsnummer eller D-nummer"),
        help_text=_("11 sifre. Mellomrom, punktum og bindestrek kan stå mellom sifrene."),
    )
    duf_number = forms.CharField(
        label=_("DUF-nummer"), max_length=12, required=False, help_text=_("12 sifre.")
    )
    given_name = forms.CharField(label=_("Fornavn"), max_length=100)
    family_name = forms.CharField(label=_("Etternavn"), max_length=100)
    birth_date = date_field(_("Fødselsdato"))
    sex = forms.ChoiceField(
        label=_("Kjønn"), choices=labels.choices(labels.SEXES), initial=Sex.UKJENT
    )
    permit_type = forms.ChoiceField(
        label=_("Type oppholdstillatelse"), choices=[("", _("Velg")), *labels.PERMIT_TYPES.items()]
    )
    permit_date = date_field(_("Dato for oppholdstillatelse"))
    arrival_date = date_field(_("Ankomstdato"), required=False)
    settlement_date = date_field(_("Bosettingsdato"), required=False)
    settled_by_agreement = forms.BooleanField(
        label=_("Bosatt etter avtale med IMDi"), required=False, initial=True
    )
    has_upper_secondary = forms.ChoiceField(
        label=_("Har fullført videregående opplæring eller høyere"),
        choices=YES_NO_UNKNOWN,
        required=False,
        help_text=_("Avgjør programtiden (integreringsloven § 13)."),
    )
    research_reservation = forms.BooleanField(
        label=_("Har reservert seg mot bruk i forskning"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The number is checked by the register as soon as it is typed (progressive: the
        # form is checked the same way when sent).
        self.fields["identity_number"].widget.attrs.update(
            {
                "hx-post": reverse("web:identity-number-check"),
                "hx-trigger": "input changed delay:500ms, change",
                "hx-target": "#id_identity_number_helptext",
                "hx-swap": "outerHTML",
                "hx-params": "identity_number,csrfmiddlewaretoken",
                "hx-sync": "this:replace",
            }
        )

    def cleaned_upper_secondary(self) -> bool | None:
        value = self.cleaned_data.get("has_upper_secondary")
        return {"ja": True, "nei": False}.get(value or "")


class ParticipationForm(RegisterForm):
    start_date = date_field(_("Oppstartsdato"))
    category = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        choices=[("", _("Foreslå ut fra opplysningene")), *labels.CATEGORIES.items()],
    )
    sluttmaal = forms.ChoiceField(
        label=_("Sluttmål"),
        required=False,
        choices=[("", _("Registreres senere")), *labels.SLUTTMAAL.items()],
        help_text=_("Ikke for deltakere under introduksjonsloven."),
    )
    case_id = forms.CharField(label=_("Saksnummer i kommunen"), max_length=64, required=False)
    kommune = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Kommune.objects.filter(valid_to__isnull=True), required=False
    )

    def __init__(self, *args: Any, needs_kommune: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_kommune:
            self.fields["kommune"].required = True
        else:
            del self.fields["kommune"]


STATUS_CHOICES = [
    ("", _("Alle")),
    ("aktiv", _("Aktive")),
    ("frist_30", _("Frist innen 30 dager")),
    ("ikke_registrert", _("Avsluttet uten registrert årsak")),
    ("frist_utlopt", _("Frist utløpt uten registrert avslutning (opplæring i norsk)")),
    ("avsluttet", _("Avsluttet med årsak")),
]
MISSING_CHOICES = [
    ("", _("Ingen filter")),
    ("sluttmaal", _("Mangler sluttmål")),
    ("vedtak", _("Mangler vedtak")),
    ("tiltak", _("Mangler tiltak")),
    ("utvidelse", _("Mangler vedtak om utvidet programtid (vedtaket gir lengre tid)")),
    ("norskmaal", _("Mangler norskmål eller utdanningsbakgrunn (opplæring i norsk)")),
]
SCHEME_CHOICES = [
    ("", _("Begge ordninger")),
    (Scheme.INTRODUKSJONSPROGRAM.value, _("Introduksjonsprogrammet")),
    (Scheme.NORSK.value, _("Opplæring i norsk og samfunnskunnskap")),
]


class SearchForm(RegisterForm):
    q = forms.CharField(
        label=_("Søk"),
        required=False,
        max_length=100,
        help_text=_("Fødselsnummer, D-nummer, DUF-nummer eller navn."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    regime = forms.ChoiceField(
        label=_("Lovverk"), choices=[("", _("Alle")), *labels.REGIMES.items()], required=False
    )
    mangler = forms.ChoiceField(label=_("Mangler"), choices=MISSING_CHOICES, required=False)
    frist_fra = date_field(_("Frist fra og med"), required=False)
    frist_til = date_field(_("Frist til og med"), required=False)
    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Kommune.objects.filter(valid_to__isnull=True).order_by("display_name"),
        required=False,
        empty_label=_("Alle kommuner"),
    )

    ordning = forms.ChoiceField(label=_("Ordning"), choices=SCHEME_CHOICES, required=False)

    def __init__(
        self,
        *args: Any,
        choose_kommune: bool = False,
        schemes: frozenset[Scheme] = frozenset(Scheme),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not choose_kommune:
            # A municipality's users search their own municipality only.
            del self.fields["kommune"]
        if Scheme.INTRODUKSJONSPROGRAM not in schemes:
            # A Norwegian-training user searches that scheme alone: no programme filters.
            del self.fields["ordning"]
            for name, programme_only in (
                ("status", PROGRAMME_ONLY_STATUSES),
                ("mangler", PROGRAMME_LACKS),
            ):
                field = self.fields[name]
                field.choices = [  # type: ignore[attr-defined]
                    (code, text)
                    for code, text in field.choices  # type: ignore[attr-defined]
                    if code not in programme_only
                ]


WITH_WITHOUT = [("", _("Alle")), ("med", _("Med")), ("uten", _("Uten"))]


def with_without(value: str | None) -> bool | None:
    return {"med": True, "uten": False}.get(value or "")


class TerminatedReportForm(RegisterForm):
    aar = forms.TypedChoiceField(
        label=_("År for avslutning"), coerce=int, required=False, choices=[]
    )
    lovverk = forms.ChoiceField(
        label=_("Lovverk"), choices=[("", _("Alle")), *labels.REGIMES.items()], required=False
    )
    kategori = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Alle")), *labels.CATEGORIES.items()], required=False
    )
    aarsak = forms.ChoiceField(
        label=_("Avslutningsårsak"),
        choices=[
            ("", _("Alle")),
            ("registrert", _("Årsak registrert")),
            ("ikke_registrert", _("Årsak ikke registrert")),
        ],
        required=False,
    )
    registrering = forms.ChoiceField(
        label=_("Kan årsaken registreres?"),
        choices=[("", _("Alle")), *labels.WINDOW_STATUSES.items()],
        required=False,
    )

    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Kommune.objects.filter(valid_to__isnull=True).order_by("display_name"),
        required=False,
        empty_label=_("Alle kommuner"),
    )

    def __init__(
        self, *args: Any, years: list[int], choose_kommune: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aar"].choices = [("", _("Alle år")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
        if not choose_kommune:
            # A municipality's users see their own municipality only.
            del self.fields["kommune"]


class PersonListForm(RegisterForm):
    vedtak = forms.ChoiceField(label=_("Vedtak"), choices=WITH_WITHOUT, required=False)
    tiltak = forms.ChoiceField(label=_("Tiltak"), choices=WITH_WITHOUT, required=False)
    sluttmaal = forms.ChoiceField(label=_("Sluttmål"), choices=WITH_WITHOUT, required=False)
    bare_aktive = forms.BooleanField(label=_("Bare aktive deltakelser"), required=False)
    kommune = TerminatedReportForm.base_fields["kommune"]

    def __init__(self, *args: Any, choose_kommune: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not choose_kommune:
            del self.fields["kommune"]


class OverviewForm(RegisterForm):
    aar = forms.TypedChoiceField(label=_("År"), coerce=int, choices=[])
    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Kommune.objects.filter(valid_to__isnull=True),
        required=False,
        empty_label=_("Alle kommuner"),
    )

    def __init__(self, *args: Any, years: list[int], choose_kommune: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aar"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        if not choose_kommune:
            # A municipality's users see their own municipality only.
            del self.fields["kommune"]


class CancelForm(VersionedForm):
    reason = forms.CharField(
        label=_("Hvorfor annulleres registreringen?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel: registrert på feil deltaker, eller feil dato."),
    )


class UndoEndForm(CancelForm):
    """The cancel form, asking why an end is undone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = _("Hvorfor angres avslutningen?")
        reason.help_text = _(
            "For eksempel: avsluttet for feil person, eller med feil årsak eller dato."
        )


class PersonEditForm(PersonForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def initial_from(cls, person: Any) -> dict[str, Any]:
        initial = {name: getattr(person, name) for name in cls.base_fields if hasattr(person, name)}
        initial["has_upper_secondary"] = {True: "ja", False: "nei"}.get(
            person.has_upper_secondary, ""
        )
        initial["expected_version"] = person.version
        return initial
