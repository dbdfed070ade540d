"""The access log (innsynslogg): who read whose records, when, what and through which
channel.

Append-only: on PostgreSQL a trigger refuses UPDATE and DELETE, and the role that serves the
register may only read and append (nir.audit.serving_role). Tamper-evident: each entry
carries an HMAC-SHA-256 (keyed with NIR_ACCESS_LOG_KEY, outside the database) over its
content and the previous entry's hash in its chain (a few chains, so concurrent appends need
not queue behind one head), so altering or removing an entry breaks its chain, which `nir
verify-access-log` detects.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AccessLogEntry(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)  # user name or API client
    organisation = models.CharField(max_length=64)  # kommune number, "IMDi" or an org number
    channel = models.CharField(max_length=16)  # web, api, export, cli
    action = models.CharField(max_length=48)  # view_participant, search, list, export, ...
    what = models.CharField(max_length=300)  # the page, endpoint or export, without personal data
    person_count = models.PositiveIntegerField()
    # Which chain the entry links into (AccessLogHead's id); the hash does not cover it, as
    # moving an entry to another chain breaks both chains' links anyway.
    chain = models.PositiveSmallIntegerField(default=1)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.actor} {self.action}"


class AccessLogPerson(models.Model):
    """One person whose record an entry shows: indexed, so a person's log is one query."""

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="persons")
    person_id = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.person_id}"


class AccessLogHead(models.Model):
    """The end of one chain (its id is the chain's number): locking the row while appending
    keeps that chain linear, while appends to other chains go on at the same time."""

    last_hash = models.CharField(max_length=64)
    entries = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.entries} entries"


class UnusualAccess(models.Model):
    """A day's finding of the daily review of reading, for IMDi to follow up."""

    day = models.DateField(db_index=True)
    actor = models.CharField(max_length=150)
    organisation = models.CharField(max_length=64)
    kind = models.CharField(max_length=48)
    persons = models.PositiveIntegerField()
    detail = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "actor", "kind"], name="unusual_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.actor} {self.kind}"
