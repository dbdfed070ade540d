"""The register's own words for input the API schema refuses, naming the field by its label.

The schema is checked by pydantic, whose messages («Input should be a valid integer») name
neither the field a caseworker knows nor the register's rule. Each kind of refusal has a
message here, in the language of the request (``Accept-Language``: bokmål unless English
is asked for); the field's path stays in ``field`` for the case system's programmer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from nir.register.labels import FIELDS, field_label


def _label_of(path: str) -> str:
    """The label of the innermost named part of a path such as ``decisions[0].decided_on``;
    a name whose label depends on its list (``test_results[0].kind``) by the pair."""
    names = [part.split("[")[0] for part in path.split(".") if part.split("[")[0]]
    if not names:
        return _("forespørselen")
    if len(names) > 1 and f"{names[-2]}.{names[-1]}" in FIELDS:
        return field_label(f"{names[-2]}.{names[-1]}")
    return field_label(names[-1])


def schema_message(path: str, kind: str, context: Mapping[str, Any] | None = None) -> str:
    """One schema refusal as a sentence: «Vedtaksdato» må være en dato (ÅÅÅÅ-MM-DD)."""
    label = _label_of(path)
    ctx = dict(context or {})
    limit = next((ctx[k] for k in ("le", "lt", "ge", "gt") if k in ctx), "")
    messages = {
        "missing": _("«%(label)s» mangler og må sendes med."),
        "extra_forbidden": _("«%(label)s» er ikke et felt registeret kjenner."),
        "string_type": _("«%(label)s» må være tekst."),
        "string_too_short": _("«%(label)s» må ha minst %(limit)s tegn."),
        "string_too_long": _("«%(label)s» kan ha høyst %(limit)s tegn."),
        "string_pattern_mismatch": _("«%(label)s» har ikke riktig form."),
        "int_type": _("«%(label)s» må være et helt tall."),
        "int_parsing": _("«%(label)s» må være et helt tall."),
        "int_from_float": _("«%(label)s» må være et helt tall."),
        "float_parsing": _("«%(label)s» må være et tall."),
        "float_type": _("«%(label)s» må være et tall."),
        "decimal_parsing": _("«%(label)s» må være et tall."),
        "decimal_type": _("«%(label)s» må være et tall."),
        "decimal_max_digits": _("«%(label)s» har for mange sifre."),
        "decimal_max_places": _("«%(label)s» har for mange desimaler."),
        "greater_than_equal": _("«%(label)s» kan ikke være mindre enn %(limit)s."),
        "greater_than": _("«%(label)s» må være større enn %(limit)s."),
        "less_than_equal": _("«%(label)s» kan ikke være mer enn %(limit)s."),
        "less_than": _("«%(label)s» må være mindre enn %(limit)s."),
        "date_type": _("«%(label)s» må være en dato på formen ÅÅÅÅ-MM-DD."),
        "date_parsing": _("«%(label)s» må være en dato på formen ÅÅÅÅ-MM-DD."),
        "date_from_datetime_parsing": _("«%(label)s» må være en dato på formen ÅÅÅÅ-MM-DD."),
        "date_from_datetime_inexact": _("«%(label)s» må være en dato uten klokkeslett."),
        "bool_type": _("«%(label)s» må være true eller false."),
        "bool_parsing": _("«%(label)s» må være true eller false."),
        "literal_error": _("«%(label)s» må være en av verdiene %(expected)s."),
        "enum": _("«%(label)s» må være en av verdiene %(expected)s."),
        "list_type": _("«%(label)s» må være en liste."),
        "dict_type": _("«%(label)s» må være et objekt."),
        "model_type": _("«%(label)s» må være et objekt."),
        "model_attributes_type": _("«%(label)s» må være et objekt."),
        "too_short": _("«%(label)s» må ha minst %(limit)s element(er)."),
        "too_long": _("«%(label)s» kan ha høyst %(limit)s elementer."),
        "json_invalid": _("Forespørselen er ikke gyldig JSON."),
    }
    template = messages.get(kind, _("«%(label)s» har ikke en gyldig verdi."))
    values = {
        "label": label,
        "limit": ctx.get("min_length", ctx.get("max_length", limit)),
        "expected": ctx.get("expected", ""),
    }
    return template % values
