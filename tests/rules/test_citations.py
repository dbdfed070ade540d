"""Every legal basis the register can show names a paragraph that exists in its law version,
and none points a reader at the register's own documents."""

import ast
import datetime as dt
from pathlib import Path

import pytest

import nir
from nir.register.legal_bases import current_derivation, every_legal_basis, shown_basis
from nir.rules.basis import TEXT_2021, TEXT_PROP81, BasisKind, LegalBasis
from nir.rules.citations import (
    OWN_DOCUMENTS,
    PARAGRAPHS,
    citation_problems,
    cited_paragraphs,
)
from nir.rules.programme_length import ProgrammeGroup, programme_length_table
from nir.rules.regime import Regime

SRC = Path(nir.__file__).parent


def test_every_legal_basis_the_register_can_show_cites_paragraphs_of_its_own_law_version():
    bases = every_legal_basis()
    # The collection is real: the rules, the services and the API each contribute.
    ids = {b.rule_id for b in bases}
    assert {"frist.months_from_start", "access.own_kommune", "api.schema"} <= ids
    assert {"length.p14_under_25", "length.p14_under_25.prop81", "category.kap6a_by_age"} <= ids
    problems = [p for b in bases for p in citation_problems(b)]
    assert problems == []


def test_every_legal_basis_is_made_where_the_collection_finds_it():
    """A LegalBasis made inside a function would escape the check above; only the length
    table and the configured rows make them at run time, and both are collected."""
    allowed = {"programme_length_table", "_configured_basis", "as_json", "shown_basis"}
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "LegalBasis"
                    and func.name not in allowed
                ):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} in {func.name}")
    assert offenders == []


def _user_strings(path: Path) -> list[tuple[int, str]]:
    """String literals that can reach a user: everything but docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_message_page_or_api_text_refers_a_reader_to_our_own_documents():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        if path.name == "citations.py":  # the pattern that finds such references
            continue
        for line, text in _user_strings(path):
            # Any of our documents (rules.md, rules-norsk.md, docs/…) named in a sentence; a
            # bare path (a route, a default output file) is no text a reader is sent to.
            if OWN_DOCUMENTS.search(text) and (" " in text.strip() or "rules.md" in text):
                offenders.append(f"{path.relative_to(SRC)}:{line}")
    pages = [*SRC.rglob("*.html"), *SRC.rglob("*.txt"), *SRC.rglob("*.po")]
    for path in [*pages, SRC.parent.parent / "docs/openapi.json"]:
        if path.exists() and OWN_DOCUMENTS.search(path.read_text()):
            offenders.append(str(path.name))
    assert offenders == []


@pytest.mark.parametrize(
    ("reference", "cited"),
    [
        ("integreringsloven § 13", [("integreringsloven", "13")]),
        (
            "integreringsloven §§ 8–9, introduksjonsloven § 2",
            [("integreringsloven", "8"), ("integreringsloven", "9"), ("introduksjonsloven", "2")],
        ),
        ("introduksjonsloven § 25 a: registrering", [("introduksjonsloven", "25 a")]),
        (
            "integreringsloven § 13 / introduksjonsloven § 5 andre ledd",
            [("integreringsloven", "13"), ("introduksjonsloven", "5")],
        ),
        (
            "folkeregisterforskriften § 2-2-1 (kontrollsiffer)",
            [("folkeregisterforskriften", "2-2-1")],
        ),
        ("Registerets regel: kommunen ser egne", []),
    ],
)
def test_citations_are_read_paragraph_by_paragraph(reference, cited):
    assert cited_paragraphs(reference) == cited


@pytest.mark.parametrize(
    ("basis", "problem"),
    [
        # The § 13/§ 14 split belongs to the amended text: § 14 did not exist from 2021.
        (LegalBasis("x", "integreringsloven § 14 første ledd", BasisKind.LOV), "does not exist"),
        (LegalBasis("x", "integreringsloven § 18 a", BasisKind.LOV), "does not exist"),
        (LegalBasis("x", "rules.md §4: automatisk", BasisKind.BESLUTNING), "own documents"),
        (LegalBasis("x", "Vi har bestemt det", BasisKind.BESLUTNING), "does not say so"),
        (LegalBasis("x", "Praksis", BasisKind.PRAKSIS), "does not name IMDi"),
    ],
)
def test_a_citation_that_did_not_exist_or_points_at_our_docs_is_caught(basis, problem):
    assert any(problem in p for p in citation_problems(basis))


def test_the_amended_text_has_the_paragraphs_the_2021_text_lacks():
    amended = LegalBasis("x", "integreringsloven § 14", BasisKind.LOV, text_version=TEXT_PROP81)
    assert citation_problems(amended) == []
    assert "14" not in PARAGRAPHS[("integreringsloven", TEXT_2021)]


def test_each_length_row_cites_the_paragraph_of_its_own_law_version():
    table = programme_length_table(dt.date(2026, 8, 1))
    by_id = {row.row_id: row for row in table}
    for group in (ProgrammeGroup.P14_UNDER_25, ProgrammeGroup.P14_ANDRE, ProgrammeGroup.P13):
        assert by_id[f"integreringsloven.{group.value}.2021"].basis.reference == (
            "integreringsloven § 13"
        )
    assert by_id["integreringsloven.p14_under_25.prop81"].basis.reference.startswith(
        "integreringsloven § 14"
    )
    assert by_id["integreringsloven.p13.prop81"].basis.reference.startswith(
        "integreringsloven § 13"
    )
    kap6a = [r for r in table if r.regime is Regime.INTEGRERINGSLOVEN_KAP6A]
    assert kap6a and all(r.basis.kind is BasisKind.BESLUTNING for r in kap6a)
    assert all("Registerets regel" in r.basis.reference for r in kap6a)


def test_a_stored_history_basis_that_cited_our_docs_is_shown_with_the_rules_current_text():
    stored = {
        "rule_id": "termination.automatic_lifted",
        "reference": "rules.md §4: ny frist som ikke er passert opphever avslutningen",
        "kind": "beslutning",
    }
    shown = shown_basis(stored)
    assert shown["reference"].startswith("Registerets regel:")
    unknown = shown_basis({"rule_id": "gone", "reference": "rules.md §9", "kind": "beslutning"})
    assert unknown["reference"] == "Registerets regel"


def test_a_stored_derivation_is_shown_with_the_citation_of_its_row_as_it_now_reads():
    stored = {
        "rule_row": "integreringsloven.p14_under_25.2021",
        "rule_reference": "integreringsloven § 14 første ledd",
        "basis": [
            {
                "rule_id": "length.p14_under_25",
                "reference": "integreringsloven § 14 første ledd",
                "kind": "lov",
            }
        ],
        "explanation": ["Programtid 36 måneder etter integreringsloven § 14 første ledd."],
    }
    shown = current_derivation(stored)
    assert shown["rule_reference"] == "integreringsloven § 13"
    assert shown["basis"][0]["reference"] == "integreringsloven § 13"
    assert shown["basis"][0]["url"].startswith("https://lovdata.no/")
    assert shown["explanation"] == ["Programtid 36 måneder etter integreringsloven § 13."]
