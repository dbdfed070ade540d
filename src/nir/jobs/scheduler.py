"""One scheduler for the register's jobs: `nir run-due`, safe to call every few minutes.

A job runs once per due period: the first caller inserts the (job, period) row and owns the
run; an overlapping caller finds the row and skips. A run that failed, or whose process died
(its lease ran out), is taken over by the next caller and run again; every job is idempotent
for its period, so a second attempt completes what the first began without doing it twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from nir.jobs.models import JobRun, RunStatus

logger = logging.getLogger(__name__)


class Cadence(StrEnum):
    DAILY = "daily"
    MONTHLY = "monthly"

    def period(self, as_of: dt.date) -> str:
        return as_of.isoformat() if self is Cadence.DAILY else f"{as_of:%Y-%m}"


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    name: str
    label_nb: str
    cadence: Cadence
    run: Callable[[dt.date], dict[str, int]]


@dataclass(frozen=True, slots=True)
class JobOutcome:
    job: str
    period: str
    result: str  # "succeeded", "failed" or "skipped"
    counts: dict[str, int]


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lease() -> dt.timedelta:
    return dt.timedelta(minutes=settings.NIR_JOB_LEASE_MINUTES)


def claim(job: str, period: str, at: dt.datetime) -> JobRun | None:
    """Own the run of ``job`` for ``period``, or None when it is done or running elsewhere."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job,
                period=period,
                status=RunStatus.RUNNING,
                worker=_worker_name(),
                started_at=at,
                lease_until=at + _lease(),
            )
    except IntegrityError:
        pass
    # Take over a run that failed, or whose process died before finishing (lease ran out).
    taken = (
        JobRun.objects.filter(job=job, period=period)
        .filter(Q(status=RunStatus.FAILED) | Q(status=RunStatus.RUNNING, lease_until__lt=at))
        .update(
            status=RunStatus.RUNNING,
            attempts=F("attempts") + 1,
            worker=_worker_name(),
            started_at=at,
            lease_until=at + _lease(),
            finished_at=None,
            error="",
        )
    )
    return JobRun.objects.get(job=job, period=period) if taken else None


def run_job(job: ScheduledJob, as_of: dt.date, at: dt.datetime | None = None) -> JobOutcome:
    at = at or timezone.now()
    period = job.cadence.period(as_of)
    run = claim(job.name, period, at)
    if run is None:
        return JobOutcome(job.name, period, "skipped", {})
    try:
        counts = job.run(as_of)
    except Exception:
        logger.exception("job %s for %s failed", job.name, period)
        JobRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=traceback.format_exc(limit=8)[-4000:],
        )
        return JobOutcome(job.name, period, "failed", {})
    JobRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, finished_at=timezone.now(), counts=counts
    )
    return JobOutcome(job.name, period, "succeeded", counts)


def run_due(jobs: Sequence[ScheduledJob], at: dt.datetime | None = None) -> list[JobOutcome]:
    """Run every job of ``jobs`` that is due now, in their order (nir.jobs.registry.JOBS
    puts the sweep before the reminders it informs)."""
    at = at or timezone.now()
    as_of = timezone.localdate(at)
    outcomes: list[JobOutcome] = []
    for index, job in enumerate(jobs):
        outcome = run_job(job, as_of, at)
        outcomes.append(outcome)
        if outcome.result == "skipped" and _running_elsewhere(job.name, outcome.period):
            # The jobs after it read what it writes (the notices of the sweep's terminations):
            # run now, they would miss its work. The scheduler running it runs them after it.
            outcomes += [
                JobOutcome(later.name, later.cadence.period(as_of), "skipped", {})
                for later in jobs[index + 1 :]
            ]
            break
    return outcomes


def _running_elsewhere(job: str, period: str) -> bool:
    return JobRun.objects.filter(job=job, period=period, status=RunStatus.RUNNING).exists()
