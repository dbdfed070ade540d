"""Between the contract and the register: a received record as the upsert's record, and the
register's participations, results and grants as the replies the contract declares."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any

from nir.api import selectors as api_selectors
from nir.api.problems import record_errors
from nir.api.schemas.corrections import (
    AbsenceToCancel,
    CorrectionOut,
    CorrectionOutcome,
    DecisionToCancel,
    ExtensionToCancel,
    LeaveToCancel,
    MeasureToCancel,
    RegistrationToCancel,
    SluttmaalToCancel,
    StopToCancel,
)
from nir.api.schemas.records import PersonIn, RecordIn, RecordOut
from nir.api.schemas.replies import (
    BatchOut,
    BatchSummary,
    ChangeOut,
    DeadlineOut,
    DeadlinesOut,
    ErrorItem,
    FristDerivationOut,
    GrantOut,
    MissingOut,
    ParticipantOut,
    ParticipantSummaryOut,
    ReasonRegistrationOut,
    ReconciliationItem,
    RecordResultOut,
    RelatedItemStatusOut,
)
from nir.api.schemas.value_sets import (
    ChangeAction,
    ChangeEntity,
    GrantStatusOut,
    MissingCode,
    TerminationReason,
    WindowStatusOut,
)
from nir.register import triage
from nir.register.legal_bases import current_derivation
from nir.register.missing_messages import missing_message, programme_time_text, window_state_text
from nir.register.models import (
    HistoryEvent,
    LateRegistrationGrant,
    Participation,
    TerminationSource,
)
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_text import warning_message
from nir.register.related_items import related_items_state
from nir.register.selectors import missing_for
from nir.register.services.context import Channel
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
from nir.register.services.upsert.canonical import content_hash, stored_record
from nir.register.services.upsert.records import ParticipantRecord
from nir.register.services.upsert.results import Outcome, RecordResult
from nir.rules.decided_programme_time import check_decided_programme_time
from nir.rules.regime import Category, Regime
from nir.rules.schemes import Scheme
from nir.rules.termination import ParticipationStatus

# --- what a case system sends -----------------------------------------------------------------


def person_in(p: PersonIn) -> PersonData:
    """The person of either scheme's record."""
    return PersonData(
        identity_number=p.identity_number,
        given_name=p.given_name,
        family_name=p.family_name,
        birth_date=p.birth_date,
        permit_type=p.permit_type.value,
        permit_date=p.permit_date,
        sex=p.sex.value,
        duf_number=p.duf_number,
        arrival_date=p.arrival_date,
        settlement_date=p.settlement_date,
        settled_by_agreement=p.settled_by_agreement,
        has_upper_secondary=p.has_upper_secondary,
        research_reservation=p.research_reservation,
    )


def record_in(data: RecordIn) -> ParticipantRecord:
    return ParticipantRecord(
        case_id=data.case_id,
        person=person_in(data.person),
        start_date=data.start_date,
        category=data.category.value if data.category else None,
        sluttmaal=[SluttmaalItem(g.sluttmaal.value, g.valid_from) for g in data.sluttmaal],
        decisions=[
            DecisionItem(d.decision_type.value, d.decided_on, d.reason, d.programme_months)
            for d in data.decisions
        ],
        measures=[
            MeasureItem(m.measure_type, m.start_date, m.end_date, m.hours_per_week)
            for m in data.measures
        ],
        leaves=[
            LeaveItem(x.leave_type, x.start_date, x.end_date, x.decided_on) for x in data.leaves
        ],
        absences=[
            AbsenceItem(a.absence_type, a.start_date, a.end_date, a.hours) for a in data.absences
        ],
        extensions=[ExtensionItem(e.months, e.decided_on) for e in data.extensions],
        stops=[StopItem(s.kind.value, s.start_date, s.end_date, s.decided_on) for s in data.stops],
        related_items=[
            RelatedItemStatusItem(
                r.item_kind.value,
                r.status.value,
                r.date_completed,
                r.source.value,
                r.marked_applicable,
            )
            for r in data.related_items
        ],
        termination=(
            TerminationItem(data.termination.end_date, data.termination.reason)
            if data.termination
            else None
        ),
    )


def registration_item(registration: RegistrationToCancel) -> Hashable:
    """A registration to cancel in the record's shape, as the upsert compares it."""
    match registration:
        case SluttmaalToCancel(sluttmaal=sluttmaal, valid_from=valid_from):
            return SluttmaalItem(sluttmaal.value, valid_from)
        case DecisionToCancel(decision_type=kind, decided_on=decided_on, reason=reason):
            return DecisionItem(kind.value, decided_on, reason)
        case MeasureToCancel():
            m = registration
            return MeasureItem(m.measure_type, m.start_date, m.end_date, m.hours_per_week)
        case LeaveToCancel(leave_type=kind, start_date=start, end_date=end, decided_on=on):
            return LeaveItem(kind, start, end, on)
        case AbsenceToCancel(absence_type=kind, start_date=start, end_date=end, hours=hours):
            return AbsenceItem(kind, start, end, hours)
        case ExtensionToCancel(months=months, decided_on=decided_on):
            return ExtensionItem(months, decided_on)
        case StopToCancel(kind=kind, start_date=start, end_date=end, decided_on=on):
            return StopItem(kind.value, start, end, on)
    raise AssertionError(registration)


# --- what the register answers a write with ---------------------------------------------------


def error_items(items: list[dict[str, Any]]) -> list[ErrorItem]:
    return [ErrorItem.model_validate(item) for item in items]


def programme_time_warnings(participation_ids: list[int]) -> dict[int, list[ErrorItem]]:
    """What a case system should register next, per stored participation (one query for a
    batch): a start decision granting more months than the sluttmaal gives."""
    found: dict[int, list[ErrorItem]] = {}
    for p in api_selectors.decided_programme_months(participation_ids):
        if p.status is ParticipationStatus.ENDED:
            continue
        mismatch = check_decided_programme_time(
            decided_months=getattr(p, "decided_programme_months", None),
            base_months=p.frist_derivation["base_months"],
            extension_months=p.frist_derivation.get("extension_months", 0),
            frist=p.frist,
        )
        if mismatch is not None:
            found[p.pk] = [
                ErrorItem(
                    code="programme_time.exceeds_sluttmaal",
                    field="extensions",
                    message=programme_time_text(mismatch),
                    rule=mismatch.basis.rule_id,
                    reference=mismatch.basis.reference,
                    params={
                        "decided_months": mismatch.decided_months,
                        "computed_months": mismatch.computed_months,
                        "frist": mismatch.frist.isoformat(),
                    },
                )
            ]
    return found


def result_out(
    result: RecordResult,
    index: int | None = None,
    warnings: dict[int, list[ErrorItem]] | None = None,
) -> RecordResultOut:
    if warnings is None:
        warnings = programme_time_warnings(
            [result.participation_id] if result.participation_id else []
        )
    return RecordResultOut(
        index=result.index if index is None else index,
        case_id=result.case_id,
        outcome=result.outcome,
        participation_id=result.participation_id,
        version=result.version,
        content_hash=result.content_hash,
        errors=error_items(record_errors(result.errors)),
        warnings=[
            *error_items(record_errors(result.warnings)),
            *warnings.get(result.participation_id or 0, []),
        ],
    )


def refused_out(index: int, item: Any, errors: list[dict[str, Any]]) -> RecordResultOut:
    """A record refused before the services saw it, as one rejected result."""
    case_id = item.get("case_id") if isinstance(item, dict) else None
    return RecordResultOut(
        index=index,
        case_id=case_id if isinstance(case_id, str) else "",
        outcome=Outcome.REJECTED,
        participation_id=None,
        version=None,
        content_hash=None,
        warnings=[],
        errors=error_items(errors),
    )


def batch_out(dry_run: bool, results: list[RecordResultOut]) -> BatchOut:
    counted = Counter(r.outcome for r in results)
    return BatchOut(
        dry_run=dry_run,
        summary=BatchSummary(**{o.value: counted[o] for o in Outcome}),
        results=results,
    )


def correction_out(p: Participation, outcome: CorrectionOutcome, dry_run: bool) -> CorrectionOut:
    return CorrectionOut(
        dry_run=dry_run,
        outcome=outcome,
        case_id=p.case_id,
        participation_id=p.pk,
        version=p.version,
        status=p.status,
        frist=p.frist,
        end_date=p.end_date,
        termination_reason=(
            TerminationReason(p.termination_reason) if p.termination_reason else None
        ),
        termination_source=(
            TerminationSource(p.termination_source) if p.termination_source else None
        ),
        content_hash=content_hash(p),
    )


# --- what the register answers a read with ----------------------------------------------------


def participant_out(p: Participation, kommune_number: str, as_of: dt.date) -> ParticipantOut:
    record = stored_record(p)
    record.pop("computed")
    return ParticipantOut(
        id=p.pk,
        case_id=p.case_id,
        kommune=kommune_number,
        version=p.version,
        status=p.status,
        regime=Regime(p.regime),
        category=Category(p.category),
        start_date=p.start_date,
        frist=p.frist,
        frist_derivation=FristDerivationOut.model_validate(current_derivation(p.frist_derivation)),
        end_date=p.end_date,
        termination_reason=(
            TerminationReason(p.termination_reason) if p.termination_reason else None
        ),
        termination_source=(
            TerminationSource(p.termination_source) if p.termination_source else None
        ),
        missing=[
            MissingOut(
                code=MissingCode(m.code),
                field=m.field,
                message=missing_message(m, as_of),
                due=m.due,
                rule=m.basis.rule_id,
                reference=m.basis.reference,
            )
            for m in missing_for(p, as_of)
        ],
        reason_registration=reason_registration_out(p, as_of),
        **related_items_out(p, as_of),
        record=RecordOut.model_validate(record),
        content_hash=content_hash(p),
    )


def related_items_out(p: Participation, as_of: dt.date) -> dict[str, Any]:
    """The related items' status and warnings (rules-norsk.md N8), from the same read the
    participant page uses (``register.related_items``)."""
    records = list(p.related_items.all())
    state = related_items_state(p, records, list(p.decisions.all()), as_of)
    return {
        "related_item_status": [
            RelatedItemStatusOut(
                item_kind=line.kind,
                status=line.status,
                date_completed=line.record.date_completed if line.record else None,
            )
            for line in state.lines
        ],
        "related_item_warnings": [
            ErrorItem(
                code=w.code,
                field="related_items",
                message=warning_message(w),
                rule=w.basis.rule_id,
                reference=w.basis.reference,
                params=dict(w.params),
            )
            for w in state.warnings
        ],
    }


def reason_registration_out(p: Participation, as_of: dt.date) -> ReasonRegistrationOut | None:
    state = triage.state_of(p, as_of)
    if state is None:
        return None
    return ReasonRegistrationOut(
        status=WindowStatusOut(state.status.value),
        until=state.until,
        grant_id=int(state.grant_ref) if state.grant_ref else None,
        message=window_state_text(state),
        rule=state.basis.rule_id,
        reference=state.basis.reference,
    )


def participant_summary_out(p: Participation) -> ParticipantSummaryOut:
    return ParticipantSummaryOut(
        id=p.pk,
        case_id=p.case_id,
        identity_number=p.person.identity_number,
        status=p.status,
        start_date=p.start_date,
        frist=p.frist,
        end_date=p.end_date,
        version=p.version,
    )


def reconciliation_out(
    p: Participation | NorskParticipation, hash_of: Callable[[Any], str] = content_hash
) -> ReconciliationItem:
    """Either scheme's row in its reconciliation list, with the hash of its stored record."""
    return ReconciliationItem(
        id=p.pk,
        case_id=p.case_id,
        identity_number=p.person.identity_number,
        version=p.version,
        content_hash=hash_of(p),
    )


def change_out(e: HistoryEvent) -> ChangeOut:
    """One event of the change feed. Built without validation, as ``deadlines_out``: its
    values are the register's own columns, and its codes made members of their lists here."""
    scheme_row = e.participation or e.norsk_participation
    scheme = None
    if e.participation is not None:
        scheme = Scheme.INTRODUKSJONSPROGRAM
    elif e.norsk_participation is not None:
        scheme = Scheme.NORSK
    return ChangeOut.model_construct(
        id=e.pk,
        occurred_at=e.occurred_at,
        action=ChangeAction(e.action),
        entity=ChangeEntity(e.entity),
        channel=Channel(e.channel),
        scheme=scheme,
        participation_id=e.participation_id,
        norsk_participation_id=e.norsk_participation_id,
        case_id=scheme_row.case_id if scheme_row is not None else None,
        identity_number=e.person.identity_number if e.person is not None else None,
    )


def deadlines_out(
    rows: list[api_selectors.Deadline],
    as_of: dt.date,
    within_days: int,
    next_cursor: str,
    has_more: bool,
) -> DeadlinesOut:
    """Either scheme's page of coming frister. Built without validation: every value is
    a column of the register's own, typed by the database, or the request's own, already
    validated (a page is 500 rows, and validating each took a third of the request; the
    framework sends a reply of its declared type as it is)."""
    items = [
        DeadlineOut.model_construct(
            id=row.id,
            case_id=row.case_id,
            identity_number=row.identity_number,
            frist=row.frist,
            days_left=(row.frist - as_of).days,
            version=row.version,
        )
        for row in rows
    ]
    return DeadlinesOut.model_construct(
        as_of=as_of,
        within_days=within_days,
        items=items,
        next_cursor=next_cursor,
        has_more=has_more,
    )


def grant_status(grant: LateRegistrationGrant, as_of: dt.date) -> GrantStatusOut:
    if grant.revoked_on is not None and grant.revoked_on <= as_of:
        return GrantStatusOut.REVOKED
    if grant.expires_on < as_of:
        return GrantStatusOut.EXPIRED
    if grant.granted_on > as_of:
        return GrantStatusOut.NOT_YET_VALID
    return GrantStatusOut.ACTIVE


def grant_out(g: LateRegistrationGrant, as_of: dt.date) -> GrantOut:
    return GrantOut(
        id=g.pk,
        covers_from=g.covers_from,
        covers_to=g.covers_to,
        granted_on=g.granted_on,
        expires_on=g.expires_on,
        revoked_on=g.revoked_on,
        status=grant_status(g, as_of),
    )
