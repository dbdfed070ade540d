"""The Norwegian-training ordninger on the participant page (reads only, scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from nir.register.norsk_models import NorskParticipation
from nir.register.selectors import visible_norsk_participations
from nir.rules.norsk.frist import OrdningStatus, frist_state


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


def norsk_overviews(kommune_id: int | None, person_id: int, today: dt.date) -> list[NorskOverview]:
    rows = visible_norsk_participations(kommune_id).filter(person_id=person_id)
    return [
        NorskOverview(
            row,
            _status(row, today),
            list(row.norskmaal_versions.all()),
            list(row.leaves.all()),
            list(row.extended_decisions.all()),
            list(row.test_results.all()),
            list(row.exemptions.all()),
            list(row.hours.all()),
        )
        for row in rows.order_by("-start_date", "-pk")
    ]


def _status(row: NorskParticipation, today: dt.date) -> OrdningStatus:
    if row.end_date is not None:
        return OrdningStatus.AVSLUTTET
    if row.frist is None:
        return OrdningStatus.AKTIV
    return frist_state(row.frist, today, ended=False).status
