"""Undoing the end of a Norwegian-training ordning registered by mistake, on the
programme's correction path (``corrections._undo_end``): the ordning is active again, or
ended by the system where the frist has passed with ``auto_end_norsk_at_frist`` on; the
history keeps the end undone with the reason; only the municipality's end, within its
window, by the scheme's role."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import HistoryEvent
from nir.register.norsk_models import NorskParticipation
from nir.register.services.context import Actor, Channel, SchemeNotHeld
from nir.register.services.corrections import cancel_norsk_end
from nir.register.services.items import FinalTestResultItem, NorskEndItem
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.errors import RuleViolation
from tests.conftest import at
from tests.norsk_fixtures import PASSED_ON

pytestmark = pytest.mark.django_db

D = dt.date
FRIST = D(2023, 9, 10)


def _end(actor, ordning, day, reason="avbrutt"):
    return register_norsk_item(
        actor=actor,
        norsk_participation_id=ordning.pk,
        item=NorskEndItem(day, reason),
        at=at(day),
    )


def test_an_end_undone_makes_the_ordning_active_again_with_the_end_in_the_history(ordning, norsk_a):
    ended = _end(norsk_a, ordning, D(2023, 2, 1))
    undone = cancel_norsk_end(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        reason="  Avsluttet for feil person  ",
        expected_version=ended.version,
        at=at(D(2023, 2, 10)),
    )
    stored = NorskParticipation.objects.get(pk=ordning.pk)
    assert (stored.end_date, stored.end_reason, stored.end_set_by) == (None, "", "")
    assert stored.version == undone.version > ended.version
    event = HistoryEvent.objects.get(norsk_participation=ordning, action="norsk_end_cancelled")
    assert event.before == {
        "frist": "2023-09-10",
        "end_date": "2023-02-01",
        "end_reason": "avbrutt",
        "end_set_by": "municipality",
    }
    assert event.after == {
        "frist": "2023-09-10",
        "end_date": None,
        "end_reason": "",
        "end_set_by": "",
        "reason": "Avsluttet for feil person",
    }
    assert event.actor == "nora@oslo"
    # Active again: the scheme's registrations are open to it.
    register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=NorskEndItem(D(2023, 3, 1), "flyttet"),
        at=at(D(2023, 3, 1)),
    )


def test_with_the_frist_passed_and_auto_end_on_the_system_ends_it_at_the_frist(
    ordning, norsk_a, auto_end
):
    """The end undone is the municipality's, within its window; the system's end at the
    frist is no registration of the municipality's, so the frist's own window (closed on
    2023-11-10) does not hold it back."""
    ended = _end(norsk_a, ordning, D(2023, 11, 5))
    undone = cancel_norsk_end(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        reason="Feil årsak",
        expected_version=ended.version,
        at=at(D(2023, 11, 20)),
    )
    assert (undone.end_date, undone.end_reason, undone.end_set_by) == (
        FRIST,
        "frist_utlopt",
        "system",
    )
    actions = list(
        HistoryEvent.objects.filter(norsk_participation=ordning)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["norsk_end_cancelled", "norsk_participation_ended"]


def test_with_the_frist_passed_and_auto_end_off_it_is_open_for_the_work_list(ordning, norsk_a):
    """N3-d: the register invents no end; the ordning stands «frist utløpt»."""
    ended = _end(norsk_a, ordning, D(2023, 9, 5))
    undone = cancel_norsk_end(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        reason="Feil årsak",
        expected_version=ended.version,
        at=at(D(2023, 10, 20)),
    )
    assert undone.end_date is None and undone.frist == FRIST


def test_only_the_municipalitys_end_within_its_window_by_the_schemes_role(
    ordning, norsk_a, kommune_a
):
    ended = _end(norsk_a, ordning, D(2023, 2, 1))

    def undo(actor=norsk_a, reason="Feil", day=D(2023, 2, 10), version=None):
        return cancel_norsk_end(
            actor=actor,
            norsk_participation_id=ordning.pk,
            reason=reason,
            expected_version=version,
            at=at(day),
        )

    with pytest.raises(RuleViolation) as refused:
        undo(reason="  ")
    assert (refused.value.field, refused.value.code) == ("reason", "correction.reason_required")
    with pytest.raises(SchemeNotHeld):
        undo(actor=Actor("kari@oslo", Channel.WEB, kommune_a.pk))
    with pytest.raises(RuleViolation) as refused:
        undo(day=D(2023, 4, 2))  # two months after the end date
    assert refused.value.code == "registration_window.closed"
    with pytest.raises(RuleViolation) as refused:
        undo(version=ended.version - 1)
    assert refused.value.code == "version.stale"
    assert NorskParticipation.objects.get(pk=ordning.pk).end_reason == "avbrutt"
    undo()
    with pytest.raises(RuleViolation) as refused:
        undo()  # nothing ended any more
    assert refused.value.code == "correction.no_municipality_end"


def test_the_systems_end_is_not_undone_here(ordning, norsk_a, passing_result):
    """«Norskmål nådd» from a result follows from the result: it would come straight back."""
    day = PASSED_ON
    ended = register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=FinalTestResultItem(passing_result),
        at=at(day),
    )
    assert ended.end_set_by == "system"
    with pytest.raises(RuleViolation) as refused:
        cancel_norsk_end(
            actor=norsk_a, norsk_participation_id=ordning.pk, reason="Feil", at=at(day)
        )
    assert refused.value.code == "correction.no_municipality_end"
