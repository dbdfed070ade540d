"""Every reply but the record itself: problems, write results, participants and pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field

from nir.api.problems import TYPE_PATTERN
from nir.api.schemas import OutSchema
from nir.api.schemas.records import RecordOut
from nir.api.schemas.value_sets import (
    AuthMethod,
    ChangeAction,
    ChangeEntity,
    ClockStopType,
    GrantStatusOut,
    MissingCode,
    TerminationReason,
    WindowStatusOut,
)
from nir.register.models import TerminationSource
from nir.register.services.context import Channel
from nir.register.services.upsert.results import Outcome
from nir.rules.basis import BasisKind
from nir.rules.norsk.related_items import ItemStatus, RelatedItemKind
from nir.rules.programme_length import ProgrammeGroup
from nir.rules.regime import Category, Regime
from nir.rules.schemes import Scheme
from nir.rules.termination import ParticipationStatus


class ErrorItem(OutSchema):
    field: str = Field(description="Where in the input: a path such as leaves[0].start_date.")
    code: str = Field(
        description="Stable machine code, e.g. registration_window.closed; new codes may "
        "be added within v1."
    )
    message: str = Field(description="Norwegian text for a caseworker.")
    rule: str = Field(description="The register's rule id.")
    reference: str = Field(description="The legal basis, as a citation.")
    params: dict[str, Any] = Field(default_factory=dict)


class Problem(OutSchema):
    """RFC 9457 problem details, with the register's list of field errors."""

    type: str = Field(pattern=TYPE_PATTERN, description="One of the register's problem types.")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    errors: list[ErrorItem] = Field(default_factory=list)


class RecordResultOut(OutSchema):
    index: int = Field(description="The record's position in the request, from 0.")
    case_id: str
    outcome: Outcome
    participation_id: int | None = Field(description="Null when the record was rejected.")
    version: int | None = Field(description="The participation's version; its ETag.")
    content_hash: str | None = Field(
        description="Equals the reconciliation hash while nothing changes."
    )
    errors: list[ErrorItem]
    warnings: list[ErrorItem] = Field(
        description=(
            "What the register holds and the record lacks, which an upsert never removes "
            "(registration.not_in_record, termination.not_in_record), each naming the "
            "operation that does; and programme_time.exceeds_sluttmaal: a start decision "
            "granting more programme time than the sluttmål gives (register the extension, "
            "or the register ends the participation at the frist)."
        ),
    )


class BatchSummary(OutSchema):
    created: int
    updated: int
    unchanged: int
    not_applied: int
    rejected: int


class BatchOut(OutSchema):
    dry_run: bool
    summary: BatchSummary
    results: list[RecordResultOut]


class MissingOut(OutSchema):
    code: MissingCode
    field: str
    message: str
    due: dt.date | None
    rule: str
    reference: str


class BasisOut(OutSchema):
    rule_id: str
    reference: str = Field(
        description="The law, regulation or IMDi practice cited, or «Registerets regel: …»."
    )
    kind: BasisKind
    kind_label: str = Field("", description="The kind as a reader says it, in Norwegian.")
    url: str = Field("", description="The public page of the source (lovdata.no, imdi.no).")


class ExtensionOut(OutSchema):
    ref: str
    months: int
    decided_on: dt.date


class ClockStopOut(OutSchema):
    ref: str
    type: ClockStopType
    label: str
    start: dt.date
    end: dt.date
    extends_deadline: bool
    counted_days: int


class FristDerivationOut(OutSchema):
    """Why the frist is what it is, as shown to caseworkers."""

    start: dt.date
    group: ProgrammeGroup
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


class ReasonRegistrationOut(OutSchema):
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


class RelatedItemStatusOut(OutSchema):
    """What one related item (kompetansekartlegging, karriereveiledning,
    integreringskontrakt, livsmestring or foreldreveiledning) stands at, as the register
    counts it."""

    item_kind: RelatedItemKind
    status: ItemStatus = Field(
        description="The newest registered status; ikke_startet when none is; "
        "foreldreveiledning ikke_aktuelt unless marked applicable."
    )
    date_completed: dt.date | None


class ParticipantOut(OutSchema):
    id: int
    case_id: str
    kommune: str
    version: int
    status: ParticipationStatus
    regime: Regime
    category: Category
    start_date: dt.date
    frist: dt.date
    frist_derivation: FristDerivationOut
    end_date: dt.date | None
    termination_reason: TerminationReason | None = Field(
        description="Null while the participation is open."
    )
    termination_source: TerminationSource | None = Field(
        description="user: registered by the municipality; system: ended by the register. "
        "Null while the participation is open."
    )
    missing: list[MissingOut]
    reason_registration: ReasonRegistrationOut | None = Field(
        description="Set when the register ended the participation (ended_by_system)."
    )
    related_item_status: list[RelatedItemStatusOut] = Field(
        description="Each related item the participant has under the regime (no "
        "integreringskontrakt under introduksjonsloven)."
    )
    related_item_warnings: list[ErrorItem] = Field(
        description="What the law expects that the related items do not show: a start "
        "decision without a completed kompetansekartlegging (a warning, never a refusal), "
        "a foreldreveiledning counted as not applicable. The field is the item kind."
    )
    record: RecordOut
    content_hash: str


# --- pages: one model for every list --------------------------------------------------------

Cursor = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,18}(-[0-9]{1,18})?$",
        max_length=37,
        description="Opaque: pass a page's next_cursor back as it is; 0 is the start of every "
        "list. Each list has its own form.",
    ),
]
NEXT_CURSOR = Field(
    description="Where the next page starts: pass it as ?after=. Also the place to resume "
    "from later when has_more is false."
)
HAS_MORE = Field(description="True when another page follows now; never an empty last page.")


class ParticipantSummaryOut(OutSchema):
    id: int
    case_id: str
    identity_number: str
    status: ParticipationStatus
    start_date: dt.date
    frist: dt.date
    end_date: dt.date | None
    version: int


class ParticipantPage(OutSchema):
    items: list[ParticipantSummaryOut]
    next_cursor: Cursor = NEXT_CURSOR
    has_more: bool = HAS_MORE


class ChangeOut(OutSchema):
    id: int = Field(description="The event id.")
    occurred_at: dt.datetime
    action: ChangeAction
    entity: ChangeEntity
    channel: Channel
    scheme: Scheme | None = Field(
        description="The scheme of the participation the event is about (introduksjonsprogram "
        "or norsk); null for a person's own facts."
    )
    participation_id: int | None = Field(description="The programme's participation, if any.")
    norsk_participation_id: int | None = Field(
        description="The Norwegian-training ordning, if any."
    )
    case_id: str | None
    identity_number: str | None


class ChangePage(OutSchema):
    items: list[ChangeOut]
    next_cursor: Cursor = NEXT_CURSOR
    has_more: bool = HAS_MORE


class ReconciliationItem(OutSchema):
    id: int
    case_id: str
    identity_number: str
    version: int
    content_hash: str


class ReconciliationPage(OutSchema):
    items: list[ReconciliationItem]
    next_cursor: Cursor = NEXT_CURSOR
    has_more: bool = HAS_MORE


class DeadlineOut(OutSchema):
    id: int
    case_id: str
    identity_number: str
    frist: dt.date
    days_left: int
    version: int


class DeadlinesOut(OutSchema):
    as_of: dt.date
    within_days: int
    items: list[DeadlineOut]
    next_cursor: Cursor = NEXT_CURSOR
    has_more: bool = HAS_MORE


class GrantOut(OutSchema):
    """IMDi's time-limited permission to register events in a past period."""

    id: int
    covers_from: dt.date = Field(description="The first event date it covers.")
    covers_to: dt.date = Field(description="The last event date it covers.")
    granted_on: dt.date
    expires_on: dt.date = Field(description="The last day it can be used.")
    revoked_on: dt.date | None
    status: GrantStatusOut


class GrantsOut(OutSchema):
    as_of: dt.date
    items: list[GrantOut]
    next_cursor: Cursor = NEXT_CURSOR
    has_more: bool = HAS_MORE


class MeOut(OutSchema):
    name: str
    method: AuthMethod
    kommune: str
    kommune_name: str
    schemes: list[Scheme] = Field(
        description="The schemes the client writes and reads: introduksjonsprogram (the "
        "participants' paths) and norsk (the /norsk paths and /batch/norsk-participations)."
    )
