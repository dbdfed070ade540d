"""Every string marked for translation anywhere in the register has its English.

The catalogues' own check (tests/web/test_user_facing_strings.py) sees only what a catalogue
holds; a string marked in a template or in Python but never added to a catalogue shows in
bokmål on an English page, and that check cannot see it. This walk reads the marks where
they are made, in every template (as Django's makemessages reads them) and every Python
module under src/nir, and looks each one up in the English catalogues.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.utils.translation.template import templatize

import nir

SOURCE = Path(nir.__file__).parent
# The marking functions and where their msgid (and context) stand among the arguments.
MARKERS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
_LITERAL = r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
TEMPLATE_CALL = re.compile(
    rf"\b(npgettext|ngettext|pgettext|gettext)\(((?:{_LITERAL})(?:, (?:{_LITERAL}))*)"
)


def _key(name: str, literals: list[str]) -> tuple[str, str] | None:
    context_at, msgid_at = MARKERS[name]
    if len(literals) <= msgid_at:
        return None
    context = literals[context_at] if context_at is not None else ""
    return context, literals[msgid_at]


def _python_marks(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in MARKERS:
            continue
        literals = []
        for arg in node.args:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                break
            literals.append(arg.value)
        key = _key(name, literals)
        if key is not None and key[1]:
            found.add(key)
    return found


def _template_marks(path: Path) -> set[tuple[str, str]]:
    found = set()
    for match in TEMPLATE_CALL.finditer(templatize(path.read_text(encoding="utf-8"))):
        literals = [ast.literal_eval(x) for x in re.findall(_LITERAL, match.group(2))]
        key = _key(match.group(1), literals)
        if key is not None and key[1]:
            found.add(key)
    return found


def marked_strings() -> dict[tuple[str, str], str]:
    """Every (context, msgid) marked under src/nir, with where it is first marked."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for key in _python_marks(path):
            found.setdefault(key, str(path.relative_to(SOURCE)))
    for path in sorted(
        [*SOURCE.glob("*/templates/**/*.html"), *SOURCE.glob("*/templates/**/*.txt")]
    ):
        for key in _template_marks(path):
            found.setdefault(key, str(path.relative_to(SOURCE)))
    return found


def _unquote(first: str, rest: str) -> str:
    value = first + "".join(re.findall(r'"(.*)"', rest))
    return ast.literal_eval(f'"{value}"')


def english_catalogue() -> dict[tuple[str, str], str]:
    """(context, msgid) -> English, from every app's English catalogue (fuzzy and obsolete
    entries left out, as gettext leaves them out)."""
    english: dict[tuple[str, str], str] = {}
    for po in sorted(SOURCE.glob("*/locale/en/LC_MESSAGES/django.po")):
        for block in po.read_text(encoding="utf-8").split("\n\n"):
            if block.lstrip().startswith("#~") or re.search(r"^#,.*fuzzy", block, re.M):
                continue
            entries = {
                kind: _unquote(first, rest)
                for kind, first, rest in re.findall(
                    r'^(msgctxt|msgid|msgstr(?:\[0\])?) "(.*)"\n?((?:".*"\n?)*)', block, re.M
                )
            }
            msgid = entries.get("msgid")
            text = entries.get("msgstr") or entries.get("msgstr[0]")
            if msgid and text:
                english[(entries.get("msgctxt", ""), msgid)] = text
    return english


def test_every_marked_string_has_an_english_entry():
    english = english_catalogue()
    missing = sorted(
        f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for (context, msgid), where in marked_strings().items()
        if (context, msgid) not in english
    )
    assert missing == []


def test_the_walk_finds_the_marks_it_looks_for():
    """The walk sees a template's translate and blocktranslate, and Python's marks."""
    marks = marked_strings()
    assert marks[("", "Ingenting haster. Bra jobbet!")] == "web/templates/web/worklist.html"
    assert ("", "Oppgave %(first)s–%(last)s av %(total)s") in marks
    assert ("", "Ingen tiltak er registrert.") in marks  # gettext_lazy in Python
    english = english_catalogue()
    assert english[("", "Arbeidsliste")] == "Worklist"
