"""Appending history events: who, when, channel, before/after, legal basis."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder

from nir.register.models import HistoryEvent, LateRegistrationGrant, Participation, Person
from nir.register.services.context import Actor
from nir.rules.basis import LegalBasis


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return cast(dict[str, Any], json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def basis_json(basis: Iterable[LegalBasis]) -> list[dict[str, str]]:
    return [b.as_json() for b in dict.fromkeys(basis)]


def history_event(
    *,
    actor: Actor,
    at: dt.datetime,
    action: str,
    entity: str,
    entity_id: int | None,
    participation: Participation | None = None,
    person: Person | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    basis: Iterable[LegalBasis] = (),
    grant: LateRegistrationGrant | None = None,
) -> HistoryEvent:
    """A history event, not yet saved: the set-based paths write many in one statement.

    Related rows are given by id: every one of them has its id already, and setting ids
    skips the ORM's related-object bookkeeping, which dominates when thousands are made."""
    if participation is not None and person is None:
        person = participation.person
    return HistoryEvent(
        occurred_at=at,
        actor=actor.name,
        channel=actor.channel.value,
        action=action,
        kommune_id=participation.kommune_id if participation is not None else None,
        person_id=person.pk if person is not None else None,
        participation_id=participation.pk if participation is not None else None,
        entity=entity,
        entity_id=entity_id,
        before=_jsonable(before),
        after=_jsonable(after),
        legal_basis=basis_json(basis),
        late_registration_grant_id=grant.pk if grant is not None else None,
    )


def record_event(**kwargs: Any) -> HistoryEvent:
    """Append one history event now (see ``history_event`` for the arguments)."""
    event = history_event(**kwargs)
    event.save()
    return event
