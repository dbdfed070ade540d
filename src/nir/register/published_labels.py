"""The words of the published tables: IMDi's statistics and the Ukraina report to the ministry.

The tables keep their words in bokmål in every language, as delivered to SSB and the
ministry: plain strings, marked (gettext_noop) where the tables define them, so a page or
IMDi's download can show them in its reader's language through ``published_word``. The
codes behind them have their labels in ``nir.register.labels``.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from nir.rules.regime import Regime

# A row of a table counts many, so the sexes are plural.
PUBLISHED_SEXES = {
    "kvinne": gettext_noop("Kvinner"),
    "mann": gettext_noop("Menn"),
    "ukjent": gettext_noop("Ukjent"),
}
PUBLISHED_REGIMES = {
    Regime.INTRODUKSJONSLOVEN.value: gettext_noop("Introduksjonsloven"),
    Regime.INTEGRERINGSLOVEN.value: gettext_noop("Integreringsloven"),
    Regime.INTEGRERINGSLOVEN_KAP6A.value: gettext_noop("Integreringsloven kap. 6A"),
}
# Kap. 6A: a right at 18-55, offered by the municipality at 55-67.
PUBLISHED_KAP6A_CATEGORIES = {
    "rett": gettext_noop("Rett (18–55 år)"),
    "kan_tilbys": gettext_noop("Kan tilbys (55–67 år)"),
}


def published_word(word: str) -> str:
    """A word of a published table (a title, a measure, a row's label), kept in bokmål in
    the table as delivered, in the reader's language on a page. The tables mark their
    words where they define them; a name (a county, a municipality) is shown as it is."""
    return gettext(word) if word else word
