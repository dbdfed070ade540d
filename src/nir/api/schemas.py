"""The API's typed input and output: the contract published in docs/openapi.json."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from nir.api.idempotency import KEY_FORM
from nir.api.problems import TYPE_PATTERN
from nir.register.models import DecisionType, Participation, Sex, StopKind, TerminationSource
from nir.register.services.context import Channel
from nir.rules.basis import BasisKind
from nir.rules.programme_length import ProgrammeGroup, Sluttmaal
from nir.rules.regime import Category, PermitType, Regime

# Value sets. Each enum of the contract is closed at a given contract version; within v1
# values may be added (docs/api.md, «Value sets»), so a client must accept a value it does
# not know in a reply. The API's own enums below mirror the rules' catalogues
# (nir.rules.config, nir.rules.termination); tests/api/test_api_types.py keeps them equal.


class LeaveType(StrEnum):
    FORELDREPERMISJON = "foreldrepermisjon"
    OMSORGSPERMISJON = "omsorgspermisjon"
    SYKDOM = "sykdom"
    ANNEN = "annen"


class AbsenceType(StrEnum):
    GYLDIG_FRAVAER = "gyldig_fravaer"
    SYKEFRAVAER_LEGEERKLAERING = "sykefravaer_legeerklaering"
    UGYLDIG_FRAVAER = "ugyldig_fravaer"


class ClockStopType(StrEnum):
    """A leave or a dated absence in the frist's derivation: the leave or absence type."""

    FORELDREPERMISJON = "foreldrepermisjon"
    OMSORGSPERMISJON = "omsorgspermisjon"
    SYKDOM = "sykdom"
    ANNEN = "annen"
    GYLDIG_FRAVAER = "gyldig_fravaer"
    SYKEFRAVAER_LEGEERKLAERING = "sykefravaer_legeerklaering"
    UGYLDIG_FRAVAER = "ugyldig_fravaer"


class TerminationReasonIn(StrEnum):
    """The reasons a municipality may register (the register's list of termination reasons)."""

    ARBEID = "arbeid"
    UTDANNING_VGO = "utdanning_vgo"
    UTDANNING_HOYERE = "utdanning_hoyere"
    ARBEID_OG_UTDANNING = "arbeid_og_utdanning"
    GRUNNSKOLE = "grunnskole"
    NAV_TILTAK = "nav_tiltak"
    FLYTTET = "flyttet"
    STANS = "stans"
    AVBRUTT = "avbrutt"
    HELSE = "helse"
    FORELDREPERMISJON = "foreldrepermisjon"
    UTVANDRET = "utvandret"
    DOD = "dod"
    TID_UTLOPT = "tid_utlopt"
    ANNET = "annet"


class TerminationReason(StrEnum):
    """Every reason a participation can have ended with: the municipality's, and
    «ikke_registrert», which only the register sets (the frist passed with no end)."""

    ARBEID = "arbeid"
    UTDANNING_VGO = "utdanning_vgo"
    UTDANNING_HOYERE = "utdanning_hoyere"
    ARBEID_OG_UTDANNING = "arbeid_og_utdanning"
    GRUNNSKOLE = "grunnskole"
    NAV_TILTAK = "nav_tiltak"
    FLYTTET = "flyttet"
    STANS = "stans"
    AVBRUTT = "avbrutt"
    HELSE = "helse"
    FORELDREPERMISJON = "foreldrepermisjon"
    UTVANDRET = "utvandret"
    DOD = "dod"
    TID_UTLOPT = "tid_utlopt"
    ANNET = "annet"
    IKKE_REGISTRERT = "ikke_registrert"


class MissingCode(StrEnum):
    TERMINATION_REASON = "termination_reason"
    SLUTTMAAL = "sluttmaal"
    DECISION = "decision"
    MEASURES = "measures"
    EDUCATION = "education"
    PROGRAMME_TIME = "programme_time"


class ChangeEntity(StrEnum):
    PARTICIPATION = "participation"
    PERSON = "person"
    SLUTTMAAL = "sluttmaal"
    DECISION = "decision"
    MEASURE = "measure"
    LEAVE = "leave"
    ABSENCE = "absence"
    EXTENSION = "extension"
    STOP = "stop"
    GRANT = "grant"
    KOMMUNE = "kommune"
    SUPPORT_REQUEST = "support_request"
    RESEARCH_EXTRACT = "research_extract"


class ChangeAction(StrEnum):
    PARTICIPATION_CREATED = "participation_created"
    PARTICIPATION_SEEDED = "participation_seeded"
    PERSON_REGISTERED = "person_registered"
    PERSON_UPDATED = "person_updated"
    PERSON_ANONYMISED = "person_anonymised"
    SLUTTMAAL_REGISTERED = "sluttmaal_registered"
    DECISION_REGISTERED = "decision_registered"
    MEASURE_REGISTERED = "measure_registered"
    LEAVE_REGISTERED = "leave_registered"
    ABSENCE_REGISTERED = "absence_registered"
    EXTENSION_REGISTERED = "extension_registered"
    STOP_REGISTERED = "stop_registered"
    REGISTRATION_CANCELLED = "registration_cancelled"
    TERMINATION_REGISTERED = "termination_registered"
    TERMINATION_REPLACED_AUTOMATIC = "termination_replaced_automatic"
    TERMINATION_CANCELLED = "termination_cancelled"
    AUTOMATIC_TERMINATION_END = "automatic_termination_end"
    AUTOMATIC_TERMINATION_LIFT = "automatic_termination_lift"
    AUTOMATIC_TERMINATION_MOVE = "automatic_termination_move"
    FRIST_RECOMPUTED = "frist_recomputed"
    LATE_REGISTRATION_GRANTED = "late_registration_granted"
    LATE_REGISTRATION_REVOKED = "late_registration_revoked"


class AuthMethod(StrEnum):
    TOKEN = "token"  # noqa: S105 - the name of the method, not a secret
    MASKINPORTEN = "maskinporten"


class OutSchema(Schema):
    """A reply: every field is always sent (null where it says so), so all are required."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


# The forms the register reads in its request headers; anything else is refused as the
# schema refuses it (422). The key: printable ASCII, no space at either end (HTTP trims it).
IDEMPOTENCY_KEY_PATTERN = "^" + KEY_FORM.pattern + "$"
IF_MATCH_PATTERN = r'^(?:\*|"[0-9]{1,18}")$'


def etag(version: int) -> str:
    """A participation's version as its strong ETag."""
    return f'"{version}"'


def version_in_if_match(value: str) -> int | None:
    """The version an If-Match (already checked against IF_MATCH_PATTERN) names; None for
    «*», which matches whatever version exists."""
    tag = value.strip()
    return None if tag == "*" else int(tag.strip('"'))


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
# Free text with something in it (the register refuses a blank one).
NonBlank = Field(min_length=1, max_length=48, pattern=r"\S")


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
    termination: TerminationIn | None = None


class BatchIn(Schema):
    """Up to 1,000 records; each is checked on its own (one malformed record is one
    rejected result, not a refused batch)."""

    records: list[RecordIn] = Field(min_length=1, max_length=1000)


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
    termination: TerminationOut | None


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


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    NOT_APPLIED = "not_applied"
    REJECTED = "rejected"


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


class ParticipationStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    ENDED_BY_SYSTEM = "ended_by_system"


def participation_status(p: Participation) -> ParticipationStatus:
    if p.end_date is None:
        return ParticipationStatus.ACTIVE
    if p.termination_source == TerminationSource.SYSTEM:
        return ParticipationStatus.ENDED_BY_SYSTEM
    return ParticipationStatus.ENDED


class WindowStatusOut(StrEnum):
    """Whether the real reason of an end by the register can still be registered."""

    OPEN = "open"
    GRANTED = "granted"
    NEEDS_GRANT = "needs_grant"
    TOO_OLD = "too_old"


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
_NEXT_CURSOR = Field(
    description="Where the next page starts: pass it as ?after=. Also the place to resume "
    "from later when has_more is false."
)
_HAS_MORE = Field(description="True when another page follows now; never an empty last page.")


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
    next_cursor: Cursor = _NEXT_CURSOR
    has_more: bool = _HAS_MORE


class ChangeOut(OutSchema):
    id: int = Field(description="The event id.")
    occurred_at: dt.datetime
    action: ChangeAction
    entity: ChangeEntity
    channel: Channel
    participation_id: int | None
    case_id: str | None
    identity_number: str | None


class ChangePage(OutSchema):
    items: list[ChangeOut]
    next_cursor: Cursor = _NEXT_CURSOR
    has_more: bool = _HAS_MORE


class ReconciliationItem(OutSchema):
    id: int
    case_id: str
    identity_number: str
    version: int
    content_hash: str


class ReconciliationPage(OutSchema):
    items: list[ReconciliationItem]
    next_cursor: Cursor = _NEXT_CURSOR
    has_more: bool = _HAS_MORE


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
    next_cursor: Cursor = _NEXT_CURSOR
    has_more: bool = _HAS_MORE


class GrantStatusOut(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"


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
    next_cursor: Cursor = _NEXT_CURSOR
    has_more: bool = _HAS_MORE


class MeOut(OutSchema):
    name: str
    method: AuthMethod
    kommune: str
    kommune_name: str
