"""The operators' view of the scheduler: every run with its counts, duration and error
(IMDi's advisers see the same on their own jobs page)."""

from __future__ import annotations

from django.contrib import admin

from nir.jobs.models import JobRun
from nir.register.admin import ReadOnlyAdmin


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = (
        "job",
        "period",
        "status",
        "attempts",
        "started_at",
        "duration",
        "counts",
        "worker",
    )
    list_filter = ("job", "status")

    @admin.display(description="Varighet (s)")
    def duration(self, run: JobRun) -> str:
        seconds = run.duration_seconds
        return "" if seconds is None else f"{seconds:.2f}"
