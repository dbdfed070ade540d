"""Which paragraphs exist in each law version the register cites, and a check of a citation.

A citation is only true of the text it quotes: the amendment of Prop. 81 L (2024–2025)
split integreringsloven § 13 into §§ 13 and 14 and added §§ 12 a, 14 a, 18 a and 18 b, so
«§ 14» for the group without upper secondary did not exist in the text in force from 2021
(Prop. 81 L ch. 7.1 quotes «§ 13 tredje ledd» and «§ 13 femte ledd» for the lengths and the
extension). The table lists the paragraphs the register may cite per version; a citation of
any other is refused, in tests and when IMDi configures a length row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from nir.rules.basis import TEXT_2021, TEXT_PROP81, BasisKind, LegalBasis

# Paragraphs per (law, text version). Only paragraphs the register cites or may be asked to
# cite are listed, each one found in the public text of that version.
_INTEGRERINGSLOVEN_2021 = frozenset(
    {"8", "9", "12", "13", "15", "16", "18", "51"}
    # Kompetansekartlegging (§§ 6, 10) and chapter 6, Norwegian training: §§ 26-29 and
    # 31-33 as the law's table of contents and IMDi's guides number them, § 37 d (kap. 6A).
    | {"6", "10", "26", "27", "28", "29", "31", "32", "33", "37 d"}
)
_INTEGRERINGSLOVEN_PROP81 = _INTEGRERINGSLOVEN_2021 | {"12 a", "14", "14 a", "17", "18 a", "18 b"}

PARAGRAPHS: Mapping[tuple[str, str], frozenset[str]] = MappingProxyType(
    {
        ("integreringsloven", TEXT_2021): _INTEGRERINGSLOVEN_2021,
        ("integreringsloven", TEXT_PROP81): _INTEGRERINGSLOVEN_PROP81,
        ("introduksjonsloven", TEXT_2021): frozenset({"2", "4", "5", "17", "19", "25 a"}),
        # §§ 20-22 deferred start, §§ 26-28 the levels in Norwegian, § 43 g extended Norwegian.
        ("integreringsforskriften", TEXT_2021): frozenset(
            {"20", "21", "22", "26", "27", "28", "43 g", "71", "72"}
        ),
        ("utlendingsloven", TEXT_2021): frozenset({"28", "34", "35", "38", "53"}),
        ("folkeregisterloven", TEXT_2021): frozenset({"2-2"}),
        ("folkeregisterforskriften", TEXT_2021): frozenset({"2-2-1"}),
    }
)
LAWS = frozenset(law for law, _ in PARAGRAPHS)
# Paragraphs of integreringsloven are the version's; the other laws have one table.
VERSIONED_LAWS = frozenset({"integreringsloven"})

# Texts a user must never read as a legal basis: the register's own documents.
OWN_DOCUMENTS = re.compile(r"rules\.md|research-notes|docs/|\.md\b|openapi\.json", re.I)

_LAW = re.compile(r"\b(" + "|".join(sorted(LAWS, key=len, reverse=True)) + r")\b")
_PARAGRAPH = r"\d+(?:-\d+)*(?: [a-z]\b)?"
# «§ 13», «§§ 8–9», «§§ 13, 14 og 18 a», each after its law and before the next law.
_SECTIONS = re.compile(rf"(§§?)\s*({_PARAGRAPH}(?:\s*(?:[-–]|,|og)\s*{_PARAGRAPH})*)")


def cited_paragraphs(reference: str) -> list[tuple[str, str]]:
    """(law, paragraph) for every paragraph the citation names, ranges spelled out."""
    found: list[tuple[str, str]] = []
    laws = list(_LAW.finditer(reference))
    for i, law in enumerate(laws):
        end = laws[i + 1].start() if i + 1 < len(laws) else len(reference)
        span = reference[law.end() : end]
        # A paragraph belongs to the law named just before it, until a «/» or «;» starts
        # another clause.
        span = re.split(r"[/;]", span, maxsplit=1)[0]
        for match in _SECTIONS.finditer(span):
            found.extend((law.group(1), p) for p in _expand(match.group(2)))
    return found


def _expand(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s*(?:,|og)\s*", text) if p.strip()]
    out: list[str] = []
    for part in parts:
        # A range is written with an en dash; a hyphen is part of a number (§ 2-2-1).
        bounds = re.split(r"\s*–\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            out.extend(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            out.append(part)
    return out


def citation_problems(basis: LegalBasis) -> list[str]:
    """What is wrong with a legal basis as a user would read it; empty when it is sound.

    It must not cite the register's own documents; every paragraph it names must exist in
    its law's version; the register's own rule says so in words («registerets regel»).
    """
    problems: list[str] = []
    if OWN_DOCUMENTS.search(basis.reference):
        problems.append(f"{basis.rule_id}: cites the register's own documents")
    for law, paragraph in cited_paragraphs(basis.reference):
        version = basis.text_version if law in VERSIONED_LAWS else TEXT_2021
        if paragraph not in PARAGRAPHS[(law, version)]:
            problems.append(
                f"{basis.rule_id}: {law} § {paragraph} does not exist in the {version} text"
            )
    if basis.kind is BasisKind.BESLUTNING and "registerets regel" not in basis.reference.lower():
        problems.append(f"{basis.rule_id}: the register's own rule does not say so")
    if basis.kind is BasisKind.PRAKSIS and "imdi" not in basis.reference.lower():
        problems.append(f"{basis.rule_id}: IMDi's practice does not name IMDi")
    if basis.kind in (BasisKind.LOV, BasisKind.FORSKRIFT) and not (
        _LAW.search(basis.reference) or "kap. 6A" in basis.reference
    ):
        problems.append(f"{basis.rule_id}: names no law or regulation")
    return problems


def all_problems(bases: Iterable[LegalBasis]) -> list[str]:
    return [p for b in bases for p in citation_problems(b)]
