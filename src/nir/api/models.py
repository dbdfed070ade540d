"""Who may call the machine API, and the replies it must be able to repeat.

No business logic here: clients are created through ``nir.api.clients`` and idempotency
records are written by ``nir.api.idempotency``.
"""

from __future__ import annotations

from django.db import models

from nir.register.models import Kommune
from nir.rules.schemes import Scheme


def programme_only() -> list[str]:
    """What every client wrote before the register held a second scheme."""
    return [Scheme.INTRODUKSJONSPROGRAM.value]


class ApiClient(models.Model):
    """A municipality's case system (fagsystem), with a bearer token stored only as a hash."""

    name = models.CharField(max_length=150)
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="+")
    # sha256 of the token; the token itself is shown once, when the client is created.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, so an administrator can tell tokens apart.
    token_prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The schemes (nir.rules.schemes.Scheme values) the case system may write.
    schemes = models.JSONField(default=programme_only)

    class Meta:
        verbose_name = "API-klient"
        verbose_name_plural = "API-klienter"

    def __str__(self) -> str:
        return f"{self.name} ({self.kommune.number})"


class MaskinportenConsumer(models.Model):
    """Maps an organisation number in a Maskinporten token to the municipality it acts for."""

    organisation_number = models.CharField(max_length=9, unique=True)
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150, blank=True, default="")
    # The schemes (nir.rules.schemes.Scheme values) the consumer may write.
    schemes = models.JSONField(default=programme_only)

    class Meta:
        verbose_name = "Maskinporten-konsument"
        verbose_name_plural = "Maskinporten-konsumenter"

    def __str__(self) -> str:
        return f"{self.organisation_number} → {self.kommune.number}"


class IdempotencyRecord(models.Model):
    """The first reply to a write sent with an ``Idempotency-Key``, to repeat on a retry."""

    # Who sent it: "client:<id>" or "maskinporten:<organisation number>".
    principal = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.TextField()
    etag = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="idempotency_key_per_caller")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"
