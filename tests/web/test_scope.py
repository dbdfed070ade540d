"""A caseworker of Oslo cannot see or change Bergen's participants by any URL, and an
anonymous visitor is sent to sign in. Every URL of the UI is listed here."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver

from nir.accounts.models import Role
from nir.register.models import Decision, HistoryEvent, Participation
from nir.web.registrations import KINDS
from tests.web.builders import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/logg-inn/"


def _urls_about(register) -> list[str]:
    """Every URL that names Bergen's person or participation."""
    p = register.overdue_b
    urls = [
        f"/person/{p.person_id}/",
        f"/person/{p.person_id}/ny-deltakelse/",
        f"/person/{p.person_id}/endre/",
        f"/deltakelse/{p.pk}/",
        f"/deltakelse/{p.pk}/angre-avslutning/",
    ]
    decision = Decision.objects.filter(participation=p).first()
    if decision is None:
        decision = Decision.objects.create(
            participation=p,
            decision_type="innvilget",
            decided_on=p.start_date,
            registered_by="test",
            channel="web",
        )
    urls.append(f"/deltakelse/{p.pk}/annuller/decision/{decision.pk}/")
    # Bergen's row through Oslo's own participation: the row must belong to it.
    urls.append(f"/deltakelse/{register.overdue_a.pk}/annuller/decision/{decision.pk}/")
    for slug, kind in KINDS.items():
        urls.append(f"/deltakelse/{p.pk}/registrer/{slug}/")
        if kind.has_preview:
            urls.append(f"/deltakelse/{p.pk}/forhandsvis/{slug}/?months=6&decided_on=2026-01-01")
    return urls


LIST_URLS = [
    "/",
    "/deltakere/?q=Bergljot",
    "/deltakere/?status=ikke_registrert",
    "/rapporter/avsluttede/",
    "/rapporter/avsluttede.csv",
    "/rapporter/avsluttede.xlsx",
    "/rapporter/personliste/",
    "/rapporter/personliste.csv",
    "/rapporter/personliste.xlsx",
    "/rapporter/kommuneoversikt/",
]


def test_every_route_of_the_ui_is_covered_here():
    patterns = [
        p
        for r in get_resolver().url_patterns
        if getattr(r, "app_name", "") == "web"
        for p in r.url_patterns
    ]
    names = {p.name for p in patterns}
    assert names == {
        "worklist",
        "login",
        "logout",
        "search",
        "person-create",
        "person",
        "participation-create",
        "participation",
        "register",
        "preview",
        "late-registration",
        "report-terminated",
        "report-terminated-export",
        "report-person-list",
        "report-person-list-export",
        "report-overview",
        "cancel",
        "person-edit",
        "set-language",
        "undo-termination",
        "notifications",
        "identity-number-check",  # checks the number by the rule alone: reads no person
        "guides",  # the user guides: no personal data
        "guide",
        # The Norwegian-training scheme's pages: tests/web/test_norsk_pages.py walks them
        # with another municipality's ordning and with each scheme's role.
        "norsk-start",
        "norsk-register",
        "norsk-preview",
        "report-norsk-ended",
        "report-norsk-ended-export",
        "report-norsk-person-list",
        "report-norsk-person-list-export",
        "norsk-cancel",
        "norsk-undo-end",
    }  # a new route must be added to the tests below


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_another_municipalitys_participant_answers_not_found(register, client_a):
    for url in _urls_about(register):
        assert client_a.get(url).status_code == 404, url


def test_another_municipality_cannot_change_by_posting(register, client_a):
    p = register.overdue_b
    before = (p.version, HistoryEvent.objects.count())
    for slug in KINDS:
        response = client_a.post(
            f"/deltakelse/{p.pk}/registrer/{slug}/",
            {
                "expected_version": p.version,
                "months": 6,
                "decided_on": "2026-01-01",
                "reason": "arbeid",
                "end_date": p.frist.isoformat(),
            },
        )
        assert response.status_code == 404, slug
    response = client_a.post(
        f"/person/{p.person_id}/ny-deltakelse/", {"start_date": register.today.isoformat()}
    )
    assert response.status_code == 404
    person = p.person
    response = client_a.post(
        f"/person/{p.person_id}/endre/",
        {
            "expected_version": person.version,
            "identity_number": person.identity_number,
            "given_name": "Endret",
            "family_name": "Endret",
            "birth_date": person.birth_date,
            "sex": "ukjent",
            "permit_type": person.permit_type,
            "permit_date": person.permit_date,
        },
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.family_name == "Bergensen"
    p.refresh_from_db()
    assert (p.version, HistoryEvent.objects.count()) == before
    assert Participation.objects.filter(person_id=p.person_id).count() == 1


def test_lists_reports_and_downloads_never_show_another_municipalitys_data(register, client_a):
    for url in LIST_URLS:
        response = client_a.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        assert b"Bergensen" not in body, url
        assert register.person_b.identity_number.encode() not in body, url


def test_searching_for_another_municipalitys_number_finds_nothing(register, client_a):
    response = client_a.get(f"/deltakere/?q={register.person_b.identity_number}")
    assert b"Bergensen" not in response.content
    assert b"0 deltakelser" in response.content


def test_own_participant_is_reachable(register, client_a):
    p = register.overdue_a
    assert client_a.get(f"/person/{p.person_id}/").status_code == 200
    assert client_a.get(f"/deltakelse/{p.pk}/").status_code == 302


def test_imdi_sees_every_municipality(register, client_imdi):
    assert client_imdi.get(f"/person/{register.person_b.pk}/").status_code == 200
    response = client_imdi.get("/deltakere/?q=Bergensen")
    assert b"Bergensen" in response.content


def test_anonymous_is_sent_to_sign_in_from_every_url(register, client):
    for url in [*LIST_URLS, *_urls_about(register), "/person/ny/", "/etterregistrering/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url
        assert b"Bergensen" not in _body(response)
    p = register.overdue_b
    response = client.post(f"/deltakelse/{p.pk}/registrer/utvidelse/", {"months": 6})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_statistics_user_sees_protected_figures_only(register):
    client = Client()
    client.force_login(make_user("statistiker", None, Role.IMDI_STATISTIKER))
    assert client.get("/").url == "/imdi/statistikk/"
    p = register.overdue_a
    for url in [
        f"/person/{p.person_id}/",
        "/deltakere/?q=Haddad",
        "/rapporter/avsluttede.csv",
        # The overview's counts are not suppressed: a municipality's own, or an adviser's.
        "/rapporter/kommuneoversikt/",
    ]:
        assert client.get(url).status_code == 403, url


def test_english_is_offered_through_gettext(register, client_a):
    response = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Worklist" in response.content.decode()
    assert "Arbeidsliste" in client_a.get("/").content.decode()
