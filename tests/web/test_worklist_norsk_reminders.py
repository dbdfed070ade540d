"""Tomorrow's reminder line holds the Norwegian scheme's frist reminders for a user of that
scheme, and the programme's for a user of the programme: exactly what the job creates."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.jobs.reminders import create_frist_reminders, due_norsk_frist_reminders
from nir.rules.schemes import Scheme
from nir.web.reminders_preview import upcoming_reminders
from tests.jobs.test_norsk_reminders import SEVEN_BEFORE, THIRTY_BEFORE

pytestmark = pytest.mark.django_db

NORSK = frozenset({Scheme.NORSK})
PROGRAMME = frozenset({Scheme.INTRODUKSJONSPROGRAM})
BOTH = NORSK | PROGRAMME


def _line(kommune_id: int, today: dt.date, schemes: frozenset[Scheme]) -> list[tuple]:
    shown, count = upcoming_reminders(kommune_id, today, 50, schemes)
    assert count == len(shown)
    return [(r.participation_id, r.kind, r.due_date) for r in shown]


@pytest.mark.parametrize("day", [THIRTY_BEFORE, SEVEN_BEFORE])
def test_the_norsk_line_is_what_the_job_creates_tomorrow(ordning, kommune_a, day):
    today = day - dt.timedelta(days=1)
    job = [
        (r.norsk_participation_id, r.kind, r.due_date)
        for r in due_norsk_frist_reminders(day, kommune_a.pk)
    ]
    assert job and _line(kommune_a.pk, today, NORSK) == job
    assert _line(kommune_a.pk, today, BOTH) == job  # no programme participation here
    assert _line(kommune_a.pk, today, PROGRAMME) == []
    # Once the job has run, the line leaves them out, as the next run will.
    create_frist_reminders(day)
    assert _line(kommune_a.pk, today, NORSK) == []


def test_the_line_shows_the_norsk_reminders_labelled_on_the_worklist(ordning, kommune_a):
    shown, _ = upcoming_reminders(kommune_a.pk, THIRTY_BEFORE - dt.timedelta(days=1), 5, NORSK)
    assert [r.norsk for r in shown] == [True]
    assert "norsk og samfunnskunnskap" in shown[0].text
    assert shown[0].person_id == ordning.person_id
