"""The participant record: as a case system sends it, and as the register sends it back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

from nir.api.schemas import OutSchema
from nir.api.schemas.value_sets import AbsenceType, LeaveType, TerminationReasonIn
from nir.register.models import DecisionType, Sex, StopKind
from nir.rules.norsk.related_items import ItemSource, ItemStatus, RelatedItemKind
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import Category, PermitType

CaseId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="The municipality's own case id; with the identity number, the record key.",
        examples=["2025/1234"],
    ),
]


def _hours(limit: Decimal) -> Any:
    """A JSON number with at most one decimal, as the register stores hours (15, 7.5)."""

    def parse(value: Any) -> Decimal:
        # A number only: "15.0" as a string is refused, as the contract says.
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueError("must be a number")
        number = Decimal(str(value))
        if number != number.quantize(Decimal("0.1")):
            raise ValueError("at most one decimal")
        if not Decimal(0) <= number <= limit:
            raise ValueError(f"from 0 to {limit}")
        return number.quantize(Decimal("0.1"))

    return parse


def _hours_schema(limit: str) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "number",
            "minimum": 0,
            "maximum": float(limit),
            "description": "A number with at most one decimal (15, 7.5).",
            "examples": [7.5],
        }
    )


_AS_NUMBER = PlainSerializer(float, return_type=float)
Hours = Annotated[
    Decimal, BeforeValidator(_hours(Decimal("999.9"))), _AS_NUMBER, _hours_schema("999.9")
]
AbsenceHours = Annotated[
    Decimal, BeforeValidator(_hours(Decimal("99999.9"))), _AS_NUMBER, _hours_schema("99999.9")
]
# In a reply the register's own stored value, sent as a number.
HoursOut = Annotated[Decimal, _AS_NUMBER, _hours_schema("999.9")]
AbsenceHoursOut = Annotated[Decimal, _AS_NUMBER, _hours_schema("99999.9")]


class PersonIn(Schema):
    identity_number: str = Field(
        min_length=11,
        max_length=14,
        description="Fødselsnummer or D-nummer, 11 digits (spaces are ignored).",
    )
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    birth_date: dt.date
    permit_type: PermitType
    permit_date: dt.date
    sex: Sex = Sex.UKJENT
    duf_number: str = Field("", max_length=12, description="12 digits, or empty.")
    arrival_date: dt.date | None = None
    settlement_date: dt.date | None = None
    settled_by_agreement: bool = True
    has_upper_secondary: bool | None = Field(
        None, description="Education background; null while it is not registered."
    )
    research_reservation: bool = False


class SluttmaalIn(Schema):
    sluttmaal: Sluttmaal
    valid_from: dt.date


class DecisionIn(Schema):
    decision_type: DecisionType
    decided_on: dt.date
    reason: str = Field("", max_length=200)
    programme_months: int | None = Field(
        None,
        ge=1,
        le=48,
        description="The programme time a start decision (tilbud, innvilget, oppstart) "
        "grants, in months. Where it exceeds what the sluttmål and extensions give, the "
        "reply warns: register the extension, or the register ends the participation at "
        "the frist.",
    )


class MeasureIn(Schema):
    measure_type: str = Field(
        min_length=1,
        max_length=48,
        pattern=r"\S",
        description="The measure in the municipality's words (free text, not blank).",
        examples=["norskopplaering"],
    )
    start_date: dt.date
    end_date: dt.date | None = None
    hours_per_week: Hours


class LeaveIn(Schema):
    leave_type: LeaveType
    start_date: dt.date
    end_date: dt.date
    decided_on: dt.date


class AbsenceIn(Schema):
    absence_type: AbsenceType
    start_date: dt.date
    end_date: dt.date
    hours: AbsenceHours | None = Field(
        None, description="Hours of absence; null for a dated interval."
    )


class ExtensionIn(Schema):
    months: int = Field(ge=1, le=24)
    decided_on: dt.date


class StopIn(Schema):
    kind: StopKind
    start_date: dt.date
    end_date: dt.date | None = Field(
        None, description="Required for a temporary stop; ignored for a permanent one."
    )
    decided_on: dt.date


class RelatedItemIn(Schema):
    """The status of one of the intro participant's related items as it stands now
    (kompetansekartlegging, karriereveiledning, integreringskontrakt, livsmestring or
    foreldreveiledning). One per kind: one unlike the stored status is registered as its
    new status, and leaving a kind out changes nothing."""

    item_kind: RelatedItemKind
    status: ItemStatus
    date_completed: dt.date | None = Field(
        None, description="Required when, and only when, the status is gjennomfort."
    )
    source: ItemSource = Field(
        ItemSource.NIR,
        description="imdinett_readonly: read from IMDinett (kompetansekartlegging and "
        "karriereveiledning only).",
    )
    marked_applicable: bool = Field(
        False,
        description="foreldreveiledning: the caseworker marks it applicable (the participant "
        "has or is expecting a child under 18); without it the register counts it as "
        "ikke_aktuelt.",
    )


class TerminationIn(Schema):
    end_date: dt.date
    reason: TerminationReasonIn = Field(description="The main activity at the end.")


class RecordIn(Schema):
    """One participant as the case system holds it. Resending it changes only what differs."""

    case_id: CaseId
    person: PersonIn
    start_date: dt.date
    category: Category | None = Field(
        None, description="Omit to let the register suggest it from the person's facts."
    )
    sluttmaal: list[SluttmaalIn] = Field(default_factory=list, max_length=50)
    decisions: list[DecisionIn] = Field(default_factory=list, max_length=200)
    measures: list[MeasureIn] = Field(default_factory=list, max_length=200)
    leaves: list[LeaveIn] = Field(default_factory=list, max_length=100)
    absences: list[AbsenceIn] = Field(default_factory=list, max_length=500)
    extensions: list[ExtensionIn] = Field(default_factory=list, max_length=20)
    stops: list[StopIn] = Field(default_factory=list, max_length=50)
    related_items: list[RelatedItemIn] = Field(
        default_factory=list,
        max_length=len(RelatedItemKind),
        description="Kompetansekartlegging, karriereveiledning, integreringskontrakt, "
        "livsmestring and foreldreveiledning, at most one each.",
    )
    termination: TerminationIn | None = None


# --- the stored record, in the shape the case system sends, as the register sends it back ---


class PersonOut(OutSchema):
    identity_number: str
    given_name: str
    family_name: str
    birth_date: dt.date
    permit_type: PermitType
    permit_date: dt.date
    sex: Sex
    duf_number: str
    arrival_date: dt.date | None
    settlement_date: dt.date | None
    settled_by_agreement: bool
    has_upper_secondary: bool | None
    research_reservation: bool


class SluttmaalOut(OutSchema):
    sluttmaal: Sluttmaal
    valid_from: dt.date


class DecisionOut(OutSchema):
    decision_type: DecisionType
    decided_on: dt.date
    reason: str
    programme_months: int | None = Field(
        None, description="The programme time a start decision grants; null when it says none."
    )


class MeasureOut(OutSchema):
    measure_type: str
    start_date: dt.date
    end_date: dt.date | None
    hours_per_week: HoursOut


class LeaveOut(OutSchema):
    leave_type: LeaveType
    start_date: dt.date
    end_date: dt.date
    decided_on: dt.date


class AbsenceOut(OutSchema):
    absence_type: AbsenceType
    start_date: dt.date
    end_date: dt.date
    hours: AbsenceHoursOut | None


class ExtensionRecordOut(OutSchema):
    months: int
    decided_on: dt.date


class StopOut(OutSchema):
    kind: StopKind
    start_date: dt.date
    end_date: dt.date | None
    decided_on: dt.date


class RelatedItemOut(OutSchema):
    item_kind: RelatedItemKind
    status: ItemStatus
    date_completed: dt.date | None
    source: ItemSource
    marked_applicable: bool


class TerminationOut(OutSchema):
    end_date: dt.date
    reason: TerminationReasonIn


class RecordOut(OutSchema):
    """A stored participant in the shape the case system sends (``case_id`` may be empty
    for a participation registered in the web UI without one); ``termination`` is the
    municipality's own, null while none is registered."""

    case_id: str
    person: PersonOut
    start_date: dt.date
    category: Category
    sluttmaal: list[SluttmaalOut]
    decisions: list[DecisionOut]
    measures: list[MeasureOut]
    leaves: list[LeaveOut]
    absences: list[AbsenceOut]
    extensions: list[ExtensionRecordOut]
    stops: list[StopOut]
    related_items: list[RelatedItemOut] = Field(
        default_factory=list, description="The status of each related item that has one."
    )
    termination: TerminationOut | None
