"""No user reads an internal field name or a raw code.

Every source of text a user reads is walked: the templates' text, the message catalogues
(every string marked for translation in pages, forms, labels and the API's messages), and
the refusals the rules and services word themselves. Then the pages and exports a
caseworker and IMDi open are rendered, and their visible text is searched the same way.
Codes and field names are taken from the label module, so a new code is covered at once.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import nir
from nir.register import labels

SOURCE = Path(nir.__file__).parent

# Codes a user must never read: every code of the label module that is not itself a word
# (it joins words with «_», or spells æ, ø, å in ASCII), and every input field's name.
ASCII_SPELLED = {"norskopplaering", "sprakpraksis", "sluttmaal", "videregaende", "dod"}


def _codes() -> set[str]:
    mappings = [
        labels.REGIMES,
        labels.CATEGORIES,
        labels.SLUTTMAAL,
        labels.PERMIT_TYPES,
        labels.GROUPS,
        labels.ACTIONS,
        labels.DECISION_TYPES,
        labels.STOP_KINDS,
        labels.MEASURE_TYPES,
        labels.REASONS,
        labels.JOBS,
        labels.JOB_COUNTS,
        labels.ACCESS_FINDINGS,
        labels.FIELDS,
    ]
    codes = {code for mapping in mappings for code in mapping}
    return {c for c in codes if "_" in c or c in ASCII_SPELLED}


CODES = _codes()
CODE_PATTERN = re.compile(
    r"(?<![\w/.#=?&-])(" + "|".join(sorted(map(re.escape, CODES))) + r")(?![\w/-])"
)


def _offending(text: str) -> list[str]:
    return CODE_PATTERN.findall(text)


# Bokmål words that no English text of the register uses: common words of a Norwegian
# sentence and the register's own nouns. The terms an English page keeps on purpose beside
# their translation («End goal (sluttmål)», «frist») and the laws' names are not among them;
# proper names (municipalities, counties) are taken out of a page before it is read.
BOKMAAL_WORDS = re.compile(
    r"(?<![\w-])("
    r"og|ikke|på|av|med|som|er|eller|det|den|til|ved|fra|etter|uten|når|skal|kan|har|ble|"
    r"ingen|velg|vises|gjelder|år|året|høyst|måneder|måneden|deltaker|deltakeren|deltakere|"
    r"deltakerne|avsluttet|kommune|kommunen|kommunens|registrert|registreres|registerets|"
    r"fristen|opplæring|utdanning|tillatelsen"
    r")(?![\w-])",
    re.IGNORECASE,
)


def _untranslated(text: str) -> list[str]:
    """The bokmål words of a text meant to be English."""
    return [word.lower() for word in BOKMAAL_WORDS.findall(text)]


# --- the sources ------------------------------------------------------------------------


def _template_text(source: str) -> str:
    """The text a template shows: tags, variables, comments and HTML markup removed."""
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<script.*?</script>|<style.*?</style>", " ", source, flags=re.S)
    return re.sub(r"<[^>]*>", " ", source, flags=re.S)


def _templates() -> list[Path]:
    return sorted(SOURCE.glob("*/templates/**/*.html")) + sorted(
        SOURCE.glob("*/templates/**/*.txt")
    )


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_no_template_shows_a_code_or_a_field_name(path):
    assert _offending(_template_text(path.read_text(encoding="utf-8"))) == []


def _catalogue_strings() -> list[tuple[str, str]]:
    strings = []
    for po in sorted(SOURCE.glob("*/locale/*/LC_MESSAGES/django.po")):
        text = po.read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            if block.lstrip().startswith("#~"):
                continue
            for kind in ("msgid", "msgstr"):
                parts = re.findall(
                    rf'^{kind}(?:_plural|\[\d\])? "(.*)"\n((?:".*"\n?)*)', block, re.M
                )
                for first, rest in parts:
                    value = first + "".join(re.findall(r'"(.*)"', rest))
                    if value:
                        strings.append((f"{po.relative_to(SOURCE)} {kind}", value))
    return strings


def test_no_translated_string_names_a_code_or_a_field():
    found = [(where, s) for where, s in _catalogue_strings() if _offending(s)]
    assert found == []


def _refusal_messages() -> list[tuple[str, str]]:
    """The wording of every refusal the rules and services raise themselves."""
    found = []
    for path in sorted([*SOURCE.glob("rules/**/*.py"), *SOURCE.glob("register/services/**/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            candidates = [k.value for k in node.keywords if k.arg == "message"]
            if name == "invalid" and len(node.args) >= 3:
                candidates.append(node.args[2])
            for candidate in candidates:
                parts = [
                    n.value
                    for n in ast.walk(candidate)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
                if parts:
                    found.append((f"{path.relative_to(SOURCE)}:{node.lineno}", " ".join(parts)))
    return found


def test_the_search_finds_what_it_looks_for():
    assert _offending("Lovverk: integreringsloven_kap6a, rett_og_plikt.") == [
        "integreringsloven_kap6a",
        "rett_og_plikt",
    ]
    assert _offending("Feil i feltet «identity_number»; tiltak: norskopplaering") == [
        "identity_number",
        "norskopplaering",
    ]
    # A path, an anchor or an address is not read as a code.
    assert _offending("/rapporter/avsluttede/?status=ikke_registrert #id_birth_date") == []


def test_the_bokmaal_words_are_found_in_bokmaal_and_never_in_the_english_catalogue():
    from tests.test_english_catalogue import english_catalogue

    assert _untranslated("integreringsloven § 13 (sluttmål og varighet etter utdanning)") == [
        "og",
        "etter",
        "utdanning",
    ]
    assert _untranslated("End goal (sluttmål): 6 months, integreringsloven § 13") == []
    # Every English text the catalogues hold (placeholders taken out) reads as English.
    english = [re.sub(r"%\(\w+\)s", " ", text) for text in english_catalogue().values()]
    assert [text for text in english if _untranslated(text)] == []


def test_the_walk_reaches_every_kind_of_source():
    assert len(_templates()) > 40
    assert len(_catalogue_strings()) > 500
    assert len(_refusal_messages()) > 50


def test_no_refusal_of_the_rules_or_services_names_a_code_or_a_field():
    found = [(where, s) for where, s in _refusal_messages() if _offending(s)]
    assert found == []


# --- the pages as they are rendered --------------------------------------------------------


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            # What a user reads or hears besides the text.
            if name in ("title", "aria-label", "alt", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


CASEWORKER_PAGES = [
    "/",
    "/deltakere/?status=ikke_registrert",
    "/deltakere/?q=Haddad",
    "/rapporter/avsluttede/",
    "/rapporter/avsluttede/?lovverk=integreringsloven&kategori=rett_og_plikt",
    "/rapporter/personliste/",
    "/rapporter/kommuneoversikt/",
    "/person/ny/",
]
EXPORTS = ["/rapporter/avsluttede.csv", "/rapporter/personliste.csv"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_caseworkers_pages_and_exports_show_words_not_codes(register, client_a, language):
    client_a.cookies["django_language"] = language
    p = register.overdue_a
    pages = [
        *CASEWORKER_PAGES,
        f"/person/{p.person_id}/",
        f"/deltakelse/{p.pk}/registrer/avslutning/",
        f"/deltakelse/{p.pk}/registrer/tiltak/",
    ]
    for url in pages:
        response = client_a.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert _offending(_visible(_body(response))) == [], url
    for url in EXPORTS:
        response = client_a.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert _offending(_body(response)) == [], url


@pytest.mark.django_db
def test_a_refused_form_names_fields_by_label(register, client_a):
    p = register.overdue_a
    response = client_a.post(
        f"/deltakelse/{p.pk}/registrer/avslutning/",
        {"expected_version": p.version, "reason": "", "end_date": "i går"},
    )
    text = _visible(_body(response))
    assert "«Sluttdato»" in text
    assert _offending(text) == []


IMDI_PAGES = [
    "/",
    "/deltakere/?status=ikke_registrert",
    "/rapporter/avsluttede/",
    "/rapporter/kommuneoversikt/",
    "/imdi/datakvalitet/",
    "/imdi/statistikk/",
    "/imdi/statistikk/?etter=regime",
    "/imdi/statistikk/etter-frist/",
    "/imdi/ukraina/",
    "/imdi/jobber/",
    "/imdi/innsyn/",
    "/imdi/etterregistrering/",
    "/henvendelser/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
def test_imdis_pages_show_words_not_codes(register, client_imdi, language):
    from nir.jobs.registry import JOBS
    from nir.jobs.scheduler import run_due

    run_due(JOBS)
    for url in IMDI_PAGES:
        response = client_imdi.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert _offending(_visible(_body(response))) == [], url


def _entry(block: str, kind: str) -> str:
    """The joined text of one field (msgid, msgstr, msgstr[0]) of a catalogue entry."""
    match = re.search(rf'^{re.escape(kind)} "(.*)"\n?((?:".*"\n?)*)', block, re.M)
    if match is None:
        return ""
    return match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2)))


def test_every_string_marked_for_translation_has_its_english():
    untranslated = []
    for po in sorted(SOURCE.glob("*/locale/en/LC_MESSAGES/django.po")):
        for block in po.read_text(encoding="utf-8").split("\n\n"):
            msgid = _entry(block, "msgid")
            if not msgid or block.lstrip().startswith("#~"):
                continue
            fuzzy = re.search(r"^#,.*fuzzy", block, re.M) is not None
            english = _entry(block, "msgstr") or _entry(block, "msgstr[0]")
            if fuzzy or not english:
                untranslated.append((str(po.relative_to(SOURCE)), msgid))
    assert untranslated == []


def test_the_label_module_names_every_reason_as_the_rules_do():
    from django.utils import translation

    from nir.register.models import DecisionType, StopKind
    from nir.rules.termination import TERMINATION_REASONS

    with translation.override("nb"):
        assert {c: str(v) for c, v in labels.REASONS.items()} == {
            c: r.label_nb for c, r in TERMINATION_REASONS.items()
        }
        assert {c: str(v) for c, v in labels.DECISION_TYPES.items()} == dict(DecisionType.choices)
        assert {c: str(v) for c, v in labels.STOP_KINDS.items()} == dict(StopKind.choices)
    with translation.override("en"):
        assert labels.reason_label("ikke_registrert") == "Termination reason not registered"
        assert labels.month_label_of("2026-11") == "November 2026"
    with translation.override("nb"):
        assert labels.month_label_of("2026-11") == "november 2026"


@pytest.mark.django_db
def test_the_worklist_and_what_is_missing_read_in_english(register, client_a):
    from django.utils import translation

    from nir.register.missing_messages import missing_message
    from nir.rules.missing import MissingRegistration

    client_a.cookies["django_language"] = "en"
    worklist = _visible(_body(client_a.get("/")))
    assert "The completion deadline runs out" in worklist
    assert "Fristen for gjennomføring går ut" not in worklist
    item = MissingRegistration(
        "measures", "measure_type", "Ingen tiltak er registrert.", None, None
    )
    with translation.override("en"):
        assert missing_message(item, register.today) == "No measure is registered."
    with translation.override("nb"):
        assert missing_message(item, register.today) == "Ingen tiltak er registrert."


def _static_refusals_in_source() -> set[str]:
    found = set()
    for path in sorted([*SOURCE.glob("rules/**/*.py"), *SOURCE.glob("register/services/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            candidates = [k.value for k in node.keywords if k.arg == "message"]
            if name == "invalid" and len(node.args) >= 3:
                candidates.append(node.args[2])
            found |= {
                c.value
                for c in candidates
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            }
    return found


def test_every_refusal_without_numbers_is_in_the_catalogue_and_reads_in_english():
    from django.utils import translation

    from nir.register.rule_messages import STATIC_REFUSALS, rule_message

    assert set(STATIC_REFUSALS) == _static_refusals_in_source()
    with translation.override("en"):
        for text in STATIC_REFUSALS:
            assert rule_message("any.code", {}, text) != text, text
    with translation.override("nb"):
        for text in STATIC_REFUSALS:
            assert rule_message("any.code", {}, text) == text
