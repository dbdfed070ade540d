"""The API's typed input and output: the contract published in docs/openapi.json."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from nir.register.models import DecisionType, Sex, StopKind
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
Hours = Annotated[Decimal, Field(max_digits=4, decimal_places=1, examples=["15.0"])]
AbsenceHours = Annotated[Decimal, Field(max_digits=6, decimal_places=1, examples=["7.5"])]


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
    measure_type: str = Field(min_length=1, max_length=48)
    start_date: dt.date
    end_date: dt.date | None = None
    hours_per_week: Hours


class LeaveIn(Schema):
    leave_type: str = Field(
        max_length=32,
        description="foreldrepermisjon, omsorgspermisjon, sykdom or annen (see docs/rules.md).",
    )
    start_date: dt.date
    end_date: dt.date
    decided_on: dt.date


class AbsenceIn(Schema):
    absence_type: str = Field(
        max_length=32, description="gyldig_fravaer, sykefravaer_legeerklaering, ugyldig_fravaer"
    )
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


class TerminationIn(Schema):
    end_date: dt.date
    reason: str = Field(
        max_length=32,
        description="A termination reason code (docs/rules.md §6).",
        examples=["arbeid"],
    )


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
    termination: TerminationIn | None = None


class RecordOut(RecordIn):
    """A stored participant in the shape the case system sends (``case_id`` may be empty
    for a participation registered in the web UI without one)."""

    case_id: str


class ErrorItem(Schema):
    field: str = Field(description="Where in the input: a path such as leaves[0].start_date.")
    code: str = Field(description="Stable machine code, e.g. registration_window.closed.")
    message: str = Field(description="Norwegian text for a caseworker.")
    rule: str = Field(description="The register's rule id (docs/rules.md).")
    reference: str = Field(description="The legal basis, as a citation.")
    params: dict[str, Any] = Field(default_factory=dict)


class Problem(Schema):
    """RFC 9457 problem details, with the register's list of field errors."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ErrorItem] = Field(default_factory=list)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    NOT_APPLIED = "not_applied"
    REJECTED = "rejected"


class RecordResultOut(Schema):
    index: int = Field(description="The record's position in the request, from 0.")
    case_id: str
    outcome: Outcome
    participation_id: int | None = None
    version: int | None = Field(None, description="The participation's version; its ETag.")
    content_hash: str | None = Field(
        None, description="Equals the reconciliation hash while nothing changes."
    )
    errors: list[ErrorItem] = Field(default_factory=list)
    warnings: list[ErrorItem] = Field(
        default_factory=list,
        description=(
            "What the register holds and the record lacks, which an upsert never removes "
            "(registration.not_in_record, termination.not_in_record), each naming the "
            "operation that does; and programme_time.exceeds_sluttmaal: a start decision "
            "granting more programme time than the sluttmål gives (register the extension, "
            "or the register ends the participation at the frist)."
        ),
    )


class BatchSummary(Schema):
    created: int
    updated: int
    unchanged: int
    not_applied: int
    rejected: int


class BatchOut(Schema):
    dry_run: bool
    summary: BatchSummary
    results: list[RecordResultOut]


class MissingOut(Schema):
    code: str
    field: str
    message: str
    due: dt.date | None
    rule: str
    reference: str


class BasisOut(Schema):
    rule_id: str
    reference: str
    kind: str = Field(description="lov, forskrift, praksis or beslutning")


class ExtensionOut(Schema):
    ref: str
    months: int
    decided_on: dt.date


class ClockStopOut(Schema):
    ref: str
    type: str
    label: str
    start: dt.date
    end: dt.date
    extends_deadline: bool
    counted_days: int


class FristDerivationOut(Schema):
    """Why the frist is what it is (rules.md §3), as shown to caseworkers."""

    start: dt.date
    group: str
    rule_row: str
    rule_reference: str
    base_months: int
    extensions: list[ExtensionOut]
    extension_months: int
    months_total: int
    months_date: dt.date
    clock_stops: list[ClockStopOut]
    leave_days: int
    frist: dt.date
    sluttmaal_missing: bool
    basis: list[BasisOut]
    explanation: list[str] = Field(description="The derivation in Norwegian, step by step.")


class ParticipationStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    ENDED_BY_SYSTEM = "ended_by_system"


class WindowStatusOut(StrEnum):
    """Whether the real reason of an end by the register can still be registered."""

    OPEN = "open"
    GRANTED = "granted"
    NEEDS_GRANT = "needs_grant"
    TOO_OLD = "too_old"


class ReasonRegistrationOut(Schema):
    """For a participation the register ended: can its real reason still be registered?"""

    status: WindowStatusOut = Field(
        description="open: within two months of the end; granted: a late-registration grant "
        "covers it; needs_grant: only a grant from IMDi can admit it; too_old: more than 12 "
        "months back, it can no longer be registered."
    )
    until: dt.date | None = Field(
        description="The last day to register (open, granted) or to use a grant "
        "(needs_grant); null when too_old."
    )
    grant_id: int | None = Field(description="The grant that admits it (granted), else null.")
    message: str = Field(description="The state in Norwegian, as caseworkers read it.")
    rule: str
    reference: str


class ParticipantOut(Schema):
    id: int
    case_id: str
    kommune: str
    version: int
    status: ParticipationStatus
    regime: str
    category: str
    start_date: dt.date
    frist: dt.date
    frist_derivation: FristDerivationOut
    end_date: dt.date | None
    termination_reason: str
    termination_source: str
    missing: list[MissingOut]
    reason_registration: ReasonRegistrationOut | None = Field(
        description="Set when the register ended the participation (ended_by_system)."
    )
    record: RecordOut
    content_hash: str


class ParticipantSummaryOut(Schema):
    id: int
    case_id: str
    identity_number: str
    status: ParticipationStatus
    start_date: dt.date
    frist: dt.date
    end_date: dt.date | None
    version: int


class ParticipantPage(Schema):
    items: list[ParticipantSummaryOut]
    next_cursor: int | None = Field(
        description="Pass as ?after= for the next page; null at the end."
    )


class ChangeOut(Schema):
    id: int = Field(description="The event id: the cursor.")
    occurred_at: dt.datetime
    action: str
    entity: str
    channel: str
    participation_id: int | None
    case_id: str | None
    identity_number: str | None


class ChangePage(Schema):
    items: list[ChangeOut]
    next_cursor: int = Field(description="Pass as ?after= next time; unchanged when empty.")
    has_more: bool


class ReconciliationItem(Schema):
    id: int
    case_id: str
    identity_number: str
    version: int
    content_hash: str


class ReconciliationPage(Schema):
    items: list[ReconciliationItem]
    next_cursor: int | None


class DeadlineOut(Schema):
    id: int
    case_id: str
    identity_number: str
    frist: dt.date
    days_left: int
    version: int


class DeadlinesOut(Schema):
    as_of: dt.date
    within_days: int
    items: list[DeadlineOut]
    next_cursor: str | None = Field(
        description="Pass as `after` for the next page; null on the last page."
    )


class GrantStatusOut(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"


class GrantOut(Schema):
    """IMDi's time-limited permission to register events in a past period."""

    id: int
    covers_from: dt.date = Field(description="The first event date it covers.")
    covers_to: dt.date = Field(description="The last event date it covers.")
    granted_on: dt.date
    expires_on: dt.date = Field(description="The last day it can be used.")
    revoked_on: dt.date | None
    status: GrantStatusOut


class GrantsOut(Schema):
    as_of: dt.date
    items: list[GrantOut]


class MeOut(Schema):
    name: str
    method: str
    kommune: str
    kommune_name: str
