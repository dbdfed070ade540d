"""The corrections' contract: which registration to cancel, named as the record holds it,
and the participation as the correction leaves it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from nir.api.schemas import OutSchema
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
from nir.api.schemas.value_sets import TerminationReason
from nir.register.models import TerminationSource
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
