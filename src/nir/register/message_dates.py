"""Dates in the words of the user's language, for the refusals (rule_messages and
norsk_rule_messages)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import get_language


def day(value: object) -> str:
    """A date as the user's language writes it (31. januar 2026, 31 January 2026)."""
    if isinstance(value, dt.date):
        return formats.date_format(value, "j. F Y" if bokmaal() else "j F Y")
    if isinstance(value, str):
        try:
            return day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def bokmaal() -> bool:
    return (get_language() or "nb").startswith("nb")
