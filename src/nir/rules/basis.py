"""Legal basis: every result of the rules package says which law, § and rule produced it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BasisKind(StrEnum):
    """Where a rule comes from, so a reader can tell statute from the register's own choice."""

    LOV = "lov"  # statute (introduksjonsloven, integreringsloven)
    FORSKRIFT = "forskrift"  # regulation (integreringsforskriften)
    PRAKSIS = "praksis"  # IMDi's published practice in NIR
    BESLUTNING = "beslutning"  # the register's own rule where the sources are silent

    @property
    def label_nb(self) -> str:
        return KIND_LABELS_NB[self]


KIND_LABELS_NB = {
    BasisKind.LOV: "lov",
    BasisKind.FORSKRIFT: "forskrift",
    BasisKind.PRAKSIS: "IMDis praksis",
    BasisKind.BESLUTNING: "registerets regel",
}

# The text of integreringsloven a citation refers to: the paragraphs were renumbered by the
# amendment of Prop. 81 L (2024–2025), so a citation is only true of its own version.
TEXT_2021 = "2021"
TEXT_PROP81 = "prop81"

LOVDATA_INTEGRERINGSLOVEN = "https://lovdata.no/lov/2020-11-06-127"
LOVDATA_INTRODUKSJONSLOVEN = "https://lovdata.no/lov/2003-07-04-80"
LOVDATA_UTLENDINGSLOVEN = "https://lovdata.no/lov/2008-05-15-35"
LOVDATA_FOLKEREGISTERLOVEN = "https://lovdata.no/lov/2016-12-09-88"


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """A citation a caseworker can read: "integreringsloven § 13" plus the register's rule id.

    ``rule_id`` is stable (the register's name for the rule); ``reference`` is the citation
    a person reads: a law, a regulation or IMDi's published practice, or, where the sources
    are silent, «Registerets regel: …». ``kind`` tells which; ``url`` is the public page
    (lovdata.no, imdi.no) where there is one; ``text_version`` says which text of
    integreringsloven its paragraphs belong to.
    """

    rule_id: str
    reference: str
    kind: BasisKind
    url: str = ""
    text_version: str = TEXT_2021

    def __str__(self) -> str:
        return f"{self.reference} [{self.rule_id}]"

    def as_json(self) -> dict[str, str]:
        """As stored in history and derivations, and shown by the API."""
        return {
            "rule_id": self.rule_id,
            "reference": self.reference,
            "kind": self.kind.value,
            "kind_label": self.kind.label_nb,
            "url": self.url,
        }
