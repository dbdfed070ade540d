"""Reads for screens, the API and reports, with the municipality scope applied here, once."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from nir.register.models import HistoryEvent, Participation, Person


def visible_participations(kommune_id: int | None) -> QuerySet[Participation]:
    """Participations a reader may see: one municipality's, or all (``None``, IMDi)."""
    queryset = Participation.objects.select_related("person", "kommune")
    return queryset if kommune_id is None else queryset.filter(kommune_id=kommune_id)


def visible_persons(kommune_id: int | None) -> QuerySet[Person]:
    """Persons with a participation the reader may see."""
    if kommune_id is None:
        return Person.objects.all()
    return Person.objects.filter(
        Q(registered_by_kommune_id=kommune_id)
        | Q(pk__in=Participation.objects.filter(kommune_id=kommune_id).values("person_id"))
    )


def visible_history(kommune_id: int | None) -> QuerySet[HistoryEvent]:
    queryset = HistoryEvent.objects.select_related("participation")
    return queryset if kommune_id is None else queryset.filter(kommune_id=kommune_id)
