"""Limits on input that no law sets but a register must: text without control characters,
dates within a range that makes sense for the introduction programme, and records walked
field by field so every refusal names its field.

The date range is configuration (``RuleConfig.earliest_date`` / ``latest_date``,
docs/configuration.md): no participant of a programme from 2004 on was born before 1900 or
gets a decision after 2100, and a date beyond 9999 cannot be counted with at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

BASIS_TEXT = LegalBasis(
    "input.text", "Registerets regel: tekst uten kontrolltegn", BasisKind.BESLUTNING
)
BASIS_DATE_RANGE = LegalBasis(
    "input.date_range", "Registerets regel: datoer innenfor grensene", BasisKind.BESLUTNING
)

# C0 controls and DEL, except tab, line feed and carriage return (a text area sends them);
# NUL among them, which PostgreSQL cannot store at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_character(value: str) -> bool:
    return _CONTROL.search(value) is not None


def text_violation(field: str, value: str) -> RuleViolation | None:
    """A refusal when ``value`` holds a control character, else None."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return RuleViolation(
        field=field,
        code="text.control_character",
        message="Teksten inneholder et kontrolltegn som ikke er tillatt.",
        basis=BASIS_TEXT,
        params={"position": found.start(), "character": f"U+{ord(found.group()):04X}"},
    )


def date_violation(
    field: str, value: dt.date, earliest: dt.date, latest: dt.date
) -> RuleViolation | None:
    """A refusal when ``value`` lies outside [earliest, latest], else None."""
    if earliest <= value <= latest:
        return None
    return RuleViolation(
        field=field,
        code="date.out_of_range",
        message=(f"Datoen må ligge mellom {earliest:%d.%m.%Y} og {latest:%d.%m.%Y}."),
        basis=BASIS_DATE_RANGE,
        params={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
    )


def value_violations(
    value: object, earliest: dt.date, latest: dt.date, path: str = ""
) -> Iterator[RuleViolation]:
    """Every text with a control character and every date out of range inside ``value`` (a
    dataclass, mapping, sequence or scalar), each with its path (``leaves[0].start_date``)."""
    if isinstance(value, str):
        found = text_violation(path, value)
        if found is not None:
            yield found
    elif isinstance(value, dt.datetime):
        found = date_violation(path, value.date(), earliest, latest)
        if found is not None:
            yield found
    elif isinstance(value, dt.date):
        found = date_violation(path, value, earliest, latest)
        if found is not None:
            yield found
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from value_violations(
                getattr(value, item.name), earliest, latest, _join(path, item.name)
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from value_violations(item, earliest, latest, _join(path, str(key)))
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for index, item in enumerate(value):
            yield from value_violations(item, earliest, latest, f"{path}[{index}]")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
