"""The scheduler's record of runs, and what the register told whom: reminders and notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nir.register.models import Kommune, LateRegistrationGrant, Participation
from nir.register.norsk_models import NorskParticipation


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Kjører")
    SUCCEEDED = "succeeded", _("Fullført")
    FAILED = "failed", _("Feilet")


class JobRun(models.Model):
    """One run of one job for one due period; the unique key makes a period run only once."""

    job = models.CharField(max_length=64)
    period = models.CharField(max_length=16)  # "2026-11-29" (daily) or "2026-11" (monthly)
    status = models.CharField(max_length=16, choices=RunStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=1)
    worker = models.CharField(max_length=128)
    started_at = models.DateTimeField()
    lease_until = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="jobrun_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class ReminderKind(models.TextChoices):
    FRIST = "frist", "Fristen for gjennomføring nærmer seg"
    WINDOW = "window", "Fristen for å registrere avslutningsårsak nærmer seg"
    # Training in Norwegian and social studies (rules-norsk.md N3): its ordning's frist.
    NORSK_FRIST = "norsk_frist", "Fristen for opplæring i norsk og samfunnskunnskap nærmer seg"


class Reminder(models.Model):
    """A reminder that became due for a programme participation or a Norwegian-training
    ordning (one of the two), once per kind, horizon and due date.

    The due date is part of the key: when an extension or leave moves the frist, the new
    frist gets its own reminders.
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    horizon_days = models.PositiveSmallIntegerField()
    due_date = models.DateField()  # the frist, or the day the registration window closes
    created_on = models.DateField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "kind", "horizon_days", "due_date"], name="reminder_once"
            ),
            models.UniqueConstraint(
                fields=["norsk_participation", "kind", "horizon_days", "due_date"],
                condition=Q(norsk_participation__isnull=False),
                name="norsk_reminder_once",
            ),
            models.CheckConstraint(
                condition=(Q(participation__isnull=False) & Q(norsk_participation__isnull=True))
                | (Q(participation__isnull=True) & Q(norsk_participation__isnull=False)),
                name="reminder_of_one_scheme",
            ),
        ]

    def __str__(self) -> str:
        about = self.participation_id or f"norsk {self.norsk_participation_id}"
        return f"{self.kind}-{self.horizon_days} {about} {self.due_date}"


class NoticeKind(models.TextChoices):
    AUTOMATIC_TERMINATION = "automatic_termination", "Avsluttet av registeret"
    GRANT_EXPIRING = "grant_expiring", "Etterregistreringstilgang utløper snart"


class Notice(models.Model):
    """Something the register tells a municipality once: an automatic termination, a grant
    about to expire."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    grant = models.ForeignKey(
        LateRegistrationGrant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)  # window closes / grant expires
    created_on = models.DateField(db_index=True)

    class Meta:
        constraints = [
            # Keyed by due date too: a participation ended again later gets a new notice.
            models.UniqueConstraint(
                fields=["kind", "participation", "due_date"],
                condition=Q(participation__isnull=False),
                name="notice_once_per_participation",
            ),
            models.UniqueConstraint(
                fields=["kind", "grant"],
                condition=Q(grant__isnull=False),
                name="notice_once_per_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.kommune_id} {self.created_on}"


class EmailLanguage(models.TextChoices):
    """The languages a digest is written in, each named in its own language."""

    BOKMAAL = "nb", "Norsk bokmål"
    ENGLISH = "en", "English"


class ReminderPreference(models.Model):
    """What a user wants in the daily digest, and in which language. No row means
    everything, in bokmål."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    frist_reminders = models.BooleanField(default=True)
    window_reminders = models.BooleanField(default=True)
    notices = models.BooleanField(default=True)
    email_language = models.CharField(
        max_length=8, choices=EmailLanguage.choices, default=EmailLanguage.BOKMAAL
    )

    def __str__(self) -> str:
        return f"Varslingsvalg for {self.user_id}"


class DigestStatus(models.TextChoices):
    PENDING = "pending", "Venter"
    SENDING = "sending", "Sendes"
    SENT = "sent", "Sendt"
    FAILED = "failed", _("Feilet")


class Digest(models.Model):
    """At most one e-mail a day per user: the key (user, day) makes a second one impossible."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    status = models.CharField(max_length=16, choices=DigestStatus.choices)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField()
    items = models.PositiveIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"Sammendrag {self.user_id} {self.day}"
