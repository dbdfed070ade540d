"""A case system's record of one participation: the person, the participation keyed by
the municipality's case id, its registrations (services/items.py) and its termination."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

from nir.register.models import StopKind
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
from nir.register.services.persons import PersonData


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    case_id: str
    person: PersonData
    start_date: dt.date
    category: str | None = None
    sluttmaal: Sequence[SluttmaalItem] = ()
    decisions: Sequence[DecisionItem] = ()
    measures: Sequence[MeasureItem] = ()
    leaves: Sequence[LeaveItem] = ()
    absences: Sequence[AbsenceItem] = ()
    extensions: Sequence[ExtensionItem] = ()
    stops: Sequence[StopItem] = ()
    related_items: Sequence[RelatedItemStatusItem] = ()
    termination: TerminationItem | None = None


# The record's lists of registrations, in the order an upsert registers them: what moves the
# frist before what ends it.
ITEM_KINDS = (
    "sluttmaal",
    "decisions",
    "measures",
    "leaves",
    "absences",
    "extensions",
    "related_items",
    "stops",
)
# Kinds a record carries as they stand now, one item per kind (rules-norsk.md N8: the newest
# status of each related item holds): an item unlike the stored one is registered as its new
# status, and one left out changes nothing, so it is neither cancelled nor warned about.
CURRENT_ONLY = frozenset({"related_items"})

# The correction entity (services/corrections.py) of each kind of item, with the noun a
# message names it by.
CORRECTION_ENTITY = {
    "sluttmaal": ("sluttmaal", "et sluttmål"),
    "decisions": ("decision", "et vedtak"),
    "measures": ("measure", "et tiltak"),
    "leaves": ("leave", "en permisjon"),
    "absences": ("absence", "et fravær"),
    "extensions": ("extension", "en utvidelse av programtiden"),
    "stops": ("stop", "en stans"),
}


def as_stored(stop: StopItem) -> StopItem:
    """The register keeps a permanent stop without an end date: compare it that way."""
    return replace(stop, end_date=None) if stop.kind == StopKind.VARIG else stop


def record_items(record: ParticipantRecord) -> dict[str, list[Hashable]]:
    """The record's registrations as the register stores them."""
    return {
        "sluttmaal": list(record.sluttmaal),
        "decisions": list(record.decisions),
        "measures": list(record.measures),
        "leaves": list(record.leaves),
        "absences": list(record.absences),
        "extensions": list(record.extensions),
        "related_items": list(record.related_items),
        "stops": [as_stored(s) for s in record.stops],
    }


def normalised_person(data: PersonData) -> PersonData:
    # The person service stores the number without spaces and the names stripped; compare
    # in that form so a resend with a stray space is still "unchanged".
    return replace(
        data,
        identity_number="".join(data.identity_number.split()),
        given_name=data.given_name.strip(),
        family_name=data.family_name.strip(),
    )


def start_goal(record: ParticipantRecord) -> SluttmaalItem | None:
    """The sluttmål that holds from the start is registered with the participation."""
    return next((g for g in record.sluttmaal if g.valid_from == record.start_date), None)
