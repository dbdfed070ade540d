"""The API's reads, always within the caller's municipality (built on the register's
scoped selectors, so the scope is applied in one place)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from nir.register.models import HistoryEvent, LateRegistrationGrant, Participation
from nir.register.selectors import (
    visible_history_parts,
    visible_participations,
    with_decided_programme_months,
    with_registration_flags,
)

# Every list the content hash reads, fetched once per page instead of once per row.
RECORD_PREFETCH = (
    "sluttmaal_versions",
    "decisions",
    "measures",
    "leaves",
    "absences",
    "extensions",
    "stops",
    "related_items",
)


def participation_by_case_id(kommune_id: int, case_id: str) -> Participation | None:
    if not case_id:
        return None
    return (
        with_registration_flags(visible_participations(kommune_id))
        .prefetch_related(*RECORD_PREFETCH)
        .filter(case_id=case_id)
        .first()
    )


def participation_page(
    kommune_id: int, *, after: int, limit: int, active_only: bool = False
) -> list[Participation]:
    queryset = visible_participations(kommune_id).filter(pk__gt=after)
    if active_only:
        queryset = queryset.filter(end_date__isnull=True)
    return list(queryset.order_by("pk")[:limit])


def reconciliation_page(kommune_id: int, *, after: int, limit: int) -> list[Participation]:
    return list(
        visible_participations(kommune_id)
        .filter(pk__gt=after)
        .prefetch_related(*RECORD_PREFETCH)
        .order_by("pk")[:limit]
    )


def changes(kommune_id: int, *, after: int, limit: int) -> list[HistoryEvent]:
    """History events about the municipality's participants, in id order.

    A person's own events carry no municipality; ``visible_history`` gives them to every
    municipality where the person has a participation, or to the one that registered them
    while they have none (Person.registered_by_kommune). Its two parts are read apart, the
    next ``limit`` of each after the cursor, and merged: two index ranges that stop at the
    limit, where one OR would collect every later event before sorting.
    """
    events: list[HistoryEvent] = []
    for part in visible_history_parts(kommune_id):
        events += (
            part.select_related("person", "participation")
            .filter(pk__gt=after)
            .order_by("pk")[:limit]
        )
    events.sort(key=lambda e: e.pk)
    return events[:limit]


def upcoming_deadlines(
    kommune_id: int,
    *,
    as_of: dt.date,
    within_days: int,
    after: tuple[dt.date, int] | None = None,
    limit: int = 500,
) -> list[Participation]:
    """Open participations whose frist falls from ``as_of`` to ``within_days`` ahead, soonest
    first, from after the cursor (frist, id)."""
    rows = visible_participations(kommune_id).filter(
        end_date__isnull=True,
        frist__gte=as_of,
        frist__lte=as_of + dt.timedelta(days=within_days),
    )
    if after is not None:
        frist, pk = after
        rows = rows.filter(Q(frist__gt=frist) | Q(frist=frist, pk__gt=pk))
    return list(rows.order_by("frist", "pk")[:limit])


def kommune_grants(kommune_id: int, *, after: int, limit: int) -> list[LateRegistrationGrant]:
    """The municipality's late-registration grants in the order IMDi gave them (id order),
    after the cursor (no personal data)."""
    return list(
        LateRegistrationGrant.objects.filter(kommune_id=kommune_id, pk__gt=after).order_by("pk")[
            :limit
        ]
    )


def decided_programme_months(participation_ids: list[int]) -> list[Participation]:
    """Participations just written, with the programme time their start decisions grant
    (``decided_programme_months``), for the warning a write's reply carries. Only ids the
    write itself returned reach here, so they are the caller's own."""
    rows = with_decided_programme_months(
        Participation.objects.filter(pk__in=participation_ids, decisions__isnull=False)
    ).distinct()
    return list(rows.only("id", "frist", "frist_derivation", "end_date", "termination_source"))
