"""The refusals of the Norwegian-training rules (nir.rules.norsk) in the user's language;
``rule_messages.RULE_MESSAGES`` holds them with the programme's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nir.register.message_dates import day as _day

Params = Mapping[str, Any]


def _norsk_start_missing(p: Params) -> str:
    when = {
        "arrival_date": gettext("ved ankomst til Norge"),
        "first_renewal_date": gettext("ved første fornyelse"),
        "settlement_date": gettext("ved bosetting"),
    }.get(str(p.get("field")), "")
    return gettext("Retten og plikten inntrer %(when)s; datoen er ikke registrert.") % {
        "when": when
    }


NORSK_RULE_MESSAGES: dict[str, Promise | Callable[[Params], str]] = {
    "norsk.rights.start_date_missing": _norsk_start_missing,
    "norsk.rights.deferred_start_limit": lambda p: (
        gettext(
            "Retten og plikten kan inntre fra krav om opplæring mellom %(earliest)s og "
            "%(latest)s (inntil %(years)s år etter at den inntrådte)."
        )
        % {"earliest": _day(p["earliest"]), "latest": _day(p["latest"]), "years": p["years"]}
    ),
    "norsk.hours.overlapping_rows": lambda p: (
        gettext("Flere timemål gjelder %(day)s: %(rows)s")
        % {"day": _day(p["day"]), "rows": ", ".join(p["rows"])}
    ),
    "norsk.norskmaal.skill_missing": _("Norskmålet må ha et nivå for hver delferdighet."),
    "norsk.norskmaal.no_guiding_levels": lambda p: (
        gettext("Ingen veiledende minimumsnivåer gjelder %(day)s.") % {"day": _day(p["as_of"])}
    ),
    "norsk.norskmaal.valid_from_not_after_previous": lambda p: (
        gettext("Et nytt norskmål må gjelde fra en dato etter forrige versjon (%(day)s).")
        % {"day": _day(p["previous_valid_from"])}
    ),
    "norsk.end.unknown_reason": lambda p: (
        gettext("«%(reason)s» er ikke en gyldig avslutningsårsak for opplæring i norsk.")
        % {"reason": p["reason"]}
    ),
    "norsk.end.reason_not_allowed": _("Avslutningsårsaken kan ikke velges her."),
    "norsk.frist.extended.months": lambda p: (
        gettext("Et vedtak om utvidet opplæring kan gjelde 1 til %(max)s måneder.")
        % {"max": p["max_months"]}
    ),
    "norsk.frist.extended.count": lambda p: (
        gettext("Høyst %(limit)s vedtak om utvidet opplæring kan registreres.")
        % {"limit": p["limit"]}
    ),
    "norsk.frist.extended.provision_not_in_force": lambda p: (
        gettext("Integreringsforskriften § 43 g gjaldt ikke %(day)s.")
        % {"day": _day(p["decision_date"])}
    ),
    "norsk.frist.extended.decision_date_window": lambda p: (
        gettext(
            "Vedtaksdatoen må ligge mellom %(earliest)s og %(latest)s, to måneder før og etter "
            "fristen %(frist)s."
        )
        % {"earliest": _day(p["earliest"]), "latest": _day(p["latest"]), "frist": _day(p["frist"])}
    ),
    "norsk.fritak.ground_not_for_kind": _("Fritaket kan ikke gis på dette grunnlaget."),
    "norsk.fritak.refused_ground": _(
        "Dette gir ikke grunnlag for fritak fra prøve; prøven kan i stedet tilrettelegges."
    ),
    # The rules give the reason in bokmål only (nir.rules.norsk.rights).
    "norsk.rights.not_in_group": _(
        "Personen er ikke i målgruppen for opplæring i norsk (%(reason)s)."
    ),
    "norsk.hours.module_required": lambda p: (
        gettext("Timene registreres per modul (1-%(modules)s) i denne ordningen.")
        % {"modules": p["modules"]}
    ),
    "norsk.hours.no_modules": _("Timene registreres som ett tall, uten modul, i denne ordningen."),
    "norsk.hours.not_positive": _("Timetallet må være større enn null."),
}
