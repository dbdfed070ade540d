"""Register data for IMDi's pages, dated around today (views read the real clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from nir.audit.models import UnusualAccess
from nir.jobs.models import JobRun
from nir.register.figures_models import PublishedReport
from nir.register.models import LateRegistrationGrant, Participation, Person
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.items import TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.persons import PersonData, register_person
from nir.register.services.reports import store_ukraina_report
from nir.register.services.sweep import run_sweep
from nir.register.statistics import cutoff_at
from nir.rules.dates import add_months
from nir.rules.identity import make_valid_identity_number
from nir.support.models import SupportRequest
from nir.support.services import NewSupportRequest, file_request
from tests.conftest import at
from tests.web.builders import WebRegister, add_participation, add_person, build_register

IMDI = Actor("ingrid@imdi", Channel.WEB, None)
OSLO_SUBJECT = "Oslo trenger etterregistrering"
BERGEN_SUBJECT = "Bergens spørsmål om sluttmål"
BERGEN_GRANT_REASON = "Bergens fagsystem var nede"
OSLO_GRANT_REASON = "Oslos fagsystem var nede"


def last_month(today: dt.date) -> str:
    return f"{add_months(today.replace(day=1), -1):%Y-%m}"


@dataclass
class ImdiRegister:
    web: WebRegister
    request_a: SupportRequest
    request_b: SupportRequest
    grant_a: LateRegistrationGrant
    grant_b: LateRegistrationGrant
    report: PublishedReport
    month: str


def build_imdi_register(kommune_a, kommune_b) -> ImdiRegister:
    web = build_register(kommune_a, kommune_b)
    today = web.today
    actor_a = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    actor_b = Actor("ola@bergen", Channel.WEB, kommune_b.pk)
    request_a = file_request(
        actor=actor_a,
        request=NewSupportRequest(
            kind="late_registration",
            subject=OSLO_SUBJECT,
            body="Vi mangler årsaker for sommeren.",
            participation_ids=[web.overdue_a.pk],
            period_from=today - dt.timedelta(days=120),
            period_to=today - dt.timedelta(days=90),
        ),
    )
    request_b = file_request(
        actor=actor_b,
        request=NewSupportRequest(
            kind="question", subject=BERGEN_SUBJECT, body="Hvordan registrerer vi?"
        ),
    )
    grant_a = grant_late_registration(
        actor=IMDI,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=today - dt.timedelta(days=200),
            covers_to=today - dt.timedelta(days=150),
            expires_on=today + dt.timedelta(days=30),
            reason=OSLO_GRANT_REASON,
        ),
    )
    grant_b = grant_late_registration(
        actor=IMDI,
        grant=NewGrant(
            kommune_id=kommune_b.pk,
            covers_from=today - dt.timedelta(days=200),
            covers_to=today - dt.timedelta(days=150),
            expires_on=today + dt.timedelta(days=30),
            reason=BERGEN_GRANT_REASON,
        ),
    )
    month = last_month(today)
    # Kap. 6A is temporary: the participant starts while it is in force, on § 14 (two
    # years), so is still in the programme at the end of last month.
    start = add_months(today.replace(day=15), -2)
    expires = rule_config().kap6a_expires
    if expires is not None:
        start = min(start, expires - dt.timedelta(days=30))
    add_ukrainian(actor_a, kommune_a, start=start)
    report = store_ukraina_report(month, timezone.now())
    now = timezone.now()
    JobRun.objects.create(
        job="sweep",
        period=f"{today:%Y-%m-%d}",
        status="succeeded",
        worker="test",
        started_at=now - dt.timedelta(seconds=3),
        lease_until=now,
        finished_at=now,
        counts={"ended": 2},
    )
    JobRun.objects.create(
        job="notices",
        period=f"{today:%Y-%m-%d}",
        status="failed",
        attempts=3,
        worker="test",
        started_at=now,
        lease_until=now,
        error="Tidsavbrudd mot e-posttjeneren",
    )
    UnusualAccess.objects.create(
        day=today - dt.timedelta(days=1),
        actor="oslo",
        organisation=kommune_a.number,
        kind="many_persons",
        persons=250,
        detail="Leste 250 personer på én dag",
    )
    return ImdiRegister(web, request_a, request_b, grant_a, grant_b, report, month)


def add_ukrainian(actor: Actor, kommune, *, start: dt.date) -> Participation:
    """A kap. 6A participant (collective protection, utlendingsloven § 34)."""
    birth = dt.date(1985, 4, 2)
    candidates = (make_valid_identity_number(birth, i, synthetic=True) for i in range(900, 1000))
    number = next(n for n in candidates if not Person.objects.filter(identity_number=n).exists())
    person = register_person(
        actor=actor,
        data=PersonData(
            identity_number=number,
            given_name="Olena",
            family_name="Kovalenko",
            birth_date=birth,
            permit_type="kollektiv_beskyttelse",
            permit_date=start - dt.timedelta(days=30),
            has_upper_secondary=False,
        ),
        at=at(start),
    )
    return create_participation(
        actor=actor,
        person_id=person.pk,
        new=NewParticipation(start_date=start, sluttmaal="arbeid"),
        kommune_id=kommune.pk,
        at=at(start),
    )


def correction_year(today: dt.date) -> int:
    """A year whose annual cut-off lies well in the past, so a correction can follow it."""
    return today.year - 1 if today >= dt.date(today.year, 4, 15) else today.year - 2


def corrected_after_cutoff(
    kommune, start: dt.date | None = None, reason: str = "arbeid"
) -> tuple[int, Participation]:
    """A participation of that year (from ``start``, by default 1 June) ended by the
    register, given its real reason after the cut-off under a late-registration grant: the
    comparison page must list it."""
    year = correction_year(timezone.localdate()) if start is None else start.year
    actor = Actor("kari@oslo", Channel.WEB, kommune.pk)
    start = start or dt.date(year, 6, 1)
    participation = add_participation(actor, kommune, "Rettet", "Etterpå", start=start)
    swept_on = participation.frist + dt.timedelta(days=1)
    run_sweep(as_of=swept_on, at=at(swept_on))
    participation.refresh_from_db()
    after = cutoff_at(year).date() + dt.timedelta(days=10)
    grant_late_registration(
        actor=IMDI,
        grant=NewGrant(
            kommune_id=kommune.pk,
            covers_from=participation.end_date,
            covers_to=participation.end_date,
            expires_on=after + dt.timedelta(days=30),
            reason="Retting etter frist",
        ),
        at=at(after),
    )
    register_termination(
        actor=actor,
        participation_id=participation.pk,
        termination=TerminationItem(end_date=participation.end_date, reason=reason),
        at=at(after + dt.timedelta(days=1)),
    )
    return year, participation


def registered_after_cutoff(kommune, start: dt.date) -> Participation:
    """A participation of ``start``'s year registered only after the year's cut-off (late,
    under IMDi's grant): not in the register at the cut-off, so a correction too."""
    actor = Actor("kari@oslo", Channel.WEB, kommune.pk)
    after = cutoff_at(start.year).date() + dt.timedelta(days=20)
    grant_late_registration(
        actor=IMDI,
        grant=NewGrant(
            kommune_id=kommune.pk,
            covers_from=start,
            covers_to=start,
            expires_on=after + dt.timedelta(days=30),
            reason="Registrert etter frist",
        ),
        at=at(after),
    )
    person = add_person(actor, "Sen", "Registrert", birth=dt.date(1990, 1, 1), registered=after)
    return create_participation(
        actor=actor,
        person_id=person.pk,
        new=NewParticipation(start_date=start, sluttmaal="arbeid"),
        kommune_id=kommune.pk,
        at=at(after),
    )
