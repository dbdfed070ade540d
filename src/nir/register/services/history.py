"""Appending history events: who, when, channel, before/after, legal basis.

An event's action, entity and the keys of its before/after state are its kind's, from the
catalogue (services/events.py); a state with other keys is a programming error and is
refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder

from nir.register.models import HistoryEvent, LateRegistrationGrant, Participation, Person
from nir.register.norsk_models import NorskParticipation
from nir.register.services.context import Actor, WriteContext
from nir.register.services.events import ROW, EventKind
from nir.register.services.rows import new_row
from nir.rules.basis import LegalBasis

_AS_THEY_ARE = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """A state's value as it reads back from JSON (DjangoJSONEncoder's spelling): the
    common kinds converted directly, anything else through the encoder."""
    kind = type(value)
    if kind in _AS_THEY_ARE:
        return value
    if kind is dt.date:
        return value.isoformat()
    if kind is Decimal:
        return str(value)
    if kind is dict and all(type(key) is str for key in value):
        return {key: _plain(v) for key, v in value.items()}
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return cast(dict[str, Any], _plain(value))


def basis_json(basis: Iterable[LegalBasis]) -> list[dict[str, str]]:
    """The legal bases as an event stores them, each once. The same bases give the same
    list, which is never changed once made: a seed or a batch writes a kind's bases
    thousands of times, and the bulk write encodes each list once."""
    return _basis_json(tuple(dict.fromkeys(basis)))


@lru_cache(maxsize=1024)
def _basis_json(basis: tuple[LegalBasis, ...]) -> list[dict[str, str]]:
    return [b.as_json() for b in basis]


@dataclass(frozen=True, slots=True)
class NewEvent:
    """A history event asked for: its kind, what it is about, and what changed.

    ``entity`` is given only where the kind's entity is the registration it names
    (``REGISTRATION_CANCELLED``)."""

    kind: EventKind
    entity_id: int | None
    participation: Participation | None = None
    person: Person | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    basis: Iterable[LegalBasis] = ()
    grant: LateRegistrationGrant | None = None
    entity: str | None = None
    norsk_participation: NorskParticipation | None = None


def _check_state(kind: EventKind, side: str, state: dict[str, Any] | None) -> None:
    keys = getattr(kind, side)
    if keys is ROW:
        return
    if (state is None) != (keys is None) or (state is not None and set(state) != set(keys)):
        raise ValueError(f"{kind.action}: {side} {sorted(state or ())} is not {keys}")


def history_event(actor: Actor, at: dt.datetime, event: NewEvent) -> HistoryEvent:
    """A history event, not yet saved: the set-based paths write many in one statement.

    Related rows are given by id: every one of them has its id already, and setting ids
    skips the ORM's related-object bookkeeping, which dominates when thousands are made."""
    _check_state(event.kind, "before", event.before)
    _check_state(event.kind, "after", event.after)
    participation, norsk, person = event.participation, event.norsk_participation, event.person
    scheme_row = participation or norsk
    if scheme_row is not None and person is None:
        person = scheme_row.person
    return new_row(
        HistoryEvent,
        occurred_at=at,
        actor=actor.name,
        channel=actor.channel.value,
        action=event.kind.action,
        kommune_id=scheme_row.kommune_id if scheme_row is not None else None,
        person_id=person.pk if person is not None else None,
        participation_id=participation.pk if participation is not None else None,
        norsk_participation_id=norsk.pk if norsk is not None else None,
        entity=event.entity or event.kind.entity,
        entity_id=event.entity_id,
        before=_jsonable(event.before),
        after=_jsonable(event.after),
        legal_basis=basis_json(event.basis),
        late_registration_grant_id=event.grant.pk if event.grant is not None else None,
    )


def record(ctx: WriteContext, event: NewEvent) -> None:
    """Append one history event to the context's store (written now on the database)."""
    ctx.store.add(history_event(ctx.actor, ctx.at, event))
