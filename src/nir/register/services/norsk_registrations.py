"""Registrations on a Norwegian-training ordning: leave, § 43 g decisions, norskmaal
versions, test results, exemptions, hours and the end. Each item (services/items.py)
becomes a ``NewRegistration`` that goes through the programme's ``add_registration``: the
open ordning, the two-month window with its grants, the item's rule, the row on the
context's store, its history, the frist. ``register_norsk_item`` does one now (lock,
scope, version first); a preview runs ``add_norsk_item`` on ``MemoryRows``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskExemption,
    NorskHours,
    NorskLeave,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.services import events
from nir.register.services.context import Actor, WriteContext, write_context
from nir.register.services.history import NewEvent, record
from nir.register.services.items import (
    ExtendedNorwegianItem,
    FinalTestResultItem,
    FritakItem,
    LeaveItem,
    NorskEducationItem,
    NorskEndItem,
    NorskHoursItem,
    NorskItem,
    NorskmaalItem,
)
from nir.register.services.norsk import (
    end_by_system_now,
    end_norsk,
    lock_norsk_participation,
    norsk_frist_facts,
    recompute_norsk_frist,
    require_open,
)
from nir.register.services.norsk_facts import norskmaal_of, person_facts
from nir.register.services.registrations import (
    NewRegistration,
    add_registration,
    leave_registration,
)
from nir.register.services.validation import invalid
from nir.rules.norsk.final_tests import check_test_result
from nir.rules.norsk.frist import ExtendedNorwegian, check_extended_norwegian
from nir.rules.norsk.fritak import check_fritak
from nir.rules.norsk.hours import check_hours_module, timemaal
from nir.rules.norsk.norskmaal import CefrLevel, Norskmaal, Skill, check_new_norskmaal
from nir.rules.norsk.rights import NorskCategory
from nir.rules.regime import Regime


def _levels(levels: Iterable[tuple[Skill, CefrLevel]]) -> dict[str, str]:
    return {skill.value: level.value for skill, level in levels}


def _leave(item: LeaveItem) -> NewRegistration:
    return leave_registration(item, NorskLeave, events.NORSK_LEAVE_REGISTERED)


def _extended(item: ExtendedNorwegianItem) -> NewRegistration:
    """A § 43 g decision (N3-c), accepted against the frist the earlier ones give; it
    moves the frist by its months and is a grant event of the configured amount."""
    decision = ExtendedNorwegian("new", item.decision_date, item.months)
    fields: dict[str, Any] = {"decision_date": item.decision_date, "months": item.months}

    def validate(ctx: WriteContext, row: NorskParticipation) -> None:
        grant = check_extended_norwegian(
            norsk_frist_facts(ctx, row), decision, ctx.config.norsk.frist
        )
        fields["grant_nok"] = grant.grant_nok

    return NewRegistration(
        ExtendedNorwegianDecision,
        fields,
        event_date=item.decision_date,
        event_field="decision_date",
        event=events.EXTENDED_NORWEGIAN_GRANTED,
        validate=validate,
    )


def _norskmaal(item: NorskmaalItem) -> NewRegistration:
    """A new norskmaal version (N2), after the last one, where the regime has one."""
    new = Norskmaal("new", item.valid_from, item.kind, dict(item.levels))

    def validate(ctx: WriteContext, row: NorskParticipation) -> None:
        check_new_norskmaal(
            Regime(row.regime), norskmaal_of(ctx, row), new, ctx.config.norsk.norskmaal
        )

    return NewRegistration(
        NorskmaalVersion,
        {"valid_from": item.valid_from, "kind": item.kind.value, "levels": _levels(item.levels)},
        event_date=item.valid_from,
        event_field="valid_from",
        event=events.NORSKMAAL_REGISTERED,
        validate=validate,
        affects_frist=False,
    )


def _test_result(item: FinalTestResultItem) -> NewRegistration:
    """A test result (N4-b); a result entered by hand names its document."""
    result = item.result
    check_test_result(result)
    return NewRegistration(
        NorskTestResult,
        {
            "kind": result.kind.value,
            "test_date": result.test_date,
            "source": result.source.value,
            "levels": _levels(result.levels.items()),
            "passed": result.passed,
            "test_site": result.test_site,
            "document_ref": result.document_ref,
        },
        event_date=result.test_date,
        event_field="test_date",
        event=events.NORSK_TEST_RESULT_REGISTERED,
        affects_frist=False,
    )


def _fritak(item: FritakItem) -> NewRegistration:
    """An exemption (N4-c) from a duty the person has, on a ground its kind allows."""
    fritak = item.fritak

    def validate(ctx: WriteContext, row: NorskParticipation) -> None:
        check_fritak(fritak, NorskCategory(row.category))

    return NewRegistration(
        NorskExemption,
        {
            "kind": fritak.kind.value,
            "ground": fritak.ground.value,
            "decision_date": fritak.decision_date,
            "ends_right": fritak.ends_right,
            "medical_statement": fritak.medical_statement,
        },
        event_date=fritak.decision_date,
        event_field="decision_date",
        event=events.NORSK_EXEMPTION_REGISTERED,
        validate=validate,
        affects_frist=False,
    )


def _hours(item: NorskHoursItem) -> NewRegistration:
    """Hours completed in a period (N1, N5): per module where the timemaal has modules."""
    if item.end_date < item.start_date:
        raise invalid(
            "end_date", "period.end_before_start", "Sluttdatoen kan ikke være før startdatoen."
        )
    if item.hours <= 0:
        raise invalid("hours", "norsk.hours.not_positive", "Timetallet må være større enn null.")

    def validate(ctx: WriteContext, row: NorskParticipation) -> None:
        target = timemaal(person_facts(row), NorskCategory(row.category), ctx.config.norsk.hours)
        check_hours_module(target, item.subject, item.module)

    return NewRegistration(
        NorskHours,
        {
            "subject": item.subject.value,
            "module": item.module,
            "start_date": item.start_date,
            "end_date": item.end_date,
            "hours": item.hours,
        },
        event_date=item.end_date,
        event_field="end_date",
        event=events.NORSK_HOURS_REGISTERED,
        validate=validate,
        affects_frist=False,
    )


_BUILDERS: dict[type[Any], Callable[[Any], NewRegistration]] = {
    LeaveItem: _leave,
    ExtendedNorwegianItem: _extended,
    NorskmaalItem: _norskmaal,
    FinalTestResultItem: _test_result,
    FritakItem: _fritak,
    NorskHoursItem: _hours,
}

# The registrations that may reach one of the system's ends at once (N2-b, N4-c, and the
# hours of a duty-only person, N6 «timer gjennomført»).
_MAY_END = (FinalTestResultItem, FritakItem, NorskmaalItem, NorskHoursItem)


def _set_education(ctx: WriteContext, row: NorskParticipation, item: NorskEducationItem) -> None:
    """The ordning's education background (N2-a), and the frist it gives (N3-b). A fact
    about the person, not a dated event: no registration window."""
    require_open(row)
    before = row.education_background
    row.education_background = item.background.value
    record(
        ctx,
        NewEvent(
            events.NORSK_EDUCATION_REGISTERED,
            row.pk,
            norsk_participation=row,
            before={"education_background": before},
            after={"education_background": row.education_background},
        ),
    )
    recompute_norsk_frist(ctx, row)


def add_norsk_item(ctx: WriteContext, row: NorskParticipation, item: NorskItem) -> None:
    """Register one item on an ordning the caller holds, on the context's store. A result
    that reaches the norskmaal, the hours that complete a duty-only person's targets, or an
    exemption that ends the right, ends the ordning in the same write, as the system's end
    (N6)."""
    if isinstance(item, NorskEndItem):
        end_norsk(ctx, row, item, by_system=False)
        return
    if isinstance(item, NorskEducationItem):
        _set_education(ctx, row, item)
        return
    add_registration(ctx, row, _BUILDERS[type(item)](item))
    if isinstance(item, _MAY_END):
        end_by_system_now(ctx, row)


def register_norsk_item(
    *,
    actor: Actor,
    norsk_participation_id: int,
    item: NorskItem,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """One registration on a Norwegian-training ordning now: lock the row, check scope,
    the scheme's role and the version, then add it."""
    ctx = write_context(actor, at)
    if not isinstance(item, NorskEndItem | NorskEducationItem):
        _BUILDERS[type(item)](item)  # the item's own values, before anything is read
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        add_norsk_item(ctx, row, item)
        return row
