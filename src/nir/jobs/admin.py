"""IMDi's view of the scheduler: every run with its counts, duration and error."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or getattr(user, "is_imdi", False)))

    @admin.display(description="Varighet (s)")
    def duration(self, run: JobRun) -> str:
        seconds = run.duration_seconds
        return "" if seconds is None else f"{seconds:.2f}"
