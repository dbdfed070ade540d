"""Every URL of IMDi's pages, for every persona: who gets the page, who is refused, who is
sent to sign in, and that nothing of another municipality or of a person leaks."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from nir.register.models import Person
from tests.imdi.builders import (
    BERGEN_GRANT_REASON,
    BERGEN_SUBJECT,
    OSLO_GRANT_REASON,
    OSLO_SUBJECT,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("oslo", "bergen", "imdi", "stat", "anonym")
LOGIN = "/logg-inn/"

# Expected status per persona, in the order of PERSONAS.
SUPPORT = (200, 200, 200, 403, 302)
MUNICIPAL = (200, 200, 403, 403, 302)
ADVISER = (403, 403, 200, 403, 302)
ANALYST = (403, 403, 200, 200, 302)


def _cases(r) -> list[tuple[str, str, str, dict, tuple[int, ...]]]:
    """(route name, method, url, data, expected) for every route of the app."""
    a, b = r.request_a.pk, r.request_b.pk
    return [
        ("requests", "get", "/henvendelser/", {}, SUPPORT),
        ("requests", "get", "/henvendelser/?status=&kind=&kommune=", {}, SUPPORT),
        ("request-create", "get", "/henvendelser/ny/", {}, MUNICIPAL),
        ("request-create", "post", "/henvendelser/ny/", {}, MUNICIPAL),
        ("own-grants", "get", "/henvendelser/etterregistrering/", {}, (200, 200, 302, 403, 302)),
        # Oslo's request: Bergen is answered as if it did not exist.
        ("request", "get", f"/henvendelser/{a}/", {}, (200, 404, 200, 403, 302)),
        ("request", "get", f"/henvendelser/{b}/", {}, (404, 200, 200, 403, 302)),
        ("request", "get", "/henvendelser/999999/", {}, (404, 404, 404, 403, 302)),
        # An empty reply is refused on the form (200 with errors); nothing is saved.
        ("request-reply", "post", f"/henvendelser/{a}/svar/", {}, (200, 404, 200, 403, 302)),
        ("request-reply", "get", f"/henvendelser/{a}/svar/", {}, (405, 405, 405, 403, 302)),
        ("request-decide", "post", f"/henvendelser/{a}/avgjor/", {}, (403, 403, 200, 403, 302)),
        ("request-close", "post", f"/henvendelser/{b}/lukk/", {}, (404, None, None, 403, 302)),
        ("request-close", "get", f"/henvendelser/{a}/lukk/", {}, (405, 405, 405, 403, 302)),
        ("grants", "get", "/imdi/etterregistrering/", {}, ADVISER),
        ("grants", "get", "/imdi/etterregistrering/?status=aktiv", {}, ADVISER),
        ("grants", "post", "/imdi/etterregistrering/", {}, ADVISER),
        (
            "grant-revoke",
            "post",
            "/imdi/etterregistrering/999999/trekk-tilbake/",
            {},
            (403, 403, 404, 403, 302),
        ),
        (
            "grant-revoke",
            "get",
            f"/imdi/etterregistrering/{r.grant_a.pk}/trekk-tilbake/",
            {},
            (403, 403, 405, 403, 302),
        ),
        # Unprotected aggregates are the advisers' alone; statisticians get protected ones.
        ("quality", "get", "/imdi/datakvalitet/", {}, ADVISER),
        ("statistics", "get", "/imdi/statistikk/", {}, ANALYST),
        ("statistics", "get", "/imdi/statistikk/?tidspunkt=frist&etter=fylke", {}, ANALYST),
        ("statistics-export", "get", "/imdi/statistikk.csv", {}, ANALYST),
        ("statistics-export", "get", "/imdi/statistikk.xlsx", {}, ANALYST),
        ("statistics-export", "get", "/imdi/statistikk.pdf", {}, (403, 403, 404, 404, 302)),
        ("compare", "get", "/imdi/statistikk/etter-frist/", {}, ADVISER),
        ("norsk-statistics", "get", "/imdi/statistikk/norsk/", {}, ANALYST),
        ("norsk-statistics", "get", "/imdi/statistikk/norsk/?etter=kjonn", {}, ANALYST),
        ("norsk-statistics-export", "get", "/imdi/statistikk/norsk.csv", {}, ANALYST),
        ("norsk-statistics-export", "get", "/imdi/statistikk/norsk.xlsx?etter=alder", {}, ANALYST),
        (
            "norsk-statistics-export",
            "get",
            "/imdi/statistikk/norsk.pdf",
            {},
            (403, 403, 404, 404, 302),
        ),
        ("ukraina", "get", "/imdi/ukraina/", {}, ANALYST),
        ("ukraina-build", "post", "/imdi/ukraina/lag/", {}, ADVISER),
        ("ukraina-month", "get", f"/imdi/ukraina/{r.month}/", {}, ANALYST),
        ("ukraina-month", "get", "/imdi/ukraina/1999-01/", {}, (403, 403, 404, 404, 302)),
        ("ukraina-month", "get", "/imdi/ukraina/tull/", {}, (403, 403, 404, 404, 302)),
        ("ukraina-xlsx", "get", f"/imdi/ukraina/{r.month}/rapport.xlsx", {}, ANALYST),
        ("rules", "get", "/imdi/regler-i-bruk/", {}, ANALYST),
        ("rules", "get", "/imdi/regler-i-bruk/?dato=2026-02-30", {}, (403, 403, 400, 400, 302)),
        ("rules-json", "get", "/imdi/regler-i-bruk.json?dato=2025-01-01", {}, ANALYST),
        ("jobs", "get", "/imdi/jobber/", {}, ADVISER),
        ("unusual-access", "get", "/imdi/innsyn/", {}, ADVISER),
    ]


def test_every_route_of_the_app_is_covered_here(imdi_register):
    patterns = [
        p
        for r in get_resolver().url_patterns
        if getattr(r, "app_name", "") == "imdi"
        for p in r.url_patterns
    ]
    assert {p.name for p in patterns} == {name for name, *_ in _cases(imdi_register)}


def test_each_persona_gets_the_answer_its_role_and_scope_allow(imdi_register, clients):
    failures = []
    for _name, method, url, data, expected in _cases(imdi_register):
        for persona, status in zip(PERSONAS, expected, strict=True):
            if status is None:
                continue  # a write that would change the data for the others
            response = getattr(clients[persona], method)(url, data)
            if response.status_code != status:
                failures.append(f"{persona} {method.upper()} {url}: {response.status_code}")
            elif status == 302 and persona == "anonym":
                assert response["Location"].startswith(LOGIN), url
    assert failures == []


def _contents(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_no_page_shows_a_persons_name_or_identity_number(imdi_register, clients):
    persons = list(Person.objects.values_list("given_name", "family_name", "identity_number"))
    assert persons
    for _name, method, url, data, _expected in _cases(imdi_register):
        for persona in ("oslo", "bergen", "imdi", "stat"):
            response = getattr(clients[persona], method)(url, data)
            if response.status_code != 200 or url.endswith(".xlsx"):
                continue
            text = _contents(response)
            for _given, family, number in persons:
                assert family not in text, (persona, url)
                assert number not in text, (persona, url)


def test_a_municipality_sees_only_its_own_requests_and_grants(imdi_register, clients):
    oslo = clients["oslo"]
    requests = oslo.get("/henvendelser/").content.decode()
    assert OSLO_SUBJECT in requests and BERGEN_SUBJECT not in requests
    grants = oslo.get("/henvendelser/etterregistrering/").content.decode()
    assert OSLO_GRANT_REASON in grants and BERGEN_GRANT_REASON not in grants
    # The list filters of IMDi do not widen a municipality's scope.
    wide = oslo.get(f"/henvendelser/?kommune={imdi_register.web.kommune_b.pk}&status=")
    assert BERGEN_SUBJECT not in wide.content.decode()
    bergen = clients["bergen"].get("/henvendelser/").content.decode()
    assert BERGEN_SUBJECT in bergen and OSLO_SUBJECT not in bergen


def test_imdi_sees_every_municipalitys_requests_and_grants(imdi_register, clients):
    imdi = clients["imdi"]
    everything = imdi.get("/henvendelser/?status=").content.decode()
    assert OSLO_SUBJECT in everything and BERGEN_SUBJECT in everything
    only_bergen = imdi.get(
        f"/henvendelser/?status=&kommune={imdi_register.web.kommune_b.pk}"
    ).content.decode()
    assert BERGEN_SUBJECT in only_bergen and OSLO_SUBJECT not in only_bergen
    questions = imdi.get("/henvendelser/?status=&kind=question").content.decode()
    assert BERGEN_SUBJECT in questions and OSLO_SUBJECT not in questions
    grants = imdi.get("/imdi/etterregistrering/").content.decode()
    assert OSLO_GRANT_REASON in grants and BERGEN_GRANT_REASON in grants


def test_bergen_cannot_close_or_answer_oslos_request(imdi_register, clients):
    request = imdi_register.request_a
    assert clients["bergen"].post(f"/henvendelser/{request.pk}/lukk/").status_code == 404
    reply = clients["bergen"].post(f"/henvendelser/{request.pk}/svar/", {"body": "Hei"})
    assert reply.status_code == 404
    request.refresh_from_db()
    assert request.status == "open"
    assert request.messages.count() == 1


@pytest.mark.parametrize(
    "persona, url, shown, hidden",
    [
        (
            "oslo",
            "/henvendelser/",
            ["/henvendelser/", "/henvendelser/etterregistrering/"],
            ["/imdi/"],
        ),
        (
            "imdi",
            "/henvendelser/",
            ["/henvendelser/", "/imdi/etterregistrering/", "/imdi/statistikk/", "/imdi/jobber/"],
            ["/henvendelser/etterregistrering/"],
        ),
        (
            "stat",
            "/imdi/statistikk/",
            ["/imdi/statistikk/", "/imdi/ukraina/"],
            [
                "/henvendelser/",
                "/imdi/etterregistrering/",
                "/imdi/jobber/",
                "/imdi/datakvalitet/",
                "/rapporter/kommuneoversikt/",
            ],
        ),
    ],
)
def test_the_menu_offers_each_role_its_own_pages(
    imdi_register, clients, persona, url, shown, hidden
):
    text = clients[persona].get(url).content.decode()
    menu = text[
        text.index('<ul class="nav">') : text.index("</ul>", text.index('<ul class="nav">'))
    ]
    for link in shown:
        assert f'href="{link}"' in menu, (persona, link)
    for link in hidden:
        assert f'href="{link}' not in menu, (persona, link)
