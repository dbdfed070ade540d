"""The triage of every participation ended by the register: can its real reason still be
registered, does it need IMDi's late-registration grant, or is it too old to fix?

One rule (``nir.rules.registration_window.window_state``) decides; this module applies it
to rows and, for lists and counts, as conditions the database evaluates (the same bounds:
a test compares the two). The worklist's cards, the report (counts, column, filter), its
CSV/XLSX and the API's participant read all read from here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from nir.register.models import LateRegistrationGrant, Participation, TerminationSource
from nir.register.rule_config import rule_config
from nir.rules.dates import DateInterval
from nir.rules.registration_window import (
    GrantFacts,
    WindowState,
    WindowStatus,
    earliest_open_event,
    furthest_reachable_event,
    window_state,
)
from nir.rules.termination import ParticipationStatus

ENDED_BY_REGISTER = Q(termination_source=TerminationSource.SYSTEM)


def grant_facts(grant: LateRegistrationGrant) -> GrantFacts:
    return GrantFacts(
        str(grant.pk),
        DateInterval(grant.covers_from, grant.covers_to),
        grant.granted_on,
        grant.expires_on,
        grant.revoked_on,
    )


def valid_grants(kommune_id: int | None, as_of: dt.date) -> QuerySet[LateRegistrationGrant]:
    """The grants in force on ``as_of`` (granted, not expired, not revoked)."""
    rows = LateRegistrationGrant.objects.filter(
        granted_on__lte=as_of, expires_on__gte=as_of
    ).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=as_of))
    return rows if kommune_id is None else rows.filter(kommune_id=kommune_id)


def grants_by_kommune(kommune_id: int | None, as_of: dt.date) -> dict[int, list[GrantFacts]]:
    found: dict[int, list[GrantFacts]] = defaultdict(list)
    for grant in valid_grants(kommune_id, as_of):
        found[grant.kommune_id].append(grant_facts(grant))
    return found


def grants_signature(
    kommune_id: int | None, as_of: dt.date, grants: list[LateRegistrationGrant] | None = None
) -> str:
    """What the triage depends on besides the participations: for the counts' cache key.
    ``grants``: the valid grants, where the caller has read them already."""
    if grants is not None:
        return ",".join(f"{g.pk}:{g.expires_on}" for g in sorted(grants, key=lambda g: g.pk))
    return ",".join(
        f"{pk}:{expires}"
        for pk, expires in valid_grants(kommune_id, as_of)
        .order_by("pk")
        .values_list("pk", "expires_on")
    )


def state_of(
    participation: Participation,
    as_of: dt.date,
    grants: dict[int, list[GrantFacts]] | None = None,
) -> WindowState | None:
    """The registration state of the participation's real reason; None unless the register
    ended it. ``grants`` (from ``grants_by_kommune``) saves a query per row in a list."""
    if participation.status is not ParticipationStatus.ENDED_BY_SYSTEM:
        return None
    assert participation.end_date is not None  # an end by the register has its date
    if grants is None:
        grants = grants_by_kommune(participation.kommune_id, as_of)
    return window_state(
        event_date=participation.end_date,
        as_of=as_of,
        grants=grants.get(participation.kommune_id, []),
        config=rule_config(),
    )


def _covered(grants: Iterable[LateRegistrationGrant]) -> Q:
    covered = Q(pk__in=[])
    for g in grants:
        covered |= Q(kommune_id=g.kommune_id, end_date__range=(g.covers_from, g.covers_to))
    return covered


def status_condition(
    status: WindowStatus,
    kommune_id: int | None,
    as_of: dt.date,
    grants: list[LateRegistrationGrant] | None = None,
) -> Q:
    """The participations ended by the register whose reason is in ``status`` on ``as_of``,
    as one condition: the rule's bounds (window_state) on the end date. ``grants``: the
    valid grants, where the caller has read them already."""
    config = rule_config()
    open_from = earliest_open_event(as_of, config)
    reach_from = furthest_reachable_event(as_of, config)
    if status is WindowStatus.OPEN:
        return ENDED_BY_REGISTER & Q(end_date__gte=open_from)
    if status is WindowStatus.TOO_OLD:
        return ENDED_BY_REGISTER & Q(end_date__lt=reach_from)
    reachable = ENDED_BY_REGISTER & Q(end_date__gte=reach_from, end_date__lt=open_from)
    covered = _covered(valid_grants(kommune_id, as_of) if grants is None else grants)
    if status is WindowStatus.GRANTED:
        return reachable & covered
    return reachable & ~covered


def status_counts(
    queryset: QuerySet[Participation], kommune_id: int | None, as_of: dt.date
) -> dict[str, int]:
    """How many of the queryset's participations are in each state: one aggregate."""
    grants = list(valid_grants(kommune_id, as_of))
    return queryset.order_by().aggregate(
        **{
            status.value: Count("pk", filter=status_condition(status, kommune_id, as_of, grants))
            for status in WindowStatus
        }
    )


def status_rank(kommune_id: int | None, as_of: dt.date) -> Case:
    """The registration state as a number, for ordering a list by it: can be registered,
    covered by a grant, needs a grant, too old; an end with a real reason after them."""
    grants = list(valid_grants(kommune_id, as_of))
    return Case(
        *[
            When(status_condition(status, kommune_id, as_of, grants), then=Value(rank))
            for rank, status in enumerate(WindowStatus)
        ],
        default=Value(len(WindowStatus)),
        output_field=IntegerField(),
    )
