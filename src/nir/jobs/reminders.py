"""Reminders before the frist (the programme's, and a Norwegian-training ordning's) and
before the registration window closes, and notices.

Who is due is read in ``nir.jobs.selectors``, as the worklist reads it. Each is recorded
once (unique keys), so a job that runs again for the same day, or catches
up after a missed day, adds only what is not there yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from nir.jobs.models import Notice, NoticeKind, Reminder, ReminderKind
from nir.jobs.selectors import (
    CLOSES,
    ended_by_register_with_open_window,
    frist_reminders_due,
    norsk_frist_reminders_due,
    window_reminders_due,
)
from nir.register.models import LateRegistrationGrant


def _frist_reminders(
    due: Callable[[int], QuerySet[Any]], kind: ReminderKind, as_of: dt.date
) -> list[Reminder]:
    """For each horizon (default 30 and 7 days): the rows ``due`` gives for it, as unsaved
    reminders of ``kind`` (a programme participation's, or a Norwegian-training ordning's)."""
    owner = "norsk_participation_id" if kind is ReminderKind.NORSK_FRIST else "participation_id"
    rows: list[Reminder] = []
    for horizon in settings.NIR_REMINDER_HORIZONS:
        rows += [
            Reminder(
                **{owner: pk},
                kommune_id=kommune,
                kind=kind,
                horizon_days=horizon,
                due_date=frist,
                created_on=as_of,
            )
            for pk, kommune, frist in due(horizon)
            .values_list("pk", "kommune_id", "frist")
            .iterator(chunk_size=2000)
        ]
    return rows


def due_frist_reminders(as_of: dt.date, kommune_id: int | None = None) -> list[Reminder]:
    """Active participations whose frist falls within a horizon on ``as_of``, not reminded
    yet for that horizon and frist. Unsaved rows."""
    return _frist_reminders(
        lambda horizon: frist_reminders_due(kommune_id, as_of, horizon), ReminderKind.FRIST, as_of
    )


def due_norsk_frist_reminders(as_of: dt.date, kommune_id: int | None = None) -> list[Reminder]:
    """Open Norwegian-training ordninger whose frist (rules-norsk.md N3) falls within a
    horizon on ``as_of``, as the programme's: for the kommunenorskbruker. Unsaved rows."""
    return _frist_reminders(
        lambda horizon: norsk_frist_reminders_due(kommune_id, as_of, horizon),
        ReminderKind.NORSK_FRIST,
        as_of,
    )


def create_frist_reminders(as_of: dt.date) -> dict[str, int]:
    """Both schemes' frist reminders of the day, each counted by its kind and horizon."""
    rows = due_frist_reminders(as_of) + due_norsk_frist_reminders(as_of)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return {
        f"{kind}_{horizon}": sum(1 for r in rows if r.kind == kind and r.horizon_days == horizon)
        for kind in (ReminderKind.FRIST, ReminderKind.NORSK_FRIST)
        for horizon in settings.NIR_REMINDER_HORIZONS
    }


def due_window_reminders(as_of: dt.date, kommune_id: int | None = None) -> list[Reminder]:
    """System terminations whose registration window closes within the horizon on ``as_of``,
    not reminded yet. Unsaved rows."""
    horizon = settings.NIR_WINDOW_REMINDER_DAYS
    due = window_reminders_due(kommune_id, as_of, horizon)
    return [
        Reminder(
            participation_id=pk,
            kommune_id=kommune,
            kind=ReminderKind.WINDOW,
            horizon_days=horizon,
            due_date=closes,
            created_on=as_of,
        )
        for pk, kommune, closes in due.values_list("pk", "kommune_id", CLOSES).iterator(
            chunk_size=2000
        )
    ]


def create_window_reminders(as_of: dt.date) -> dict[str, int]:
    rows = due_window_reminders(as_of)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return {f"window_{settings.NIR_WINDOW_REMINDER_DAYS}": len(rows)}


def create_notices(as_of: dt.date) -> dict[str, int]:
    """Tell the municipality of each automatic termination (with the date its window closes)
    and of each late-registration grant about to expire."""
    # Every open window: the notice comes when the sweep ends the participation.
    ended = [
        Notice(
            kommune_id=kommune_id,
            kind=NoticeKind.AUTOMATIC_TERMINATION,
            participation_id=pk,
            due_date=closes,
            created_on=as_of,
        )
        for pk, kommune_id, closes in ended_by_register_with_open_window(as_of)
    ]
    known = set(
        Notice.objects.filter(
            kind=NoticeKind.AUTOMATIC_TERMINATION,
            participation_id__in=[n.participation_id for n in ended],
        ).values_list("participation_id", "due_date")
    )
    ended = [n for n in ended if (n.participation_id, n.due_date) not in known]
    expiring = [
        Notice(
            kommune_id=grant.kommune_id,
            kind=NoticeKind.GRANT_EXPIRING,
            grant=grant,
            due_date=grant.expires_on,
            created_on=as_of,
        )
        for grant in LateRegistrationGrant.objects.filter(
            revoked_on__isnull=True,
            expires_on__gte=as_of,
            expires_on__lte=as_of + dt.timedelta(days=settings.NIR_GRANT_EXPIRY_NOTICE_DAYS),
        ).exclude(
            Exists(Notice.objects.filter(kind=NoticeKind.GRANT_EXPIRING, grant=OuterRef("pk")))
        )
    ]
    with transaction.atomic():
        Notice.objects.bulk_create(ended + expiring, ignore_conflicts=True, batch_size=2000)
    return {"automatic_termination": len(ended), "grant_expiring": len(expiring)}
