"""What a municipality registers on a participation, one frozen dataclass per kind.

They are the input of the registration services (services/registrations.py) and the items
of a case system's record (services/upsert/records.py) alike, so an item received from a
case system is registered exactly as the caseworker's form registers it. Equal items are
equal registrations: the upsert compares stored and incoming ones by value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from nir.rules.norsk.final_tests import FinalTestResult
from nir.rules.norsk.fritak import Fritak
from nir.rules.norsk.hours import Subject
from nir.rules.norsk.norskmaal import CefrLevel, EducationBackground, NorskmaalKind, Skill


@dataclass(frozen=True, slots=True)
class SluttmaalItem:
    sluttmaal: str
    valid_from: dt.date


@dataclass(frozen=True, slots=True)
class DecisionItem:
    decision_type: str
    decided_on: dt.date
    reason: str = ""
    programme_months: int | None = None


@dataclass(frozen=True, slots=True)
class LeaveItem:
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    decided_on: dt.date


@dataclass(frozen=True, slots=True)
class AbsenceItem:
    """Absence in hours (never moves the frist) or as a dated interval of a flagged type."""

    absence_type: str
    start_date: dt.date
    end_date: dt.date
    hours: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ExtensionItem:
    months: int
    decided_on: dt.date


@dataclass(frozen=True, slots=True)
class StopItem:
    """A temporary stop (with its end) or a permanent one, which ends the participation."""

    kind: str
    start_date: dt.date
    end_date: dt.date | None
    decided_on: dt.date


@dataclass(frozen=True, slots=True)
class MeasureItem:
    measure_type: str
    start_date: dt.date
    end_date: dt.date | None
    hours_per_week: Decimal


@dataclass(frozen=True, slots=True)
class TerminationItem:
    """The end of a participation with a real reason (the termination catalogue's code)."""

    end_date: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class RelatedItemStatusItem:
    """The status of one of an intro participant's related items (rules-norsk.md N8):
    kompetansekartlegging, karriereveiledning, integreringskontrakt, livsmestring or
    foreldreveiledning. ``marked_applicable``: the caseworker says foreldreveiledning
    applies (Decision N8-c)."""

    item_kind: str
    status: str
    date_completed: dt.date | None = None
    source: str = "nir"
    marked_applicable: bool = False


Item = (
    SluttmaalItem
    | DecisionItem
    | LeaveItem
    | AbsenceItem
    | ExtensionItem
    | StopItem
    | MeasureItem
    | RelatedItemStatusItem
)


# The Norwegian-training scheme's items (rules-norsk.md N2-N6). Leave is ``LeaveItem``, the
# programme's: the same leave types and the same clock stop (N3).


@dataclass(frozen=True, slots=True)
class NorskmaalItem:
    """A norskmaal version (N2): a level per skill, or the alternative goal."""

    valid_from: dt.date
    levels: tuple[tuple[Skill, CefrLevel], ...]
    kind: NorskmaalKind = NorskmaalKind.LEVELS


@dataclass(frozen=True, slots=True)
class ExtendedNorwegianItem:
    """A decision on extended Norwegian under integreringsforskriften § 43 g (N3-c)."""

    decision_date: dt.date
    months: int


@dataclass(frozen=True, slots=True)
class FinalTestResultItem:
    """One sitting of a final test (N4-b)."""

    result: FinalTestResult


@dataclass(frozen=True, slots=True)
class FritakItem:
    """An exemption from training or a test (N4-c)."""

    fritak: Fritak


@dataclass(frozen=True, slots=True)
class NorskHoursItem:
    """Hours completed in a period: Norwegian, or social studies (per module in the
    75-hour scheme, N1)."""

    subject: Subject
    start_date: dt.date
    end_date: dt.date
    hours: Decimal
    module: int | None = None


@dataclass(frozen=True, slots=True)
class NorskEducationItem:
    """The education background, three values confirmed by the caseworker (N2-a); it sets
    the frist's 18 months or 3 years (N3-b) and the § 43 g count limit."""

    background: EducationBackground


@dataclass(frozen=True, slots=True)
class NorskEndItem:
    """The end of the ordning with a reason of N6."""

    end_date: dt.date
    reason: str


NorskItem = (
    LeaveItem
    | NorskmaalItem
    | ExtendedNorwegianItem
    | FinalTestResultItem
    | FritakItem
    | NorskHoursItem
    | NorskEducationItem
    | NorskEndItem
)
