"""Reads behind the reports a municipality relies on (rules.md §8).

Every report starts from ``visible_participations``, so the municipality scope is applied
in one place. Lists are returned as querysets (the caller pages them, or streams them with
``iterator``); the export rows are generators that never hold the whole list in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nir.db_routers import replica_reads
from nir.register import labels, triage
from nir.register.missing_messages import window_state_text
from nir.register.models import Participation, TerminationSource
from nir.register.rule_config import rule_config
from nir.register.selectors import (
    visible_participations,
    with_registration_flags,
    with_sluttmaal_applies,
)
from nir.rules.goal_attainment import GoalAttainment, compute_goal_attainment
from nir.rules.registration_window import WindowStatus, window_state
from nir.rules.termination import IKKE_REGISTRERT, TERMINATION_REASONS

EXPORT_CHUNK_SIZE = 2000


# --- Oversikt over personer avsluttet introduksjonsprogram --------------------------------


@dataclass(frozen=True, slots=True)
class TerminatedFilter:
    year: int | None = None
    regime: str | None = None
    category: str | None = None
    # True: a real reason registered; False: ended by the register as ikke_registrert.
    reason_registered: bool | None = None
    # Ended by the register, and whose reason is in this registration state (triage).
    window_status: WindowStatus | None = None
    # The day the triage is made for (today where not given).
    as_of: dt.date | None = None
    # The list's order (the page's sorting, which the export keeps): newest end first where
    # not given. Not part of the counts, nor of their cache key.
    order: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @property
    def day(self) -> dt.date:
        return self.as_of or timezone.localdate()


def terminated_participations(
    kommune_id: int | None, filters: TerminatedFilter
) -> QuerySet[Participation]:
    """Ended participations, newest end first, filtered as the report's form says."""
    queryset = visible_participations(kommune_id).filter(end_date__isnull=False)
    if filters.year is not None:
        queryset = queryset.filter(end_date__year=filters.year)
    if filters.regime:
        queryset = queryset.filter(regime=filters.regime)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.reason_registered is True:
        queryset = queryset.exclude(termination_reason=IKKE_REGISTRERT)
    elif filters.reason_registered is False:
        queryset = queryset.filter(termination_reason=IKKE_REGISTRERT)
    if filters.window_status is not None:
        queryset = queryset.filter(
            triage.status_condition(filters.window_status, kommune_id, filters.day)
        )
    return queryset.order_by(*(filters.order or ("-end_date", "pk")))


@dataclass(frozen=True, slots=True)
class TerminatedCounts:
    total: int
    reason_registered: int
    reason_not_registered: int
    by_regime: list[tuple[str, int, int]]  # regime, registered, not registered
    # Of those ended by the register: how many are in each registration state (triage).
    by_status: dict[str, int]


def terminated_counts(kommune_id: int | None, filters: TerminatedFilter) -> TerminatedCounts:
    """The counts above the report: one grouped query, whatever the number of rows."""
    rows = (
        terminated_participations(kommune_id, filters)
        .order_by()
        .values("regime")
        .annotate(
            not_registered=Count("pk", filter=Q(termination_reason=IKKE_REGISTRERT)),
            total=Count("pk"),
        )
        .order_by("regime")
    )
    by_regime = [(r["regime"], r["total"] - r["not_registered"], r["not_registered"]) for r in rows]
    registered = sum(r[1] for r in by_regime)
    not_registered = sum(r[2] for r in by_regime)
    by_status = triage.status_counts(
        terminated_participations(kommune_id, filters), kommune_id, filters.day
    )
    return TerminatedCounts(
        registered + not_registered, registered, not_registered, by_regime, by_status
    )


# Who set the termination, in the export's «Satt av» column: the register, or the municipality.
SET_BY = {True: _("Registeret"), False: _("Kommunen")}


# Export headers, in the user's language (nir.web.exports writes str() of each).
TERMINATED_COLUMNS = (
    _("Fødselsnummer/D-nummer"),
    _("DUF-nummer"),
    _("Etternavn"),
    _("Fornavn"),
    _("Kommunenummer"),
    _("Saksnummer"),
    _("Lovverk"),
    _("Kategori"),
    _("Oppstart"),
    _("Frist"),
    _("Sluttdato"),
    _("Avslutningsårsak"),
    _("Satt av"),
    _("Registrering av årsak"),
)


# A CSV download streams these rows after the view has returned, so the export rows take
# the replica scope themselves, step by step (nir.db_routers).
@replica_reads()
def terminated_rows(kommune_id: int | None, filters: TerminatedFilter) -> Iterator[tuple[Any, ...]]:
    """The report's rows for export, fetched in chunks from a server-side cursor."""
    values = terminated_participations(kommune_id, filters).values_list(
        "person__identity_number",
        "person__duf_number",
        "person__family_name",
        "person__given_name",
        "kommune__number",
        "case_id",
        "regime",
        "category",
        "start_date",
        "frist",
        "end_date",
        "termination_reason",
        "termination_source",
        "kommune_id",
    )
    day = filters.day
    grants = triage.grants_by_kommune(kommune_id, day)
    config = rule_config()
    for row in values.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        *head, regime, category, start, frist, end_date, reason, source, row_kommune = row
        by = str(SET_BY[source == TerminationSource.SYSTEM])
        state = ""
        if source == TerminationSource.SYSTEM:
            assert isinstance(end_date, dt.date)  # an end by the register has its date
            state = window_state_text(
                window_state(
                    event_date=end_date,
                    as_of=day,
                    grants=grants.get(row_kommune, []),
                    config=config,
                )
            )
            state = state[:1].upper() + state[1:]
        yield (
            *head,
            labels.label(labels.REGIMES, regime),
            labels.label(labels.CATEGORIES, category) if category else "",
            start,
            frist,
            end_date,
            labels.reason_label(reason),
            by,
            state,
        )


# --- Personliste ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonListFilter:
    # None: either; True: with; False: without.
    has_decision: bool | None = None
    has_measures: bool | None = None
    has_sluttmaal: bool | None = None
    active_only: bool = True
    # The list's order (the page's sorting, which the export keeps): by name where not
    # given. Not part of the count's cache key.
    order: tuple[Any, ...] = field(default=(), repr=False, compare=False)


def person_list(kommune_id: int | None, filters: PersonListFilter) -> QuerySet[Participation]:
    """Participations with or without a decision, measures and sluttmål, by name."""
    queryset = with_sluttmaal_applies(with_registration_flags(visible_participations(kommune_id)))
    if filters.active_only:
        queryset = queryset.filter(end_date__isnull=True)
    for flag in ("has_decision", "has_measures", "has_sluttmaal"):
        wanted = getattr(filters, flag)
        if wanted is not None:
            queryset = queryset.filter(**{flag: wanted})
    return queryset.order_by(
        *(filters.order or ("person__family_name", "person__given_name", "pk"))
    )


PERSON_LIST_COLUMNS = (
    _("Fødselsnummer/D-nummer"),
    _("DUF-nummer"),
    _("Etternavn"),
    _("Fornavn"),
    _("Kommunenummer"),
    _("Saksnummer"),
    _("Lovverk"),
    _("Oppstart"),
    _("Frist"),
    _("Sluttdato"),
    _("Vedtak"),
    _("Tiltak"),
    _("Sluttmål"),
)


@replica_reads()
def person_list_rows(
    kommune_id: int | None, filters: PersonListFilter
) -> Iterator[tuple[Any, ...]]:
    values = person_list(kommune_id, filters).values_list(*PERSON_LIST_FIELDS)
    for row in values.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        *head, regime, start, frist, end, decision, measures, sluttmaal = row
        yield (
            *head,
            labels.label(labels.REGIMES, regime),
            start,
            frist,
            end,
            *("Ja" if flag else "Nei" for flag in (decision, measures, sluttmaal)),
        )


# The last three are annotations of with_registration_flags.
PERSON_LIST_FIELDS = (
    "person__identity_number",
    "person__duf_number",
    "person__family_name",
    "person__given_name",
    "kommune__number",
    "case_id",
    "regime",
    "start_date",
    "frist",
    "end_date",
    "has_decision",
    "has_measures",
    "has_sluttmaal",
)


# --- Kommuneoversikt ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReasonCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class KommuneOverview:
    year: int
    participants: int  # in the programme at some day of the year
    starts: int
    ends: int
    ends_by_reason: list[ReasonCount]
    goal_attainment: GoalAttainment

    @property
    def not_registered(self) -> int:
        return sum(r.count for r in self.ends_by_reason if r.code == IKKE_REGISTRERT)

    @property
    def not_registered_share(self) -> float | None:
        return self.not_registered / self.ends if self.ends else None


def kommune_overview(kommune_id: int | None, year: int) -> KommuneOverview:
    """Participants, starts and ends by reason in one year: two aggregate queries."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    scope = visible_participations(kommune_id).order_by()
    totals = scope.aggregate(
        participants=Count(
            "pk",
            filter=Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first)),
        ),
        starts=Count("pk", filter=Q(start_date__range=(first, last))),
    )
    counted = dict(
        scope.filter(end_date__range=(first, last))
        .values_list("termination_reason")
        .annotate(n=Count("pk"))
        .values_list("termination_reason", "n")
    )
    by_reason = [
        ReasonCount(code, labels.reason_label(code), counted.get(code, 0))
        for code in TERMINATION_REASONS
        if counted.get(code, 0)
    ]
    by_reason.sort(key=lambda r: (-r.count, r.label))
    # One reason code per leaver, generated lazily from the grouped counts.
    codes = chain.from_iterable(repeat(code, n) for code, n in counted.items())
    return KommuneOverview(
        year=year,
        participants=totals["participants"],
        starts=totals["starts"],
        ends=sum(counted.values()),
        ends_by_reason=by_reason,
        goal_attainment=compute_goal_attainment(codes, rule_config().outcome_excluded_reasons),
    )
