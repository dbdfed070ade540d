"""API clients: creating and revoking a case system's credentials, and recognising them.

A token is 256 bits from the operating system's random source, shown once and stored as
its sha256: a leaked database gives no usable token, and a high-entropy token needs no slow
password hash.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from nir.api.models import ApiClient, MaskinportenConsumer
from nir.register.models import Kommune
from nir.rules.schemes import Scheme

TOKEN_PREFIX = "nir_"  # noqa: S105 - a marker that tells tokens from JWTs, not a secret


@dataclass(frozen=True, slots=True)
class IssuedClient:
    client: ApiClient
    token: str  # shown once; never stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_kommune(number: str) -> Kommune:
    kommune = Kommune.objects.filter(number=number, valid_to__isnull=True).first()
    if kommune is None:
        raise ValueError(f"no current municipality with number {number!r}")
    return kommune


def _scheme_values(schemes: Iterable[Scheme]) -> list[str]:
    values = sorted({Scheme(s).value for s in schemes})
    if not values:
        raise ValueError("a client writes at least one scheme")
    return values


def create_api_client(
    *,
    kommune_number: str,
    name: str,
    created_by: str,
    schemes: Iterable[Scheme] = (Scheme.INTRODUKSJONSPROGRAM,),
) -> IssuedClient:
    if not name.strip():
        raise ValueError("an API client needs a name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name.strip(),
            kommune=current_kommune(kommune_number),
            token_hash=token_hash(token),
            token_prefix=token[:10],
            created_by=created_by,
            schemes=_scheme_values(schemes),
        )
    return IssuedClient(client, token)


def revoke_api_client(client_id: int) -> bool:
    return bool(
        ApiClient.objects.filter(pk=client_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def client_for_token(token: str) -> ApiClient | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    return (
        ApiClient.objects.select_related("kommune")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )


def map_organisation(
    *,
    organisation_number: str,
    kommune_number: str,
    name: str = "",
    schemes: Iterable[Scheme] = (Scheme.INTRODUKSJONSPROGRAM,),
) -> None:
    """Let a Maskinporten consumer with this organisation number act for the municipality."""
    if not (organisation_number.isdigit() and len(organisation_number) == 9):
        raise ValueError("an organisation number has nine digits")
    MaskinportenConsumer.objects.update_or_create(
        organisation_number=organisation_number,
        defaults={
            "kommune": current_kommune(kommune_number),
            "name": name,
            "schemes": _scheme_values(schemes),
        },
    )


def consumer_for_organisation(organisation_number: str) -> MaskinportenConsumer | None:
    return (
        MaskinportenConsumer.objects.select_related("kommune")
        .filter(organisation_number=organisation_number)
        .first()
    )
