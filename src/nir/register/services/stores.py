"""Where the rows a service writes go, and what it reads back about a participation.

The services decide what to write through the same code whichever store they are given;
only the moment and manner of the write differ. ``DatabaseRows`` saves each row at once
(the caseworker UI, the API's updates); ``PendingRows`` (services/new_participants.py)
gives each row an id reserved in advance and keeps it for one set-based insert per table;
``MemoryRows`` keeps what a preview would write and throws it away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.db import models

from nir.register.models import (
    Absence,
    Extension,
    LateRegistrationGrant,
    Leave,
    Participation,
    Person,
    SluttmaalVersion,
)
from nir.register.norsk_models import NorskParticipation
from nir.rules import frist as frist_rules
from nir.rules.dates import DateInterval
from nir.rules.participation import DatedStop, ParticipationFacts
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import Regime
from nir.rules.registration_window import GrantFacts

Grants = Sequence[tuple[GrantFacts, LateRegistrationGrant]]


def kommune_grants(kommune_id: int) -> list[tuple[GrantFacts, LateRegistrationGrant]]:
    return [
        (
            GrantFacts(
                str(g.pk),
                DateInterval(g.covers_from, g.covers_to),
                g.granted_on,
                g.expires_on,
                g.revoked_on,
            ),
            g,
        )
        for g in LateRegistrationGrant.objects.filter(kommune_id=kommune_id)
    ]


def facts_from_rows(
    participation: Participation,
    *,
    latest_sluttmaal: SluttmaalVersion | None,
    extensions: Iterable[Extension],
    leaves: Iterable[Leave],
    dated_absences: Iterable[Absence],
) -> ParticipationFacts:
    """What the frist rules need, from the participation's rows (stored or about to be)."""
    person = participation.person
    return ParticipationFacts(
        regime=Regime(participation.regime),
        start=participation.start_date,
        birth_date=person.birth_date,
        has_upper_secondary=person.has_upper_secondary,
        sluttmaal=Sluttmaal(latest_sluttmaal.sluttmaal) if latest_sluttmaal else None,
        extensions=[
            frist_rules.ExtensionFacts(f"extension:{e.pk}", e.months, e.decided_on)
            for e in extensions
        ],
        leaves=[DatedStop(f"leave:{x.pk}", x.leave_type, x.start_date, x.end_date) for x in leaves],
        dated_absences=[
            DatedStop(f"absence:{x.pk}", x.absence_type, x.start_date, x.end_date)
            for x in dated_absences
        ],
    )


def in_stored_order(rows: Iterable[Any], model: type[models.Model]) -> list[Any]:
    """Rows in the order the database gives them back (the model's ordering); a row not
    yet given an id comes after the stored ones it ties with, as its id would."""

    def key(row: Any) -> tuple[Any, ...]:
        return tuple(
            (row.pk is None, row.pk or 0) if name == "id" else getattr(row, name)
            for name in (str(n) for n in model._meta.ordering or ["id"])
        )

    return sorted(rows, key=key)


def _latest_stored_sluttmaal(participation: Participation) -> SluttmaalVersion | None:
    return participation.sluttmaal_versions.order_by("-valid_from", "-id").first()


def participation_facts(participation: Participation) -> ParticipationFacts:
    return facts_from_rows(
        participation,
        latest_sluttmaal=_latest_stored_sluttmaal(participation),
        extensions=participation.extensions.all(),
        leaves=participation.leaves.all(),
        dated_absences=participation.absences.filter(hours__isnull=True),
    )


class RowStore(Protocol):
    """Where the rows a service writes go, and what it reads back (see the module)."""

    def add(self, row: models.Model) -> None:
        """A new row; it has its primary key when this returns (``MemoryRows``: none)."""

    def save(self, row: models.Model, fields: Sequence[str] | None = None) -> None:
        """A row added earlier, changed."""

    def facts(self, participation: Participation) -> ParticipationFacts:
        """The participation's facts for the frist rules, with every row added so far."""

    def grants(self, kommune_id: int) -> Grants:
        """The municipality's late-registration grants."""

    def norsk_rows[M: models.Model](self, model: type[M], ordning: NorskParticipation) -> list[M]:
        """A Norwegian-training ordning's rows of ``model``, with every one added so far."""

    def has_open_norsk(self, person: Person) -> bool:
        """Whether the person has an open Norwegian-training ordning (one added so far too)."""

    def norsk_case_id_taken(self, kommune_id: int, case_id: str) -> bool:
        """Whether the municipality has an ordning with the case id (one added so far too)."""


class DatabaseRows:
    """Each row written to the database at once."""

    def add(self, row: models.Model) -> None:
        row.save(force_insert=True)

    def save(self, row: models.Model, fields: Sequence[str] | None = None) -> None:
        row.save(update_fields=fields)

    def facts(self, participation: Participation) -> ParticipationFacts:
        return participation_facts(participation)

    def grants(self, kommune_id: int) -> Grants:
        return kommune_grants(kommune_id)

    def norsk_rows[M: models.Model](self, model: type[M], ordning: NorskParticipation) -> list[M]:
        return stored_norsk_rows(model, ordning)

    def has_open_norsk(self, person: Person) -> bool:
        return stored_open_norsk(person)

    def norsk_case_id_taken(self, kommune_id: int, case_id: str) -> bool:
        return stored_norsk_case_id(kommune_id, case_id)


DATABASE = DatabaseRows()


def stored_open_norsk(person: Person) -> bool:
    return NorskParticipation.objects.filter(person=person, end_date__isnull=True).exists()


def stored_norsk_case_id(kommune_id: int, case_id: str) -> bool:
    return NorskParticipation.objects.filter(kommune_id=kommune_id, case_id=case_id).exists()


def stored_norsk_rows[M: models.Model](model: type[M], ordning: NorskParticipation) -> list[M]:
    if ordning.pk is None:
        return []
    return list(model._default_manager.filter(norsk_participation=ordning))


class MemoryRows:
    """The stored rows as they are, with the rows a service adds kept in memory only.

    A preview runs the service that would save a registration on this store and throws the
    store away: every check the save makes, the preview makes, and nothing is written.
    """

    def __init__(self) -> None:
        self.rows: list[models.Model] = []

    def add(self, row: models.Model) -> None:
        self.rows.append(row)

    def save(self, row: models.Model, fields: Sequence[str] | None = None) -> None:
        # Nothing is ever written: the changed row is the caller's copy.
        pass

    def facts(self, participation: Participation) -> ParticipationFacts:
        added = [r for r in self.rows if getattr(r, "participation_id", None) == participation.pk]

        def rows[M: models.Model](model: type[M], stored: Iterable[M]) -> list[M]:
            return in_stored_order([*stored, *(r for r in added if type(r) is model)], model)

        goals = rows(SluttmaalVersion, participation.sluttmaal_versions.all())
        return facts_from_rows(
            participation,
            latest_sluttmaal=goals[-1] if goals else None,
            extensions=rows(Extension, participation.extensions.all()),
            leaves=rows(Leave, participation.leaves.all()),
            dated_absences=[
                a for a in rows(Absence, participation.absences.all()) if a.hours is None
            ],
        )

    def grants(self, kommune_id: int) -> Grants:
        return kommune_grants(kommune_id)

    def norsk_rows[M: models.Model](self, model: type[M], ordning: NorskParticipation) -> list[M]:
        added = [
            r
            for r in self.rows
            if type(r) is model and getattr(r, "norsk_participation_id", None) == ordning.pk
        ]
        return in_stored_order([*stored_norsk_rows(model, ordning), *added], model)

    def _ordninger(self) -> list[NorskParticipation]:
        return [r for r in self.rows if isinstance(r, NorskParticipation)]

    def has_open_norsk(self, person: Person) -> bool:
        added = (o.person_id == person.pk and o.end_date is None for o in self._ordninger())
        return any(added) or stored_open_norsk(person)

    def norsk_case_id_taken(self, kommune_id: int, case_id: str) -> bool:
        added = ((o.kommune_id, o.case_id) == (kommune_id, case_id) for o in self._ordninger())
        return any(added) or stored_norsk_case_id(kommune_id, case_id)
