"""What the register holds about a participation, in the shape of a case system's record,
and its content hash: a selector (it only reads), used by the upsert to compare and by the
API's reads to answer with the same record and hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from nir.register.models import (
    Absence,
    Decision,
    Extension,
    Leave,
    Measure,
    Participation,
    Person,
    SluttmaalVersion,
    Stop,
)
from nir.register.related_item_models import RelatedItemRecord
from nir.register.related_items import current_records
from nir.register.services.items import (
    AbsenceItem,
    DecisionItem,
    ExtensionItem,
    LeaveItem,
    MeasureItem,
    RelatedItemStatusItem,
    SluttmaalItem,
    StopItem,
    TerminationItem,
)
from nir.register.services.new_participants import PendingRows
from nir.register.services.persons import PersonData
from nir.register.services.upsert.records import (
    CORRECTION_ENTITY,
    CURRENT_ONLY,
    as_stored,
)
from nir.rules.termination import ParticipationStatus


def person_data(person: Person) -> PersonData:
    return PersonData(
        identity_number=person.identity_number,
        given_name=person.given_name,
        family_name=person.family_name,
        birth_date=person.birth_date,
        permit_type=person.permit_type,
        permit_date=person.permit_date,
        sex=person.sex,
        duf_number=person.duf_number,
        arrival_date=person.arrival_date,
        settlement_date=person.settlement_date,
        settled_by_agreement=person.settled_by_agreement,
        has_upper_secondary=person.has_upper_secondary,
        research_reservation=person.research_reservation,
    )


ITEM_OF_ROW: dict[str, Callable[[Any], Hashable]] = {
    "sluttmaal": lambda v: SluttmaalItem(v.sluttmaal, v.valid_from),
    "decisions": lambda d: DecisionItem(
        d.decision_type, d.decided_on, d.reason, d.programme_months
    ),
    "measures": lambda m: MeasureItem(m.measure_type, m.start_date, m.end_date, m.hours_per_week),
    "leaves": lambda x: LeaveItem(x.leave_type, x.start_date, x.end_date, x.decided_on),
    "absences": lambda a: AbsenceItem(a.absence_type, a.start_date, a.end_date, a.hours),
    "extensions": lambda e: ExtensionItem(e.months, e.decided_on),
    "stops": lambda s: StopItem(s.kind, s.start_date, s.end_date, s.decided_on),
}
"""A stored registration row as the item a case system sends, per kind of the record."""

_ROW_MODEL: dict[str, type[models.Model]] = {
    "sluttmaal": SluttmaalVersion,
    "decisions": Decision,
    "measures": Measure,
    "leaves": Leave,
    "absences": Absence,
    "extensions": Extension,
    "stops": Stop,
}
_RELATION = {
    "sluttmaal": "sluttmaal_versions",
    "decisions": "decisions",
    "measures": "measures",
    "leaves": "leaves",
    "absences": "absences",
    "extensions": "extensions",
    "stops": "stops",
}


def _related_item(r: RelatedItemRecord) -> RelatedItemStatusItem:
    return RelatedItemStatusItem(
        r.item_kind, r.status, r.date_completed, r.source, r.marked_applicable
    )


def items_from_rows(rows: Mapping[str, Iterable[Any]]) -> dict[str, list[Hashable]]:
    """The items of each kind from the stored rows of that kind; of the related items, the
    current status of each (only the newest record of a kind holds)."""
    items: dict[str, list[Hashable]] = {
        kind: [ITEM_OF_ROW[kind](row) for row in rows[kind]] for kind in ITEM_OF_ROW
    }
    related = current_records(rows.get("related_items", ()))
    items["related_items"] = [_related_item(r) for r in related.values()]
    return items


def stored_items(p: Participation) -> dict[str, list[Hashable]]:
    rows = {kind: getattr(p, _RELATION[kind]).all() for kind in ITEM_OF_ROW}
    return items_from_rows({**rows, "related_items": p.related_items.all()})


def pending_items(store: PendingRows) -> dict[str, list[Hashable]]:
    rows = {kind: store.of(_ROW_MODEL[kind]) for kind in ITEM_OF_ROW}
    return items_from_rows({**rows, "related_items": store.of(RelatedItemRecord)})


def user_termination(p: Participation) -> TerminationItem | None:
    if p.end_date is None or p.status is not ParticipationStatus.ENDED:
        return None
    return TerminationItem(p.end_date, p.termination_reason)


_OMITTED_WHEN_EMPTY = frozenset({"programme_months"})


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # One canonical spelling of a number of hours: 7.5 and 7.50 hash alike.
        return format(value.normalize(), "f")
    if hasattr(value, "__dataclass_fields__"):
        # A field added later and left empty is left out, so a record that does not use it
        # keeps the content hash its case system already holds.
        return {
            name: jsonable(getattr(value, name))
            for name in value.__dataclass_fields__
            if not (name in _OMITTED_WHEN_EMPTY and getattr(value, name) is None)
        }
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        # A level per skill: in one order, so equal mappings hash alike.
        return {str(k): jsonable(v) for k, v in sorted(value.items())}
    return value


def stored_record(
    p: Participation, items: dict[str, list[Hashable]] | None = None
) -> dict[str, Any]:
    """The participation as a case system would send it, plus what the register computed."""
    items = items if items is not None else stored_items(p)
    record: dict[str, Any] = {
        "case_id": p.case_id,
        "person": jsonable(person_data(p.person)),
        "start_date": p.start_date.isoformat(),
        "category": p.category,
        **{
            name: sorted((jsonable(i) for i in values), key=lambda i: json.dumps(i, sort_keys=True))
            for name, values in items.items()
            # A kind added later and empty is left out, so the hash a case system holds for
            # a record without it still holds.
            if values or name not in CURRENT_ONLY
        },
        "termination": jsonable(user_termination(p)),
    }
    record["computed"] = {
        "regime": p.regime,
        "frist": p.frist.isoformat(),
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "termination_reason": p.termination_reason,
        "termination_source": p.termination_source,
    }
    return record


def canonical_hash(record: Mapping[str, Any]) -> str:
    """sha256 of a stored record's canonical JSON (sorted keys, no whitespace), either
    scheme's: equal hash, equal content."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def content_hash(p: Participation, items: dict[str, list[Hashable]] | None = None) -> str:
    """The hash of ``stored_record``."""
    return canonical_hash(stored_record(p, items))


_KIND_OF_ENTITY = {entity: name for name, (entity, _) in CORRECTION_ENTITY.items()}


def stored_registration_id(participation: Participation, entity: str, item: Hashable) -> int | None:
    """The id of a stored registration equal to ``item`` (in the record's shape), for a case
    system that names what to cancel as it sent it; the newest when several are equal."""
    name = _KIND_OF_ENTITY.get(entity)
    if name is None:
        return None
    if isinstance(item, StopItem):
        item = as_stored(item)
    rows = getattr(participation, _RELATION[name]).order_by("-pk")
    return equal_row_id(rows, ITEM_OF_ROW[name], lambda i: i, item)


def equal_row_id(
    rows: Iterable[Any], as_item: Callable[[Any], Any], key: Callable[[Any], Hashable], item: Any
) -> int | None:
    """The id of the first of ``rows`` whose item equals ``item`` by ``key`` (either
    scheme's registrations: a case system names what to cancel as it sent it)."""
    wanted = key(item)
    return next((row.pk for row in rows if key(as_item(row)) == wanted), None)
