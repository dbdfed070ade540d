"""Tomorrow's reminders as the reminder job will create them: the worklist's preview of the
daily e-mail (reads only; the job's own selectors, so the line says what the e-mail will)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet

from nir.jobs.models import Reminder, ReminderKind
from nir.jobs.selectors import (
    CLOSES,
    frist_reminders_due,
    norsk_frist_reminders_due,
    reminder_line,
    window_reminders_due,
)
from nir.rules.schemes import Scheme
from nir.web.counts import cache_key, cached, last_norsk_change


@dataclass(frozen=True, slots=True)
class UpcomingReminder:
    participation_id: int  # the programme participation's, or the Norwegian ordning's
    kind: str
    due_date: dt.date
    person_id: int

    @property
    def norsk(self) -> bool:
        return self.kind == ReminderKind.NORSK_FRIST

    @property
    def text(self) -> str:
        return reminder_line(self.kind, self.due_date)


def _reminders_due(
    kommune_id: int, as_of: dt.date, schemes: frozenset[Scheme]
) -> list[tuple[str, QuerySet[Any], str]]:
    """What the reminder job will create tomorrow for a user of ``schemes``, as querysets
    (kind, rows, the column or annotation that is the reminder's due date): the job's own
    selectors, so the line says what the e-mail will."""
    tomorrow = as_of + dt.timedelta(days=1)
    horizons = settings.NIR_REMINDER_HORIZONS
    result: list[tuple[str, QuerySet[Any], str]] = []
    if Scheme.INTRODUKSJONSPROGRAM in schemes:
        result += [
            (ReminderKind.FRIST, frist_reminders_due(kommune_id, tomorrow, h), "frist")
            for h in horizons
        ]
        due = window_reminders_due(kommune_id, tomorrow, settings.NIR_WINDOW_REMINDER_DAYS)
        result.append((ReminderKind.WINDOW, due, CLOSES))
    if Scheme.NORSK in schemes:
        result += [
            (ReminderKind.NORSK_FRIST, norsk_frist_reminders_due(kommune_id, tomorrow, h), "frist")
            for h in horizons
        ]
    return result


def reminders_key(
    kommune_id: int,
    as_of: dt.date,
    shown: int,
    schemes: frozenset[Scheme],
    changed: str | None = None,
) -> str:
    """The cache key of ``upcoming_reminders`` (and of their rendered list): they change only
    with the municipality's participations (``changed``: their ``last_change``, where the
    caller has read it) and, for the Norwegian scheme, its ordninger, or the reminders sent."""
    norsk = last_norsk_change(kommune_id) if Scheme.NORSK in schemes else "-"
    sent = Reminder.objects.aggregate(last=Max("pk"))["last"] or 0
    extra = f"{shown}:{','.join(sorted(schemes))}:{norsk}:{sent}"
    return cache_key("reminders", kommune_id, as_of, extra, changed)


def upcoming_reminders(
    kommune_id: int,
    as_of: dt.date,
    shown: int,
    schemes: frozenset[Scheme],
    key: str | None = None,
) -> tuple[list[UpcomingReminder], int]:
    """The first ``shown`` of tomorrow's reminders for the municipality's users of
    ``schemes``, and how many there are: a count and a short read per kind, not every
    reminder built in Python. ``key``: ``reminders_key``, where the caller has it."""

    def compute() -> tuple[list[UpcomingReminder], int]:
        # The job's querysets, built only when the cache has no answer (building them is
        # most of what this costs).
        parts = _reminders_due(kommune_id, as_of, schemes)
        first: list[UpcomingReminder] = []
        for kind, rows, due in parts:
            first += [
                UpcomingReminder(pk, kind, day, person)
                for pk, day, person in rows.order_by(due, "pk").values_list("pk", due, "person_id")[
                    :shown
                ]
            ]
        first.sort(key=lambda r: (r.due_date, r.norsk, r.participation_id))
        return first[:shown], sum(rows.count() for _, rows, _ in parts)

    return cached(key or reminders_key(kommune_id, as_of, shown, schemes), compute)
