"""Maskinporten access tokens: a municipality's case system may authenticate with Digdir's
JWT instead of a register token. Keys are generated here and the JWKS is served from a
local file or a local HTTP server on 127.0.0.1: no network."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.test import Client, override_settings
from jwt.algorithms import RSAAlgorithm

from nir.api import maskinporten
from nir.api.clients import map_organisation

ISSUER = "https://test.maskinporten.no/"
SCOPE = "imdi:nir.fagsystem"
ORG = "944117784"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY_1 = _key()
KEY_2 = _key()


def _jwks(*pairs):
    keys = []
    for kid, key in pairs:
        jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
    return {"keys": keys}


def _token(key=KEY_1, kid="k1", alg="RS256", **overrides):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "scope": f"other:scope {SCOPE}",
        "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{ORG}"},
        "client_id": "vendor-client",
        "iat": now,
        "exp": now + 120,
        **overrides,
    }
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def _call(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me")


@pytest.fixture
def jwks_file(tmp_path, kommune_a):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(_jwks(("k1", KEY_1))))
    map_organisation(organisation_number=ORG, kommune_number="0301", name="Oslo kommune")
    maskinporten.forget_keys()
    config = {
        **settings.NIR_API,
        "maskinporten_jwks": str(path),
        "maskinporten_issuer": ISSUER,
        "maskinporten_scope": SCOPE,
    }
    with override_settings(NIR_API=config):
        yield path
    maskinporten.forget_keys()


def test_a_valid_token_acts_for_the_mapped_municipality(jwks_file):
    response = _call(_token())

    assert response.status_code == 200
    assert response.json() == {
        "name": f"maskinporten:{ORG}",
        "method": "maskinporten",
        "kommune": "0301",
        "kommune_name": response.json()["kommune_name"],
        "schemes": ["introduksjonsprogram"],
    }


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iss": "https://maskinporten.no/"}, "wrong issuer"),
        ({"iss": ISSUER + "x"}, "wrong issuer"),
        ({"exp": int(time.time()) - 60}, "expired"),
        ({"exp": None}, "no expiry"),
        ({"scope": "other:scope"}, "missing scope"),
        ({"consumer": {"ID": "0192:123"}}, "bad organisation number"),
        ({"consumer": {"ID": "0192:999999999"}}, "organisation not mapped"),
    ],
)
def test_tokens_that_break_a_rule_are_refused(jwks_file, overrides, reason):
    response = _call(_token(**overrides))

    assert response.status_code == 401, reason
    assert response["Content-Type"] == "application/problem+json"


def _forged(alg, secret):
    """A token signed with HMAC over the public key, as an algorithm-confusion attack does."""

    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": alg, "kid": "k1", "typ": "JWT"}).encode())
    claims = {
        "iss": ISSUER,
        "scope": SCOPE,
        "exp": int(time.time()) + 60,
        "consumer": {"ID": f"0192:{ORG}"},
    }
    payload = b64(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = b64(hmac.new(secret, signing_input, hashlib.sha256).digest()) if secret else ""
    return f"{header}.{payload}.{signature}"


def test_only_rsa_signatures_are_accepted(jwks_file):
    public_pem = KEY_1.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    assert _call(_forged("HS256", public_pem)).status_code == 401
    assert _call(_forged("none", b"")).status_code == 401
    assert _call(_token(alg="RS512")).status_code == 200
    assert _call(_token(alg="RS384")).status_code == 200


def test_a_token_signed_by_another_key_is_refused(jwks_file):
    assert _call(_token(key=KEY_2, kid="k1")).status_code == 401


def test_an_unknown_key_id_makes_the_register_refetch_the_keys_once(jwks_file, monkeypatch):
    assert _call(_token()).status_code == 200  # keys fetched and cached
    jwks_file.write_text(json.dumps(_jwks(("k1", KEY_1), ("k2", KEY_2))))  # Digdir rotates
    monkeypatch.setattr(maskinporten, "REFETCH_INTERVAL_SECONDS", 0.0)

    assert _call(_token(key=KEY_2, kid="k2")).status_code == 200
    assert _call(_token(key=KEY_2, kid="k3")).status_code == 401


def test_refetching_is_rate_limited(jwks_file):
    assert _call(_token()).status_code == 200
    jwks_file.write_text(json.dumps(_jwks(("k1", KEY_1), ("k2", KEY_2))))

    # Within the interval an unknown kid does not reach for the JWKS again.
    assert _call(_token(key=KEY_2, kid="k2")).status_code == 401


def test_maskinporten_is_off_when_no_jwks_is_configured(kommune_a):
    with override_settings(NIR_API={**settings.NIR_API, "maskinporten_jwks": None}):
        assert _call(_token()).status_code == 401


class _JwksHandler(BaseHTTPRequestHandler):
    body = b""
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def test_the_jwks_can_come_from_an_http_url(kommune_a):
    _JwksHandler.body = json.dumps(_jwks(("k1", KEY_1))).encode()
    _JwksHandler.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    map_organisation(organisation_number=ORG, kommune_number="0301")
    maskinporten.forget_keys()
    config = {
        **settings.NIR_API,
        "maskinporten_jwks": f"http://127.0.0.1:{server.server_port}/jwks",
        "maskinporten_issuer": ISSUER,
        "maskinporten_scope": SCOPE,
    }
    try:
        with override_settings(NIR_API=config):
            assert _call(_token()).status_code == 200
            assert _call(_token()).status_code == 200
    finally:
        server.shutdown()
        server.server_close()
        maskinporten.forget_keys()
    assert _JwksHandler.hits == 1  # cached after the first fetch
