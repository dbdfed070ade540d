"""What a municipality must follow up, for the worklist and the reminder job alike (reads only).

The worklist's tasks, the reminders due and the register's notices are read here, once, each
through the scoped selector ``visible_participations``; and every text a caseworker reads
about them, on the page or in the daily e-mail, is worded here, through gettext. The job and
the page therefore cannot disagree on who is due, or say it in two ways.

``kommune_id`` is the scope as everywhere in the selectors: one municipality's, or every
municipality's (``None``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields import DateField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Least
from django.utils.translation import gettext as _

from nir.jobs.models import Notice, Reminder, ReminderKind
from nir.register import triage
from nir.register.missing_messages import programme_time_text
from nir.register.models import (
    Decision,
    LateRegistrationGrant,
    Measure,
    Participation,
    SluttmaalVersion,
    TerminationSource,
)
from nir.register.norsk_models import NorskParticipation
from nir.register.rule_config import rule_config
from nir.register.selectors import (
    FRIST_HORIZON_DAYS,
    programme_time_exceeded,
    sluttmaal_applies,
    visible_norsk_participations,
    visible_participations,
    with_registration_flags,
)
from nir.rules.dates import add_months
from nir.rules.decided_programme_time import ProgrammeTimeMismatch
from nir.rules.registration_window import (
    WindowStatus,
    earliest_open_event,
    furthest_reachable_event,
    grant_reach_ends,
    window_closes,
)

GRANT_HORIZON_DAYS = 30  # and its expiring grants
# The annotation ``window_reminders_due`` gives: the day the registration window closes.
CLOSES = "closes"


# --- The worklist's tasks -------------------------------------------------------------------


def frist_soon(kommune_id: int | None, as_of: dt.date) -> QuerySet[Participation]:
    """Open participations whose frist falls within the worklist's horizon."""
    return visible_participations(kommune_id).filter(
        end_date__isnull=True,
        frist__range=(as_of, as_of + dt.timedelta(days=FRIST_HORIZON_DAYS)),
    )


def reason_window_open(kommune_id: int | None, as_of: dt.date) -> QuerySet[Participation]:
    """Ended by the register, and the 2-month window for the real reason still open (the
    earliest open event date is exact: every later end date's window is open too)."""
    return visible_participations(kommune_id).filter(
        termination_source=TerminationSource.SYSTEM,
        end_date__gte=earliest_open_event(as_of, rule_config()),
    )


def missing_registrations(kommune_id: int | None) -> QuerySet[Participation]:
    """Open participations lacking a sluttmaal (where their regime has one), a decision or
    measures, with the flags of ``with_registration_flags``."""
    return with_registration_flags(visible_participations(kommune_id)).filter(
        Q(end_date__isnull=True)
        & (
            (Q(has_sluttmaal=False) & sluttmaal_applies())
            | Q(has_decision=False)
            | Q(has_measures=False)
        )
    )


# The registrations whose absence is a task.
REGISTRATION_MODELS: dict[str, type[SluttmaalVersion] | type[Decision] | type[Measure]] = {
    "sluttmaal": SluttmaalVersion,
    "decision": Decision,
    "measures": Measure,
}


def lacking_registration(kommune_id: int | None, code: str) -> QuerySet[Participation]:
    """Open participations without a registration of the kind (``REGISTRATION_MODELS``;
    a sluttmaal only where the regime has one): one NOT EXISTS, for a page of the worklist,
    where ``missing_registrations`` counts all three at once."""
    rows = (
        visible_participations(kommune_id)
        .filter(end_date__isnull=True)
        .exclude(Exists(REGISTRATION_MODELS[code].objects.filter(participation=OuterRef("pk"))))
    )
    return rows.filter(sluttmaal_applies()) if code == "sluttmaal" else rows


def expiring_grants(kommune_id: int, as_of: dt.date) -> QuerySet[LateRegistrationGrant]:
    """The municipality's late-registration grants that expire within the horizon."""
    return LateRegistrationGrant.objects.filter(
        kommune_id=kommune_id,
        revoked_on__isnull=True,
        expires_on__range=(as_of, as_of + dt.timedelta(days=GRANT_HORIZON_DAYS)),
    ).order_by("expires_on")


# --- The worklist's follow-up tasks: programme time, and reasons a grant admits ----------
# Kept apart from the streams above: each is a task row and a count on top, read here.

# The annotations the follow-up streams are ordered by (their task's due date).
GRANT_UNTIL = "grant_until"
BASE_MONTHS = "base_programme_months"


def programme_time_short(kommune_id: int | None) -> QuerySet[Participation]:
    """Start decisions granting more months than the sluttmål and extensions give, the
    extension never registered (``programme_time_exceeded``): due by the frist, when the
    register would end the participant; annotated with the sluttmål's own months."""
    base = Cast(KeyTextTransform("base_months", "frist_derivation"), IntegerField())
    return programme_time_exceeded(visible_participations(kommune_id)).annotate(
        **{BASE_MONTHS: base}
    )


def programme_time_mismatch(p: Participation) -> ProgrammeTimeMismatch:
    """The mismatch of a row of ``programme_time_short``, as the rule states it."""
    return ProgrammeTimeMismatch(
        decided_months=getattr(p, "decided_programme_months"),  # noqa: B009 - annotation
        computed_months=getattr(p, "computed_programme_months"),  # noqa: B009 - annotation
        base_months=getattr(p, BASE_MONTHS),
        frist=p.frist,
    )


def reason_granted(
    kommune_id: int | None, as_of: dt.date, valid: list[LateRegistrationGrant] | None = None
) -> QuerySet[Participation]:
    """Ended by the register, the ordinary window closed, and a valid late-registration
    grant admits the real reason (the triage's «dekket av etterregistrering»); annotated
    with ``grant_until``, the last day it can be registered (``window_state``'s until).
    ``valid``: the valid grants (``triage.valid_grants``), where the caller has them."""
    if valid is None:
        valid = list(triage.valid_grants(kommune_id, as_of))
    grants = sorted(valid, key=lambda g: g.expires_on)
    rows = visible_participations(kommune_id).filter(
        triage.status_condition(WindowStatus.GRANTED, kommune_id, as_of, grants)
    )
    if not grants:
        return rows.annotate(**{GRANT_UNTIL: Value(None, output_field=DateField())})
    config = rule_config()
    # The grant that lasts longest, where several cover the end date (the rule's choice).
    expires = Case(
        *[
            When(
                Q(kommune_id=g.kommune_id, end_date__range=(g.covers_from, g.covers_to)),
                then=Value(g.expires_on),
            )
            for g in reversed(grants)
        ],
        output_field=DateField(),
    )
    # A grant reaches an event only 12 months back: the end dates whose reach ends before
    # the last grant expires (a few months of days) each mapped to that day in SQL.
    first = furthest_reachable_event(as_of, config)
    last = add_months(grants[-1].expires_on, -config.late_registration_max_months)
    days = [first + dt.timedelta(days=n) for n in range(max(0, (last - first).days + 1))]
    reach = Case(
        *[When(end_date=d, then=Value(grant_reach_ends(d, config))) for d in days],
        default=Value(dt.date.max),
        output_field=DateField(),
    )
    return rows.annotate(**{GRANT_UNTIL: Least(expires, reach)})


# --- The reminders due ------------------------------------------------------------------------


def unreminded_frist[M: (Participation, NorskParticipation)](
    rows: QuerySet[M], kind: ReminderKind, as_of: dt.date, horizon: int
) -> QuerySet[M]:
    """The open rows (either scheme's) whose frist falls within ``horizon`` days of
    ``as_of`` and that have not been reminded of ``kind`` for that horizon and frist."""
    owner = "norsk_participation" if rows.model is NorskParticipation else "participation"
    return rows.filter(
        end_date__isnull=True, frist__gt=as_of, frist__lte=as_of + dt.timedelta(days=horizon)
    ).exclude(
        Exists(
            Reminder.objects.filter(
                **{owner: OuterRef("pk")},
                kind=kind,
                horizon_days=horizon,
                due_date=OuterRef("frist"),
            )
        )
    )


def frist_reminders_due(
    kommune_id: int | None, as_of: dt.date, horizon: int
) -> QuerySet[Participation]:
    """Open participations whose frist falls within ``horizon`` days of ``as_of`` and that
    have not been reminded for that horizon and frist."""
    return unreminded_frist(visible_participations(kommune_id), ReminderKind.FRIST, as_of, horizon)


def norsk_frist_reminders_due(
    kommune_id: int | None, as_of: dt.date, horizon: int
) -> QuerySet[NorskParticipation]:
    """Open Norwegian-training ordninger whose frist (rules-norsk.md N3) falls within
    ``horizon`` days of ``as_of``, not reminded yet for that horizon and frist: the
    programme's frist reminders' rule."""
    return unreminded_frist(
        visible_norsk_participations(kommune_id), ReminderKind.NORSK_FRIST, as_of, horizon
    )


def norsk_reminders_of_day(kommune_id: int, as_of: dt.date) -> list[tuple[Reminder, int]]:
    """The municipality's Norwegian-training frist reminders made on ``as_of``, once per
    ordning at its shortest horizon (reminded at 30 and 7 days on one day: at 7), each with
    the ordning's person, soonest frist first."""
    shortest: dict[int, Reminder] = {}
    for r in Reminder.objects.filter(
        kommune_id=kommune_id, created_on=as_of, kind=ReminderKind.NORSK_FRIST
    ).order_by("due_date", "norsk_participation_id"):
        assert r.norsk_participation_id is not None  # the kind's (Reminder's constraint)
        known = shortest.get(r.norsk_participation_id)
        if known is None or r.horizon_days < known.horizon_days:
            shortest[r.norsk_participation_id] = r
    persons = dict(
        visible_norsk_participations(kommune_id)
        .filter(pk__in=shortest)
        .values_list("pk", "person_id")
    )
    return [(r, persons[pk]) for pk, r in shortest.items() if pk in persons]


def _last_closing_event(day: dt.date) -> dt.date:
    """The latest event date whose registration window closes on or before ``day``."""
    return earliest_open_event(day + dt.timedelta(days=1), rule_config()) - dt.timedelta(days=1)


def window_reminders_due(
    kommune_id: int | None, as_of: dt.date, horizon: int
) -> QuerySet[Participation]:
    """Participations the register ended whose registration window closes within
    ``horizon`` days of ``as_of``, not reminded yet for that horizon and closing day; each
    annotated with ``closes``, the day its window closes (the reminder's due date)."""
    config = rule_config()
    first = earliest_open_event(as_of, config)
    last = _last_closing_event(as_of + dt.timedelta(days=horizon))
    # A handful of end dates (the horizon's days): each mapped to the day its window
    # closes, in SQL, so the reminders already sent can be excluded in the same query.
    days = [first + dt.timedelta(days=n) for n in range(max(0, (last - first).days + 1))]
    closes = (
        Case(
            *[When(end_date=d, then=Value(window_closes(d, config))) for d in days],
            output_field=DateField(),
        )
        if days
        else Value(None, output_field=DateField())
    )
    return (
        visible_participations(kommune_id)
        .filter(termination_source=TerminationSource.SYSTEM, end_date__range=(first, last))
        .annotate(**{CLOSES: closes})
        .exclude(
            Exists(
                Reminder.objects.filter(
                    participation=OuterRef("pk"),
                    kind=ReminderKind.WINDOW,
                    horizon_days=horizon,
                    due_date=OuterRef(CLOSES),
                )
            )
        )
    )


def ended_by_register_with_open_window(as_of: dt.date) -> list[tuple[int, int, dt.date]]:
    """(participation, municipality, the day its window closes) for every participation
    the register ended whose window for the real reason is still open on ``as_of``."""
    config = rule_config()
    rows = reason_window_open(None, as_of).values_list("pk", "kommune_id", "end_date")
    result = []
    for pk, kommune_id, end_date in rows.iterator(chunk_size=2000):
        assert end_date is not None  # filtered on end_date >= the earliest open event
        result.append((pk, kommune_id, window_closes(end_date, config)))
    return result


# --- Their words ------------------------------------------------------------------------------
# The page's lines and the e-mail's sentences, worded once, each in the active language: the
# page in the reader's, the e-mail in the language its reader chose (``nir.jobs.digests``).


def _date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def frist_task_text(frist: dt.date) -> str:
    return _(
        "Fristen for gjennomføring går ut %(frist)s. Registrer avslutning med årsak, "
        "eller utvidet programtid eller permisjon dersom programmet fortsetter."
    ) % {"frist": _date(frist)}


def reason_task_text(ended: dt.date, closes: dt.date) -> str:
    return _(
        "Avsluttet av registeret %(ended)s uten årsak. Registrer reell "
        "avslutningsårsak innen %(closes)s."
    ) % {"ended": _date(ended), "closes": _date(closes)}


def granted_reason_task_text(ended: dt.date, until: dt.date) -> str:
    return _(
        "Avsluttet av registeret %(ended)s uten årsak. IMDi har gitt tilgang til "
        "etterregistrering: registrer reell avslutningsårsak innen %(until)s."
    ) % {"ended": _date(ended), "until": _date(until)}


def programme_time_task_text(mismatch: ProgrammeTimeMismatch) -> str:
    """«Vedtaket gir 12 måneder, sluttmålet gir 6: …», as the participant page says it."""
    return programme_time_text(mismatch)


def reminder_line(kind: str, due: dt.date) -> str:
    """What tomorrow's reminder says, in a line of the worklist."""
    if kind == ReminderKind.FRIST:
        return _("fristen for gjennomføring går ut %(d)s.") % {"d": _date(due)}
    if kind == ReminderKind.NORSK_FRIST:
        return _("fristen for opplæringen i norsk og samfunnskunnskap går ut %(d)s.") % {
            "d": _date(due)
        }
    return _("avsluttet av registeret; årsak må registreres innen %(d)s.") % {"d": _date(due)}


def reminder_text(kind: str, due: dt.date, as_of: dt.date) -> str:
    """What a reminder says in the daily e-mail sent on ``as_of``."""
    days = (due - as_of).days
    if kind == ReminderKind.NORSK_FRIST:
        # N3-d: the register invents no end at the frist; the ordning stands «frist utløpt».
        return _(
            "Opplæring i norsk og samfunnskunnskap: fristen for gjennomføring går ut %(due)s "
            "(om %(days)s dager). Registrer avslutning med årsak før fristen, eller permisjon "
            "eller vedtak om utvidet opplæring (kap. 6A) dersom opplæringen fortsetter."
        ) % {"due": _date(due), "days": days}
    if kind == ReminderKind.FRIST:
        return _(
            "Fristen for gjennomføring går ut %(due)s (om %(days)s dager). Registrer "
            "avslutning med årsak, permisjon eller utvidet programtid før fristen, ellers "
            "avslutter registeret deltakelsen uten årsak."
        ) % {"due": _date(due), "days": days}
    return _(
        "Avsluttet av registeret uten årsak. Registrer avslutningsårsak innen %(due)s "
        "(om %(days)s dager)."
    ) % {"due": _date(due), "days": days}


def termination_notice_text(closes: dt.date) -> str:
    """The notice of an automatic termination, in the daily e-mail."""
    return _(
        "Deltakelsen er avsluttet av registeret fordi fristen gikk ut uten registrert "
        "årsak. Vanlig frist for å registrere årsak: %(closes)s."
    ) % {"closes": _date(closes)}


def grant_expiry_text(grant: LateRegistrationGrant) -> str:
    """The notice of a late-registration grant about to expire, in the daily e-mail."""
    return _(
        "Tilgangen til etterregistrering for hendelser %(first)s–%(last)s utløper %(expires)s."
    ) % {
        "first": _date(grant.covers_from),
        "last": _date(grant.covers_to),
        "expires": _date(grant.expires_on),
    }


def notice_line(notice: Notice) -> str:
    """What a notice of the last days says, in a line of the worklist (after the link to
    its participation: a grant's notice has none)."""
    due = "" if notice.due_date is None else _date(notice.due_date)
    if notice.participation_id:
        return _("ble avsluttet av registeret uten årsak. Registrer årsaken innen %(d)s.") % {
            "d": due
        }
    return _("Tilgangen til etterregistrering utløper %(d)s.") % {"d": due}
