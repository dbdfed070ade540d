"""The daily reminders of Norwegian training (rules-norsk.md N3): an ordning's frist
approaching reminds the municipality's kommunenorskbruker 30 and 7 days before, once each,
as the programme's frist reminders do, in the daily digest with a link and no name; the
programme's users hear only of the programme, and the other way round."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from nir.accounts.models import Role, User
from nir.jobs import registry
from nir.jobs.digests import build_digests, drain_queue
from nir.jobs.models import Digest, Reminder, ReminderKind, ReminderPreference
from nir.jobs.reminders import create_frist_reminders
from nir.jobs.scheduler import run_due
from nir.register.services.items import LeaveItem, NorskEndItem
from nir.register.services.norsk_registrations import register_norsk_item
from tests.conftest import at

pytestmark = pytest.mark.django_db

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")
FRIST = D(2023, 9, 10)
THIRTY_BEFORE, SEVEN_BEFORE = D(2023, 8, 11), D(2023, 9, 3)


@pytest.fixture
def users(kommune_a, kommune_b):
    def user(name, roles, kommune):
        return User.objects.create_user(
            name, email=f"{name}@example.no", roles=roles, kommune=kommune
        )

    return {
        "nora": user("nora", [Role.KOMMUNENORSKBRUKER], kommune_a),
        "kari": user("kari", [Role.KOMMUNEINTROBRUKER], kommune_a),
        "berit": user("berit", [Role.KOMMUNEINTROBRUKER, Role.KOMMUNENORSKBRUKER], kommune_a),
        "nils": user("nils", [Role.KOMMUNENORSKBRUKER], kommune_b),
    }


def _norsk_reminders(ordning):
    return list(
        Reminder.objects.filter(norsk_participation=ordning)
        .order_by("created_on", "horizon_days")
        .values_list("horizon_days", "due_date", "created_on")
    )


def test_the_frist_reminds_30_and_7_days_before_once_each(ordning):
    for day in (D(2023, 8, 10), THIRTY_BEFORE, D(2023, 8, 12), SEVEN_BEFORE, D(2023, 9, 4)):
        counts = create_frist_reminders(day)
        assert counts["norsk_frist_30"] == (1 if day == THIRTY_BEFORE else 0), day
    assert _norsk_reminders(ordning) == [(30, FRIST, THIRTY_BEFORE), (7, FRIST, SEVEN_BEFORE)]
    assert Reminder.objects.get(horizon_days=7).kind == ReminderKind.NORSK_FRIST
    assert not Reminder.objects.filter(participation__isnull=False).exists()


def test_a_moved_frist_gets_its_own_reminders_and_an_ended_ordning_none(ordning, norsk_a):
    create_frist_reminders(SEVEN_BEFORE)
    # 30 days of leave from 2023-08-01: the frist moves to 2023-10-10.
    moved = register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=LeaveItem("foreldrepermisjon", D(2023, 8, 1), D(2023, 8, 30), SEVEN_BEFORE),
        at=at(SEVEN_BEFORE),
    )
    assert moved.frist == D(2023, 10, 10)
    create_frist_reminders(D(2023, 10, 3))
    assert (7, D(2023, 10, 10), D(2023, 10, 3)) in _norsk_reminders(ordning)
    register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=NorskEndItem(D(2023, 10, 4), "avbrutt"),
        at=at(D(2023, 10, 4)),
    )
    before = Reminder.objects.count()
    create_frist_reminders(D(2023, 10, 5))
    assert Reminder.objects.count() == before


def test_the_kommunenorskbruker_hears_of_it_in_the_digest_and_the_programmes_user_does_not(
    ordning, users
):
    create_frist_reminders(THIRTY_BEFORE)
    create_frist_reminders(SEVEN_BEFORE)
    ReminderPreference.objects.create(user=users["berit"], frist_reminders=False)
    assert build_digests(SEVEN_BEFORE) == {"digests": 1}
    digest = Digest.objects.get()
    assert digest.user == users["nora"]  # not kari (the programme), berit (no frist), nils
    link = f"/person/{ordning.person_id}/#norsk-{ordning.pk}"
    for body in (digest.body_text, digest.body_html):
        assert "Opplæring i norsk og samfunnskunnskap: fristen for gjennomføring går ut" in body
        assert "10.09.2023 (om 7 dager)" in body and link in body
        assert "Norskvik" not in body and ordning.person.identity_number not in body
    assert digest.body_text.count("fristen for gjennomføring") == 1  # once, at 7 days


def test_the_daily_job_reminds_and_sends(ordning, users):
    outcomes = run_due(registry.JOBS, dt.datetime(2023, 9, 3, 6, 0, tzinfo=OSLO))
    reminders = next(o for o in outcomes if o.job == "reminders")
    assert reminders.result == "succeeded"
    assert reminders.counts["norsk_frist_7"] == 1 and reminders.counts["frist_7"] == 0
    drain_queue()
    # nora and berit (both roles) hear of the ordning; kari and Bergen's nils do not.
    assert sorted(m.to[0] for m in mail.outbox) == ["berit@example.no", "nora@example.no"]
