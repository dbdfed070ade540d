"""A simulated month with a frozen clock: `nir run-due` every morning, as cron would call it.

Every participant the sweep ends was reminded 30 and 7 days before; no user gets two digests
in a day; the e-mails carry links but no names or identity numbers.
"""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from nir.accounts.models import Role, User
from nir.jobs.models import Digest, JobRun, Notice, Reminder, ReminderKind, ReminderPreference
from nir.register.models import Participation
from nir.register.services.items import ExtensionItem
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.registrations import register_item
from tests.conftest import at

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")
FIRST_DAY = D(2025, 1, 20)
LAST_DAY = D(2025, 4, 30)


def _morning(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 6, 30, tzinfo=OSLO)


@pytest.fixture
def users(kommune_a, kommune_b):
    kari = User.objects.create_user(
        "kari", email="kari@oslo.example", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_a
    )
    per = User.objects.create_user(
        "per", email="per@oslo.example", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_a
    )
    ReminderPreference.objects.create(user=per, frist_reminders=False)
    ola = User.objects.create_user(
        "ola", email="ola@bergen.example", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_b
    )
    return kari, per, ola


@pytest.fixture
def participations(make_person, caseworker_a, caseworker_b, kommune_a, kommune_b):
    """§ 13 participants (6 months) whose frists fall on different days of the month."""
    made = []
    for n, start in enumerate(
        [
            D(2024, 9, 2),
            D(2024, 9, 10),
            D(2024, 9, 10),
            D(2024, 9, 25),
            D(2024, 10, 3),
            D(2024, 10, 20),
        ]
    ):
        actor, kommune = (caseworker_a, kommune_a) if n % 2 == 0 else (caseworker_b, kommune_b)
        person = make_person(registered_on=start, birth_date=D(1980 + n, 1 + n, 10))
        made.append(
            create_participation(
                actor=actor,
                person_id=person.pk,
                new=NewParticipation(start_date=start, sluttmaal="arbeid"),
                kommune_id=kommune.pk,
                at=at(start),
            )
        )
    return made


@pytest.mark.django_db
def test_a_month_of_daily_runs(users, participations):
    _, per, _ = users
    day = FIRST_DAY
    while day <= LAST_DAY:
        with time_machine.travel(_morning(day), tick=False):
            call_command("run-due", stdout=open("/dev/null", "w"))  # noqa: SIM115
            # A second scheduler firing the same morning changes nothing.
            call_command("run-due", stdout=open("/dev/null", "w"))  # noqa: SIM115
        day += dt.timedelta(days=1)

    ended = Participation.objects.filter(termination_reason="ikke_registrert")
    assert ended.count() == len(participations)
    for participation in ended:
        frist = participation.frist
        for horizon in (30, 7):
            reminder = Reminder.objects.get(
                participation=participation, kind=ReminderKind.FRIST, horizon_days=horizon
            )
            assert reminder.created_on == frist - dt.timedelta(days=horizon)
        # Told once when the sweep ended it, with the date the ordinary window closes.
        notice = Notice.objects.get(participation=participation)
        assert notice.created_on == frist + dt.timedelta(days=1)

    # Every job ran once a day: a row per job and day, none twice.
    days = (LAST_DAY - FIRST_DAY).days + 1
    for job in ("sweep", "notices", "reminders", "retention", "access_review"):
        assert JobRun.objects.filter(job=job, status="succeeded").count() == days
    # The monthly report ran once a month, on the first run of each month.
    assert sorted(JobRun.objects.filter(job="ukraina_report").values_list("period", flat=True)) == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
    ]

    # The subject ends with the day: one e-mail per recipient and day, one per digest row.
    per_user_day = Counter((message.to[0], message.subject[-10:]) for message in mail.outbox)
    assert max(per_user_day.values()) == 1
    assert Digest.objects.filter(status="sent").count() == len(mail.outbox) > 0
    assert {m.to[0] for m in mail.outbox} == {
        "kari@oslo.example",
        "per@oslo.example",
        "ola@bergen.example",
    }
    # per chose no frist reminders: his digests hold only notices.
    for digest in Digest.objects.filter(user=per):
        assert "Fristen for gjennomføring går ut" not in digest.body_text
        assert "avsluttet av registeret" in digest.body_text.lower()
    for message in mail.outbox:
        body = message.body
        for p in participations:
            assert p.person.identity_number not in body
            assert p.person.family_name not in body
        assert "/deltakelse/" in body
        assert message.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_an_extension_gives_the_new_frist_its_own_reminders(users, participations, caseworker_a):

    participation = participations[0]  # frist 2025-03-02
    with time_machine.travel(_morning(D(2025, 2, 20)), tick=False):
        call_command("run-due", stdout=open("/dev/null", "w"))  # noqa: SIM115
    register_item(
        actor=caseworker_a,
        participation_id=participation.pk,
        item=ExtensionItem(months=3, decided_on=D(2025, 2, 21)),
        at=at(D(2025, 2, 21)),
    )
    with time_machine.travel(_morning(D(2025, 5, 26)), tick=False):
        call_command("run-due", stdout=open("/dev/null", "w"))  # noqa: SIM115
    due_dates = sorted(
        Reminder.objects.filter(participation=participation, horizon_days=30).values_list(
            "due_date", flat=True
        )
    )
    assert due_dates == [D(2025, 3, 2), D(2025, 6, 2)]
