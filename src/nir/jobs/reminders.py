"""Reminders before the frist and before the registration window closes, and notices.

Each is recorded once (unique keys), so a job that runs again for the same day, or catches
up after a missed day, adds only what is not there yet.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from nir.jobs.models import Notice, NoticeKind, Reminder, ReminderKind
from nir.register.models import LateRegistrationGrant, Participation, TerminationSource
from nir.register.rule_config import rule_config
from nir.rules.registration_window import earliest_open_event, window_closes


def frist_reminders_due(day: dt.date, horizon: int) -> QuerySet[Participation]:
    """Active participations whose frist falls within ``horizon`` days of ``day`` and that
    have not been reminded for that horizon and frist."""
    return Participation.objects.filter(
        end_date__isnull=True, frist__gt=day, frist__lte=day + dt.timedelta(days=horizon)
    ).exclude(
        Exists(
            Reminder.objects.filter(
                participation=OuterRef("pk"),
                kind=ReminderKind.FRIST,
                horizon_days=horizon,
                due_date=OuterRef("frist"),
            )
        )
    )


def due_frist_reminders(day: dt.date, kommune_id: int | None = None) -> list[Reminder]:
    """For each horizon (default 30 and 7 days): active participations whose frist falls
    within it on ``day``, not reminded yet for that horizon and frist. Unsaved rows."""
    rows: list[Reminder] = []
    for horizon in settings.NIR_REMINDER_HORIZONS:
        due = frist_reminders_due(day, horizon)
        if kommune_id is not None:
            due = due.filter(kommune_id=kommune_id)
        rows += [
            Reminder(
                participation_id=pk,
                kommune_id=kommune,
                kind=ReminderKind.FRIST,
                horizon_days=horizon,
                due_date=frist,
                created_on=day,
            )
            for pk, kommune, frist in due.values_list("pk", "kommune_id", "frist").iterator(
                chunk_size=2000
            )
        ]
    return rows


def create_frist_reminders(today: dt.date) -> dict[str, int]:
    rows = due_frist_reminders(today)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return {
        f"frist_{horizon}": sum(1 for r in rows if r.horizon_days == horizon)
        for horizon in settings.NIR_REMINDER_HORIZONS
    }


def _system_ended_with_open_window(
    today: dt.date, within_days: int
) -> list[tuple[int, int, dt.date]]:
    """(participation, kommune, window closes) for system terminations whose window closes
    between today and today + within_days."""
    config = rule_config()
    candidates = Participation.objects.filter(
        termination_source=TerminationSource.SYSTEM,
        end_date__gte=earliest_open_event(today, config),
    ).values_list("pk", "kommune_id", "end_date")
    result = []
    for pk, kommune_id, end_date in candidates.iterator(chunk_size=2000):
        assert end_date is not None  # filtered on end_date >= the earliest open event
        closes = window_closes(end_date, config)
        if today <= closes <= today + dt.timedelta(days=within_days):
            result.append((pk, kommune_id, closes))
    return result


def due_window_reminders(day: dt.date, kommune_id: int | None = None) -> list[Reminder]:
    """System terminations whose registration window closes within the horizon on ``day``,
    not reminded yet. Unsaved rows."""
    horizon = settings.NIR_WINDOW_REMINDER_DAYS
    rows = [
        Reminder(
            participation_id=pk,
            kommune_id=kommune,
            kind=ReminderKind.WINDOW,
            horizon_days=horizon,
            due_date=closes,
            created_on=day,
        )
        for pk, kommune, closes in _system_ended_with_open_window(day, horizon)
        if kommune_id is None or kommune == kommune_id
    ]
    existing = set(
        Reminder.objects.filter(
            kind=ReminderKind.WINDOW,
            horizon_days=horizon,
            participation_id__in=[r.participation_id for r in rows],
        ).values_list("participation_id", "due_date")
    )
    return [r for r in rows if (r.participation_id, r.due_date) not in existing]


def create_window_reminders(today: dt.date) -> dict[str, int]:
    rows = due_window_reminders(today)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return {f"window_{settings.NIR_WINDOW_REMINDER_DAYS}": len(rows)}


def next_reminders(kommune_id: int, today: dt.date) -> list[Reminder]:
    """What tomorrow's reminder run will announce for one municipality, for the worklist.

    Read-only: the rows are not saved."""
    tomorrow = today + dt.timedelta(days=1)
    rows = due_frist_reminders(tomorrow, kommune_id) + due_window_reminders(tomorrow, kommune_id)
    return sorted(rows, key=lambda r: (r.due_date, r.participation_id))


def create_notices(today: dt.date) -> dict[str, int]:
    """Tell the municipality of each automatic termination (with the date its window closes)
    and of each late-registration grant about to expire."""
    window_days = 10_000  # every open window: the notice comes when the sweep ends it
    ended = [
        Notice(
            kommune_id=kommune_id,
            kind=NoticeKind.AUTOMATIC_TERMINATION,
            participation_id=pk,
            due_date=closes,
            created_on=today,
        )
        for pk, kommune_id, closes in _system_ended_with_open_window(today, window_days)
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
            created_on=today,
        )
        for grant in LateRegistrationGrant.objects.filter(
            revoked_on__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=settings.NIR_GRANT_EXPIRY_NOTICE_DAYS),
        ).exclude(
            Exists(Notice.objects.filter(kind=NoticeKind.GRANT_EXPIRING, grant=OuterRef("pk")))
        )
    ]
    with transaction.atomic():
        Notice.objects.bulk_create(ended + expiring, ignore_conflicts=True, batch_size=2000)
    return {"automatic_termination": len(ended), "grant_expiring": len(expiring)}
