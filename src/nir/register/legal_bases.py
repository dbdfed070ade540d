"""Every legal basis the register can show, gathered in one place.

A basis is a module-level ``LegalBasis`` (in the rules package, the services, the API) or
the basis of a length row; the tests check each against the table of paragraphs per law
version (``nir.rules.citations``). Stored history keeps the text it was written with, so a
history entry whose text cited the register's own documents is shown with the rule's
current text instead.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from functools import cache
from typing import Any

from nir.rules.basis import LegalBasis
from nir.rules.citations import OWN_DOCUMENTS
from nir.rules.programme_length import programme_length_table

# The packages whose modules define bases a user can read (errors, derivations, history).
PACKAGES = ("nir.rules", "nir.register", "nir.api", "nir.web", "nir.imdi", "nir.jobs")
_SKIP = (".migrations", ".management", ".tests")
# Any date switches the amended rows on; their text does not depend on which.
_SAMPLE_IN_FORCE = dt.date(2026, 1, 1)


def _modules() -> list[str]:
    names: list[str] = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if not any(part in info.name for part in _SKIP):
                names.append(info.name)
    return names


@cache
def every_legal_basis() -> tuple[LegalBasis, ...]:
    """Each basis once, from every module and every length row, with and without Prop. 81 L."""
    from nir.register.rule_config import rule_config

    found: dict[LegalBasis, None] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, LegalBasis):
                found[value] = None
    for table in (
        programme_length_table(None),
        programme_length_table(_SAMPLE_IN_FORCE),
        rule_config().programme_lengths,
    ):
        for row in table:
            found[row.basis] = None
    return tuple(found)


@cache
def _by_rule_id() -> dict[str, LegalBasis]:
    return {b.rule_id: b for b in every_legal_basis()}


def shown_basis(stored: dict[str, str]) -> dict[str, str]:
    """A basis stored in history, as it is shown: never a citation of our own documents."""
    reference = stored.get("reference", "")
    if not OWN_DOCUMENTS.search(reference):
        return stored
    current = _by_rule_id().get(stored.get("rule_id", ""))
    if current is not None:
        return current.as_json()
    return {**stored, "reference": "Registerets regel", "url": ""}


@cache
def _rows_by_id() -> dict[str, str]:
    from nir.register.rule_config import rule_config

    rows: dict[str, str] = {}
    for table in (
        programme_length_table(None),
        programme_length_table(_SAMPLE_IN_FORCE),
        rule_config().programme_lengths,
    ):
        rows.update({row.row_id: row.basis.reference for row in table})
    return rows


def current_derivation(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored derivation with today's citation of its own rule row and bases.

    A derivation is stored when the frist is computed; citations corrected since (a
    paragraph of the wrong law version, a pointer to our own documents) are shown as they
    now read, by the row's and the rule's ids. Dates and months are not touched.
    """
    old = stored.get("rule_reference", "")
    new = _rows_by_id().get(stored.get("rule_row", ""), old)
    basis = [shown_basis(dict(b)) for b in stored.get("basis", [])]
    by_id = _by_rule_id()
    basis = [by_id[b["rule_id"]].as_json() if b.get("rule_id") in by_id else b for b in basis]
    if new == old and basis == stored.get("basis"):
        return stored
    explanation = [
        line.replace(old, new) if old else line for line in stored.get("explanation", [])
    ]
    return {**stored, "rule_reference": new, "basis": basis, "explanation": explanation}
