"""What the register holds about a participation, in the shape of a case system's record,
and its content hash: a selector (it only reads), used by the upsert to compare and by the
API's reads to answer with the same record and hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Hashable, Iterable
from decimal import Decimal
from typing import Any

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
)
from nir.register.services.new_participants import PendingRows
from nir.register.services.persons import PersonData
from nir.register.services.upsert.records import (
    CORRECTION_ENTITY,
    CURRENT_ONLY,
    ITEM_KINDS,
    TerminationItem,
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


def items_from_rows(
    *,
    sluttmaal: Iterable[SluttmaalVersion],
    decisions: Iterable[Decision],
    measures: Iterable[Measure],
    leaves: Iterable[Leave],
    absences: Iterable[Absence],
    extensions: Iterable[Extension],
    stops: Iterable[Stop],
    related_items: Iterable[RelatedItemRecord] = (),
) -> dict[str, list[Hashable]]:
    return {
        "sluttmaal": [SluttmaalItem(v.sluttmaal, v.valid_from) for v in sluttmaal],
        "decisions": [
            DecisionItem(d.decision_type, d.decided_on, d.reason, d.programme_months)
            for d in decisions
        ],
        "measures": [
            MeasureItem(m.measure_type, m.start_date, m.end_date, m.hours_per_week)
            for m in measures
        ],
        "leaves": [LeaveItem(x.leave_type, x.start_date, x.end_date, x.decided_on) for x in leaves],
        "absences": [
            AbsenceItem(a.absence_type, a.start_date, a.end_date, a.hours) for a in absences
        ],
        "extensions": [ExtensionItem(e.months, e.decided_on) for e in extensions],
        "stops": [StopItem(s.kind, s.start_date, s.end_date, s.decided_on) for s in stops],
        "related_items": [
            RelatedItemStatusItem(
                r.item_kind, r.status, r.date_completed, r.source, r.marked_applicable
            )
            for r in current_records(related_items).values()
        ],
    }


def stored_items(p: Participation) -> dict[str, list[Hashable]]:
    return items_from_rows(
        sluttmaal=p.sluttmaal_versions.all(),
        decisions=p.decisions.all(),
        measures=p.measures.all(),
        leaves=p.leaves.all(),
        absences=p.absences.all(),
        extensions=p.extensions.all(),
        stops=p.stops.all(),
        related_items=p.related_items.all(),  # type: ignore[attr-defined]  # related_item_models
    )


def pending_items(store: PendingRows) -> dict[str, list[Hashable]]:
    return items_from_rows(
        sluttmaal=store.of(SluttmaalVersion),
        decisions=store.of(Decision),
        measures=store.of(Measure),
        leaves=store.of(Leave),
        absences=store.of(Absence),
        extensions=store.of(Extension),
        stops=store.of(Stop),
        related_items=store.of(RelatedItemRecord),
    )


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


def content_hash(p: Participation, items: dict[str, list[Hashable]] | None = None) -> str:
    """sha256 of the canonical JSON of ``stored_record``: equal hash, equal content."""
    canonical = json.dumps(
        stored_record(p, items), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


_KIND_OF_ENTITY = {entity: name for name, (entity, _) in CORRECTION_ENTITY.items()}


def stored_registration_id(participation: Participation, entity: str, item: Hashable) -> int | None:
    """The id of a stored registration equal to ``item`` (in the record's shape), for a case
    system that names what to cancel as it sent it; the newest when several are equal."""
    name = _KIND_OF_ENTITY.get(entity)
    if name is None:
        return None
    if isinstance(item, StopItem):
        item = as_stored(item)
    relation = {
        "sluttmaal": "sluttmaal_versions",
        "decisions": "decisions",
        "measures": "measures",
        "leaves": "leaves",
        "absences": "absences",
        "extensions": "extensions",
        "stops": "stops",
    }[name]
    rows = list(getattr(participation, relation).order_by("-pk"))
    items = items_from_rows(
        **{kind: rows if kind == name else [] for kind in ITEM_KINDS if kind not in CURRENT_ONLY}
    )[name]
    return next((row.pk for row, stored in zip(rows, items, strict=True) if stored == item), None)
