"""What each user wants in the daily digest and in which language, and what the register has
told a municipality."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from nir.jobs.models import EmailLanguage, Notice, ReminderPreference


def reminder_preference(user_id: int) -> ReminderPreference:
    """The user's choice, or everything in bokmål (the default) when they have made none."""
    return ReminderPreference.objects.filter(user_id=user_id).first() or ReminderPreference(
        user_id=user_id
    )


def save_reminder_preference(
    *,
    user_id: int,
    frist_reminders: bool,
    window_reminders: bool,
    notices: bool,
    email_language: str = EmailLanguage.BOKMAAL,
) -> ReminderPreference:
    preference, _ = ReminderPreference.objects.update_or_create(
        user_id=user_id,
        defaults={
            "frist_reminders": frist_reminders,
            "window_reminders": window_reminders,
            "notices": notices,
            "email_language": EmailLanguage(email_language),
        },
    )
    return preference


def recent_notices(kommune_id: int, as_of: dt.date, days: int = 14) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(
            kommune_id=kommune_id, created_on__gte=as_of - dt.timedelta(days=days)
        )
        .select_related("grant")
        .order_by("-created_on", "-id")
    )
