"""IMDi's exception to a year's cut-off: set or removed, with its reason in the history."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from nir.register.figures_models import AnnualCutoffException
from nir.register.services import events
from nir.register.services.context import Actor, OutOfScope, write_context
from nir.register.services.history import NewEvent, record
from nir.rules.cutoff import BASIS_CUTOFF_EXCEPTION, annual_cutoff_for, check_cutoff_exception


def set_cutoff_exception(
    *, actor: Actor, year: int, cutoff_date: dt.date, reason: str, at: dt.datetime | None = None
) -> AnnualCutoffException:
    """IMDi sets the day the figures for ``year`` are drawn at, where the rule does not hold."""
    if actor.kommune_id is not None:
        raise OutOfScope(entity="annual_cutoff")
    check_cutoff_exception(year=year, day=cutoff_date, reason=reason)
    ctx = write_context(actor, at)
    with transaction.atomic():
        existing = AnnualCutoffException.objects.select_for_update().filter(year=year).first()
        before = (
            {"cutoff_date": existing.cutoff_date, "reason": existing.reason}
            if existing is not None
            else {"cutoff_date": annual_cutoff_for(year).day, "reason": ""}
        )
        exception, _created = AnnualCutoffException.objects.update_or_create(
            year=year,
            defaults={
                "cutoff_date": cutoff_date,
                "reason": reason.strip(),
                "set_by": actor.name,
                "set_at": ctx.at,
            },
        )
        record(
            ctx,
            NewEvent(
                events.ANNUAL_CUTOFF_SET,
                exception.pk,
                before={"year": year, **before},
                after={"year": year, "cutoff_date": cutoff_date, "reason": exception.reason},
                basis=[BASIS_CUTOFF_EXCEPTION],
            ),
        )
    return exception


def remove_cutoff_exception(
    *, actor: Actor, year: int, reason: str, at: dt.datetime | None = None
) -> None:
    """The year follows the published date or the rule again."""
    if actor.kommune_id is not None:
        raise OutOfScope(entity="annual_cutoff")
    check_cutoff_exception(year=year, day=dt.date(year + 1, 1, 1), reason=reason)
    ctx = write_context(actor, at)
    with transaction.atomic():
        existing = AnnualCutoffException.objects.select_for_update().filter(year=year).first()
        if existing is None:
            return
        record(
            ctx,
            NewEvent(
                events.ANNUAL_CUTOFF_REMOVED,
                existing.pk,
                before={
                    "year": year,
                    "cutoff_date": existing.cutoff_date,
                    "reason": existing.reason,
                },
                after={"year": year, "cutoff_date": annual_cutoff_for(year).day, "reason": reason},
                basis=[BASIS_CUTOFF_EXCEPTION],
            ),
        )
        existing.delete()
