"""Storing reports as delivered, so the ministry's figures for a month can be shown again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from nir.register.figures_models import PublishedReport
from nir.register.ukraina_report import build_ukraina_report, ukraina_report_xlsx


def store_ukraina_report(month: str, cutoff: dt.datetime) -> PublishedReport:
    """Build the month's report as of ``cutoff`` and keep it; a report already kept for the
    month is returned as it was (the figures sent stay the figures sent)."""
    existing = PublishedReport.objects.filter(kind="ukraina_monthly", period=month).first()
    if existing is not None:
        return existing
    report = build_ukraina_report(month, cutoff)
    with transaction.atomic():
        stored, _ = PublishedReport.objects.get_or_create(
            kind="ukraina_monthly",
            period=month,
            defaults={
                "cutoff": cutoff,
                "xlsx": ukraina_report_xlsx(report),
                "summary": {"totals": report.totals},
            },
        )
    return stored
