"""Sign-in through ID-porten, end to end against a local provider: the right user gets in;
a wrong acr, a wrong nonce, an expired token, a replayed code or a forged state do not."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache

from nir.accounts.models import Role, User
from tests.accounts.oidc_stub import OidcStub

KARI_PID = "05038012345"


@pytest.fixture
def stub(settings):
    with OidcStub(client_id="nir-test") as provider:
        settings.NIR_OIDC = {
            "issuer": provider.issuer,
            "client_id": "nir-test",
            "client_secret": "hemmelig",
        }
        cache.clear()
        yield provider
    cache.clear()


@pytest.fixture
def kari(db, kommune_a):
    return User.objects.create_user(
        "kari",
        roles=[Role.KOMMUNEINTROBRUKER],
        kommune=kommune_a,
        national_identity_number=KARI_PID,
    )


def _start(client):
    response = client.get("/innlogging/idporten/")
    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["acr_values"] == "idporten-loa-high"
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["state"] and query["nonce"]
    return query


def _signed_in(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_the_registered_user_signs_in(client, stub, kari):
    query = _start(client)
    code = stub.authorize(query, pid=KARI_PID)
    response = client.get("/innlogging/idporten/callback/", {"state": query["state"], "code": code})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client) == str(kari.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"acr": "idporten-loa-substantial"}, "høyt sikkerhetsnivå"),
        ({"nonce": "someone-elses-nonce"}, "nonce"),
        ({"expires_in": -120}, "utløpt"),
    ],
)
def test_a_token_that_fails_a_check_signs_no_one_in(client, stub, kari, claims, message):
    query = _start(client)
    code = stub.authorize(query, pid=KARI_PID, **claims)
    response = client.get("/innlogging/idporten/callback/", {"state": query["state"], "code": code})
    assert response.status_code == 403
    assert message in response.content.decode()
    assert _signed_in(client) is None


@pytest.mark.django_db
def test_a_forged_state_or_a_replayed_code_is_refused(client, stub, kari):
    query = _start(client)
    code = stub.authorize(query, pid=KARI_PID)
    forged = client.get("/innlogging/idporten/callback/", {"state": "forged", "code": code})
    assert forged.status_code == 403 and _signed_in(client) is None
    # The state was spent by the failed attempt: the same code cannot be used again.
    replay = client.get("/innlogging/idporten/callback/", {"state": query["state"], "code": code})
    assert replay.status_code == 403 and _signed_in(client) is None


@pytest.mark.django_db
def test_a_person_without_a_role_in_the_register_gets_no_access(client, stub, kari):
    query = _start(client)
    code = stub.authorize(query, pid="01019912345")
    response = client.get("/innlogging/idporten/callback/", {"state": query["state"], "code": code})
    assert response.status_code == 403
    assert "ingen tilgang i registeret" in response.content.decode()
    assert _signed_in(client) is None
