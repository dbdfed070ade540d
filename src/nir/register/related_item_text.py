"""The warnings of an intro participant's related items (rules-norsk.md N8-b, N8-c) in the
reader's language: the rules word them in bokmål with the values they name; here the same
through gettext, the dates as the language writes them."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from nir.register.message_dates import day as _day
from nir.register.rule_messages import rule_message
from nir.rules.norsk.related_items import RuleWarning

_LATE = gettext_noop("Kompetansekartleggingen skulle vært gjennomført senest %(deadline)s.")
# The warnings worded without values, marked so the message catalogue holds them.
STATIC_WARNINGS = (
    gettext_noop(
        "Kompetansekartlegging er ikke registrert som gjennomført før vedtaket om "
        "introduksjonsprogram."
    ),
    gettext_noop(
        "Foreldreveiledning regnes som ikke aktuelt: ingen barn under 18 år er registrert, og "
        "den er ikke markert som aktuell for deltakeren."
    ),
)


def warning_message(warning: RuleWarning) -> str:
    """The warning in the active language (the rules' own text in bokmål)."""
    if warning.code == "norsk.related.kartlegging_late":
        deadline = _day(warning.params.get("deadline", ""))
        return gettext(_LATE) % {"deadline": deadline}
    return rule_message(warning.code, warning.params, warning.message_nb)
