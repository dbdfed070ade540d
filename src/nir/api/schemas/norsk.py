"""Training in Norwegian and social studies (rules-norsk.md): the ordning's record as a case
system sends it and gets it back, and the replies of its reads. The person, the leave, the
hours' form, the derivation's parts and the pages are the programme's (``records``,
``replies``)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from nir.api.schemas import OutSchema
from nir.api.schemas.records import CaseId, Hours, HoursOut, LeaveIn, LeaveOut, PersonIn, PersonOut
from nir.api.schemas.replies import (
    HAS_MORE,
    NEXT_CURSOR,
    BasisOut,
    ClockStopOut,
    Cursor,
    ExtensionOut,
)
from nir.api.schemas.value_sets import NorskEndReason, NorskEndReasonIn, NorskMissingCode
from nir.rules.norsk.end_reasons import SetBy
from nir.rules.norsk.final_tests import FinalTestKind, ResultSource
from nir.rules.norsk.frist import AnchorRule, OrdningStatus
from nir.rules.norsk.fritak import FritakGround, FritakKind
from nir.rules.norsk.hours import Subject
from nir.rules.norsk.norskmaal import CefrLevel, EducationBackground, NorskmaalKind
from nir.rules.norsk.rights import NorskCategory, PermitList
from nir.rules.regime import Regime

# --- what a case system sends ---------------------------------------------------------------


class SkillLevelsIn(Schema):
    """A CEFR level per skill (delferdighet); a skill left out (or null) has none: not set
    in a norskmål, not passed in a test result."""

    lytteforstaaelse: CefrLevel | None = None
    leseforstaaelse: CefrLevel | None = None
    skriftlig_fremstilling: CefrLevel | None = None
    muntlig_kommunikasjon: CefrLevel | None = None


class NorskmaalIn(Schema):
    valid_from: dt.date
    kind: NorskmaalKind = Field(
        NorskmaalKind.LEVELS,
        description="levels: a level per skill; norskprove_c1 or karakter_2: the alternative "
        "goal, without levels.",
    )
    levels: SkillLevelsIn = Field(
        default_factory=SkillLevelsIn,
        description="The minimum level per skill (kind levels); empty for the alternative goal.",
    )


class ExtendedNorwegianIn(Schema):
    """A decision on extended Norwegian under integreringsforskriften § 43 g (kap. 6A)."""

    decision_date: dt.date
    months: int = Field(ge=1, le=24, description="At most 6 a decision (the rule refuses more).")


class NorskHoursIn(Schema):
    subject: Subject
    start_date: dt.date
    end_date: dt.date
    hours: Hours
    module: int | None = Field(
        None, ge=1, le=3, description="Social studies in the 75-hour scheme: its module, 1-3."
    )


class FinalTestResultIn(Schema):
    kind: FinalTestKind
    test_date: dt.date
    source: ResultSource = ResultSource.MANUAL
    levels: SkillLevelsIn = Field(
        default_factory=SkillLevelsIn,
        description="Norskprøve: the level reached per skill (a skill not passed left out).",
    )
    passed: bool | None = Field(None, description="The social-studies test: passed or not.")
    test_site: str = Field("", max_length=150)
    document_ref: str = Field(
        "", max_length=150, description="Required for a result entered by hand (manual)."
    )


class ExemptionIn(Schema):
    kind: FritakKind
    ground: FritakGround
    decision_date: dt.date
    ends_right: bool = Field(
        False, description="A training exemption that ends the right and duty ends the ordning."
    )
    medical_statement: bool = False


class NorskEndIn(Schema):
    end_date: dt.date
    reason: NorskEndReasonIn


class NorskRecordIn(Schema):
    """One person's Norwegian-training ordning as the case system holds it. Resending it
    changes only what differs."""

    case_id: CaseId
    person: PersonIn
    start_date: dt.date = Field(description="The start date of the first training decision.")
    permit_list: PermitList = Field(
        description="Which group the permit puts the person in: ss27 (rett og plikt), ss28 "
        "(plikt), kollektiv_beskyttelse (kap. 6A) or annen; the register derives the category."
    )
    permit_granted_abroad: bool = False
    education_background: EducationBackground | None = Field(
        None,
        description="Three values, confirmed by the caseworker; sets the frist (18 months or "
        "3 years) and the § 43 g count limit. Null: the person's has_upper_secondary counts.",
    )
    norskmaal: list[NorskmaalIn] = Field(default_factory=list, max_length=50)
    leaves: list[LeaveIn] = Field(default_factory=list, max_length=100)
    extended_norwegian: list[ExtendedNorwegianIn] = Field(default_factory=list, max_length=20)
    hours: list[NorskHoursIn] = Field(default_factory=list, max_length=500)
    test_results: list[FinalTestResultIn] = Field(default_factory=list, max_length=100)
    exemptions: list[ExemptionIn] = Field(default_factory=list, max_length=20)
    end: NorskEndIn | None = None


# --- the stored record, in the shape the case system sends, as the register sends it back ---


class SkillLevelsOut(OutSchema):
    lytteforstaaelse: CefrLevel | None
    leseforstaaelse: CefrLevel | None
    skriftlig_fremstilling: CefrLevel | None
    muntlig_kommunikasjon: CefrLevel | None


class NorskmaalOut(OutSchema):
    valid_from: dt.date
    kind: NorskmaalKind
    levels: SkillLevelsOut


class ExtendedNorwegianOut(OutSchema):
    decision_date: dt.date
    months: int


class NorskHoursOut(OutSchema):
    subject: Subject
    start_date: dt.date
    end_date: dt.date
    hours: HoursOut
    module: int | None


class FinalTestResultOut(OutSchema):
    kind: FinalTestKind
    test_date: dt.date
    source: ResultSource
    levels: SkillLevelsOut
    passed: bool | None
    test_site: str
    document_ref: str


class ExemptionOut(OutSchema):
    kind: FritakKind
    ground: FritakGround
    decision_date: dt.date
    ends_right: bool
    medical_statement: bool


class NorskEndOut(OutSchema):
    end_date: dt.date
    reason: NorskEndReasonIn


class NorskRecordOut(OutSchema):
    """A stored ordning in the shape the case system sends (``case_id`` may be empty for an
    ordning registered on the web without one); ``end`` is the municipality's, null while
    none is registered (the register's own ends are in the reply beside the record)."""

    case_id: str
    person: PersonOut
    start_date: dt.date
    permit_list: PermitList
    permit_granted_abroad: bool
    education_background: EducationBackground | None
    norskmaal: list[NorskmaalOut]
    leaves: list[LeaveOut]
    extended_norwegian: list[ExtendedNorwegianOut]
    hours: list[NorskHoursOut]
    test_results: list[FinalTestResultOut]
    exemptions: list[ExemptionOut]
    end: NorskEndOut | None


# --- reads ----------------------------------------------------------------------------------


class NotComputableOut(OutSchema):
    code: str = Field(description="e.g. norsk.frist.education_missing")
    message: str


class NorskFristDerivationOut(OutSchema):
    """Why the frist is what it is, step by step, or why it cannot be computed yet."""

    not_computable: NotComputableOut | None = Field(
        description="Set when no frist can be computed yet (then the dates are null)."
    )
    start: dt.date | None = Field(description="The anchor the months count from.")
    anchor_rule: AnchorRule | None
    base_months: int | None
    extensions: list[ExtensionOut] = Field(description="The § 43 g decisions.")
    months_total: int | None
    months_date: dt.date | None
    clock_stops: list[ClockStopOut]
    leave_days: int
    frist: dt.date | None
    free_right_until: dt.date | None = Field(
        description="Introduksjonsloven: the free right's last day."
    )
    basis: list[BasisOut]
    explanation: list[str] = Field(description="The derivation step by step.")


class NorskMissingOut(OutSchema):
    code: NorskMissingCode
    field: str
    message: str
    due: dt.date | None
    rule: str
    reference: str


class NorskParticipantOut(OutSchema):
    id: int
    case_id: str
    kommune: str
    version: int
    status: OrdningStatus = Field(
        description="aktiv; frist_utlopt from the day after the frist with no end "
        "registered (the ordning is not ended by it); avsluttet."
    )
    regime: Regime
    category: NorskCategory
    right_start: dt.date | None
    start_date: dt.date
    frist: dt.date | None = Field(description="Null while the frist is not computable.")
    frist_derivation: NorskFristDerivationOut
    frist_flagged_on: dt.date | None = Field(
        description="The day the register flagged the frist as passed (N3-d)."
    )
    end_date: dt.date | None
    end_reason: NorskEndReason | None
    end_set_by: SetBy | None = Field(
        description="municipality, or system (the 67th birthday, the norskmål reached from "
        "the test results, an exemption that ends the right). Null while open."
    )
    missing: list[NorskMissingOut]
    record: NorskRecordOut
    content_hash: str


class NorskSummaryOut(OutSchema):
    id: int
    case_id: str
    identity_number: str
    status: OrdningStatus
    category: NorskCategory
    start_date: dt.date
    frist: dt.date | None
    end_date: dt.date | None
    version: int


class NorskParticipantPage(OutSchema):
    items: list[NorskSummaryOut]
    next_cursor: Cursor = NEXT_CURSOR
    has_more: bool = HAS_MORE
