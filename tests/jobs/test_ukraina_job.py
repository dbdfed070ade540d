"""The monthly Ukraina report job: last month's report delivered once, and the run counted
with the national totals the report publishes, never failing on a total it hides."""

import datetime as dt

import pytest
from django.utils import timezone

from nir.jobs.models import JobRun
from nir.jobs.registry import JOBS
from nir.jobs.scheduler import run_due
from nir.register.figures_models import PublishedReport
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, Channel
from nir.rules.dates import add_months
from tests.imdi.builders import add_ukrainian

pytestmark = pytest.mark.django_db


def test_the_job_succeeds_when_the_report_hides_a_small_national_total(kommune_a):
    # One participant with collective protection, in the programme at the end of last month
    # (started while kap. 6A is in force): the report's small totals are hidden.
    first = timezone.localdate().replace(day=1)
    start = add_months(first, -2) + dt.timedelta(days=14)
    expires = rule_config().kap6a_expires
    if expires is not None:
        start = min(start, expires - dt.timedelta(days=30))
    oslo = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    add_ukrainian(oslo, kommune_a, start=start)
    run_due(JOBS)
    run = JobRun.objects.get(job="ukraina_report")
    assert (run.status, run.error) == ("succeeded", "")
    report = PublishedReport.objects.get(kind="ukraina_monthly")
    assert report.period == f"{add_months(first, -1):%Y-%m}"
    totals = report.summary["totals"]
    hidden = {k for k, v in totals.items() if v is None}
    assert hidden, totals  # the case this test is about
    assert set(run.counts) == set(totals) - hidden
    assert all(isinstance(v, int) for v in run.counts.values())
