"""Registrations on a Norwegian-training ordning: leave, § 43 g decisions, norskmaal
versions, test results and exemptions. Each goes through ``add_norsk_registration``: the
open ordning, the two-month window with its grants, the row, its history, the frist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskExemption,
    NorskLeave,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.services import events
from nir.register.services.context import Actor, WriteContext, write_context
from nir.register.services.events import EventKind
from nir.register.services.history import NewEvent, record
from nir.register.services.norsk import (
    lock_norsk_participation,
    norsk_frist_facts,
    norskmaal_of,
    recompute_norsk_frist,
    require_open,
)
from nir.register.services.participations import check_window
from nir.register.services.validation import invalid
from nir.rules.norsk.final_tests import (
    FinalTestResult,
    check_test_result,
)
from nir.rules.norsk.frist import ExtendedNorwegian, check_extended_norwegian
from nir.rules.norsk.fritak import Fritak, check_fritak
from nir.rules.norsk.norskmaal import (
    CefrLevel,
    Norskmaal,
    NorskmaalKind,
    Skill,
    check_new_norskmaal,
)
from nir.rules.norsk.rights import NorskCategory
from nir.rules.participation import DatedStop, clock_stop
from nir.rules.regime import Regime

NorskRow = (
    NorskLeave | ExtendedNorwegianDecision | NorskmaalVersion | NorskTestResult | NorskExemption
)


def _row_snapshot(row: Any) -> dict[str, Any]:
    return model_to_dict(row, exclude=["id", "norsk_participation", "late_registration_grant"])


def add_norsk_registration(
    ctx: WriteContext,
    row: NorskParticipation,
    registration: NorskRow,
    event_date: dt.date,
    kind: EventKind,
) -> None:
    """The shared path of a registration on an open ordning: the window (with grants), the
    row, its history, the frist."""
    require_open(row)
    window, grant = check_window(ctx, row.kommune_id, event_date, kind.entity)
    registration.norsk_participation = row
    registration.registered_by = ctx.actor.name
    registration.channel = ctx.actor.channel.value
    registration.late_registration_grant = grant
    registration.save()
    record(
        ctx,
        NewEvent(
            kind,
            registration.pk,
            norsk_participation=row,
            after=_row_snapshot(registration),
            basis=[window.basis],
            grant=grant,
        ),
    )
    recompute_norsk_frist(ctx, row)


def register_norsk_leave(
    *,
    actor: Actor,
    norsk_participation_id: int,
    leave_type: str,
    start_date: dt.date,
    end_date: dt.date,
    decided_on: dt.date,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """Approved leave, added to the frist day for day (the programme's leave types)."""
    ctx = write_context(actor, at)
    if end_date < start_date:
        raise invalid(
            "end_date", "period.end_before_start", "Perioden kan ikke slutte før den begynner."
        )
    clock_stop(DatedStop("new", leave_type, start_date, end_date), leave=True, config=ctx.config)
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        leave = NorskLeave(
            leave_type=leave_type, start_date=start_date, end_date=end_date, decided_on=decided_on
        )
        add_norsk_registration(ctx, row, leave, decided_on, events.NORSK_LEAVE_REGISTERED)
        return row


def register_extended_norwegian(
    *,
    actor: Actor,
    norsk_participation_id: int,
    decision_date: dt.date,
    months: int,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """A § 43 g decision (N3-c), accepted against the frist the earlier ones give; it
    moves the frist by its months and is a grant event of the configured amount."""
    ctx = write_context(actor, at)
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        grant = check_extended_norwegian(
            norsk_frist_facts(ctx, row),
            ExtendedNorwegian("new", decision_date, months),
            ctx.config.norsk.frist,
        )
        decision = ExtendedNorwegianDecision(
            decision_date=decision_date, months=months, grant_nok=grant.grant_nok
        )
        add_norsk_registration(ctx, row, decision, decision_date, events.EXTENDED_NORWEGIAN_GRANTED)
        return row


def _levels(levels: Mapping[Skill, CefrLevel]) -> dict[str, str]:
    return {skill.value: level.value for skill, level in levels.items()}


def register_norskmaal(
    *,
    actor: Actor,
    norsk_participation_id: int,
    valid_from: dt.date,
    levels: Mapping[Skill, CefrLevel],
    kind: NorskmaalKind = NorskmaalKind.LEVELS,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """A new norskmaal version (N2), after the last one, where the regime has one."""
    ctx = write_context(actor, at)
    new = Norskmaal("new", valid_from, kind, levels)
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        check_new_norskmaal(Regime(row.regime), norskmaal_of(row), new, ctx.config.norsk.norskmaal)
        version = NorskmaalVersion(valid_from=valid_from, kind=kind.value, levels=_levels(levels))
        add_norsk_registration(ctx, row, version, valid_from, events.NORSKMAAL_REGISTERED)
        return row


def register_test_result(
    *,
    actor: Actor,
    norsk_participation_id: int,
    result: FinalTestResult,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """A test result (N4-b); a result entered by hand names its document."""
    ctx = write_context(actor, at)
    check_test_result(result)
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        stored = NorskTestResult(
            kind=result.kind.value,
            test_date=result.test_date,
            source=result.source.value,
            levels=_levels(result.levels),
            passed=result.passed,
            test_site=result.test_site,
            document_ref=result.document_ref,
        )
        add_norsk_registration(
            ctx, row, stored, result.test_date, events.NORSK_TEST_RESULT_REGISTERED
        )
        return row


def register_exemption(
    *,
    actor: Actor,
    norsk_participation_id: int,
    fritak: Fritak,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> NorskParticipation:
    """An exemption (N4-c) from a duty the person has, on a ground its kind allows."""
    ctx = write_context(actor, at)
    with transaction.atomic():
        row = lock_norsk_participation(norsk_participation_id, actor, expected_version)
        check_fritak(fritak, NorskCategory(row.category))
        stored = NorskExemption(
            kind=fritak.kind.value,
            ground=fritak.ground.value,
            decision_date=fritak.decision_date,
            ends_right=fritak.ends_right,
            medical_statement=fritak.medical_statement,
        )
        add_norsk_registration(
            ctx, row, stored, fritak.decision_date, events.NORSK_EXEMPTION_REGISTERED
        )
        return row
