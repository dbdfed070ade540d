"""A case system acts for its own municipality only: through no endpoint can Kommune B's
client read or change Kommune A's participants, over Django's test client and over HTTP."""

import datetime as dt
import json

import httpx
import pytest

from nir.register.models import Participation, Person
from nir.register.services.participations import NewParticipation
from tests.api.helpers import ApiCaller, make_record


@pytest.fixture
def a_participant(fagsystem_a):
    record = make_record("A/2025/1")
    result = fagsystem_a.batch([record]).json()["results"][0]
    assert result["outcome"] == "created"
    return record, result


@pytest.mark.usefixtures("a_participant")
def test_b_cannot_read_a_participant_of_a(fagsystem_b):
    assert fagsystem_b.get("/api/v1/participations/A/2025/1").status_code == 404
    for path in (
        "/api/v1/participations",
        "/api/v1/reconciliation",
        "/api/v1/deadlines?within_days=366",
    ):
        items = fagsystem_b.get(path).json()["items"]
        assert items == [], path
    feed = fagsystem_b.get("/api/v1/changes").json()["items"]
    assert feed == []


def test_b_cannot_change_a_participant_of_a(fagsystem_b, a_participant):
    record, result = a_participant
    etag = f'"{result["version"]}"'
    hostile = {**record, "person": {**record["person"], "family_name": "Endret"}}

    put = fagsystem_b.put("/api/v1/participations/A/2025/1", hostile, **{"If-Match": etag})
    batch = fagsystem_b.batch([hostile]).json()["results"][0]

    assert put.status_code == 412  # nothing of B's to match: A's participant is invisible
    assert batch["outcome"] == "rejected"
    assert batch["errors"][0]["code"] == "participation.already_active"
    assert Person.objects.get().family_name == "Testesen"
    participation = Participation.objects.get()
    assert participation.version == result["version"]
    assert Participation.objects.filter(kommune__number="4601").count() == 0


def test_the_same_case_id_in_two_municipalities_is_two_participants(fagsystem_a, fagsystem_b):
    fagsystem_a.batch([make_record("SAK-1")])
    fagsystem_b.batch([make_record("SAK-1")])

    a = fagsystem_a.participant("SAK-1").json()
    b = fagsystem_b.participant("SAK-1").json()

    assert (a["kommune"], b["kommune"]) == ("0301", "4601")
    assert a["id"] != b["id"]


def test_no_token_or_a_wrong_one_gets_401(db):
    for caller in (ApiCaller("nir_wrong"), ApiCaller("")):
        response = caller.get("/api/v1/me")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(fagsystem_a):
    from nir.api.clients import revoke_api_client
    from nir.api.models import ApiClient

    revoke_api_client(ApiClient.objects.get().pk)

    assert fagsystem_a.get("/api/v1/me").status_code == 401


# --- the same over real HTTP ----------------------------------------------------------------


def _http(live_server, caller):
    client = httpx.Client(
        base_url=live_server.url, headers={"Authorization": f"Bearer {caller.token}"}
    )
    _OPEN.append(client)
    return client


_OPEN: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_http_clients():
    yield
    # Closed before the live server stops, so no request thread outlives the test.
    while _OPEN:
        _OPEN.pop().close()


@pytest.mark.django_db(transaction=True)
def test_over_http_b_sees_and_changes_nothing_of_a(live_server, fagsystem_a, fagsystem_b):
    a = _http(live_server, fagsystem_a)
    b = _http(live_server, fagsystem_b)
    record = make_record("HTTP-1")
    created = a.post("/api/v1/batch/participations", json={"records": [record]})
    assert created.json()["results"][0]["outcome"] == "created"

    assert b.get("/api/v1/participations/HTTP-1").status_code == 404
    for path in ("/api/v1/participations", "/api/v1/reconciliation", "/api/v1/changes"):
        assert b.get(path).json()["items"] == [], path
    hostile = {**record, "person": {**record["person"], "given_name": "X"}}
    refused = b.post("/api/v1/batch/participations", json={"records": [hostile]})
    assert refused.json()["results"][0]["outcome"] == "rejected"
    assert (
        a.get("/api/v1/participations/HTTP-1").json()["record"]["person"]["given_name"] == "Amina"
    )


@pytest.mark.django_db(transaction=True)
def test_over_http_a_retry_after_a_dropped_reply_leaves_one_copy(live_server, fagsystem_a):
    http = _http(live_server, fagsystem_a)
    records = [make_record(f"DROP-{n}") for n in range(3)]
    headers = {"Idempotency-Key": "batch-2025-11-29-1"}
    # The reply is read by nobody: the connection "dropped" after the request was sent.
    with http.stream(
        "POST", "/api/v1/batch/participations", json={"records": records}, headers=headers
    ):
        pass

    retry = http.post("/api/v1/batch/participations", json={"records": records}, headers=headers)
    resend = http.post("/api/v1/batch/participations", json={"records": records})

    assert retry.headers["Idempotent-Replayed"] == "true"
    assert [r["outcome"] for r in retry.json()["results"]] == ["created"] * 3
    assert [r["outcome"] for r in resend.json()["results"]] == ["unchanged"] * 3
    assert Participation.objects.count() == 3 and Person.objects.count() == 3


def test_the_registering_municipality_loses_the_persons_feed_once_another_has_them(
    fagsystem_a, make_person, caseworker_b, kommune_b
):
    from nir.register.services.participations import create_participation
    from tests.api.helpers import today
    from tests.conftest import at

    # Oslo registered the person; Bergen gave them a participation.
    person = make_person(registered_on=today(), permit_date=today() - dt.timedelta(days=30))
    create_participation(
        actor=caseworker_b,
        person_id=person.pk,
        new=NewParticipation(start_date=today(), sluttmaal="arbeid"),
        kommune_id=kommune_b.pk,
        at=at(today()),
    )

    feed = fagsystem_a.get("/api/v1/changes").json()["items"]

    assert person.identity_number not in json.dumps(feed)
