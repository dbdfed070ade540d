"""The worklist a page at a time: every task once, soonest first, however the pages fall; and
tomorrow's reminders counted in SQL exactly as the reminder job will send them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nir.jobs.reminders import create_frist_reminders
from nir.register.models import Participation
from nir.register.services.context import Actor, Channel
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from nir.rules.schemes import Scheme
from nir.web import worklist as worklist_module
from nir.web.reminders_preview import upcoming_reminders
from nir.web.worklist import worklist_page
from tests.jobs.reminder_preview import next_reminders
from tests.web.builders import add_participation, make_user

pytestmark = pytest.mark.django_db

PROGRAMME = frozenset({Scheme.INTRODUKSJONSPROGRAM})


def _fill(register, count: int) -> None:
    """Participations of every kind of task: frist soon, ended without a reason, lacking a
    decision, measures or sluttmål, with due dates that often fall on the same day."""
    actor = Actor("kari@oslo", Channel.WEB, register.kommune_a.pk)
    today = register.today
    for n in range(count):
        start = add_months(today, -6) + dt.timedelta(days=(n % 5) * 6 - 14)
        add_participation(
            actor,
            register.kommune_a,
            f"Person{n}",
            "Sidesen",
            start=start,
            birth=dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
            sluttmaal=None if n % 4 == 0 else "arbeid",
            complete=n % 3 == 0,
        )
    run_sweep(as_of=today)


def _walk(kommune_id: int, today: dt.date) -> list[worklist_module.Task]:
    tasks, after, number = [], None, 1
    while True:
        page = worklist_page(kommune_id, today, after, number)
        assert page.page_number == number
        assert len(page.tasks) <= worklist_module.PAGE_SIZE
        tasks += page.tasks
        if page.next_cursor is None:
            return tasks
        after, number = page.next_cursor, number + 1


def test_the_pages_hold_every_task_once_soonest_first(register, monkeypatch):
    _fill(register, 14)
    kommune = register.kommune_a.pk
    everything = worklist_page(kommune, register.today).tasks  # one page holds all
    assert len(everything) == worklist_page(kommune, register.today).total > 10
    for size in (1, 2, 3, 7):
        monkeypatch.setattr(worklist_module, "PAGE_SIZE", size)
        walked = _walk(kommune, register.today)
        assert [(t.kind, t.participation.pk) for t in walked] == [
            (t.kind, t.participation.pk) for t in everything
        ], size
    assert [t.sort_key for t in everything] == sorted(t.sort_key for t in everything)
    assert {t.kind for t in everything} == {"frist", "reason", "sluttmaal", "decision", "measures"}


def test_a_page_after_a_resolved_task_continues_where_it_was(register, monkeypatch, client_a):
    _fill(register, 6)
    monkeypatch.setattr(worklist_module, "PAGE_SIZE", 2)
    first = worklist_page(register.kommune_a.pk, register.today)
    second = worklist_page(register.kommune_a.pk, register.today, first.next_cursor, 2)
    # The cursor names a place, not a row: it holds when its task is gone or it is nonsense.
    assert second.tasks and second.tasks[0].sort_key > first.tasks[-1].sort_key
    assert worklist_page(register.kommune_a.pk, register.today, "x-y-z", 3).page_number == 1
    body = client_a.get(f"/?etter={first.next_cursor}&side=2").content.decode()
    assert "Side 2 av" in body and 'rel="next"' in body and "Første side" in body
    # From a later page, a registration returns the caseworker to that page.
    assert "neste=/%3Fetter%3D" in body


def test_the_counts_follow_a_change_at_once(register, client_a):
    before = worklist_page(register.kommune_a.pk, register.today).counts["frist"]
    actor = Actor("kari@oslo", Channel.WEB, register.kommune_a.pk)
    # A frist in 20 days: one more on the list, though the counts were cached a moment ago.
    add_participation(
        actor,
        register.kommune_a,
        "Ny",
        "Deltaker",
        start=add_months(register.today, -6) + dt.timedelta(days=20),
        complete=True,
    )
    assert worklist_page(register.kommune_a.pk, register.today).counts["frist"] == before + 1


def test_tomorrows_reminders_are_what_the_job_will_send(register):
    _fill(register, 10)
    kommune = register.kommune_a.pk
    for today in (register.today, register.today + dt.timedelta(days=9)):
        expected = [
            (r.participation_id, r.kind, r.due_date) for r in next_reminders(kommune, today)
        ]
        shown, count = upcoming_reminders(kommune, today, 5, PROGRAMME)
        assert count == len(expected) > 0
        assert [(r.participation_id, r.kind, r.due_date) for r in shown] == expected[:5]
    # Once the job has sent today's, tomorrow's preview leaves those out, as the job will.
    create_frist_reminders(register.today + dt.timedelta(days=1))
    expected = [
        (r.participation_id, r.kind, r.due_date) for r in next_reminders(kommune, register.today)
    ]
    shown, count = upcoming_reminders(kommune, register.today, 50, PROGRAMME)
    assert count == len(expected)
    assert [(r.participation_id, r.kind, r.due_date) for r in shown] == expected


def _participation_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured if "register_participation" in q["sql"]]


def test_a_worklist_page_read_again_is_served_from_the_cache(register, client_a):
    _fill(register, 8)
    first = _participation_queries(client_a, "/")
    again = _participation_queries(client_a, "/")
    # Only the cache key's lookup of the municipality's latest change reads participations.
    assert len(first) > len(again)
    assert again and all('MAX("register_participation"."updated_at")' in sql for sql in again)


def test_a_caseworkers_own_write_is_on_their_next_worklist_whatever_the_clocks(
    register, client_a, kommune_a
):
    p = register.overdue_a
    task = f"/deltakelse/{p.pk}/registrer/avslutning/?neste="  # its row's button
    assert task in client_a.get("/").content.decode()  # now cached
    # Another write stamped later than this one will be (another server's clock ahead, or a
    # transaction that commits first), so the municipality's latest change stays put.
    Participation.objects.filter(pk=register.soon_a.pk).update(
        updated_at=timezone.now() + dt.timedelta(days=1)
    )
    latest = Participation.objects.filter(kommune=kommune_a).aggregate(m=Max("updated_at"))["m"]
    colleague = Client()
    colleague.force_login(make_user("kollega", kommune_a))
    assert task in colleague.get("/").content.decode()
    response = client_a.post(
        f"/deltakelse/{p.pk}/registrer/avslutning/",
        {"expected_version": p.version, "reason": "utdanning_vgo", "end_date": p.frist},
    )
    assert response.status_code == 302
    assert (
        Participation.objects.filter(kommune=kommune_a).aggregate(m=Max("updated_at"))["m"]
        == latest
    )
    # The writer's next worklist is computed after their write: Amina Haddad's reason is in.
    assert task not in client_a.get("/").content.decode()
