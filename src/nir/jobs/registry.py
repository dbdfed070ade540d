"""The register's scheduled jobs, in the order they run."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from nir.api.idempotency import forget_expired
from nir.audit.access_log import checkpoint_job, review_day
from nir.jobs.digests import build_digests
from nir.jobs.models import Digest
from nir.jobs.reminders import create_frist_reminders, create_notices, create_window_reminders
from nir.jobs.scheduler import Cadence, ScheduledJob
from nir.register.cutoffs import annual_cutoff
from nir.register.services.context import SYSTEM, write_context
from nir.register.services.norsk_frist import run_norsk_frist
from nir.register.services.reports import store_ukraina_report
from nir.register.services.retention import apply_retention
from nir.register.services.stored_figures import store_year_figures
from nir.register.services.sweep import run_sweep


def _sweep(as_of: dt.date) -> dict[str, int]:
    return {"ended": run_sweep(as_of=as_of).ended}


def _norsk_frist(as_of: dt.date) -> dict[str, int]:
    run = run_norsk_frist(as_of)
    return {"flagged": run.flagged, "ended": run.ended}


def _ukraina_report(as_of: dt.date) -> dict[str, int]:
    """On the first run of a month: last month's report, as the register stands now. The
    run's counts are the national totals the report publishes; a total it hides (a small
    count, protected) is left out, as it is left out of the report."""
    previous = as_of.replace(day=1) - dt.timedelta(days=1)
    report = store_ukraina_report(f"{previous:%Y-%m}", timezone.now())
    return {str(k): int(v) for k, v in report.summary["totals"].items() if v is not None}


def _store_figures(as_of: dt.date) -> dict[str, int]:
    """The figures of a year whose cut-off day ended before ``as_of``, once: last year's
    (its cut-off falls in this year) and the year before's (a cut-off IMDi moved to the
    end of a year has passed only on the first run of the next)."""
    counts = {"countings_stored": 0, "countings_kept": 0}
    for year in (as_of.year - 2, as_of.year - 1):
        if annual_cutoff(year).day < as_of:
            outcome = store_year_figures(write_context(SYSTEM), year)
            counts["countings_stored"] += len(outcome.stored)
            counts["countings_kept"] += len(outcome.kept)
    return counts


def _retention(as_of: dt.date) -> dict[str, int]:
    counts = apply_retention(as_of)
    # Stored replies to Idempotency-Key retries are kept only for the retry period.
    counts["idempotency_replies_deleted"] = forget_expired()
    # Digest e-mails hold what the recipient saw that day; they are kept only a while.
    old = Digest.objects.filter(
        day__lt=as_of - dt.timedelta(days=settings.NIR_RETENTION_DIGEST_DAYS)
    )
    counts["digests_deleted"] = old.delete()[0]
    return counts


def _reminders(as_of: dt.date) -> dict[str, int]:
    counts = create_frist_reminders(as_of)
    counts |= create_window_reminders(as_of)
    counts |= build_digests(as_of)
    return counts


JOBS = [
    ScheduledJob(
        "sweep", "Daglig avslutning av deltakelser med utløpt frist", Cadence.DAILY, _sweep
    ),
    ScheduledJob(
        "notices",
        "Varsler om automatisk avslutning og etterregistrering",
        Cadence.DAILY,
        create_notices,
    ),
    ScheduledJob(
        "reminders", "Påminnelser og daglig sammendrag på e-post", Cadence.DAILY, _reminders
    ),
    ScheduledJob(
        "norsk_frist",
        "Opplæring i norsk: frist utløpt og registerets avslutninger",
        Cadence.DAILY,
        _norsk_frist,
    ),
    ScheduledJob(
        "ukraina_report",
        "Månedsrapport Ukraina til departementet",
        Cadence.MONTHLY,
        _ukraina_report,
    ),
    ScheduledJob(
        "store_figures",
        "Lagring av årets tall når fristen for tallene er passert",
        Cadence.DAILY,
        _store_figures,
    ),
    ScheduledJob(
        "retention",
        "Sletting og anonymisering etter lagringsreglene",
        Cadence.DAILY,
        _retention,
    ),
    ScheduledJob(
        "access_review",
        "Gjennomgang av gårsdagens innsynslogg",
        Cadence.DAILY,
        lambda day: review_day(day - dt.timedelta(days=1)),
    ),
    ScheduledJob(
        "access_checkpoint",
        "Signert sjekkpunkt av innsynsloggen utenfor databasen",
        Cadence.DAILY,
        checkpoint_job,
    ),
]
