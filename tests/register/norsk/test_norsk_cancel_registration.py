"""Cancelling a registration on a Norwegian-training ordning, on the programme's correction
path: the row gone and kept whole in the history, the frist recomputed where the row moved
it, a system's end that followed from it lifted, within the window, by the scheme's role."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import HistoryEvent
from nir.register.norsk_models import NorskLeave, NorskParticipation, NorskTestResult
from nir.register.services.context import Actor, Channel, SchemeNotHeld
from nir.register.services.corrections import Cancellation, cancel_norsk_registration
from nir.register.services.items import FinalTestResultItem, LeaveItem
from nir.register.services.norsk import end_norsk_by_system
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.errors import RuleViolation
from tests.conftest import at
from tests.norsk_fixtures import PASSED_ON

pytestmark = pytest.mark.django_db

D = dt.date
LEAVE_ON = D(2022, 6, 1)


def _leave(actor, ordning):
    register_norsk_item(
        actor=actor,
        norsk_participation_id=ordning.pk,
        item=LeaveItem("foreldrepermisjon", LEAVE_ON, LEAVE_ON + dt.timedelta(days=60), LEAVE_ON),
        at=at(LEAVE_ON),
    )
    return NorskLeave.objects.get(norsk_participation=ordning)


def _cancel(actor, ordning, entity, entity_id, day, **kwargs):
    return cancel_norsk_registration(
        actor=actor,
        norsk_participation_id=ordning.pk,
        cancellation=Cancellation(entity, entity_id, kwargs.pop("reason", "Registrert feil")),
        at=at(day),
        **kwargs,
    )


def test_a_cancelled_leave_gives_back_the_frist_and_is_kept_in_the_history(ordning, norsk_a):
    frist_before = NorskParticipation.objects.get(pk=ordning.pk).frist
    leave = _leave(norsk_a, ordning)
    assert NorskParticipation.objects.get(pk=ordning.pk).frist > frist_before
    cancelled = _cancel(norsk_a, ordning, "norsk_leave", leave.pk, LEAVE_ON + dt.timedelta(days=10))
    assert cancelled.frist == frist_before
    assert not NorskLeave.objects.filter(pk=leave.pk).exists()
    event = HistoryEvent.objects.get(norsk_participation=ordning, action="registration_cancelled")
    assert event.entity == "norsk_leave"
    assert event.before["leave_type"] == "foreldrepermisjon"
    assert event.after == {"reason": "Registrert feil"}


def test_cancelling_the_result_that_reached_the_norskmaal_lifts_the_systems_end(
    ordning, norsk_a, passing_result
):
    ended = register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=FinalTestResultItem(passing_result),
        at=at(PASSED_ON),
    )
    assert ended.end_reason == "norskmal_nadd"
    result = NorskTestResult.objects.get(norsk_participation=ordning)
    reopened = _cancel(norsk_a, ordning, "norsk_test_result", result.pk, PASSED_ON)
    assert reopened.end_date is None
    assert reopened.end_reason == ""
    undone = HistoryEvent.objects.get(norsk_participation=ordning, action="norsk_end_cancelled")
    assert undone.before["end_reason"] == "norskmal_nadd"


def test_outside_the_window_with_a_stale_version_or_without_the_scheme_it_is_refused(
    ordning, norsk_a, kommune_a
):
    leave = _leave(norsk_a, ordning)
    version = NorskParticipation.objects.get(pk=ordning.pk).version
    with pytest.raises(RuleViolation) as late:
        _cancel(norsk_a, ordning, "norsk_leave", leave.pk, LEAVE_ON + dt.timedelta(days=200))
    assert late.value.field == "entity"
    with pytest.raises(RuleViolation) as stale:
        _cancel(norsk_a, ordning, "norsk_leave", leave.pk, LEAVE_ON, expected_version=version - 1)
    assert stale.value.code == "version.stale"
    intro = Actor("ida@oslo", Channel.WEB, kommune_a.pk, frozenset())
    with pytest.raises(SchemeNotHeld):
        _cancel(intro, ordning, "norsk_leave", leave.pk, LEAVE_ON)
    with pytest.raises(RuleViolation) as unknown:
        _cancel(norsk_a, ordning, "stop", leave.pk, LEAVE_ON)
    assert unknown.value.code == "correction.unknown_entity"
    with pytest.raises(RuleViolation) as no_reason:
        _cancel(norsk_a, ordning, "norsk_leave", leave.pk, LEAVE_ON, reason="  ")
    assert no_reason.value.field == "reason"
    assert NorskLeave.objects.filter(pk=leave.pk).exists()


def test_with_auto_end_on_a_cancelled_leave_moves_the_end_at_the_frist_back(
    ordning, norsk_a, auto_end
):
    """The leave put the frist, and the system's end at it, 20 days later; cancelled, the
    ordning ends at the frist it has without it (N3-d behind its switch)."""
    day = D(2023, 9, 1)
    register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=LeaveItem("foreldrepermisjon", day, D(2023, 9, 20), day),
        at=at(day),
    )
    assert end_norsk_by_system(D(2023, 10, 1), at(D(2023, 10, 1))) == 1
    ended = NorskParticipation.objects.get(pk=ordning.pk)
    assert (ended.frist, ended.end_date, ended.end_reason) == (
        D(2023, 9, 30),
        D(2023, 9, 30),
        "frist_utlopt",
    )
    leave = NorskLeave.objects.get(norsk_participation=ordning)
    moved = _cancel(norsk_a, ordning, "norsk_leave", leave.pk, D(2023, 10, 20))
    assert (moved.frist, moved.end_date, moved.end_reason, moved.end_set_by) == (
        D(2023, 9, 10),
        D(2023, 9, 10),
        "frist_utlopt",
        "system",
    )
    actions = list(
        HistoryEvent.objects.filter(norsk_participation=ordning)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "registration_cancelled",
        "norsk_end_cancelled",
        "norsk_frist_recomputed",
        "norsk_participation_ended",
    ]
