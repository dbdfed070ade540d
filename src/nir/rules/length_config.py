"""The programme-length table as configuration: rows IMDi can add or replace without code.

The enacted kap. 6A lengths were not found and the law has changed several times, so a
deployment may give rows of its own (a JSON file, see docs/configuration.md). Each row is
checked here: its regime and group, whole months, its dates, and a citation that exists in
its law version; the finished table may not have two rows for one regime and group in force
on the same day. A bad row stops start-up with one message naming the row and the fault.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from nir.rules.basis import TEXT_2021, TEXT_PROP81, BasisKind, LegalBasis
from nir.rules.citations import citation_problems
from nir.rules.programme_length import ProgrammeGroup, ProgrammeLengthRow, programme_length_table
from nir.rules.regime import Regime


class LengthConfigError(ValueError):
    """A configured length row is not valid; the message names the row and the fault."""


MODES = ("extend", "replace")
_FIELDS = {
    "row_id",
    "regime",
    "group",
    "base_months",
    "min_months",
    "extension_limit_months",
    "effective_from",
    "effective_to",
    "citation",
    "kind",
    "url",
    "text_version",
    "note",
}


def _months(raw: Mapping[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise LengthConfigError(f"{where}: {key} must be a whole number of months, 0 or more")
    return value


def _date(raw: Mapping[str, Any], key: str, where: str, *, optional: bool) -> dt.date | None:
    value = raw.get(key)
    if value is None and optional:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise LengthConfigError(f"{where}: {key} must be a date, YYYY-MM-DD") from None


def _choice[E: StrEnum](enum: type[E], value: object, key: str, where: str) -> E:
    try:
        return enum(str(value))
    except ValueError:
        raise LengthConfigError(
            f"{where}: {key} must be one of {', '.join(e.value for e in enum)}"
        ) from None


def _configured_basis(raw: Mapping[str, Any], row_id: str, where: str) -> LegalBasis:
    """The row's legal basis: a citation the register can check, its kind and version."""
    citation = raw.get("citation")
    if not isinstance(citation, str) or not citation.strip():
        raise LengthConfigError(
            f"{where}: citation is required (the law and §, or «Registerets regel: …»)"
        )
    kind = _choice(BasisKind, raw.get("kind", "lov"), "kind", where)
    version = raw.get("text_version", TEXT_2021)
    if version not in (TEXT_2021, TEXT_PROP81):
        raise LengthConfigError(f"{where}: text_version must be {TEXT_2021} or {TEXT_PROP81}")
    basis = LegalBasis(
        f"length.configured.{row_id}", citation.strip(), kind, str(raw.get("url", "")), version
    )
    problems = citation_problems(basis)
    if problems:
        raise LengthConfigError(f"{where}: citation «{citation}»: {problems[0].split(': ', 1)[1]}")
    return basis


def parse_length_row(raw: Mapping[str, Any], index: int) -> ProgrammeLengthRow:
    where = f"row {index + 1} ({raw.get('row_id', 'without row_id')})"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise LengthConfigError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    row_id = raw.get("row_id")
    if not isinstance(row_id, str) or not row_id.strip():
        raise LengthConfigError(f"{where}: row_id is required")
    regime = _choice(Regime, raw.get("regime"), "regime", where)
    group = _choice(ProgrammeGroup, raw.get("group"), "group", where)
    base = _months(raw, "base_months", where)
    minimum = _months(raw, "min_months", where) if "min_months" in raw else 0
    limit = _months(raw, "extension_limit_months", where)
    if base < 1:
        raise LengthConfigError(f"{where}: base_months must be at least 1")
    if minimum > base:
        raise LengthConfigError(f"{where}: min_months is more than base_months")
    start = _date(raw, "effective_from", where, optional=False)
    end = _date(raw, "effective_to", where, optional=True)
    assert start is not None
    if end is not None and end <= start:
        raise LengthConfigError(f"{where}: effective_to must be after effective_from")
    basis = _configured_basis(raw, row_id, where)
    note = str(raw.get("note", ""))
    return ProgrammeLengthRow(
        row_id.strip(),
        group,
        regime,
        base,
        minimum,
        limit,
        start,
        end,
        basis,
        f"; {note}" if note else "",
    )


def _overlap(a: ProgrammeLengthRow, b: ProgrammeLengthRow) -> bool:
    a_end = a.effective_to or dt.date.max
    b_end = b.effective_to or dt.date.max
    return a.effective_from < b_end and b.effective_from < a_end


def build_length_table(
    *,
    prop81_in_force: dt.date | None,
    configured: Sequence[Mapping[str, Any]] = (),
    mode: str = "extend",
) -> tuple[ProgrammeLengthRow, ...]:
    """The register's rows with the configured ones: ``extend`` replaces rows of the same
    row_id and adds the rest; ``replace`` uses the configured rows alone."""
    if mode not in MODES:
        raise LengthConfigError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    rows = [parse_length_row(raw, i) for i, raw in enumerate(configured)]
    ids = [r.row_id for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LengthConfigError(f"row_id given twice: {', '.join(duplicates)}")
    if mode == "replace":
        table = rows
    else:
        given = set(ids)
        table = [r for r in programme_length_table(prop81_in_force) if r.row_id not in given]
        table += rows
    for i, a in enumerate(table):
        for b in table[i + 1 :]:
            if a.regime is b.regime and a.group is b.group and _overlap(a, b):
                raise LengthConfigError(
                    f"rows {a.row_id} and {b.row_id} are both in force for {a.regime.value} "
                    f"{a.group.value} on {max(a.effective_from, b.effective_from).isoformat()}; "
                    "end the earlier one (effective_to) where the later one starts"
                )
    return tuple(table)
