"""Registering and correcting belong to the municipality: an IMDi adviser sees Bergen's
participant, is offered nothing to change, and is refused on every page that changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nir.register.models import HistoryEvent

pytestmark = pytest.mark.django_db


def _changing_pages(register) -> list[str]:
    p = register.overdue_b
    goal = p.sluttmaal_versions.first()
    assert goal is not None
    return [
        reverse("web:register", args=[p.pk, "vedtak"]),
        reverse("web:preview", args=[p.pk, "utvidelse"]),
        reverse("web:cancel", args=[p.pk, "sluttmaal", goal.pk]),
        reverse("web:undo-termination", args=[p.pk]),
        reverse("web:person-edit", args=[p.person_id]),
        reverse("web:participation-create", args=[p.person_id]),
        reverse("web:person-create"),
    ]


def test_the_adviser_sees_the_participant_with_nothing_to_change(register, client_imdi, client_b):
    url = reverse("web:person", args=[register.person_b.pk])
    own = client_b.get(url).content.decode()
    assert "Annuller" in own and "Endre personopplysninger" in own
    seen = client_imdi.get(url)
    assert seen.status_code == 200
    body = seen.content.decode()
    assert register.person_b.family_name in body
    assert "Annuller" not in body and "Endre personopplysninger" not in body
    assert "/registrer/" not in body and reverse("web:person-create") not in body


def test_every_page_that_changes_refuses_the_adviser(register, client_imdi):
    events = HistoryEvent.objects.count()
    for url in _changing_pages(register):
        assert client_imdi.get(url).status_code == 403, url
        refused = client_imdi.post(url, {"reason": "Støtte", "expected_version": 1})
        assert refused.status_code == 403, url
    assert HistoryEvent.objects.count() == events
