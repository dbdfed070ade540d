"""What the participant page shows: the person, each visible participation, the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Model

from nir.register.models import HistoryEvent, Participation, Person
from nir.register.norsk_models import NorskParticipation
from nir.register.selectors import (
    ParticipationOverview,
    participation_overview,
    visible_history,
    visible_participations,
    visible_persons,
)
from nir.register.services.corrections import CANCELLABLE, NORSK_CANCELLABLE
from nir.register.services.registrations import owner_of
from nir.web.norsk_participant import NorskOverview, norsk_overviews


@dataclass(frozen=True)
class ParticipantPage:
    person: Person
    overviews: list[ParticipationOverview]
    timeline: list[HistoryEvent]
    norsk: list[NorskOverview] = field(default_factory=list)

    @property
    def has_open_norsk(self) -> bool:
        return any(o.ordning.end_date is None for o in self.norsk)


def participant_page(
    kommune_id: int | None, person_id: int, as_of: dt.date
) -> ParticipantPage | None:
    """The person and what the reader may see of them, or None (as if they did not exist)."""
    person = visible_persons(kommune_id).filter(pk=person_id).first()
    if person is None:
        return None
    ids = list(
        visible_participations(kommune_id)
        .filter(person_id=person_id)
        .order_by("-start_date", "-pk")
        .values_list("pk", flat=True)
    )
    overviews = [o for pk in ids if (o := participation_overview(kommune_id, pk, as_of))]
    # The person-level events (registered, corrected); each participation's come with it.
    person_events = list(
        visible_history(kommune_id).filter(person_id=person_id, participation__isnull=True)
    )
    # The Norwegian-training ordninger's events carry no programme participation: they are
    # among the person's events above, scoped to the municipality like the rest.
    norsk = norsk_overviews(kommune_id, person_id, as_of)
    events = person_events + [e for o in overviews for e in o.history]
    events.sort(key=lambda e: (e.occurred_at, e.pk), reverse=True)
    return ParticipantPage(person, overviews, events, norsk)


def registration_row(
    participation: Participation | NorskParticipation, entity: str, entity_id: int
) -> Model | None:
    """One registration on a participation of either scheme the reader may already see,
    for the cancel page."""
    kinds = NORSK_CANCELLABLE if isinstance(participation, NorskParticipation) else CANCELLABLE
    kind = kinds.get(entity)
    if kind is None:
        return None
    return kind.model._default_manager.filter(pk=entity_id, **owner_of(participation)).first()
