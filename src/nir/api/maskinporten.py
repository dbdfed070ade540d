"""Maskinporten access tokens: self-contained JWTs signed by Digdir.

We check the signature against the configured JWKS (refetched once when a token names a key
we do not hold, which is how a key rotation reaches us), the algorithm (RS256/384/512 only:
never "none", never HMAC with the public key as secret), the issuer exactly, the expiry, the
scope, and that the consumer organisation is mapped to a municipality.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
from django.conf import settings

ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512")
# A token naming an unknown key may make us refetch, but not more often than this, so a
# stream of forged tokens cannot turn the register into a JWKS hammer.
REFETCH_INTERVAL_SECONDS = 10.0
# ISO 6523 ICD of Norwegian organisation numbers, as in consumer.ID "0192:944117784".
ORGANISATION_NUMBER_AUTHORITY = "0192"


class MaskinportenError(Exception):
    """The token is not one we accept; the message says why (it goes to the caller)."""


@dataclass(frozen=True, slots=True)
class MaskinportenSettings:
    jwks: str
    issuer: str
    scope: str
    audience: str | None


def configured() -> MaskinportenSettings | None:
    values: dict[str, Any] = settings.NIR_API
    if not values.get("maskinporten_jwks"):
        return None
    return MaskinportenSettings(
        jwks=values["maskinporten_jwks"],
        issuer=values["maskinporten_issuer"],
        scope=values["maskinporten_scope"],
        audience=values.get("maskinporten_audience"),
    )


class JwksCache:
    """The public keys of one JWKS source, by key id."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -REFETCH_INTERVAL_SECONDS
        self._lock = threading.Lock()

    def _fetch(self) -> None:
        if self.source.startswith(("https://", "http://")):
            response = httpx.get(self.source, timeout=5.0)
            response.raise_for_status()
            data = response.json()
        else:
            data = json.loads(Path(self.source).read_text())
        keys: dict[str, jwt.PyJWK] = {}
        for entry in data.get("keys", []):
            if entry.get("kty") != "RSA" or "kid" not in entry:
                continue
            keys[entry["kid"]] = jwt.PyJWK.from_dict(entry)
        self._keys = keys
        self._fetched_at = time.monotonic()

    def key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            stale = time.monotonic() - self._fetched_at >= REFETCH_INTERVAL_SECONDS
            if kid not in self._keys and stale:
                try:
                    self._fetch()
                except (httpx.HTTPError, OSError, ValueError) as error:
                    raise MaskinportenError("Maskinporten keys unavailable") from error
            found = self._keys.get(kid)
        if found is None:
            raise MaskinportenError("token signed with an unknown key")
        return found


_caches: dict[str, JwksCache] = {}
_caches_lock = threading.Lock()


def _cache(source: str) -> JwksCache:
    with _caches_lock:
        return _caches.setdefault(source, JwksCache(source))


def forget_keys() -> None:
    """Drop every cached key (tests, and after changing the configured source)."""
    with _caches_lock:
        _caches.clear()


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


@dataclass(frozen=True, slots=True)
class MaskinportenIdentity:
    organisation_number: str
    client_id: str
    claims: dict[str, Any]


def validate_token(token: str, config: MaskinportenSettings) -> MaskinportenIdentity:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise MaskinportenError("malformed token") from error
    algorithm = header.get("alg")
    if algorithm not in ALLOWED_ALGORITHMS:
        raise MaskinportenError(f"algorithm {algorithm!r} is not accepted")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise MaskinportenError("token names no key (kid)")
    key = _cache(config.jwks).key(kid)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=[algorithm],
            issuer=config.issuer,
            audience=config.audience,
            options={"require": ["exp", "iss"], "verify_aud": config.audience is not None},
            leeway=10,
        )
    except jwt.ExpiredSignatureError as error:
        raise MaskinportenError("token has expired") from error
    except jwt.InvalidIssuerError as error:
        raise MaskinportenError("token has the wrong issuer") from error
    except jwt.PyJWTError as error:
        raise MaskinportenError(f"token rejected: {error}") from error
    scopes = claims.get("scope")
    if not isinstance(scopes, str) or config.scope not in scopes.split():
        raise MaskinportenError(f"token lacks the scope {config.scope}")
    consumer = claims.get("consumer")
    consumer_id = consumer.get("ID") if isinstance(consumer, dict) else None
    authority, _, number = str(consumer_id or "").partition(":")
    if authority != ORGANISATION_NUMBER_AUTHORITY or not (number.isdigit() and len(number) == 9):
        raise MaskinportenError("token has no consumer organisation number")
    return MaskinportenIdentity(number, str(claims.get("client_id", "")), claims)
