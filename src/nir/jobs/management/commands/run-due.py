"""nir run-due: run every job that is due, then the task queue. Safe to call every few
minutes from cron, a systemd timer or a Kubernetes CronJob."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nir.jobs.digests import drain_queue
from nir.jobs.registry import JOBS
from nir.jobs.scheduler import run_due


class Command(BaseCommand):
    help = "Run the jobs that are due (sweep, notices, reminders), then the queued tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-queue", action="store_true", help="leave queued tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for outcome in run_due(JOBS):
            counts = ", ".join(f"{k}={v}" for k, v in outcome.counts.items())
            self.stdout.write(
                f"{outcome.job} {outcome.period}: {outcome.result}"
                + (f" ({counts})" if counts else "")
            )
            failed |= outcome.result == "failed"
        if not options["no_queue"]:
            self.stdout.write(f"queue: ran {drain_queue()} task(s)")
        if failed:
            raise SystemExit(1)
