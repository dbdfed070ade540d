"""Legal basis: every result of the rules package says which law, § and rule produced it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BasisKind(StrEnum):
    """Where a rule comes from, so a reader can tell statute from the register's own choice."""

    LOV = "lov"  # statute (introduksjonsloven, integreringsloven)
    FORSKRIFT = "forskrift"  # regulation (integreringsforskriften)
    PRAKSIS = "praksis"  # IMDi's documented practice in NIR
    BESLUTNING = "beslutning"  # the register's own decision where the sources are silent


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """A citation a caseworker can read: "integreringsloven § 13" plus the register's rule id.

    ``rule_id`` is stable and names the rule in ``docs/rules.md``; ``reference`` is the
    human citation; ``kind`` tells whether it is statute or a documented decision.
    """

    rule_id: str
    reference: str
    kind: BasisKind

    def __str__(self) -> str:
        return f"{self.reference} [{self.rule_id}]"
