"""What a participation lacks, and where a reason the register left «ikke registrert»
stands, in the reader's language.

The rules (``nir.rules.missing``, ``nir.rules.registration_window``) word these in bokmål
and pass the values they are worded with; here are the same texts through gettext. In
bokmål the rules' own text is shown, so the two can never drift apart on a Norwegian page.
The worklist, the participant page, the report's export and the API's participant read all
take their words from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from nir.rules.decided_programme_time import ProgrammeTimeMismatch
from nir.rules.registration_window import WindowState, WindowStatus

# What a participation lacks (``nir.rules.missing``), by the item's code, where the text
# carries no values.
MISSING_MESSAGES = {
    "sluttmaal": gettext_lazy(
        "Sluttmål mangler. Fristen er beregnet med standard programtid til sluttmål registreres."
    ),
    "decision": gettext_lazy("Vedtak om deltakelse er ikke registrert."),
    "measures": gettext_lazy("Ingen tiltak er registrert."),
    "education": gettext_lazy("Utdanningsbakgrunn er ikke registrert."),
}


def _bokmaal() -> bool:
    return (get_language() or "nb").startswith("nb")


def _date(day: object) -> str:
    return f"{day:%d.%m.%Y}" if isinstance(day, dt.date) else ""


def reason_text(params: Mapping[str, Any]) -> str:
    """The reason a participation the register ended still lacks, by its window state."""
    lead = _("Avsluttet av registeret fordi fristen gikk ut uten registrert årsak.")
    until, closes = _date(params.get("until")), _date(params.get("closes"))
    status = params.get("status")
    if status == WindowStatus.OPEN:
        rest = _("Registrer reell avslutningsårsak innen %(until)s.") % {"until": until}
    elif status == WindowStatus.GRANTED:
        rest = _(
            "Etterregistrering er innvilget: registrer reell avslutningsårsak innen %(until)s."
        ) % {"until": until}
    elif status == WindowStatus.NEEDS_GRANT:
        rest = _(
            "Fristen for å registrere årsaken gikk ut %(closes)s; be IMDi om "
            "etterregistrering (mulig til %(until)s)."
        ) % {"closes": closes, "until": until}
    else:
        rest = _("Avslutningen er mer enn %(months)s måneder gammel og kan ikke rettes.") % {
            "months": params.get("max_months", 12)
        }
    return f"{lead} {rest}"


def programme_time_text(mismatch: ProgrammeTimeMismatch) -> str:
    """A start decision granting more months than the sluttmål gives, and what to do."""
    if _bokmaal():
        return mismatch.message
    values = {
        "decided": mismatch.decided_months,
        "base": mismatch.base_months,
        "extended": mismatch.computed_months - mismatch.base_months,
        "frist": _date(mismatch.frist),
    }
    if mismatch.computed_months != mismatch.base_months:
        return (
            _(
                "Vedtaket gir %(decided)s måneder, sluttmålet gir %(base)s og utvidet programtid "
                "%(extended)s: registrer vedtak om utvidet deltakelse, ellers avsluttes "
                "deltakeren %(frist)s."
            )
            % values
        )
    return (
        _(
            "Vedtaket gir %(decided)s måneder, sluttmålet gir %(base)s: registrer vedtak om "
            "utvidet deltakelse, ellers avsluttes deltakeren %(frist)s."
        )
        % values
    )


def _mismatch(params: Mapping[str, Any]) -> ProgrammeTimeMismatch:
    return ProgrammeTimeMismatch(
        int(params["decided_months"]),
        int(params["computed_months"]),
        int(params["base_months"]),
        params["frist"],
    )


def missing_message(item: Any, as_of: dt.date) -> str:
    """A missing registration's text in the active language: the rules' own in bokmål; in
    another language the translation kept for the item's code, worded with its values."""
    if _bokmaal():
        return str(item.message)
    params = getattr(item, "params", None) or {}
    try:
        if item.code == "termination_reason" and params:
            return reason_text(params)
        if item.code == "programme_time" and params:
            return programme_time_text(_mismatch(params))
    except (KeyError, TypeError, ValueError):
        return str(item.message)
    text = MISSING_MESSAGES.get(item.code)
    return str(text) if text is not None else str(item.message)


def window_state_text(state: WindowState) -> str:
    """Where a reason the register left unregistered stands («kan registreres til …»), as
    the report's column and export and the API's participant read show it."""
    if _bokmaal():
        return state.message
    if state.status is WindowStatus.OPEN:
        text = _("kan registreres til %(until)s") % {"until": _date(state.until)}
    elif state.status is WindowStatus.GRANTED:
        text = _("dekket av etterregistrering, kan registreres til %(until)s") % {
            "until": _date(state.until)
        }
    elif state.status is WindowStatus.NEEDS_GRANT:
        text = _("krever etterregistrering, mulig til %(until)s") % {"until": _date(state.until)}
    else:
        text = _("eldre enn 12 måneder: kan ikke rettes")
    return text
