"""What tomorrow's reminder run will create for one municipality, read with the job's own
functions and not saved: the reference the worklist's preview of tomorrow's reminders is
checked against."""

from __future__ import annotations

import datetime as dt

from nir.jobs.models import Reminder
from nir.jobs.reminders import due_frist_reminders, due_window_reminders


def next_reminders(kommune_id: int, as_of: dt.date) -> list[Reminder]:
    """The unsaved reminders the run on the day after ``as_of`` will create, soonest first."""
    tomorrow = as_of + dt.timedelta(days=1)
    rows = due_frist_reminders(tomorrow, kommune_id) + due_window_reminders(tomorrow, kommune_id)
    return sorted(rows, key=lambda r: (r.due_date, r.participation_id))
