"""What the register holds about a Norwegian-training ordning, in the shape of a case
system's record, and its content hash: a selector (it only reads), used by the upsert to
compare and by the API's reads to answer with the same record and hash, as
``canonical`` is for the programme."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskExemption,
    NorskHours,
    NorskLeave,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.services.items import (
    ExtendedNorwegianItem,
    FinalTestResultItem,
    FritakItem,
    LeaveItem,
    NorskEndItem,
    NorskHoursItem,
    NorskmaalItem,
)
from nir.register.services.new_participants import PendingRows
from nir.register.services.upsert.canonical import (
    canonical_hash,
    equal_row_id,
    jsonable,
    person_data,
)
from nir.register.services.upsert.norsk_records import (
    NORSK_ENTITY,
    NORSK_ITEM_KINDS,
    item_json,
    item_key,
)
from nir.rules.norsk.end_reasons import SetBy
from nir.rules.norsk.final_tests import FinalTestKind, FinalTestResult, ResultSource
from nir.rules.norsk.fritak import Fritak, FritakGround, FritakKind
from nir.rules.norsk.hours import Subject
from nir.rules.norsk.norskmaal import CefrLevel, NorskmaalKind, Skill


def _levels(levels: dict[str, str]) -> dict[Skill, CefrLevel]:
    return {Skill(k): CefrLevel(v) for k, v in levels.items()}


ITEM_OF_NORSK_ROW: dict[str, Callable[[Any], Any]] = {
    "norskmaal": lambda v: NorskmaalItem(
        v.valid_from, tuple(sorted(_levels(v.levels).items())), NorskmaalKind(v.kind)
    ),
    "leaves": lambda x: LeaveItem(x.leave_type, x.start_date, x.end_date, x.decided_on),
    "extended_norwegian": lambda d: ExtendedNorwegianItem(d.decision_date, d.months),
    "hours": lambda h: NorskHoursItem(
        Subject(h.subject), h.start_date, h.end_date, h.hours, h.module
    ),
    "test_results": lambda r: FinalTestResultItem(
        FinalTestResult(
            "",
            FinalTestKind(r.kind),
            r.test_date,
            ResultSource(r.source),
            _levels(r.levels),
            r.passed,
            r.test_site,
            r.document_ref,
        )
    ),
    "exemptions": lambda e: FritakItem(
        Fritak(
            "",
            FritakKind(e.kind),
            FritakGround(e.ground),
            e.decision_date,
            e.ends_right,
            e.medical_statement,
        )
    ),
}
"""A stored registration row as the item a case system sends, per list of the record."""

NORSK_RELATION = {
    "norskmaal": "norskmaal_versions",
    "leaves": "leaves",
    "extended_norwegian": "extended_decisions",
    "hours": "hours",
    "test_results": "test_results",
    "exemptions": "exemptions",
}
NORSK_ROW_MODEL = {
    "norskmaal": NorskmaalVersion,
    "leaves": NorskLeave,
    "extended_norwegian": ExtendedNorwegianDecision,
    "hours": NorskHours,
    "test_results": NorskTestResult,
    "exemptions": NorskExemption,
}


def stored_norsk_items(row: NorskParticipation) -> dict[str, list[Any]]:
    """The ordning's registrations as items, per list (prefetched rows where the caller
    prefetched ``NORSK_RELATION``'s)."""
    return {
        name: [ITEM_OF_NORSK_ROW[name](r) for r in getattr(row, NORSK_RELATION[name]).all()]
        for name in NORSK_ITEM_KINDS
    }


def pending_norsk_items(store: PendingRows) -> dict[str, list[Any]]:
    """A new ordning's registrations as items, per list, from the rows pending in its store."""
    return {
        name: [ITEM_OF_NORSK_ROW[name](r) for r in store.of(NORSK_ROW_MODEL[name])]
        for name in NORSK_ITEM_KINDS
    }


def municipality_end(row: NorskParticipation) -> NorskEndItem | None:
    """The end the municipality registered (the system's ends are the register's)."""
    if row.end_date is None or row.end_set_by != SetBy.MUNICIPALITY.value:
        return None
    return NorskEndItem(row.end_date, row.end_reason)


def stored_norsk_record(
    row: NorskParticipation, items: dict[str, list[Any]] | None = None
) -> dict[str, Any]:
    """The ordning as a case system would send it, plus what the register computed."""
    items = items if items is not None else stored_norsk_items(row)
    return {
        "case_id": row.case_id,
        "person": jsonable(person_data(row.person)),
        "start_date": row.start_date.isoformat(),
        "permit_list": row.permit_list,
        "permit_granted_abroad": row.permit_granted_abroad,
        "education_background": row.education_background or None,
        **{
            name: sorted(
                (item_json(i) for i in values), key=lambda i: json.dumps(i, sort_keys=True)
            )
            for name, values in items.items()
        },
        "end": jsonable(municipality_end(row)),
        "computed": {
            "regime": row.regime,
            "category": row.category,
            "right_start": row.right_start.isoformat() if row.right_start else None,
            "frist": row.frist.isoformat() if row.frist else None,
            "frist_flagged_on": (
                row.frist_flagged_on.isoformat() if row.frist_flagged_on else None
            ),
            "end_date": row.end_date.isoformat() if row.end_date else None,
            "end_reason": row.end_reason or None,
            "end_set_by": row.end_set_by or None,
        },
    }


def norsk_content_hash(row: NorskParticipation, items: dict[str, list[Any]] | None = None) -> str:
    return canonical_hash(stored_norsk_record(row, items))


_LIST_OF_ENTITY = {entity: name for name, (entity, _) in NORSK_ENTITY.items()}


def stored_norsk_registration_id(row: NorskParticipation, entity: str, item: Any) -> int | None:
    """The id of a stored registration equal to ``item`` (in the record's shape), for a case
    system that names what to cancel as it sent it; the newest when several are equal."""
    name = _LIST_OF_ENTITY.get(entity)
    if name is None:
        return None
    rows = getattr(row, NORSK_RELATION[name]).order_by("-pk")
    return equal_row_id(rows, ITEM_OF_NORSK_ROW[name], item_key, item)
