"""The rules' refusals in the user's language.

The rules package words each refusal in bokmål and gives it a stable code and the numbers
it mentions. Here are the same refusals through gettext, so a page and the API answer in
the language of the request; a code without an entry keeps the rules' own bokmål text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

# The rules package words its refusals in bokmål; these are the same refusals in the
# user's language, keyed by the rule's stable code, with the numbers it passed along.
RULE_MESSAGES = {
    "identity_number.format": _(
        "Fødselsnummeret eller D-nummeret må bestå av nøyaktig 11 sifre "
        "(mellomrom, punktum og bindestrek kan stå mellom dem)."
    ),
    "identity_number.synthetic_not_allowed": _(
        "Fødselsnummeret eller D-nummeret er et syntetisk testnummer. "
        "Syntetiske testnumre er bare tillatt der testdata er tillatt."
    ),
    "identity_number.date": _(
        "Fødselsnummeret eller D-nummeret inneholder ingen gyldig fødselsdato: "
        "dag %(day)02d, måned %(month)02d, år %(year_two_digits)02d."
    ),
    "identity_number.check_digit": _(
        "Fødselsnummeret eller D-nummeret har feil kontrollsiffer. "
        "Kontroller at alle de 11 sifrene er skrevet riktig."
    ),
    "identity_number.exists": _("Personen er allerede registrert med dette nummeret."),
}


def rule_message(code: str, params: Mapping[str, object], fallback: str) -> str:
    """A rule's refusal in the active language, or its own bokmål text where none is kept."""
    template = RULE_MESSAGES.get(code)
    if template is None:
        return fallback
    try:
        return str(template) % params if "%(" in str(template) else str(template)
    except (KeyError, TypeError, ValueError):
        return fallback


# What a participation lacks (``nir.rules.missing``), by the item's code.
MISSING_MESSAGES = {
    "sluttmaal": _(
        "Sluttmål mangler. Fristen er beregnet med standard programtid til sluttmål registreres."
    ),
    "decision": _("Vedtak om deltakelse er ikke registrert."),
    "measures": _("Ingen tiltak er registrert."),
    "education": _("Utdanningsbakgrunn er ikke registrert."),
}


def missing_message(item: Any, today: dt.date) -> str:
    """A missing registration's text in the active language: the rules' own in bokmål; in
    another language the translation kept for the item's code, else the bokmål (the reason's
    and the programme time's texts carry the triage's dates and are worded by the rules)."""
    if (get_language() or "nb").startswith("nb"):
        return str(item.message)
    text = MISSING_MESSAGES.get(item.code)
    return str(text) if text is not None else str(item.message)
