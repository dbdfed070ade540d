"""«Regler i bruk» in the reader's language.

The rules package words each rule in force in bokmål (``nir.rules.in_force``) and gives it
a stable wording code and the numbers, dates and codes it is worded from. These are the same
names and values through gettext, as ``rule_messages`` gives the rules' refusals: keyed by
``in_force.<wording>.name`` and ``.value``, a text to fill in or a function where the
wording depends on the values; a name or value without numbers is its bokmål text, marked
here so the catalogue holds it. ``rule_messages.RULE_MESSAGES`` holds them with the
refusals, and ``rule_messages.rule_message`` words them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from nir.register import labels

Params = Mapping[str, Any]


def _on(day: object) -> str:
    """A date as the page writes it, or that none is set."""
    return f"{day:%d.%m.%Y}" if isinstance(day, dt.date) else gettext("ikke satt")


def _words(words: list[str]) -> str:
    return ", ".join(words) or gettext("ingen")


def _cutoff(p: Params) -> str:
    note = f" ({gettext(p['note'])})" if p.get("note") else ""
    return f"{_on(p['day'])}{note}"


_AGES = _("%(low)s–%(high)s år")

IN_FORCE_MESSAGES: dict[str, Promise | Callable[[Params], str]] = {
    "in_force.regime.kap6a.value": lambda p: _on(p["day"]),
    "in_force.regime.kap6a_period.value": lambda p: f"{_on(p['first'])}–{_on(p['last'])}",
    "in_force.config.prop81_in_force.value": lambda p: _on(p["day"]),
    "in_force.category.rett_og_plikt.value": _AGES,
    "in_force.category.kap6a_rett.value": _AGES,
    "in_force.category.kap6a_kan_tilbys.value": _AGES,
    "in_force.length.row.value": _(
        "%(base)s måneder, utvidelse høyst %(extension)s måneder (til sammen %(cap)s)"
    ),
    "in_force.config.group_without_sluttmaal.value": lambda p: (
        gettext("regnes som gruppen der %(reason)s")
        % {"reason": labels.label(labels.GROUP_REASONS, str(p["group"]))}
    ),
    # The leave types by their configured names, which the catalogue holds for the default
    # types (derivation_text.DEFAULT_STOP_TYPE_NAMES).
    "in_force.config.leave_types.value": lambda p: _words([gettext(n) for n in p["labels"]]),
    "in_force.termination.automatic.value": lambda p: (
        gettext("når fristen er passert, sluttdato fristen %(offset)s dager")
        % {"offset": f"{int(p['offset']):+d}"}
    ),
    "in_force.window.two_months.value": _("%(months)s måneder etter hendelsen"),
    "in_force.window.late_registration_grant.value": _(
        "inntil %(months)s måneder tilbake, med IMDis tilgang"
    ),
    "in_force.config.outcome_excluded_reasons.value": lambda p: _words(
        sorted(labels.reason_label(code) for code in p["reasons"])
    ),
    "in_force.statistics.cutoff.name": _("Frist for tallene for %(year)s"),
    "in_force.statistics.cutoff.value": _cutoff,
}

# The names and values worded without numbers, as the rules word them, and the notes of
# IMDi's published cut-offs; a test keeps this list equal to what the rules word.
STATIC_WORDINGS = (
    gettext_noop("Kap. 6A: tillatelse etter utlendingsloven § 34 gitt fra"),
    gettext_noop("Kap. 6A: programmer som starter i perioden"),
    gettext_noop("Lovendringen etter Prop. 81 L (2024–2025) i kraft fra"),
    gettext_noop("Rett og plikt: alder da tillatelsen ble gitt"),
    gettext_noop("Kap. 6A, rett (uten plikt): alder da tillatelsen ble gitt"),
    gettext_noop("Kap. 6A, kan tilbys: alder da tillatelsen ble gitt"),
    gettext_noop("Programtid"),
    gettext_noop("Utvidet programtid"),
    gettext_noop("flere vedtak kan registreres, til sammen innenfor radens grense"),
    gettext_noop("Programtid uten registrert sluttmål"),
    gettext_noop("Permisjon som forlenger fristen"),
    gettext_noop("Permisjon i programperioden"),
    gettext_noop("legges til dag for dag; overlapp telles én gang"),
    gettext_noop("Automatisk avslutning"),
    gettext_noop("Registreringsfrist"),
    gettext_noop("Etterregistrering"),
    gettext_noop("Holdt utenfor nevneren i måloppnåelsen"),
    gettext_noop("IMDi ba kommunene kontrollere tallene på nytt innen 16.03.2018 etter feil i NIR"),
)
