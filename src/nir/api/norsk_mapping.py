"""Between the contract and the register for Norwegian training: a received record as the
upsert's ``NorskRecord``, and the register's ordninger as the replies the contract declares
(the person, the results and the pages are the programme's, ``mapping``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nir.api.mapping import person_in
from nir.api.schemas.corrections import (
    CorrectionOutcome,
    ExtendedNorwegianToCancel,
    NorskCorrectionOut,
    NorskExemptionToCancel,
    NorskHoursToCancel,
    NorskLeaveToCancel,
    NorskmaalToCancel,
    NorskRegistrationToCancel,
    NorskTestResultToCancel,
)
from nir.api.schemas.norsk import (
    ExemptionIn,
    ExtendedNorwegianIn,
    FinalTestResultIn,
    NorskFristDerivationOut,
    NorskHoursIn,
    NorskmaalIn,
    NorskMissingOut,
    NorskParticipantOut,
    NorskRecordIn,
    NorskRecordOut,
    NorskSummaryOut,
    SkillLevelsIn,
)
from nir.api.schemas.records import LeaveIn
from nir.api.schemas.value_sets import NorskEndReason, NorskMissingCode
from nir.register.derivation_text import norsk_explanation
from nir.register.legal_bases import current_derivation
from nir.register.norsk_follow_up import norsk_missing, ordning_status
from nir.register.norsk_models import NorskParticipation
from nir.register.services.items import (
    ExtendedNorwegianItem,
    FinalTestResultItem,
    FritakItem,
    LeaveItem,
    NorskEndItem,
    NorskHoursItem,
    NorskmaalItem,
)
from nir.register.services.upsert.norsk_canonical import norsk_content_hash, stored_norsk_record
from nir.register.services.upsert.norsk_records import NorskRecord
from nir.rules.norsk.end_reasons import SetBy
from nir.rules.norsk.final_tests import FinalTestResult
from nir.rules.norsk.fritak import Fritak
from nir.rules.norsk.norskmaal import CefrLevel, Skill
from nir.rules.norsk.rights import NorskCategory
from nir.rules.regime import Regime

# --- what a case system sends -----------------------------------------------------------------


def _levels(levels: SkillLevelsIn) -> dict[Skill, CefrLevel]:
    return {Skill(name): level for name, level in levels.model_dump().items() if level is not None}


def _norskmaal(g: NorskmaalIn) -> NorskmaalItem:
    return NorskmaalItem(g.valid_from, tuple(sorted(_levels(g.levels).items())), g.kind)


def _leave(x: LeaveIn) -> LeaveItem:
    return LeaveItem(x.leave_type, x.start_date, x.end_date, x.decided_on)


def _extended(e: ExtendedNorwegianIn) -> ExtendedNorwegianItem:
    return ExtendedNorwegianItem(e.decision_date, e.months)


def _hours(h: NorskHoursIn) -> NorskHoursItem:
    return NorskHoursItem(h.subject, h.start_date, h.end_date, h.hours, h.module)


def _test_result(r: FinalTestResultIn) -> FinalTestResultItem:
    return FinalTestResultItem(
        FinalTestResult(
            "",
            r.kind,
            r.test_date,
            r.source,
            _levels(r.levels),
            r.passed,
            r.test_site,
            r.document_ref,
        )
    )


def _exemption(e: ExemptionIn) -> FritakItem:
    return FritakItem(
        Fritak("", e.kind, e.ground, e.decision_date, e.ends_right, e.medical_statement)
    )


def norsk_record_in(data: NorskRecordIn) -> NorskRecord:
    return NorskRecord(
        case_id=data.case_id,
        person=person_in(data.person),
        start_date=data.start_date,
        permit_list=data.permit_list,
        permit_granted_abroad=data.permit_granted_abroad,
        education_background=data.education_background,
        norskmaal=[_norskmaal(g) for g in data.norskmaal],
        leaves=[_leave(x) for x in data.leaves],
        extended_norwegian=[_extended(e) for e in data.extended_norwegian],
        hours=[_hours(h) for h in data.hours],
        test_results=[_test_result(r) for r in data.test_results],
        exemptions=[_exemption(e) for e in data.exemptions],
        end=NorskEndItem(data.end.end_date, data.end.reason.value) if data.end else None,
    )


def norsk_registration_item(registration: NorskRegistrationToCancel) -> Any:
    """A registration to cancel in the record's shape, as the upsert compares it."""
    match registration:
        case NorskmaalToCancel():
            return _norskmaal(registration)
        case NorskLeaveToCancel():
            return _leave(registration)
        case ExtendedNorwegianToCancel():
            return _extended(registration)
        case NorskHoursToCancel():
            return _hours(registration)
        case NorskTestResultToCancel():
            return _test_result(registration)
        case NorskExemptionToCancel():
            return _exemption(registration)
    raise AssertionError(registration)


# --- what the register answers a read with ----------------------------------------------------


def _with_all_skills(levels: dict[str, Any]) -> dict[str, Any]:
    return {skill.value: levels.get(skill.value) for skill in Skill}


def record_out(row: NorskParticipation) -> NorskRecordOut:
    """The stored ordning in the record's shape (every skill named, null where none)."""
    record = stored_norsk_record(row)
    record.pop("computed")
    for name in ("norskmaal", "test_results"):
        record[name] = [{**i, "levels": _with_all_skills(i["levels"])} for i in record[name]]
    return NorskRecordOut.model_validate(record)


def derivation_out(stored: dict[str, Any]) -> NorskFristDerivationOut:
    shown = current_derivation(stored)
    return NorskFristDerivationOut(
        not_computable=shown.get("not_computable"),
        start=shown.get("start"),
        anchor_rule=shown.get("anchor_rule"),
        base_months=shown.get("base_months"),
        extensions=shown.get("extensions", []),
        months_total=shown.get("months_total"),
        months_date=shown.get("months_date"),
        clock_stops=shown.get("clock_stops", []),
        leave_days=shown.get("leave_days", 0),
        frist=shown.get("frist"),
        free_right_until=shown.get("free_right_until"),
        basis=shown.get("basis", []),
        explanation=norsk_explanation(shown),
    )


def _missing_out(row: NorskParticipation, as_of: dt.date) -> list[NorskMissingOut]:
    return [
        NorskMissingOut(
            code=NorskMissingCode(m.code),
            field=m.field,
            message=m.message,
            due=m.due,
            rule=m.basis.rule_id,
            reference=m.basis.reference,
        )
        for m in norsk_missing(row, as_of)
    ]


def norsk_participant_out(
    row: NorskParticipation, kommune_number: str, as_of: dt.date
) -> NorskParticipantOut:
    return NorskParticipantOut(
        id=row.pk,
        case_id=row.case_id,
        kommune=kommune_number,
        version=row.version,
        status=ordning_status(row, as_of),
        regime=Regime(row.regime),
        category=NorskCategory(row.category),
        right_start=row.right_start,
        start_date=row.start_date,
        frist=row.frist,
        frist_derivation=derivation_out(row.frist_derivation),
        frist_flagged_on=row.frist_flagged_on,
        end_date=row.end_date,
        end_reason=NorskEndReason(row.end_reason) if row.end_reason else None,
        end_set_by=SetBy(row.end_set_by) if row.end_set_by else None,
        missing=_missing_out(row, as_of),
        record=record_out(row),
        content_hash=norsk_content_hash(row),
    )


def norsk_correction_out(
    row: NorskParticipation, outcome: CorrectionOutcome, dry_run: bool, as_of: dt.date
) -> NorskCorrectionOut:
    return NorskCorrectionOut(
        dry_run=dry_run,
        outcome=outcome,
        case_id=row.case_id,
        id=row.pk,
        version=row.version,
        status=ordning_status(row, as_of),
        frist=row.frist,
        end_date=row.end_date,
        end_reason=NorskEndReason(row.end_reason) if row.end_reason else None,
        end_set_by=SetBy(row.end_set_by) if row.end_set_by else None,
        content_hash=norsk_content_hash(row),
    )


def norsk_summary_out(row: NorskParticipation, as_of: dt.date) -> NorskSummaryOut:
    return NorskSummaryOut(
        id=row.pk,
        case_id=row.case_id,
        identity_number=row.person.identity_number,
        status=ordning_status(row, as_of),
        category=NorskCategory(row.category),
        start_date=row.start_date,
        frist=row.frist,
        end_date=row.end_date,
        version=row.version,
    )
