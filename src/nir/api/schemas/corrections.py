"""The corrections' contract, either scheme's: which registration to cancel, named as the
record holds it, and the participation (or the Norwegian-training ordning) as the
correction leaves it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from nir.api.schemas import OutSchema
from nir.api.schemas.norsk import (
    ExemptionIn,
    ExtendedNorwegianIn,
    FinalTestResultIn,
    NorskHoursIn,
    NorskmaalIn,
)
from nir.api.schemas.records import (
    AbsenceIn,
    CaseId,
    DecisionIn,
    ExtensionIn,
    LeaveIn,
    MeasureIn,
    SluttmaalIn,
    StopIn,
)
from nir.api.schemas.value_sets import NorskEndReason, TerminationReason
from nir.register.models import TerminationSource
from nir.rules.norsk.end_reasons import SetBy
from nir.rules.norsk.frist import OrdningStatus
from nir.rules.termination import ParticipationStatus


class SluttmaalToCancel(SluttmaalIn):
    entity: Literal["sluttmaal"]


class DecisionToCancel(DecisionIn):
    entity: Literal["decision"]


class MeasureToCancel(MeasureIn):
    entity: Literal["measure"]


class LeaveToCancel(LeaveIn):
    entity: Literal["leave"]


class AbsenceToCancel(AbsenceIn):
    entity: Literal["absence"]


class ExtensionToCancel(ExtensionIn):
    entity: Literal["extension"]


class StopToCancel(StopIn):
    entity: Literal["stop"]


RegistrationToCancel = Annotated[
    SluttmaalToCancel
    | DecisionToCancel
    | MeasureToCancel
    | LeaveToCancel
    | AbsenceToCancel
    | ExtensionToCancel
    | StopToCancel,
    Field(discriminator="entity"),
]

Reason = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="Why, in the caseworker's words; kept in the participation's history.",
        examples=["Registrert på feil deltaker"],
    ),
]


class CancelRegistrationIn(Schema):
    """Which registration to cancel, named as the case system sent it in the record."""

    case_id: CaseId
    registration: RegistrationToCancel = Field(
        description=(
            "The registration as it stands in the record; `entity` says which kind (the "
            "change feed's name for it)."
        )
    )
    reason: Reason


class UndoTerminationIn(Schema):
    case_id: CaseId
    reason: Reason


class CorrectionOutcome(StrEnum):
    CANCELLED = "cancelled"
    TERMINATION_UNDONE = "termination_undone"
    END_UNDONE = "end_undone"  # a Norwegian-training ordning's end


class CorrectionOut(OutSchema):
    """The participation after the correction (or as it would be, on a dry run)."""

    dry_run: bool
    outcome: CorrectionOutcome
    case_id: str
    participation_id: int
    version: int = Field(description="The participation's version now; its ETag.")
    status: ParticipationStatus
    frist: dt.date
    end_date: dt.date | None
    termination_reason: TerminationReason | None = Field(
        description="Null while the participation is active."
    )
    termination_source: TerminationSource | None = Field(
        description="Null while the participation is active."
    )
    content_hash: str = Field(description="Equals the reconciliation hash while nothing changes.")


# --- Training in Norwegian and social studies -------------------------------------------------


class NorskmaalToCancel(NorskmaalIn):
    entity: Literal["norskmaal"]


class NorskLeaveToCancel(LeaveIn):
    entity: Literal["norsk_leave"]


class ExtendedNorwegianToCancel(ExtendedNorwegianIn):
    entity: Literal["extended_norwegian"]


class NorskHoursToCancel(NorskHoursIn):
    entity: Literal["norsk_hours"]


class NorskTestResultToCancel(FinalTestResultIn):
    entity: Literal["norsk_test_result"]


class NorskExemptionToCancel(ExemptionIn):
    entity: Literal["norsk_exemption"]


NorskRegistrationToCancel = Annotated[
    NorskmaalToCancel
    | NorskLeaveToCancel
    | ExtendedNorwegianToCancel
    | NorskHoursToCancel
    | NorskTestResultToCancel
    | NorskExemptionToCancel,
    Field(discriminator="entity"),
]


class CancelNorskRegistrationIn(Schema):
    """Which registration of an ordning to cancel, named as the case system sent it."""

    case_id: CaseId
    registration: NorskRegistrationToCancel = Field(
        description=(
            "The registration as it stands in the ordning's record; `entity` says which kind "
            "(the change feed's name for it)."
        )
    )
    reason: Reason


class UndoNorskEndIn(Schema):
    case_id: CaseId
    reason: Reason


class NorskCorrectionOut(OutSchema):
    """The ordning after the correction (or as it would be, on a dry run)."""

    dry_run: bool
    outcome: CorrectionOutcome
    case_id: str
    id: int = Field(description="The ordning's id, as the reads give it.")
    version: int = Field(description="The ordning's version now; its ETag.")
    status: OrdningStatus
    frist: dt.date | None = Field(description="Null while the frist is not computable.")
    end_date: dt.date | None
    end_reason: NorskEndReason | None = Field(description="Null while the ordning is open.")
    end_set_by: SetBy | None = Field(
        description="municipality, or system (an end that follows from what is registered, "
        "set again where its basis still holds). Null while open."
    )
    content_hash: str = Field(description="Equals the reconciliation hash while nothing changes.")
