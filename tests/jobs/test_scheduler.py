"""The scheduler: once per period, overlapping callers skip, failed or dead runs are retried
and complete without duplicate effects."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, connections

from nir.accounts.models import Role, User
from nir.jobs import registry
from nir.jobs.digests import drain_queue, send_digest
from nir.jobs.models import Digest, JobRun, Notice, Reminder, RunStatus
from nir.jobs.scheduler import run_due
from nir.register.models import HistoryEvent, LateRegistrationGrant, Participation
from nir.register.services.participations import NewParticipation, create_participation
from tests.conftest import at

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")
NOW = dt.datetime(2025, 2, 20, 6, 0, tzinfo=OSLO)  # frists below: 2025-02-10 and 2025-03-02


@pytest.fixture
def register(make_person, caseworker_a, kommune_a):
    User.objects.create_user(
        "kari", email="kari@oslo.example", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_a
    )
    made = []
    for n, start in enumerate([D(2024, 8, 10), D(2024, 9, 2)]):
        person = make_person(registered_on=start, birth_date=D(1985, 1 + n, 3))
        made.append(
            create_participation(
                actor=caseworker_a,
                person_id=person.pk,
                new=NewParticipation(start_date=start, sluttmaal="arbeid"),
                kommune_id=kommune_a.pk,
                at=at(start),
            )
        )
    return made


def _effects():
    return (
        Participation.objects.filter(termination_reason="ikke_registrert").count(),
        HistoryEvent.objects.filter(action="automatic_termination_end").count(),
        Reminder.objects.count(),
        Notice.objects.count(),
        Digest.objects.count(),
    )


@pytest.mark.django_db
def test_each_job_runs_once_a_day_and_a_second_call_skips(register):
    first = run_due(registry.JOBS, NOW)
    assert {o.result for o in first} == {"succeeded"}
    assert first[0].job == "sweep" and first[0].counts == {"ended": 1}
    effects = _effects()
    assert effects == (1, 1, 1, 1, 1)  # one ended, one reminded, one notice, one digest
    second = run_due(registry.JOBS, NOW + dt.timedelta(minutes=5))
    assert {o.result for o in second} == {"skipped"}
    assert _effects() == effects
    run = JobRun.objects.get(job="sweep")
    assert run.counts == {"ended": 1} and run.duration_seconds is not None


@pytest.mark.django_db
def test_a_crash_mid_job_is_retried_and_completes_without_duplicates(register, monkeypatch):
    # The reminders job dies after writing its frist reminders, before the digests.
    real = registry.build_digests

    def crash(day):
        raise RuntimeError("the process was killed here")

    monkeypatch.setattr(registry, "build_digests", crash)
    outcomes = run_due(registry.JOBS, NOW)
    results = {o.job: o.result for o in outcomes}
    assert results.pop("reminders") == "failed"
    assert set(results.values()) == {"succeeded"}
    failed = JobRun.objects.get(job="reminders")
    assert failed.status == "failed" and "killed" in failed.error
    assert Reminder.objects.count() == 1 and Digest.objects.count() == 0

    monkeypatch.setattr(registry, "build_digests", real)
    again = run_due(registry.JOBS, NOW + dt.timedelta(minutes=10))
    again_results = {o.job: o.result for o in again}
    assert again_results.pop("reminders") == "succeeded"
    assert set(again_results.values()) == {"skipped"}
    assert JobRun.objects.get(job="reminders").attempts == 2
    assert _effects() == (1, 1, 1, 1, 1)
    drain_queue()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_run_whose_process_died_is_taken_over_after_its_lease(register):
    # A scheduler died mid-run: its row says "running" with a lease that ran out.
    JobRun.objects.create(
        job="sweep",
        period=NOW.date().isoformat(),
        status="running",
        worker="dead-host:1",
        started_at=NOW - dt.timedelta(hours=2),
        lease_until=NOW - dt.timedelta(hours=1),
    )
    assert run_due(registry.JOBS, NOW)[0].result == "succeeded"
    assert JobRun.objects.get(job="sweep").attempts == 2
    # ...but one still within its lease belongs to a live scheduler and is left alone.
    JobRun.objects.filter(job="notices").update(
        status="running", lease_until=NOW + dt.timedelta(minutes=20)
    )
    assert run_due(registry.JOBS, NOW + dt.timedelta(minutes=1))[1].result == "skipped"


@pytest.mark.django_db
def test_a_digest_is_sent_once_even_if_its_task_runs_twice(register):
    run_due(registry.JOBS, NOW)
    digest = Digest.objects.get()
    assert send_digest.call(digest.pk) == "sent"
    assert send_digest.call(digest.pk) == "already handled"
    drain_queue()  # the queued task finds it sent
    assert len(mail.outbox) == 1
    assert Digest.objects.get().status == "sent"


@pytest.mark.django_db
def test_a_grant_about_to_expire_is_noticed_once(register, kommune_a):
    LateRegistrationGrant.objects.create(
        kommune=kommune_a,
        covers_from=D(2024, 6, 1),
        covers_to=D(2024, 12, 31),
        granted_on=D(2025, 1, 10),
        expires_on=D(2025, 3, 1),
        granted_by="imdi",
        reason="test",
    )
    run_due(registry.JOBS, NOW)
    notice = Notice.objects.get(kind="grant_expiring")
    assert notice.due_date == D(2025, 3, 1)
    run_due(registry.JOBS, NOW + dt.timedelta(days=1))
    assert Notice.objects.filter(kind="grant_expiring").count() == 1


@pytest.mark.django_db
def test_a_scheduler_that_finds_the_sweep_running_elsewhere_leaves_the_later_jobs_to_it(register):
    # Another scheduler has claimed today's sweep and not finished it.
    period = registry.JOBS[0].cadence.period(NOW.date())
    JobRun.objects.create(
        job="sweep",
        period=period,
        status=RunStatus.RUNNING,
        worker="other:1",
        started_at=NOW,
        lease_until=NOW + dt.timedelta(minutes=30),
    )

    outcomes = run_due(registry.JOBS, NOW)

    assert [o.result for o in outcomes] == ["skipped"] * len(registry.JOBS)
    # No notice was sent before the sweep ended anyone: its scheduler sends them after it.
    assert _effects() == (0, 0, 0, 0, 0)
    assert JobRun.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections")
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_schedulers_do_not_run_a_job_twice(register):
    barrier = threading.Barrier(2)
    results = []

    def schedule():
        try:
            barrier.wait(timeout=10)
            results.append([o.result for o in run_due(registry.JOBS, NOW)])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=schedule) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a scheduler did not finish"
    errors = list(JobRun.objects.exclude(error="").values_list("job", "error"))
    for job in range(len(results[0])):
        assert sorted(r[job] for r in results) == ["skipped", "succeeded"], (results, errors)
    assert _effects() == (1, 1, 1, 1, 1)
    assert JobRun.objects.count() == len(results[0])


@pytest.mark.django_db
def test_the_worklist_can_show_what_tomorrows_reminders_will_say(register, kommune_a, kommune_b):
    from tests.jobs.reminder_preview import next_reminders

    # On 2025-01-31 nothing has been reminded yet; tomorrow both frists are within 30 days
    # (2025-03-02 enters the horizon exactly then).
    upcoming = next_reminders(kommune_a.pk, D(2025, 1, 31))
    assert [(r.kind, r.horizon_days, r.due_date) for r in upcoming] == [
        ("frist", 30, D(2025, 2, 10)),
        ("frist", 30, D(2025, 3, 2)),
    ]
    assert next_reminders(kommune_b.pk, D(2025, 1, 31)) == []
    assert not Reminder.objects.exists()  # only a preview


@pytest.mark.django_db
def test_an_operator_sees_the_runs_in_the_admin_and_no_one_else_does(client, register, kommune_a):
    run_due(registry.JOBS, NOW)
    operator = User.objects.create_superuser("drift", password="x", roles=[Role.IMDI_RADGIVER])
    imdi = User.objects.create_user("imdi", password="x", roles=[Role.IMDI_RADGIVER], is_staff=True)
    oslo = User.objects.create_user(
        "oslo", password="x", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_a, is_staff=True
    )
    client.force_login(operator)
    page = client.get("/admin/jobs/jobrun/")
    assert page.status_code == 200
    assert "reminders" in page.content.decode() and "ended" in page.content.decode()
    for user in (imdi, oslo):  # is_staff asked for, and not given
        client.force_login(user)
        refused = client.get("/admin/jobs/jobrun/")
        assert refused.status_code == 302 and "/admin/login/" in refused["Location"]
