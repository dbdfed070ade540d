"""Every page that shows a person writes an access-log entry naming them, the entry never
holds a search term, a name or an identity number, and no response is stored by a cache.
The walk covers every route of the web UI (read from the URL configuration), so a new page
is checked the day it is added."""

from __future__ import annotations

import pytest

from nir.api.clients import create_api_client
from nir.audit.models import AccessLogEntry, AccessLogPerson
from tests.security.test_authorisation_matrix import _fill, _web_routes, world  # noqa: F401

pytestmark = pytest.mark.django_db


def _shows(body: str, person) -> bool:
    return person.identity_number in body or person.family_name in body


def _new_entries(before: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=before))


def _last_id() -> int:
    last = AccessLogEntry.objects.order_by("-id").first()
    return last.pk if last else 0


def test_every_web_page_that_shows_a_person_logs_the_read_and_is_not_cached(client, world):  # noqa: F811
    made, users = world
    b = made["b"]
    client.force_login(users["caseworker_b"])
    showed = []
    for route in _web_routes():
        if route in ("logg-ut/", "sprak/"):
            continue
        url = _fill(route, b)
        before = _last_id()
        response = client.get(url, follow=True)
        assert "no-store" in response.get("Cache-Control", ""), url
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        if _shows(body, b.person):
            entries = _new_entries(before)
            assert entries, f"{url} showed a person and logged nothing"
            assert AccessLogPerson.objects.filter(
                entry__in=entries, person_id=b.person_id
            ).exists(), url
            showed.append(route)
        for entry in _new_entries(before):
            assert b.person.identity_number not in entry.what, url
            assert b.person.family_name not in entry.what, url
    assert "person/<int:person_id>/" in showed
    assert "person/<int:person_id>/ny-deltakelse/" in showed


def test_a_search_is_logged_without_its_terms(client, world):  # noqa: F811
    made, users = world
    b = made["b"]
    client.force_login(users["caseworker_b"])
    for term in (b.person.identity_number, b.person.family_name):
        before = _last_id()
        response = client.get("/deltakere/", {"q": term})
        assert _shows(response.content.decode(), b.person)
        (entry,) = _new_entries(before)
        assert entry.what == "/deltakere/?q"


def test_a_refused_or_invalid_post_that_shows_the_person_again_is_logged(client, world):  # noqa: F811
    made, users = world
    b = made["b"]
    client.force_login(users["caseworker_b"])
    for url, data in (
        (f"/deltakelse/{b.pk}/registrer/avslutning/", {"expected_version": b.version}),
        (f"/person/{b.person_id}/endre/", {"expected_version": b.person.version}),
        (f"/person/{b.person_id}/ny-deltakelse/", {"start_date": "ikke en dato"}),
    ):
        before = _last_id()
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert _shows(response.content.decode(), b.person), url
        assert AccessLogPerson.objects.filter(
            entry__in=_new_entries(before), person_id=b.person_id
        ).exists(), url


def test_api_replies_are_not_cached_and_their_log_holds_no_search_values(client, world):  # noqa: F811
    made, _ = world
    b = made["b"]
    token = create_api_client(kommune_number="4601", name="Bergen", created_by="t").token
    before = _last_id()
    response = client.get("/api/v1/participations?limit=10", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (entry,) = _new_entries(before)
    assert entry.what == "/api/v1/participations?limit"
    assert b.person_id in entry.persons.values_list("person_id", flat=True)
