"""The one row a page is about, as the signed-in user may see it: else 404, so a row of
another municipality looks the same as one that does not exist."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from nir.register.models import Participation, Person
from nir.register.norsk_models import NorskParticipation
from nir.register.selectors import (
    visible_norsk_participations,
    visible_participations,
    visible_persons,
)
from nir.web.access import current_user, scope_of


def participation_or_404(request: HttpRequest, participation_id: int) -> Participation:
    scope = scope_of(current_user(request))
    return get_object_or_404(visible_participations(scope), pk=participation_id)


def person_or_404(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(visible_persons(scope_of(current_user(request))), pk=person_id)


def ordning_or_404(request: HttpRequest, norsk_participation_id: int) -> NorskParticipation:
    scope = scope_of(current_user(request))
    return get_object_or_404(visible_norsk_participations(scope), pk=norsk_participation_id)
