"""The API's reads, always within the caller's municipality (built on the register's
scoped selectors, so the scope is applied in one place)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Q, QuerySet, prefetch_related_objects

from nir.register.models import HistoryEvent, LateRegistrationGrant, Participation
from nir.register.norsk_models import NorskParticipation
from nir.register.selectors import (
    visible_history_parts,
    visible_norsk_participations,
    visible_participations,
    with_decided_programme_months,
    with_registration_flags,
    without_parallel_workers,
)
from nir.register.services.upsert.norsk_canonical import NORSK_RELATION
from nir.rules.schemes import Scheme

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


def participation_by_case_id(
    kommune_id: int, case_id: str, *, with_record: bool = True
) -> Participation | None:
    """The municipality's participation with this case id; with its stored record (every
    list the reply and the content hash read) unless ``with_record`` is false, when
    ``with_stored_record`` reads it later."""
    if not case_id:
        return None
    rows = with_registration_flags(visible_participations(kommune_id)).filter(case_id=case_id)
    return (rows.prefetch_related(*RECORD_PREFETCH) if with_record else rows).first()


def with_stored_record(participation: Participation) -> Participation:
    """The participation with its stored record read (``RECORD_PREFETCH``)."""
    prefetch_related_objects([participation], *RECORD_PREFETCH)
    return participation


def _page_of[M: models.Model](
    queryset: QuerySet[M], *, after: int, limit: int, active_only: bool
) -> list[M]:
    """A page in id order after the cursor, of either scheme's rows."""
    queryset = queryset.filter(pk__gt=after)
    if active_only:
        queryset = queryset.filter(end_date__isnull=True)
    return list(queryset.order_by("pk")[:limit])


def participation_page(
    kommune_id: int, *, after: int, limit: int, active_only: bool = False
) -> list[Participation]:
    return _page_of(
        visible_participations(kommune_id), after=after, limit=limit, active_only=active_only
    )


def reconciliation_page(kommune_id: int, *, after: int, limit: int) -> list[Participation]:
    return _page_of(
        visible_participations(kommune_id).prefetch_related(*RECORD_PREFETCH),
        after=after,
        limit=limit,
        active_only=False,
    )


def changes(
    kommune_id: int, *, after: int, limit: int, schemes: Collection[Scheme] = tuple(Scheme)
) -> list[HistoryEvent]:
    """History events about the municipality's participants, in id order, of the schemes
    the reader holds (a scheme's events to a client that writes it, N7-a).

    A person's own events carry no municipality; ``visible_history`` gives them to every
    municipality where the person has a participation, or to the one that registered them
    while they have none (Person.registered_by_kommune). Its parts are read apart, the
    next ``limit`` of each after the cursor, and merged: index ranges that stop at the
    limit, where one OR would collect every later event before sorting.
    """
    own, *persons = visible_history_parts(kommune_id)
    if Scheme.NORSK not in schemes:
        own = own.filter(norsk_participation__isnull=True)
    if Scheme.INTRODUKSJONSPROGRAM not in schemes:
        own = own.filter(participation__isnull=True)
    # Each part's next ids alone, so the planner walks its index in id order and stops at
    # the limit (with the joined rows asked for too, it may hash a whole range first); then
    # the page's events, with what the reply shows of them, in one query.
    ids: set[int] = set()
    with without_parallel_workers():
        for part in (own, *persons):
            after_cursor = part.filter(pk__gt=after).order_by("pk")
            ids.update(after_cursor.values_list("pk", flat=True)[:limit])
    page = sorted(ids)[:limit]
    # What a change shows (``mapping.change_out``): not the events' before and after, nor
    # the whole participation (its frist's derivation alone is a JSON document).
    shown = (
        *("id", "occurred_at", "action", "entity", "channel"),
        *("person__identity_number", "participation__case_id", "norsk_participation__case_id"),
    )
    return list(
        HistoryEvent.objects.filter(pk__in=page)
        .select_related("person", "participation", "norsk_participation")
        .only(*shown)
        .order_by("pk")
    )


@dataclass(frozen=True, slots=True)
class DeadlineWindow:
    """Open rows whose frist falls from ``as_of`` to ``within_days`` ahead, from after the
    cursor (frist, id)."""

    as_of: dt.date
    within_days: int
    after: tuple[dt.date, int] | None = None
    limit: int = 500


class Deadline(NamedTuple):
    """One row of the deadlines list: what it shows, and whose it is (for the access log)."""

    id: int
    case_id: str
    frist: dt.date
    version: int
    person_id: int
    identity_number: str


def _deadlines(queryset: QuerySet[Any], window: DeadlineWindow) -> list[Deadline]:
    """Either scheme's open rows with the frist in the window, soonest first: the columns
    shown, as tuples (a page is 500 rows; a model instance each, and its person's, took
    half of the request)."""
    rows = queryset.filter(
        end_date__isnull=True,
        frist__gte=window.as_of,
        frist__lte=window.as_of + dt.timedelta(days=window.within_days),
    )
    if window.after is not None:
        frist, pk = window.after
        rows = rows.filter(Q(frist__gt=frist) | Q(frist=frist, pk__gt=pk))
    shown = rows.order_by("frist", "pk").values_list(
        "id", "case_id", "frist", "version", "person_id", "person__identity_number"
    )
    return [Deadline(*row) for row in shown[: window.limit]]


def upcoming_deadlines(kommune_id: int, window: DeadlineWindow) -> list[Deadline]:
    return _deadlines(visible_participations(kommune_id), window)


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


# --- Training in Norwegian and social studies ------------------------------------------------

# Every list the ordning's content hash reads, fetched once per page instead of once per row.
NORSK_PREFETCH = tuple(NORSK_RELATION.values())


def norsk_by_case_id(kommune_id: int, case_id: str) -> NorskParticipation | None:
    if not case_id:
        return None
    return (
        visible_norsk_participations(kommune_id)
        .prefetch_related(*NORSK_PREFETCH)
        .filter(case_id=case_id)
        .first()
    )


def norsk_page(
    kommune_id: int, *, after: int, limit: int, active_only: bool = False
) -> list[NorskParticipation]:
    return _page_of(
        visible_norsk_participations(kommune_id),
        after=after,
        limit=limit,
        active_only=active_only,
    )


def norsk_reconciliation_page(
    kommune_id: int, *, after: int, limit: int
) -> list[NorskParticipation]:
    return _page_of(
        visible_norsk_participations(kommune_id).prefetch_related(*NORSK_PREFETCH),
        after=after,
        limit=limit,
        active_only=False,
    )


def norsk_upcoming_deadlines(kommune_id: int, window: DeadlineWindow) -> list[Deadline]:
    """An ordning whose frist is not computable has none to list."""
    return _deadlines(visible_norsk_participations(kommune_id), window)
