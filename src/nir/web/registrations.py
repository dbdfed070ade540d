"""The registration forms a caseworker fills in, each tied to the service that saves it.

One table instead of one view per type: the view parses the form, calls ``save`` (a
service) or ``preview`` (a pure read), and maps a refusal back to the form field it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nir.register import previews
from nir.register.models import Participation
from nir.register.previews import FristPreview
from nir.register.services import participations as participation_services
from nir.register.services import registrations as services
from nir.register.services.context import Actor
from nir.register.services.items import (
    AbsenceItem,
    DecisionItem,
    ExtensionItem,
    LeaveItem,
    MeasureItem,
    RelatedItemStatusItem,
    SluttmaalItem,
    StopItem,
    TerminationItem,
)
from nir.web import forms as web_forms
from nir.web.related_item_forms import RelatedItemForm

Save = Callable[[Actor, int, int, dict[str, Any]], Participation]
Preview = Callable[[Participation, dict[str, Any], dt.date], FristPreview]


@dataclass(frozen=True)
class RegistrationKind:
    slug: str
    title: Any  # lazy translation
    button: Any
    form: type[forms.Form]
    save: Save
    preview: Preview | None = None
    intro: Any = ""

    @property
    def has_preview(self) -> bool:
        # Templates call callables, so they ask this instead of looking at ``preview``.
        return self.preview is not None


def _save_decision(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=DecisionItem(
            decision_type=d["decision_type"],
            decided_on=d["decided_on"],
            reason=d.get("reason") or "",
            programme_months=d.get("programme_months"),
        ),
        expected_version=version,
    )


def _save_sluttmaal(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=SluttmaalItem(sluttmaal=d["sluttmaal"], valid_from=d["valid_from"]),
        expected_version=version,
    )


def _save_leave(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=LeaveItem(
            leave_type=d["leave_type"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            decided_on=d["decided_on"],
        ),
        expected_version=version,
    )


def _save_absence(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=AbsenceItem(
            absence_type=d["absence_type"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            hours=d.get("hours"),
        ),
        expected_version=version,
    )


def _save_extension(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=ExtensionItem(months=d["months"], decided_on=d["decided_on"]),
        expected_version=version,
    )


def _save_stop(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=StopItem(
            kind=d["kind"],
            start_date=d["start_date"],
            end_date=d.get("end_date"),
            decided_on=d["decided_on"],
        ),
        expected_version=version,
    )


def _save_measure(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=MeasureItem(
            measure_type=d["measure_type"],
            start_date=d["start_date"],
            end_date=d.get("end_date"),
            hours_per_week=d["hours_per_week"],
        ),
        expected_version=version,
    )


def _save_related_item(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return services.register_item(
        actor=actor,
        participation_id=pid,
        item=RelatedItemStatusItem(
            item_kind=d["item_kind"],
            status=d["status"],
            date_completed=d.get("date_completed"),
            marked_applicable=bool(d.get("marked_applicable")),
        ),
        expected_version=version,
    )


def _save_termination(actor: Actor, pid: int, version: int, d: dict[str, Any]) -> Participation:
    return participation_services.register_termination(
        actor=actor,
        participation_id=pid,
        expected_version=version,
        termination=TerminationItem(end_date=d["end_date"], reason=d["reason"]),
    )


def _preview_extension(p: Participation, d: dict[str, Any], as_of: dt.date) -> FristPreview:
    return previews.preview(
        p, ExtensionItem(months=d["months"], decided_on=d["decided_on"]), as_of=as_of
    )


def _preview_leave(p: Participation, d: dict[str, Any], as_of: dt.date) -> FristPreview:
    return previews.preview(
        p,
        LeaveItem(
            leave_type=d["leave_type"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            decided_on=d["decided_on"],
        ),
        as_of=as_of,
    )


def _preview_decision(p: Participation, d: dict[str, Any], as_of: dt.date) -> FristPreview:
    return previews.preview(
        p,
        DecisionItem(
            decision_type=d["decision_type"],
            decided_on=d["decided_on"],
            reason=d.get("reason") or "",
            programme_months=d.get("programme_months"),
        ),
        as_of=as_of,
    )


def _preview_sluttmaal(p: Participation, d: dict[str, Any], as_of: dt.date) -> FristPreview:
    return previews.preview(
        p, SluttmaalItem(sluttmaal=d["sluttmaal"], valid_from=d["valid_from"]), as_of=as_of
    )


KINDS: dict[str, RegistrationKind] = {
    k.slug: k
    for k in (
        RegistrationKind(
            "utvidelse",
            _("Utvidet programtid"),
            _("Registrer utvidet programtid"),
            web_forms.ExtensionForm,
            _save_extension,
            _preview_extension,
            _("Et vedtak om utvidet programtid flytter fristen for gjennomføring."),
        ),
        RegistrationKind(
            "permisjon",
            _("Permisjon"),
            _("Registrer permisjon"),
            web_forms.LeaveForm,
            _save_leave,
            _preview_leave,
            _("Innvilget permisjon flytter fristen dag for dag."),
        ),
        RegistrationKind(
            "sluttmaal",
            _("Sluttmål"),
            _("Registrer sluttmål"),
            web_forms.SluttmaalForm,
            _save_sluttmaal,
            _preview_sluttmaal,
            _(
                "Sluttmålet avgjør programtiden. Et nytt sluttmål beregner fristen på nytt "
                "fra oppstart."
            ),
        ),
        RegistrationKind(
            "vedtak",
            _("Vedtak"),
            _("Registrer vedtak"),
            web_forms.DecisionForm,
            _save_decision,
            _preview_decision,
        ),
        RegistrationKind(
            "fravaer", _("Fravær"), _("Registrer fravær"), web_forms.AbsenceForm, _save_absence
        ),
        RegistrationKind(
            "stans",
            _("Stans"),
            _("Registrer stans"),
            web_forms.StopForm,
            _save_stop,
            intro=_(
                "Midlertidig stans flytter ikke fristen. Varig stans avslutter deltakelsen "
                "med årsak «Varig stans» (integreringsloven § 18)."
            ),
        ),
        RegistrationKind(
            "tiltak", _("Tiltak"), _("Registrer tiltak"), web_forms.MeasureForm, _save_measure
        ),
        RegistrationKind(
            "kartlegging-og-kurs",
            _("Kartlegging, veiledning, kontrakt og kurs"),
            _("Registrer status"),
            RelatedItemForm,
            _save_related_item,
            intro=_(
                "Kompetansekartlegging, karriereveiledning, integreringskontrakt og kursene i "
                "livsmestring og foreldreveiledning. Den nyeste statusen gjelder; de eldre står "
                "i historikken."
            ),
        ),
        RegistrationKind(
            "avslutning",
            _("Avslutning med årsak"),
            _("Registrer avslutning"),
            web_forms.TerminationForm,
            _save_termination,
            intro=_(
                "Registrer deltakerens hovedaktivitet ved avslutning. En registrert årsak "
                "erstatter «avslutningsårsak ikke registrert»."
            ),
        ),
    )
}
