"""Sign-in through ID-porten: OpenID Connect, authorization code with PKCE.

ID-porten says who the person is (the `pid` claim, their fødselsnummer) and at what level
(`acr`, which must be idporten-loa-high); the register's own role administration says what
they may do: a user row with that national identity number, its role and municipality.
State and nonce are checked, the ID token's signature (RS256 against the provider's JWKS),
issuer, audience, expiry and acr are verified before anyone is signed in.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache

ACR_HIGH = "idporten-loa-high"
SESSION_KEY = "nir_oidc"


class OidcError(Exception):
    """The sign-in was refused; ``reason`` is shown to the user in Norwegian."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def config() -> dict[str, Any]:
    return settings.NIR_OIDC


def enabled() -> bool:
    return bool(config()["issuer"])


def _get(url: str) -> dict[str, Any]:
    response = httpx.get(url, timeout=10)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def provider() -> Provider:
    issuer = config()["issuer"].rstrip("/")
    key = f"nir-oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        document = _get(f"{issuer}/.well-known/openid-configuration")
        cache.set(key, document, 3600)
    return Provider(
        document["issuer"],
        document["authorization_endpoint"],
        document["token_endpoint"],
        document["jwks_uri"],
    )


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def start(session: dict[str, Any], redirect_uri: str) -> str:
    """Remember state, nonce and the PKCE verifier; return the provider's sign-in URL."""
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
    }
    query = urlencode(
        {
            "response_type": "code",
            "client_id": config()["client_id"],
            "redirect_uri": redirect_uri,
            "scope": "openid profile",
            "state": state,
            "nonce": nonce,
            "code_challenge": _challenge(verifier),
            "code_challenge_method": "S256",
            "acr_values": ACR_HIGH,
            "ui_locales": "nb",
        }
    )
    return f"{provider().authorization_endpoint}?{query}"


def _signing_key(token: str, jwks_uri: str) -> Any:
    kid = jwt.get_unverified_header(token).get("kid")
    for refresh in (False, True):
        cache_key = f"nir-oidc-jwks:{jwks_uri}"
        keys = None if refresh else cache.get(cache_key)
        if keys is None:
            keys = _get(jwks_uri)
            cache.set(cache_key, keys, 3600)
        for key in keys.get("keys", []):
            if key.get("kid") == kid:
                return jwt.PyJWK(key).key
    raise OidcError("Innloggingen kunne ikke bekreftes (ukjent nøkkel).")


def finish(session: dict[str, Any], state: str | None, code: str | None) -> dict[str, Any]:
    """Check state, exchange the code, verify the ID token; return its claims."""
    pending = session.pop(SESSION_KEY, None)
    if not pending or not state or not secrets.compare_digest(pending["state"], state):
        raise OidcError("Innloggingen ble avbrutt eller er utløpt. Prøv igjen.")
    if not code:
        raise OidcError("ID-porten ga ingen innlogging tilbake.")
    endpoints = provider()
    response = httpx.post(
        endpoints.token_endpoint,
        timeout=10,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": pending["redirect_uri"],
            "code_verifier": pending["verifier"],
            "client_id": config()["client_id"],
            "client_secret": config()["client_secret"],
        },
    )
    if response.status_code != 200:
        raise OidcError("ID-porten avviste innloggingen.")
    id_token = response.json().get("id_token", "")
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            _signing_key(id_token, endpoints.jwks_uri),
            algorithms=["RS256"],
            audience=config()["client_id"],
            issuer=endpoints.issuer,
            options={"require": ["exp", "iat", "iss", "aud", "nonce", "acr", "pid"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError:
        raise OidcError("Innloggingen er utløpt. Prøv igjen.") from None
    except jwt.PyJWTError:
        raise OidcError("Innloggingen kunne ikke bekreftes.") from None
    if not secrets.compare_digest(str(claims["nonce"]), pending["nonce"]):
        raise OidcError("Innloggingen kunne ikke bekreftes (nonce).")
    if claims["acr"] != ACR_HIGH:
        raise OidcError("Registeret krever innlogging på høyt sikkerhetsnivå (MinID/BankID).")
    if claims.get("iat", 0) > time.time() + 60:
        raise OidcError("Innloggingen kunne ikke bekreftes (tidspunkt).")
    return claims
