"""A stored frist derivation told step by step in the reader's language.

The rules word the derivation in bokmål when the frist is computed, and that wording is
stored beside the frist (the API gives it as is). A page in another language tells the same
steps from the stored numbers through gettext, so the dates and months are the stored ones.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext, gettext_noop

from nir.register import labels
from nir.register.message_dates import day
from nir.register.rule_config import rule_config

# The default leave and absence types (nir.rules.config) by their bokmål names, marked so
# the catalogue holds their English; a deployment's own types are shown as configured.
DEFAULT_STOP_TYPE_NAMES = (
    gettext_noop("Foreldrepermisjon"),
    gettext_noop("Omsorgspermisjon"),
    gettext_noop("Permisjon ved langvarig sykdom (legeerklæring)"),
    gettext_noop("Annen innvilget permisjon"),
    gettext_noop("Gyldig fravær"),
    gettext_noop("Sykefravær med legeerklæring"),
    gettext_noop("Ugyldig fravær"),
)


# Why a Norwegian-training frist is not computable (nir.rules.norsk.frist), as the rules
# word it, marked so the catalogue holds the English.
NORSK_NOT_COMPUTABLE = (
    gettext_noop("Fristen beregnes fra første vedtak om opplæring."),
    gettext_noop("Tillatelses- eller ankomstdato mangler."),
    gettext_noop("Ingen frist gjelder for personer med bare plikt."),
    gettext_noop("Personen har ingen rett og plikt til opplæring."),
    gettext_noop("Fristen kan ikke beregnes: registrer utdanningsbakgrunn."),
    gettext_noop("Datoen fristen regnes fra mangler."),
)


def _stop_label(stop: dict[str, Any]) -> str:
    config = rule_config()
    known = config.leave_types.get(stop["type"]) or config.absence_types.get(stop["type"])
    return gettext(known.label_nb) if known else str(stop.get("label") or stop["type"])


def _stop_line(stop: dict[str, Any]) -> str:
    values = {
        "stop": _stop_label(stop),
        "start": day(stop["start"]),
        "end": day(stop["end"]),
        "days": stop["counted_days"],
    }
    if not stop["extends_deadline"]:
        return gettext("%(stop)s %(start)s–%(end)s forlenger ikke fristen.") % values
    if stop["counted_days"] == 0:
        return (
            gettext(
                "%(stop)s %(start)s–%(end)s gir ingen dager (utenfor programperioden eller "
                "allerede talt)."
            )
            % values
        )
    return gettext("%(stop)s %(start)s–%(end)s legger til %(days)s dager.") % values


def explanation(stored: dict[str, Any]) -> list[str]:
    """The derivation's steps: the stored bokmål in bokmål, else told from its numbers."""
    if (get_language() or "nb").startswith("nb") or "months_total" not in stored:
        return list(stored.get("explanation", []))
    lines = [gettext("Oppstart %(day)s.") % {"day": day(stored["start"])}]
    values = {"months": stored["base_months"], "law": stored.get("rule_reference", "")}
    if stored.get("sluttmaal_missing"):
        lines.append(
            gettext(
                "Programtid %(months)s måneder fordi sluttmål ikke er registrert (registerets "
                "regel: standard programtid til sluttmålet er registrert), %(law)s. Fristen "
                "endres når sluttmål registreres."
            )
            % values
        )
    else:
        reason = labels.label(labels.GROUP_REASONS, stored.get("group", ""))
        lines.append(
            gettext("Programtid %(months)s måneder fordi %(reason)s, %(law)s.")
            % {**values, "reason": reason}
        )
    for extension in stored.get("extensions", []):
        lines.append(
            gettext("Utvidet programtid %(months)s måneder (vedtak %(day)s).")
            % {"months": extension["months"], "day": day(extension["decided_on"])}
        )
    lines.append(
        gettext("%(months)s måneder fra oppstart gir %(day)s.")
        % {"months": stored["months_total"], "day": day(stored["months_date"])}
    )
    lines.extend(_stop_line(stop) for stop in stored.get("clock_stops", []))
    lines.append(gettext("Frist for gjennomføring: %(day)s.") % {"day": day(stored["frist"])})
    return lines


def norsk_explanation(stored: dict[str, Any]) -> list[str]:
    """A Norwegian-training ordning's frist (rules.norsk.frist), step by step: the stored
    bokmål in bokmål, else told from its numbers; a frist not computable says why."""
    if (get_language() or "nb").startswith("nb"):
        return list(stored.get("explanation", []))
    if stored.get("not_computable"):
        # The rules' bokmål (NORSK_NOT_COMPUTABLE), which the catalogue holds in English.
        return [gettext(str(stored["not_computable"].get("message", "")))]
    lines = [
        gettext("Regnes fra %(day)s; %(months)s måneder.")
        % {"day": day(stored["start"]), "months": stored["base_months"]}
    ]
    for extension in stored.get("extensions", []):
        lines.append(
            gettext("Utvidet opplæring i norsk %(months)s måneder (vedtak %(day)s).")
            % {"months": extension["months"], "day": day(extension["decided_on"])}
        )
    lines.append(
        gettext("%(months)s måneder gir %(day)s.")
        % {"months": stored["months_total"], "day": day(stored["months_date"])}
    )
    lines.extend(_stop_line(stop) for stop in stored.get("clock_stops", []))
    lines.append(gettext("Frist for gjennomføring: %(day)s.") % {"day": day(stored["frist"])})
    if stored.get("free_right_until"):
        lines.append(
            gettext("Gratis opplæring til %(day)s.") % {"day": day(stored["free_right_until"])}
        )
    return lines
