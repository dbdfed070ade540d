"""A case system's record of one Norwegian-training ordning (rules-norsk.md N5): the person,
the ordning keyed by the municipality's case id, its start facts, its registrations (the
scheme's items, services/items.py) and its end.

The programme's record (``records``) and this one share the person, the key and the
upsert's machinery; the items are the scheme's own, so each list is compared by the item in
the record's shape (``item_json``): a test result and an exemption wrap the rules' values,
whose levels are a mapping.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from nir.register.rule_messages import OPERATIONS
from nir.register.services.items import (
    ExtendedNorwegianItem,
    FinalTestResultItem,
    FritakItem,
    LeaveItem,
    NorskEndItem,
    NorskHoursItem,
    NorskmaalItem,
)
from nir.register.services.persons import PersonData
from nir.register.services.upsert.canonical import jsonable
from nir.register.services.upsert.left_out import ItemKinds
from nir.rules.norsk.norskmaal import EducationBackground
from nir.rules.norsk.rights import PermitList


@dataclass(frozen=True, slots=True)
class NorskRecord:
    case_id: str
    person: PersonData
    start_date: dt.date  # the first decision's start (kap. 6A's anchor)
    permit_list: PermitList
    permit_granted_abroad: bool = False
    education_background: EducationBackground | None = None
    norskmaal: Sequence[NorskmaalItem] = ()
    leaves: Sequence[LeaveItem] = ()
    extended_norwegian: Sequence[ExtendedNorwegianItem] = ()
    hours: Sequence[NorskHoursItem] = ()
    test_results: Sequence[FinalTestResultItem] = ()
    exemptions: Sequence[FritakItem] = ()
    end: NorskEndItem | None = None


# The record's lists, in the order an upsert registers them: what moves the frist first,
# then the hours, then what may end the ordning (a result reaching the norskmaal, an
# exemption ending the right), then the end.
NORSK_ITEM_KINDS = (
    "norskmaal",
    "leaves",
    "extended_norwegian",
    "hours",
    "test_results",
    "exemptions",
)

# Each list's history entity (services/events.py), with the noun a message names it by.
NORSK_ENTITY = {
    "norskmaal": ("norskmaal", "et norskmål"),
    "leaves": ("norsk_leave", "en permisjon"),
    "extended_norwegian": ("extended_norwegian", "et vedtak om utvidet opplæring i norsk"),
    "hours": ("norsk_hours", "en registrering av timer"),
    "test_results": ("norsk_test_result", "et prøveresultat"),
    "exemptions": ("norsk_exemption", "et fritak"),
}


def item_json(item: Any) -> Any:
    """An item of the scheme in the record's shape (the API's ``NorskRecordIn``): a test
    result and an exemption flattened out of the rules' values, levels as a mapping."""
    if isinstance(item, FinalTestResultItem):
        r = item.result
        return jsonable(
            {
                "kind": r.kind,
                "test_date": r.test_date,
                "source": r.source,
                "levels": dict(r.levels),
                "passed": r.passed,
                "test_site": r.test_site,
                "document_ref": r.document_ref,
            }
        )
    if isinstance(item, FritakItem):
        f = item.fritak
        return jsonable(
            {
                "kind": f.kind,
                "ground": f.ground,
                "decision_date": f.decision_date,
                "ends_right": f.ends_right,
                "medical_statement": f.medical_statement,
            }
        )
    if isinstance(item, NorskmaalItem):
        return jsonable(
            {"valid_from": item.valid_from, "kind": item.kind, "levels": dict(item.levels)}
        )
    return jsonable(item)


def item_key(item: Any) -> Hashable:
    """Equal keys, equal registrations (whatever the ``ref`` of the rules' value)."""
    return json.dumps(item_json(item), sort_keys=True)


def _remedy(item: Any) -> tuple[str, str]:
    return (
        f"Den står til den annulleres med {OPERATIONS['cancelNorskRegistration']}, med en "
        "begrunnelse.",
        "cancelNorskRegistration",
    )


NORSK_KINDS = ItemKinds(NORSK_ENTITY, key=item_key, as_json=item_json, remedy=_remedy)


def norsk_record_items(record: NorskRecord) -> dict[str, list[Any]]:
    return {name: list(getattr(record, name)) for name in NORSK_ITEM_KINDS}
