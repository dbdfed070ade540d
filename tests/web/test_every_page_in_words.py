"""Every page and download a caseworker or IMDi opens, in bokmål and in English, reads in
words: no internal field name, no code and no reference to the register's own documents;
and in English, no bokmål left untranslated.

The sources are walked in tests/web/test_user_facing_strings.py (templates, catalogues,
refusals) and tests/rules/test_citations.py (our documents); this walks what they make. The
routes are read from the URL configuration, as the authorisation matrix reads them, so a
page added tomorrow is walked tomorrow; each route's parameters are filled with the
reader's own records, every registration kind, guide and download format.
"""

from __future__ import annotations

import io
import itertools
import re

import openpyxl
import pytest
from django.test import Client

from nir.accounts.models import Role, User
from nir.jobs.registry import JOBS
from nir.jobs.scheduler import run_due
from nir.register.models import Kommune, SluttmaalVersion
from nir.register.services.context import Actor, Channel
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.rules.citations import OWN_DOCUMENTS
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from nir.web.guides import GUIDES
from nir.web.norsk_registrations import NORSK_KINDS
from nir.web.registrations import KINDS
from tests.conftest import at
from tests.imdi.builders import build_imdi_register
from tests.security.test_authorisation_matrix import PARAM, _web_routes
from tests.web.test_user_facing_strings import _body, _offending, _untranslated, _visible

pytestmark = pytest.mark.django_db

# Actions, not pages: signing out and choosing a language.
ACTIONS = {"logg-ut/", "sprak/"}
# The published document, delivered in bokmål whoever downloads it.
BOKMAAL_BY_DESIGN = re.compile(r"^/imdi/ukraina/[\d-]+/rapport\.xlsx$")


@pytest.fixture
def world(kommune_a, kommune_b):
    """IMDi's register (Oslo's and Bergen's participants, requests, grants, a delivered
    report), Oslo's participant in Norwegian training too, and the scheduler's day run."""
    imdi = build_imdi_register(kommune_a, kommune_b)
    p = imdi.web.overdue_a
    norsk = start_norsk_participation(
        actor=Actor("nina@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK})),
        person_id=p.person_id,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(start_date=p.start_date, permit_list=PermitList.RETT_OG_PLIKT),
        at=at(p.start_date),
    )
    run_due(JOBS)
    goal = SluttmaalVersion.objects.filter(participation=p).first()
    values = {
        "person_id": [p.person_id],
        "participation_id": [p.pk, imdi.web.soon_a.pk],
        "norsk_participation_id": [norsk.pk],
        "kind": [*KINDS, *NORSK_KINDS],
        "entity": ["sluttmaal"],
        "entity_id": [goal.pk if goal else 0],
        "slug": list(GUIDES),
        "fmt": ["csv", "xlsx"],
        "request_id": [imdi.request_a.pk, imdi.request_b.pk],
        "grant_id": [imdi.grant_a.pk],
        "month": [imdi.month],
    }
    return values, kommune_a


def _urls(values: dict[str, list[object]]) -> list[str]:
    """Every route with every combination of the values its parameters take."""
    urls = []
    for route in _web_routes():
        if route in ACTIONS:
            continue
        names = [m.group("name") for m in PARAM.finditer(route)]
        for combination in itertools.product(*(values[n] for n in names)):
            filled = dict(zip(names, combination, strict=True))
            urls.append("/" + PARAM.sub(lambda m, f=filled: str(f[m.group("name")]), route))
    return urls


def _text(response) -> str | None:
    """What the reader reads of a response, or None where it is not for reading (JSON for
    programs, an address moved on)."""
    kind = response.get("Content-Type", "")
    if response.status_code != 200 or "json" in kind:
        return None
    if "spreadsheetml" in kind:
        raw = _body_bytes(response)
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        cells = (c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
        return " ".join(str(c) for c in cells if c is not None)
    body = _body(response)
    return _visible(body) if "html" in kind else body


def _body_bytes(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _readers(kommune_a) -> dict[str, Client]:
    oslo = User.objects.create_user(
        "oslo.begge",
        roles=[Role.KOMMUNEINTROBRUKER, Role.KOMMUNENORSKBRUKER],
        kommune=kommune_a,
    )
    imdi = User.objects.create_user("imdi.radgiver", roles=[Role.IMDI_RADGIVER])
    clients = {}
    for name, user in (("oslo", oslo), ("imdi", imdi)):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def _names() -> re.Pattern[str]:
    """The municipalities' and counties' names («Herøy (Møre og Romsdal)»), which are
    the same in every language: taken out of a page before its words are read."""
    names = {n for k in Kommune.objects.all() for n in (k.display_name, k.county_name) if n}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _bokmaal_left(url: str, text: str, names: re.Pattern[str]) -> list[str]:
    if BOKMAAL_BY_DESIGN.match(url):
        return []
    return [f"bokmål: {word}" for word in _untranslated(names.sub(" ", text))]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_and_download_reads_in_words(world, language):
    values, kommune_a = world
    names = _names()
    read, offending = 0, []
    for reader, client in _readers(kommune_a).items():
        client.cookies["django_language"] = language
        for url in _urls(values):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            text = _text(response)
            if text is None:
                continue
            read += 1
            found = _offending(text) + OWN_DOCUMENTS.findall(text)
            if language == "en":
                found += _bokmaal_left(url, text, names)
            if found:
                offending.append((reader, url, sorted(set(found))))
    assert offending == []
    # The walk reads what it means to: pages, forms, guides and downloads of both readers.
    assert read > 120, read


def test_the_walk_fills_every_route_with_every_value(world):
    values, _kommune = world
    urls = _urls(values)
    assert "/rapporter/avsluttede.xlsx" in urls and "/imdi/statistikk.csv" in urls
    assert {f"/veiledning/{slug}/" for slug in GUIDES} <= set(urls)
    p = values["participation_id"][0]
    assert {f"/deltakelse/{p}/registrer/{kind}/" for kind in KINDS} <= set(urls)
    assert OWN_DOCUMENTS.findall("Hjemmel: rules.md §7") == ["rules.md"]


def test_an_english_page_left_in_bokmaal_is_found_and_names_are_not(world):
    names = _names()
    # A basis shown in bokmål on an English page, as «Regler i bruk» and the participant
    # page showed it, is found; a municipality's name with «og» in it is not.
    left = _bokmaal_left(
        "/person/1/",
        "Legal basis: integreringsloven § 13 (sluttmål og varighet etter utdanning og alder)",
        names,
    )
    assert left == ["bokmål: og", "bokmål: etter", "bokmål: utdanning", "bokmål: og"]
    assert _bokmaal_left("/imdi/statistikk/", "1515 Herøy (Møre og Romsdal)", names) == []
    workbook = "/imdi/ukraina/2026-11/rapport.xlsx"
    assert _bokmaal_left(workbook, "I program ved utgangen av måneden", names) == []
