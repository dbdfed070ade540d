"""A person's own history events (registered, corrected) carry no municipality: each
municipality with a participation of the person sees them, through ``visible_history``;
another municipality's participation events stay its own."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nir.register.models import HistoryEvent
from nir.register.selectors import visible_history
from nir.register.services.context import Actor, Channel
from nir.register.services.participations import NewParticipation, create_participation
from nir.web.participant import participant_page

pytestmark = pytest.mark.django_db


def _actions(kommune_id: int | None, person_id: int) -> set[str]:
    return set(
        visible_history(kommune_id).filter(person_id=person_id).values_list("action", flat=True)
    )


def test_a_municipality_sees_the_person_events_of_its_participants(register):
    person_id = register.overdue_a.person_id
    oslo, bergen = register.kommune_a.pk, register.kommune_b.pk
    assert HistoryEvent.objects.filter(
        person_id=person_id, kommune__isnull=True, action="person_registered"
    ).exists()
    assert "person_registered" in _actions(oslo, person_id)
    assert _actions(bergen, person_id) == set()
    assert "person_registered" in _actions(None, person_id)  # IMDi sees everything

    # The person moves to Bergen: Bergen now sees who they are, not Oslo's participation.
    moved = create_participation(
        actor=Actor("ola@bergen", Channel.WEB, bergen),
        person_id=person_id,
        new=NewParticipation(start_date=register.today, sluttmaal="arbeid"),
        kommune_id=bergen,
    )
    seen = visible_history(bergen).filter(person_id=person_id)
    assert "person_registered" in {e.action for e in seen}
    assert {e.participation_id for e in seen} == {None, moved.pk}

    page = participant_page(bergen, person_id, timezone.localdate())
    assert page is not None
    assert "person_registered" in {e.action for e in page.timeline}
    assert register.overdue_a.pk not in {e.participation_id for e in page.timeline}
