"""Argument types the register's commands share."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def iso_date(value: str) -> dt.date:
    """A ``--date`` argument: the operator is told the format, not shown a traceback."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r} is not a date; write YYYY-MM-DD.") from None
