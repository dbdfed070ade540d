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
    Item,
    LeaveItem,
    MeasureItem,
    RelatedItemStatusItem,
    SluttmaalItem,
    StopItem,
    TerminationItem,
)
from nir.web import forms as web_forms
from nir.web.related_item_forms import RelatedItemForm


@dataclass(frozen=True)
class RegistrationKind:
    """One registration form: the form, and how its cleaned data becomes the item the
    services save (and, where the frist can move, preview)."""

    slug: str
    title: Any  # lazy translation
    button: Any
    form: type[forms.Form]
    item: Callable[[dict[str, Any]], Item | TerminationItem]
    has_preview: bool = False
    intro: Any = ""

    def save(self, actor: Actor, pid: int, version: int, data: dict[str, Any]) -> Participation:
        item = self.item(data)
        if isinstance(item, TerminationItem):
            return participation_services.register_termination(
                actor=actor, participation_id=pid, expected_version=version, termination=item
            )
        return services.register_item(
            actor=actor, participation_id=pid, item=item, expected_version=version
        )

    def preview(self, p: Participation, data: dict[str, Any], as_of: dt.date) -> FristPreview:
        item = self.item(data)
        assert not isinstance(item, TerminationItem)  # a termination has no preview
        return previews.preview(p, item, as_of=as_of)


def _decision(d: dict[str, Any]) -> DecisionItem:
    return DecisionItem(
        decision_type=d["decision_type"],
        decided_on=d["decided_on"],
        reason=d.get("reason") or "",
        programme_months=d.get("programme_months"),
    )


def _sluttmaal(d: dict[str, Any]) -> SluttmaalItem:
    return SluttmaalItem(sluttmaal=d["sluttmaal"], valid_from=d["valid_from"])


def _leave(d: dict[str, Any]) -> LeaveItem:
    return LeaveItem(
        leave_type=d["leave_type"],
        start_date=d["start_date"],
        end_date=d["end_date"],
        decided_on=d["decided_on"],
    )


def _absence(d: dict[str, Any]) -> AbsenceItem:
    return AbsenceItem(
        absence_type=d["absence_type"],
        start_date=d["start_date"],
        end_date=d["end_date"],
        hours=d.get("hours"),
    )


def _extension(d: dict[str, Any]) -> ExtensionItem:
    return ExtensionItem(months=d["months"], decided_on=d["decided_on"])


def _stop(d: dict[str, Any]) -> StopItem:
    return StopItem(
        kind=d["kind"],
        start_date=d["start_date"],
        end_date=d.get("end_date"),
        decided_on=d["decided_on"],
    )


def _measure(d: dict[str, Any]) -> MeasureItem:
    return MeasureItem(
        measure_type=d["measure_type"],
        start_date=d["start_date"],
        end_date=d.get("end_date"),
        hours_per_week=d["hours_per_week"],
    )


def _related_item(d: dict[str, Any]) -> RelatedItemStatusItem:
    return RelatedItemStatusItem(
        item_kind=d["item_kind"],
        status=d["status"],
        date_completed=d.get("date_completed"),
        marked_applicable=bool(d.get("marked_applicable")),
    )


def _termination(d: dict[str, Any]) -> TerminationItem:
    return TerminationItem(end_date=d["end_date"], reason=d["reason"])


KINDS: dict[str, RegistrationKind] = {
    k.slug: k
    for k in (
        RegistrationKind(
            "utvidelse",
            _("Utvidet programtid"),
            _("Registrer utvidet programtid"),
            web_forms.ExtensionForm,
            _extension,
            True,
            _("Et vedtak om utvidet programtid flytter fristen for gjennomføring."),
        ),
        RegistrationKind(
            "permisjon",
            _("Permisjon"),
            _("Registrer permisjon"),
            web_forms.LeaveForm,
            _leave,
            True,
            _("Innvilget permisjon flytter fristen dag for dag."),
        ),
        RegistrationKind(
            "sluttmaal",
            _("Sluttmål"),
            _("Registrer sluttmål"),
            web_forms.SluttmaalForm,
            _sluttmaal,
            True,
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
            _decision,
            True,
        ),
        RegistrationKind(
            "fravaer", _("Fravær"), _("Registrer fravær"), web_forms.AbsenceForm, _absence
        ),
        RegistrationKind(
            "stans",
            _("Stans"),
            _("Registrer stans"),
            web_forms.StopForm,
            _stop,
            intro=_(
                "Midlertidig stans flytter ikke fristen. Varig stans avslutter deltakelsen "
                "med årsak «Varig stans» (integreringsloven § 18)."
            ),
        ),
        RegistrationKind(
            "tiltak", _("Tiltak"), _("Registrer tiltak"), web_forms.MeasureForm, _measure
        ),
        RegistrationKind(
            "kartlegging-og-kurs",
            _("Kartlegging, veiledning, kontrakt og kurs"),
            _("Registrer status"),
            RelatedItemForm,
            _related_item,
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
            _termination,
            intro=_(
                "Registrer deltakerens hovedaktivitet ved avslutning. En registrert årsak "
                "erstatter «avslutningsårsak ikke registrert»."
            ),
        ),
    )
}
