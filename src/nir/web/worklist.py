"""The worklist: what a caseworker must do next, soonest first (reads only).

Built on the register's scoped selectors. Every section is one query for its rows (capped)
and one for its count, so the page costs the same with ten participants or ten thousand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from nir.register.models import LateRegistrationGrant, Participation, TerminationSource
from nir.register.rule_config import rule_config
from nir.register.selectors import missing_for, visible_participations, with_registration_flags
from nir.rules.registration_window import earliest_open_event, window_closes

FRIST_HORIZON_DAYS = 30
GRANT_HORIZON_DAYS = 30
SECTION_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Task:
    kind: str  # frist | reason | sluttmaal | decision | measures
    due: dt.date | None
    participation: Participation
    text: str
    fix: str  # the registration kind that resolves it


@dataclass
class Worklist:
    tasks: list[Task] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    grants: list[LateRegistrationGrant] = field(default_factory=list)

    @property
    def shown_counts(self) -> dict[str, int]:
        shown: dict[str, int] = {}
        for task in self.tasks:
            shown[task.kind] = shown.get(task.kind, 0) + 1
        return shown


def frist_soon(kommune_id: int | None, today: dt.date) -> QuerySet[Participation]:
    return visible_participations(kommune_id).filter(
        end_date__isnull=True,
        frist__range=(today, today + dt.timedelta(days=FRIST_HORIZON_DAYS)),
    )


def reason_window_open(kommune_id: int | None, today: dt.date) -> QuerySet[Participation]:
    """Ended by the register, and the 2-month window for the real reason still open."""
    return visible_participations(kommune_id).filter(
        termination_source=TerminationSource.SYSTEM,
        end_date__gte=earliest_open_event(today, rule_config()),
    )


def missing_registrations(kommune_id: int | None) -> QuerySet[Participation]:
    return with_registration_flags(visible_participations(kommune_id)).filter(
        Q(end_date__isnull=True)
        & (
            (Q(has_sluttmaal=False) & ~Q(regime="introduksjonsloven"))
            | Q(has_decision=False)
            | Q(has_measures=False)
        )
    )


def build_worklist(kommune_id: int | None, today: dt.date) -> Worklist:
    config = rule_config()
    worklist = Worklist()

    soon = frist_soon(kommune_id, today)
    worklist.counts["frist"] = soon.count()
    for p in soon.order_by("frist", "pk")[:SECTION_LIMIT]:
        worklist.tasks.append(
            Task(
                "frist",
                p.frist,
                p,
                f"Fristen for gjennomføring går ut {p.frist:%d.%m.%Y}. Registrer avslutning "
                "med årsak, eller utvidet programtid eller permisjon dersom programmet fortsetter.",
                "avslutning",
            )
        )

    ended = [
        p
        for p in reason_window_open(kommune_id, today).order_by("end_date", "pk")
        if p.end_date is not None and window_closes(p.end_date, config) >= today
    ]
    worklist.counts["reason"] = len(ended)
    for p in ended[:SECTION_LIMIT]:
        assert p.end_date is not None
        closes = window_closes(p.end_date, config)
        worklist.tasks.append(
            Task(
                "reason",
                closes,
                p,
                f"Avsluttet av registeret {p.end_date:%d.%m.%Y} uten årsak. Registrer reell "
                f"avslutningsårsak innen {closes:%d.%m.%Y}.",
                "avslutning",
            )
        )

    lacking = missing_registrations(kommune_id)
    # One aggregate for the three counts; the flags are annotations, hence the dicts.
    worklist.counts.update(
        lacking.aggregate(
            missing=Count("pk"),
            sluttmaal=Count(
                "pk", filter=Q(**{"has_sluttmaal": False}) & ~Q(regime="introduksjonsloven")
            ),
            decision=Count("pk", filter=Q(**{"has_decision": False})),
            measures=Count("pk", filter=Q(**{"has_measures": False})),
        )
    )
    fixes = {"sluttmaal": "sluttmaal", "decision": "vedtak", "measures": "tiltak"}
    for p in lacking.order_by("frist", "pk")[:SECTION_LIMIT]:
        for item in missing_for(p, today):
            if item.code in fixes:
                worklist.tasks.append(Task(item.code, item.due, p, item.message, fixes[item.code]))

    if kommune_id is not None:
        worklist.grants = list(
            LateRegistrationGrant.objects.filter(
                kommune_id=kommune_id,
                revoked_on__isnull=True,
                expires_on__range=(today, today + dt.timedelta(days=GRANT_HORIZON_DAYS)),
            ).order_by("expires_on")
        )
    # Soonest first; items with no date last.
    worklist.tasks.sort(key=lambda t: (t.due is None, t.due or today, t.participation.pk))
    return worklist
