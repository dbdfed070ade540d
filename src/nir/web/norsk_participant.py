"""The Norwegian-training ordninger on the participant page (reads only, scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nir.register.norsk_follow_up import ordning_status
from nir.register.norsk_models import NorskHours, NorskParticipation
from nir.register.rule_config import rule_config
from nir.register.selectors import visible_norsk_participations
from nir.register.services.norsk_facts import person_facts
from nir.rules.norsk.frist import OrdningStatus
from nir.rules.norsk.hours import Subject, Timemaal, timemaal
from nir.rules.norsk.rights import NorskCategory


@dataclass(frozen=True, slots=True)
class NorskOverview:
    ordning: NorskParticipation
    status: OrdningStatus
    norskmaal: list[Any]
    leaves: list[Any]
    extended: list[Any]
    results: list[Any]
    exemptions: list[Any]
    hours: list[Any]
    timemaal: Timemaal
    hours_done: list[tuple[str, Any, Decimal]]  # subject, module (or None), hours registered

    @property
    def registrations(self) -> list[tuple[str, Any]]:
        """Each registration with its entity (the history's and the cancel page's name)."""
        groups = (
            ("norskmaal", self.norskmaal),
            ("norsk_leave", self.leaves),
            ("extended_norwegian", self.extended),
            ("norsk_test_result", self.results),
            ("norsk_exemption", self.exemptions),
            ("norsk_hours", self.hours),
        )
        return [(entity, row) for entity, rows in groups for row in rows]


def norsk_overviews(kommune_id: int | None, person_id: int, today: dt.date) -> list[NorskOverview]:
    rows = visible_norsk_participations(kommune_id).filter(person_id=person_id)
    return [
        NorskOverview(
            row,
            ordning_status(row, today),
            list(row.norskmaal_versions.all()),
            list(row.leaves.all()),
            list(row.extended_decisions.all()),
            list(row.test_results.all()),
            list(row.exemptions.all()),
            hours := list(row.hours.all()),
            timemaal(person_facts(row), NorskCategory(row.category), rule_config().norsk.hours),
            _hours_done(hours),
        )
        for row in rows.order_by("-start_date", "-pk")
    ]


def _hours_done(hours: list[NorskHours]) -> list[tuple[str, Any, Decimal]]:
    """The hours registered, summed per subject and module, Norwegian first."""
    sums: dict[tuple[str, int | None], Decimal] = {}
    for h in hours:
        key = (h.subject, h.module)
        sums[key] = sums.get(key, Decimal(0)) + h.hours
    order = [s.value for s in Subject]
    return [
        (subject, module, total)
        for (subject, module), total in sorted(
            sums.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1] or 0)
        )
    ]
