"""Reads for screens, the API and reports, with the municipality scope applied here, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from nir.register.models import (
    Absence,
    Decision,
    Extension,
    HistoryEvent,
    LateRegistrationGrant,
    Leave,
    Measure,
    Participation,
    Person,
    SluttmaalVersion,
    Stop,
    TerminationSource,
)
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.related_items import RelatedItemsState, related_items_state
from nir.register.rule_config import rule_config
from nir.register.triage import grant_facts, state_of
from nir.rules.decided_programme_time import check_decided_programme_time
from nir.rules.missing import MissingRegistration, RegistrationState, missing_registrations
from nir.rules.regime import Regime
from nir.rules.registration_window import GrantFacts, WindowState
from nir.rules.termination import ParticipationStatus

FRIST_HORIZON_DAYS = 30  # the worklist's frist tasks (both schemes') look this far ahead


def visible_participations(kommune_id: int | None) -> QuerySet[Participation]:
    """Participations a reader may see: one municipality's, or all (``None``, IMDi)."""
    queryset = Participation.objects.select_related("person", "kommune")
    return queryset if kommune_id is None else queryset.filter(kommune_id=kommune_id)


def _persons_placed_in(kommune_id: int) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The ids of the persons with a participation in the municipality: a programme
    participation, or a Norwegian-training ordning (issue 16)."""
    return (
        Participation.objects.filter(kommune_id=kommune_id).values("person_id"),
        NorskParticipation.objects.filter(kommune_id=kommune_id).values("person_id"),
    )


def _registered_here_unplaced(kommune_id: int) -> Q:
    """Registered by the municipality, with no participation anywhere yet (on persons
    annotated by ``_with_any_participations``)."""
    return Q(
        registered_by_kommune_id=kommune_id,
        any_participation__isnull=True,
        any_norsk_participation__isnull=True,
    )


def _visible_person_conditions(kommune_id: int) -> tuple[Q, ...]:
    """The three ways a person is the municipality's to see, each a condition of its own:
    a programme participation there, a Norwegian-training ordning there, or registered
    there with no participation anywhere yet."""
    return (
        *(Q(pk__in=ids) for ids in _persons_placed_in(kommune_id)),
        _registered_here_unplaced(kommune_id),
    )


def _any_of_person(rows: QuerySet[Any]) -> Subquery:
    """One of the person's rows of ``rows``, if any. A scalar subquery, not NOT EXISTS: the
    planner probes the person's index for it, where it would hash the whole table for an
    anti-join it judges cheaper on a small or skewed register. Any one, and it gives the
    person's id: the probe then reads the (person, kommune) index alone, with nothing to
    sort and no row to fetch."""
    return Subquery(rows.filter(person=OuterRef("pk")).order_by().values("person")[:1])


def _with_any_participations(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.annotate(
        any_participation=_any_of_person(Participation.objects.all()),
        any_norsk_participation=_any_of_person(NorskParticipation.objects.all()),
    )


def visible_persons(kommune_id: int | None) -> QuerySet[Person]:
    """Persons with a participation the reader may see, and persons the reader's municipality
    registered who have no participation anywhere yet."""
    if kommune_id is None:
        return Person.objects.all()
    either = Q()
    for condition in _visible_person_conditions(kommune_id):
        either |= condition
    return _with_any_participations(Person.objects.all()).filter(either)


def visible_norsk_participations(kommune_id: int | None) -> QuerySet[NorskParticipation]:
    """Norwegian-training ordninger a reader may see: one municipality's, or all (IMDi)."""
    queryset = NorskParticipation.objects.select_related("person", "kommune")
    return queryset if kommune_id is None else queryset.filter(kommune_id=kommune_id)


def visible_history(kommune_id: int | None) -> QuerySet[HistoryEvent]:
    """History a reader may see: the events of its participations, and the person-level
    events (registered, corrected), which carry no municipality, of the persons it may see
    (``visible_persons``: those with a participation there, or registered there and with no
    participation anywhere yet)."""
    queryset = HistoryEvent.objects.select_related("participation")
    if kommune_id is None:
        return queryset
    return queryset.filter(
        Q(kommune_id=kommune_id)
        | Q(
            kommune__isnull=True,
            participation__isnull=True,
            person_id__in=visible_persons(kommune_id).values("pk"),
        )
    )


# How many persons registered with no participation anywhere a municipality's part of the
# change feed reads as a list of ids; more than this (a register loaded without its
# participations), and the part is the subquery.
_UNPLACED_AT_MOST = 5000
_UNPLACED_SECONDS = 600


def _unplaced(kommune_id: int) -> QuerySet[Person]:
    """The persons registered by the municipality with no participation anywhere."""
    return _with_any_participations(Person.objects.all()).filter(
        _registered_here_unplaced(kommune_id)
    )


def _unplaced_ids(kommune_id: int) -> list[int]:
    """The persons registered by the municipality with no participation anywhere (at most
    one more than ``_UNPLACED_AT_MOST``).

    They are few, and the planner cannot tell: given the condition, it walks every later
    person-level event and probes each one's person. Read first, they are a short list of
    ids for the events' index. The list changes only when a person is registered or a
    participation of either scheme is started (none is deleted but with its person), so it
    is cached on the newest id of each: exact, three index lookups."""
    newest_of = (
        f"(SELECT MAX(id) FROM {model._meta.db_table})"  # noqa: S608
        for model in (Person, Participation, NorskParticipation)
    )
    with connection.cursor() as cursor:
        # One round trip for the three: under load, each costs more than its lookup.
        cursor.execute(f"SELECT {', '.join(newest_of)}")
        newest = cursor.fetchone()
    key = f"nir:unplaced:{kommune_id}:" + ":".join(str(n or 0) for n in newest)
    found: list[int] | None = cache.get(key)
    if found is None:
        found = list(_unplaced(kommune_id).values_list("pk", flat=True)[: _UNPLACED_AT_MOST + 1])
        cache.set(key, found, _UNPLACED_SECONDS)
    return found


@contextmanager
def without_parallel_workers() -> Iterator[None]:
    """PostgreSQL plans the queries inside without parallel workers (its setting as it was
    after). A cursor page reads a hundred rows along an index: starting two workers took
    27 ms of its 30 ms at a million participations, and under load the workers are
    processes that the other requests' queries wait behind."""
    if connection.vendor != "postgresql":
        yield
        return
    setting = "max_parallel_workers_per_gather"
    # Inside a caller's transaction the setting would outlast this block: put it back.
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s), set_config(%s, '0', true)", [setting] * 2)
        before = cursor.fetchone()[0]
        yield
        if outer:
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, before])


def visible_history_parts(kommune_id: int) -> list[QuerySet[HistoryEvent]]:
    """``visible_history`` of a municipality as its parts (the same conditions): the
    municipality's own events, then its persons' person-level events, one part for each way
    a person is the municipality's. Each part is an index range in id order, which a
    cursor-paged feed reads faster apart than as one OR: inside an OR, PostgreSQL cannot
    turn the «no participation anywhere» into an anti-join and hashes every participation.
    A person may be in more than one part; the reader drops an event read twice."""
    person_level = HistoryEvent.objects.filter(kommune__isnull=True, participation__isnull=True)
    ids = _unplaced_ids(kommune_id)
    registered_here = (
        person_level.filter(person_id__in=ids)
        if len(ids) <= _UNPLACED_AT_MOST
        else person_level.filter(person_id__in=_unplaced(kommune_id).values("pk"))
    )
    return [
        HistoryEvent.objects.filter(kommune_id=kommune_id),
        *(person_level.filter(person_id__in=ids) for ids in _persons_placed_in(kommune_id)),
        registered_here,
    ]


def with_registration_flags(queryset: QuerySet[Participation]) -> QuerySet[Participation]:
    """Annotate, in the same query, whether each participation has a sluttmål, a decision
    and measures, so list pages need no query per row."""
    return queryset.annotate(
        has_sluttmaal=Exists(SluttmaalVersion.objects.filter(participation=OuterRef("pk"))),
        has_decision=ExpressionWrapper(Q(decision_missing=False), output_field=BooleanField()),
        has_measures=Exists(Measure.objects.filter(participation=OuterRef("pk"))),
    )


# The regimes without a sluttmaal (``Regime.has_sluttmaal``): the one source of the SQL
# condition, so a new regime needs no change here.
REGIMES_WITHOUT_SLUTTMAAL = tuple(r.value for r in Regime if not r.has_sluttmaal)


def sluttmaal_applies() -> Q:
    """Participations under a regime with a sluttmaal: ``Regime.has_sluttmaal`` in SQL."""
    return ~Q(regime__in=REGIMES_WITHOUT_SLUTTMAAL)


def with_sluttmaal_applies(queryset: QuerySet[Participation]) -> QuerySet[Participation]:
    """Annotate ``sluttmaal_applies``, so a page shows the regime's answer, not its code."""
    return queryset.annotate(
        sluttmaal_applies=ExpressionWrapper(sluttmaal_applies(), output_field=BooleanField())
    )


_UNREAD = object()


def _latest_programme_months() -> Subquery:
    return Subquery(
        Decision.objects.filter(participation=OuterRef("pk"), programme_months__isnull=False)
        .order_by("-decided_on", "-id")
        .values("programme_months")[:1]
    )


def decided_programme_months(decisions: QuerySet[Decision]) -> int | None:
    """The programme time the latest start decision stating one granted."""
    latest = decisions.filter(programme_months__isnull=False).order_by("-decided_on", "-id").first()
    return latest.programme_months if latest else None


def with_decided_programme_months(queryset: QuerySet[Participation]) -> QuerySet[Participation]:
    return queryset.annotate(decided_programme_months=_latest_programme_months())


def programme_time_exceeded(queryset: QuerySet[Participation]) -> QuerySet[Participation]:
    """Active (or ended by the register) participations whose start decision grants more
    months than the sluttmål and extensions give (nir.rules.decided_programme_time): the
    extension decision was never registered."""
    months = Cast(KeyTextTransform("months_total", "frist_derivation"), IntegerField())
    stated = Decision.objects.filter(participation=OuterRef("pk"), programme_months__isnull=False)
    return (
        with_decided_programme_months(queryset)
        .filter(Q(end_date__isnull=True) | Q(termination_source=TerminationSource.SYSTEM))
        # Only a decision stating a time can be exceeded: the participations with one are
        # found first, and only their latest decision is read (not one lookup a participation).
        .filter(Exists(stated))
        .annotate(computed_programme_months=months)
        .filter(Q(decided_programme_months__gt=F("computed_programme_months")))
    )


def registration_state(participation: Participation) -> RegistrationState:
    """The facts ``missing_registrations`` needs; the flags come from ``with_registration_flags``
    where the queryset was annotated, otherwise from one query each."""

    def flag(name: str, related: QuerySet[Any]) -> bool:
        value = getattr(participation, name, None)
        return bool(value) if value is not None else related.exists()

    ended_by_system = participation.status is ParticipationStatus.ENDED_BY_SYSTEM
    mismatch = None
    if participation.end_date is None or ended_by_system:
        annotated = getattr(participation, "decided_programme_months", _UNREAD)
        decided = (
            decided_programme_months(participation.decisions.all())
            if annotated is _UNREAD
            else cast(int | None, annotated)
        )
        if decided is not None:
            d = participation.frist_derivation
            mismatch = check_decided_programme_time(
                decided_months=decided,
                base_months=d["base_months"],
                extension_months=d.get("extension_months", 0),
                frist=participation.frist,
            )
    return RegistrationState(
        regime=Regime(participation.regime),
        start=participation.start_date,
        has_sluttmaal=flag("has_sluttmaal", participation.sluttmaal_versions.all()),
        has_decision=flag("has_decision", participation.decisions.all()),
        has_measures=flag("has_measures", participation.measures.all()),
        education_registered=participation.person.has_upper_secondary is not None,
        ended_by_system=ended_by_system,
        end_date=participation.end_date,
        # Only an end by the register needs the grants: lists of open rows read none.
        grants=tuple(_grant_facts(participation.kommune_id)) if ended_by_system else (),
        programme_mismatch=mismatch,
    )


def _grant_facts(kommune_id: int) -> list[GrantFacts]:
    return [grant_facts(g) for g in LateRegistrationGrant.objects.filter(kommune_id=kommune_id)]


def missing_for(participation: Participation, as_of: dt.date) -> list[MissingRegistration]:
    return missing_registrations(
        registration_state(participation), as_of=as_of, config=rule_config()
    )


@dataclass(frozen=True)
class ParticipationOverview:
    """Everything the participant page and the API's participant read show."""

    participation: Participation
    sluttmaal_versions: list[SluttmaalVersion]
    decisions: list[Decision]
    leaves: list[Leave]
    absences: list[Absence]
    extensions: list[Extension]
    stops: list[Stop]
    measures: list[Measure]
    history: list[HistoryEvent]
    missing: list[MissingRegistration]
    # For an end by the register: can its real reason still be registered (the triage)?
    reason_state: WindowState | None = None
    # The intro participant's kartlegging, veiledning, kontrakt and courses (N8).
    related: RelatedItemsState | None = None

    @property
    def sluttmaal(self) -> SluttmaalVersion | None:
        """The version in force: the newest by ``valid_from``."""
        return max(self.sluttmaal_versions, key=lambda v: (v.valid_from, v.pk), default=None)


def participation_history(participation: Participation) -> QuerySet[HistoryEvent]:
    """A participation's history, oldest first, as its page shows it."""
    return participation.history.order_by("occurred_at", "id")


def participation_overview(
    kommune_id: int | None, participation_id: int, as_of: dt.date
) -> ParticipationOverview | None:
    """One participation with all its registrations, or None when the reader may not see it."""
    participation = (
        with_registration_flags(visible_participations(kommune_id))
        .filter(pk=participation_id)
        .first()
    )
    if participation is None:
        return None
    decisions = list(participation.decisions.all())
    related = list(RelatedItemRecord.objects.filter(participation=participation).order_by("id"))
    return ParticipationOverview(
        participation=participation,
        sluttmaal_versions=list(participation.sluttmaal_versions.all()),
        decisions=decisions,
        leaves=list(participation.leaves.all()),
        absences=list(participation.absences.all()),
        extensions=list(participation.extensions.all()),
        stops=list(participation.stops.order_by("start_date", "id")),
        measures=list(participation.measures.order_by("start_date", "id")),
        history=list(participation_history(participation)),
        missing=missing_for(participation, as_of),
        reason_state=state_of(participation, as_of),
        related=related_items_state(participation, related, decisions, as_of),
    )


def norsk_frist_passed(kommune_id: int | None, as_of: dt.date) -> list[NorskParticipation]:
    """Open Norwegian-training ordninger whose frist has passed on ``as_of`` with no end
    registered: status «frist utløpt» and the work list's, as ``rules.norsk.frist.
    frist_state`` says (from the day after the frist). ``kommune_id`` None: all."""
    rows = visible_norsk_participations(kommune_id).filter(end_date__isnull=True, frist__lt=as_of)
    return list(rows.order_by("frist", "pk"))
