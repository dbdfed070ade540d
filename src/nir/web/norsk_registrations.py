"""The Norwegian-training scheme's registration forms, each tied to the item it registers.

The programme's pattern (web/registrations.py): one table of kinds instead of a view per
type. Each kind's form gives an item (services/items.py); the view saves it with
``register_norsk_item`` or previews it with ``preview_norsk``, the same item either way.
The programme's leave form is this scheme's too: the same leave types and clock stop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nir.register import labels
from nir.register.services.items import (
    ExtendedNorwegianItem,
    FinalTestResultItem,
    FritakItem,
    LeaveItem,
    NorskEducationItem,
    NorskEndItem,
    NorskHoursItem,
    NorskItem,
    NorskmaalItem,
)
from nir.rules.norsk.end_reasons import NORSK_END_REASONS, SetBy
from nir.rules.norsk.final_tests import FinalTestKind, FinalTestResult, ResultSource
from nir.rules.norsk.fritak import Fritak, FritakGround, FritakKind
from nir.rules.norsk.hours import Subject
from nir.rules.norsk.norskmaal import CefrLevel, EducationBackground, NorskmaalKind, Skill
from nir.web import forms as web_forms
from nir.web.form_messages import RegisterForm
from nir.web.forms import VersionedForm, date_field

LEVELS = [(level.value, level.value) for level in CefrLevel]


def _level_fields(required: bool) -> dict[str, forms.Field]:
    return {
        f"niva_{skill.value}": forms.ChoiceField(
            label=labels.SKILLS[skill.value],
            choices=[("", _("Velg nivå") if required else _("Ikke bestått")), *LEVELS],
            required=False,
        )
        for skill in Skill
    }


def _levels(data: dict[str, Any]) -> tuple[tuple[Skill, CefrLevel], ...]:
    return tuple(
        (skill, CefrLevel(data[f"niva_{skill.value}"]))
        for skill in Skill
        if data.get(f"niva_{skill.value}")
    )


class NorskStartForm(RegisterForm):
    start_date = date_field(
        _("Oppstart (første vedtak om opplæring)"),
        help_text=_("Fristen for kap. 6A regnes fra denne datoen."),
    )
    permit_list = forms.ChoiceField(
        label=_("Tillatelse etter integreringsloven"), choices=labels.choices(labels.PERMIT_LISTS)
    )
    permit_granted_abroad = forms.BooleanField(
        label=_("Tillatelsen ble gitt før innreise"), required=False
    )
    education_background = forms.ChoiceField(
        label=_("Utdanningsbakgrunn"),
        choices=[("", _("Ikke registrert")), *labels.choices(labels.EDUCATION_BACKGROUNDS)],
        required=False,
        help_text=_("Styrer fristen: 18 måneder med videregående opplæring, ellers 3 år."),
    )


class NorskmaalForm(VersionedForm):
    valid_from = date_field(_("Gjelder fra"))
    kind = forms.ChoiceField(
        label=_("Type norskmål"),
        choices=labels.choices(labels.NORSKMAAL_KINDS),
        initial=NorskmaalKind.LEVELS.value,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_level_fields(required=True))


class ExtendedNorwegianForm(VersionedForm):
    decision_date = date_field(_("Vedtaksdato"))
    months = forms.IntegerField(label=_("Antall måneder"), min_value=1, max_value=6)


class FinalTestResultForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Prøve"), choices=labels.choices(labels.FINAL_TEST_KINDS))
    test_date = date_field(_("Prøvedato"))
    passed = forms.TypedChoiceField(
        label=_("Bestått (samfunnskunnskap)"),
        choices=[("", _("Ikke aktuelt")), ("ja", _("Ja")), ("nei", _("Nei"))],
        coerce=lambda v: v == "ja",
        empty_value=None,
        required=False,
    )
    test_site = forms.CharField(label=_("Prøvested"), max_length=150, required=False)
    document_ref = forms.CharField(
        label=_("Dokumentreferanse"),
        max_length=150,
        required=False,
        help_text=_("Resultat registrert for hånd må vise til dokumentet (for eksempel vitnemål)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_level_fields(required=False))


class FritakForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Fritak fra"), choices=labels.choices(labels.FRITAK_KINDS))
    ground = forms.ChoiceField(label=_("Grunnlag"), choices=labels.choices(labels.FRITAK_GROUNDS))
    decision_date = date_field(_("Vedtaksdato"))
    ends_right = forms.BooleanField(label=_("Fritaket avslutter retten og plikten"), required=False)
    medical_statement = forms.BooleanField(label=_("Legeerklæring foreligger"), required=False)


class NorskHoursForm(VersionedForm):
    subject = forms.ChoiceField(label=_("Fag"), choices=labels.choices(labels.SUBJECTS))
    module = forms.TypedChoiceField(
        label=_("Modul (samfunnskunnskap, 75 timer)"),
        choices=[("", _("Ingen modul")), ("1", "1"), ("2", "2"), ("3", "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start_date = date_field(_("Fra"))
    end_date = date_field(_("Til"))
    hours = forms.DecimalField(
        label=_("Gjennomførte timer"), min_value=0, max_digits=6, decimal_places=1
    )


class NorskEducationForm(VersionedForm):
    education_background = forms.ChoiceField(
        label=_("Utdanningsbakgrunn"),
        choices=[("", _("Velg utdanningsbakgrunn")), *labels.choices(labels.EDUCATION_BACKGROUNDS)],
        help_text=_("Styrer fristen: 18 måneder med videregående opplæring, ellers 3 år."),
    )


class NorskEndForm(VersionedForm):
    reason = forms.ChoiceField(label=_("Avslutningsårsak"), choices=[])
    end_date = date_field(_("Sluttdato"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [  # type: ignore[attr-defined]
            ("", _("Velg årsak")),
            *(
                (code, labels.norsk_end_reason_label(code))
                for code, reason in NORSK_END_REASONS.items()
                if reason.set_by is not SetBy.SYSTEM
            ),
        ]


def _norskmaal(d: dict[str, Any]) -> NorskItem:
    return NorskmaalItem(d["valid_from"], _levels(d), NorskmaalKind(d["kind"]))


def _leave(d: dict[str, Any]) -> NorskItem:
    return LeaveItem(d["leave_type"], d["start_date"], d["end_date"], d["decided_on"])


def _extended(d: dict[str, Any]) -> NorskItem:
    return ExtendedNorwegianItem(d["decision_date"], d["months"])


def _test_result(d: dict[str, Any]) -> NorskItem:
    return FinalTestResultItem(
        FinalTestResult(
            "new",
            FinalTestKind(d["kind"]),
            d["test_date"],
            ResultSource.MANUAL,
            dict(_levels(d)),
            d.get("passed"),
            d.get("test_site") or "",
            d.get("document_ref") or "",
        )
    )


def _fritak(d: dict[str, Any]) -> NorskItem:
    return FritakItem(
        Fritak(
            "new",
            FritakKind(d["kind"]),
            FritakGround(d["ground"]),
            d["decision_date"],
            d["ends_right"],
            d["medical_statement"],
        )
    )


def _hours(d: dict[str, Any]) -> NorskItem:
    return NorskHoursItem(
        Subject(d["subject"]), d["start_date"], d["end_date"], d["hours"], d.get("module")
    )


def _education(d: dict[str, Any]) -> NorskItem:
    return NorskEducationItem(EducationBackground(d["education_background"]))


def _end(d: dict[str, Any]) -> NorskItem:
    return NorskEndItem(d["end_date"], d["reason"])


@dataclass(frozen=True)
class NorskKind:
    slug: str
    title: Any  # lazy translation
    button: Any
    form: type[forms.Form]
    item: Callable[[dict[str, Any]], NorskItem]
    intro: Any = ""


NORSK_KINDS: dict[str, NorskKind] = {
    k.slug: k
    for k in (
        NorskKind("norskmaal", _("Norskmål"), _("Registrer norskmål"), NorskmaalForm, _norskmaal),
        NorskKind(
            "utdanning",
            _("Utdanningsbakgrunn"),
            _("Registrer utdanningsbakgrunn"),
            NorskEducationForm,
            _education,
        ),
        NorskKind(
            "permisjon",
            _("Permisjon fra opplæringen"),
            _("Registrer permisjon"),
            web_forms.LeaveForm,
            _leave,
            _("Godkjent permisjon legges til fristen dag for dag."),
        ),
        NorskKind(
            "utvidet",
            _("Utvidet opplæring i norsk (§ 43 g)"),
            _("Registrer vedtaket"),
            ExtendedNorwegianForm,
            _extended,
            _("Et vedtak gir inntil 6 måneder og flytter fristen."),
        ),
        NorskKind(
            "prove",
            _("Prøveresultat"),
            _("Registrer resultatet"),
            FinalTestResultForm,
            _test_result,
        ),
        NorskKind("fritak", _("Fritak"), _("Registrer fritaket"), FritakForm, _fritak),
        NorskKind("timer", _("Timer"), _("Registrer timene"), NorskHoursForm, _hours),
        NorskKind("avslutning", _("Avslutning"), _("Registrer avslutningen"), NorskEndForm, _end),
    )
}
