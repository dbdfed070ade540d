"""Support requests from municipalities to IMDi, with their thread of messages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nir.register.models import Kommune, LateRegistrationGrant, Participation


class RequestKind(models.TextChoices):
    QUESTION = "question", _("Spørsmål")
    LATE_REGISTRATION = "late_registration", _("Etterregistrering")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    ANSWERED = "answered", _("Besvart")
    GRANTED = "granted", _("Innvilget")
    REFUSED = "refused", _("Avslått")
    CLOSED = "closed", _("Lukket")


class SupportRequest(models.Model):
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=RequestKind.choices)
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=RequestStatus.choices)
    # For late registration: the event dates the municipality needs to register.
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    # Participants are pointed to by the register's own reference, never by personal data.
    participations = models.ManyToManyField(Participation, blank=True, related_name="+")
    grant = models.ForeignKey(
        LateRegistrationGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class SupportMessage(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=150)
    from_imdi = models.BooleanField()
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Melding {self.pk} i sak {self.request_id}"
