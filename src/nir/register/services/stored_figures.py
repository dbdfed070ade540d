"""Storing a year's figures once IMDi's annual cut-off for the statistics has passed.

The scheduler stores them on its first run after the cut-off day, and ``nir store-figures``
stores a year's figures again where asked (``rebuild``). Storing is idempotent: figures
already stored at the year's cut-off are left as they are, and two runs at once store them
once (the row is unique per year and counting; the later run's insert fails and it rolls
back). Each counting's figures are written with the protection they were published with
and a history event naming the cut-off and the rules' version, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from nir.register.cutoffs import annual_cutoff
from nir.register.figures_models import StoredFigures
from nir.register.publication import computed_statistics
from nir.register.rule_config import rule_config_version
from nir.register.services import events
from nir.register.services.context import WriteContext
from nir.register.services.history import NewEvent, record
from nir.register.statistics import COUNTINGS, end_of_day
from nir.register.stored_figures import cells_json, figures_json
from nir.rules.cutoff import Cutoff


class CutoffNotPassed(ValueError):
    """The year's figures are stored only once its cut-off day has ended."""

    def __init__(self, year: int, cutoff: dt.date) -> None:
        super().__init__(
            f"The cut-off of {year} ({cutoff.isoformat()}) has not passed: its figures can "
            "only be stored after the end of that day."
        )


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    year: int
    stored: tuple[str, ...]  # the countings whose figures were written
    kept: tuple[str, ...]  # those already stored at the cut-off, left as they were


def store_year_figures(ctx: WriteContext, year: int, *, rebuild: bool = False) -> StoreOutcome:
    """Store the year's figures at its cut-off in every counting, unless they are stored
    there already; with ``rebuild``, count and store them again."""
    cutoff = annual_cutoff(year)
    if ctx.at < end_of_day(cutoff.day):
        raise CutoffNotPassed(year, cutoff.day)
    stored, kept = [], []
    try:
        with transaction.atomic():
            for counting in COUNTINGS:
                if _store(ctx, cutoff, counting, rebuild=rebuild):
                    stored.append(counting)
                else:
                    kept.append(counting)
    except IntegrityError:
        # Another run stored the year at the same moment: its figures stand, once.
        return StoreOutcome(year, (), tuple(COUNTINGS))
    return StoreOutcome(year, tuple(stored), tuple(kept))


def _store(ctx: WriteContext, cutoff: Cutoff, counting: str, *, rebuild: bool) -> bool:
    existing = (
        StoredFigures.objects.select_for_update()
        .filter(year=cutoff.year, counting=counting)
        .first()
    )
    if existing is not None and existing.cutoff_date == cutoff.day and not rebuild:
        return False
    groups, published = computed_statistics(cutoff.year, at_cutoff=True, counting=counting)
    values = {
        "cutoff_date": cutoff.day,
        "cutoff_at": end_of_day(cutoff.day),
        "config_version": rule_config_version(),
        "stored_at": ctx.at,
        "figures": figures_json((g.labels, g.reason, g.participants, g.starts) for g in groups),
        "cells": cells_json(published),
    }
    before = {
        "year": cutoff.year,
        "counting": counting,
        "cutoff_date": None if existing is None else existing.cutoff_date,
        "config_version": "" if existing is None else existing.config_version,
    }
    if existing is None:
        row = StoredFigures.objects.create(year=cutoff.year, counting=counting, **values)
    else:
        row = existing
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    after = {**before, "cutoff_date": cutoff.day, "config_version": row.config_version}
    record(
        ctx,
        NewEvent(events.FIGURES_STORED, row.pk, before=before, after=after, basis=[cutoff.basis]),
    )
    return True
