"""Register data for the caseworker UI's tests, dated around today.

Views read the real clock, so the data is built relative to ``timezone.localdate()``
through the services (with ``at=`` a moment on the event's own day).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from nir.accounts.models import Role, User
from nir.register.models import Kommune, Participation, Person
from nir.register.services.context import Actor, Channel
from nir.register.services.items import DecisionItem, MeasureItem
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.persons import PersonData, register_person
from nir.register.services.registrations import register_item
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from nir.rules.identity import make_valid_identity_number
from tests.conftest import at

PASSWORD = "demo"
_individual = itertools.count(500)


def make_user(username: str, kommune: Kommune | None, role: Role = Role.KOMMUNEINTROBRUKER) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, roles=[role], kommune=kommune, first_name=username.title()
    )


def add_person(
    actor: Actor, given: str, family: str, *, birth: dt.date, registered: dt.date
) -> Person:
    while True:
        number = make_valid_identity_number(birth, next(_individual) % 1000, synthetic=True)
        if not Person.objects.filter(identity_number=number).exists():
            break
    return register_person(
        actor=actor,
        data=PersonData(
            identity_number=number,
            given_name=given,
            family_name=family,
            birth_date=birth,
            permit_type="flyktning",
            permit_date=registered - dt.timedelta(days=60),
            has_upper_secondary=True,
        ),
        at=at(registered),
    )


def add_participation(
    actor: Actor,
    kommune: Kommune,
    given: str,
    family: str,
    *,
    start: dt.date,
    birth: dt.date = dt.date(1990, 5, 17),
    sluttmaal: str | None = "arbeid",
    complete: bool = False,
) -> Participation:
    """A § 13 participation (sluttmål arbeid, vgo: 6 months); ``complete`` adds a decision
    and a measure so it lacks nothing."""
    person = add_person(actor, given, family, birth=birth, registered=start)
    participation = create_participation(
        actor=actor,
        person_id=person.pk,
        new=NewParticipation(start_date=start, sluttmaal=sluttmaal),
        kommune_id=kommune.pk,
        at=at(start),
    )
    if complete:
        register_item(
            actor=actor,
            participation_id=participation.pk,
            item=DecisionItem(decision_type="innvilget", decided_on=start),
            at=at(start),
        )
        participation = register_item(
            actor=actor,
            participation_id=participation.pk,
            item=MeasureItem(
                measure_type="norskopplaering", start_date=start, end_date=None, hours_per_week=20
            ),
            at=at(start),
        )
    return participation


@dataclass
class WebRegister:
    today: dt.date
    kommune_a: Kommune
    kommune_b: Kommune
    # Oslo: ended by the sweep as ikke_registrert 10 days ago; the UI's main journey.
    overdue_a: Participation
    # Oslo: frist in 20 days, complete.
    soon_a: Participation
    # Bergen: the same situation, which Oslo must never see.
    overdue_b: Participation
    person_b: Person


def build_register(kommune_a: Kommune, kommune_b: Kommune) -> WebRegister:
    today = timezone.localdate()
    actor_a = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    actor_b = Actor("ola@bergen", Channel.WEB, kommune_b.pk)
    overdue_start = add_months(today, -6) - dt.timedelta(days=10)
    overdue_a = add_participation(
        actor_a, kommune_a, "Amina", "Haddad", start=overdue_start, birth=dt.date(1990, 5, 17)
    )
    soon_a = add_participation(
        actor_a,
        kommune_a,
        "Yusuf",
        "Karimi",
        start=add_months(today, -6) + dt.timedelta(days=20),
        birth=dt.date(1988, 2, 3),
        complete=True,
    )
    overdue_b = add_participation(
        actor_b, kommune_b, "Bergljot", "Bergensen", start=overdue_start, birth=dt.date(1991, 7, 9)
    )
    run_sweep(as_of=today)
    overdue_a.refresh_from_db()
    overdue_b.refresh_from_db()
    soon_a.refresh_from_db()
    return WebRegister(today, kommune_a, kommune_b, overdue_a, soon_a, overdue_b, overdue_b.person)
