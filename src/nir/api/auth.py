"""Who is calling: an API client's bearer token, or a Maskinporten access token."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from nir.api import clients, maskinporten
from nir.api.problems import Forbidden, error_item
from nir.register.services.context import Actor, Channel, SchemeNotHeld
from nir.rules.schemes import Scheme


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller, always acting for exactly one municipality."""

    name: str
    kommune_id: int
    kommune_number: str
    kommune_name: str
    method: str  # "token" or "maskinporten"
    # Scopes idempotency keys: one caller's keys never collide with another's.
    key: str
    schemes: frozenset[Scheme]

    @property
    def actor(self) -> Actor:
        return Actor(self.name, Channel.API, self.kommune_id, self.schemes)


class Unauthenticated(AuthenticationError):
    """401 with a reason the caller can act on (never which part of a token was right)."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        if maskinporten.looks_like_jwt(token):
            return _maskinporten_principal(token)
        client = clients.client_for_token(token)
        if client is None:
            raise Unauthenticated("Unknown or revoked API token.")
        return Principal(
            name=f"api:{client.name}",
            kommune_id=client.kommune_id,
            kommune_number=client.kommune.number,
            kommune_name=client.kommune.display_name,
            method="token",
            key=f"client:{client.pk}",
            schemes=frozenset(Scheme(value) for value in client.schemes),
        )


def _maskinporten_principal(token: str) -> Principal:
    config = maskinporten.configured()
    if config is None:
        raise Unauthenticated("Maskinporten tokens are not accepted by this register.")
    try:
        identity = maskinporten.validate_token(token, config)
    except maskinporten.MaskinportenError as error:
        raise Unauthenticated(f"Maskinporten token rejected: {error}.") from None
    consumer = clients.consumer_for_organisation(identity.organisation_number)
    if consumer is None:
        raise Unauthenticated(
            f"Organisation {identity.organisation_number} is not registered for any municipality."
        )
    return Principal(
        name=f"maskinporten:{identity.organisation_number}",
        kommune_id=consumer.kommune_id,
        kommune_number=consumer.kommune.number,
        kommune_name=consumer.kommune.display_name,
        method="maskinporten",
        key=f"maskinporten:{identity.organisation_number}",
        schemes=frozenset(Scheme(value) for value in consumer.schemes),
    )


def principal(request: HttpRequest) -> Principal:
    found = getattr(request, "auth", None)
    if not isinstance(found, Principal):
        raise Unauthenticated("Not authenticated.")
    return found


def scheme_principal(request: HttpRequest, scheme: Scheme) -> Principal:
    """The caller of a scheme's operation, which must hold the scheme (rules-norsk.md N7-a:
    the same roles on the machine interface as on the web); else 403 naming the scheme."""
    caller = principal(request)
    if scheme not in caller.schemes:
        raise Forbidden(
            f"This client does not write the scheme «{scheme.value}»; a client is given "
            "its schemes when it is created (nir api-client create --scheme).",
            errors=[error_item("scheme", SchemeNotHeld(scheme))],
        )
    return caller
