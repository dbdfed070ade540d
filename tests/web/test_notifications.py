"""A caseworker chooses what the daily e-mail holds, and sees on the worklist what tomorrow's
reminders will say and what the register has told the municipality."""

import re

import pytest
from django.utils import timezone

from nir.jobs.models import Notice, ReminderPreference
from nir.jobs.reminders import create_notices

pytestmark = pytest.mark.django_db


def test_a_caseworker_saves_a_choice_of_reminders(client_a):
    page = client_a.get("/varsler/")
    assert page.status_code == 200
    assert "Påminnelse 30 og 7 dager før fristen" in page.content.decode()
    saved = client_a.post(
        "/varsler/", {"window_reminders": "on", "notices": "on", "email_language": "nb"}
    )
    assert saved.status_code == 302
    preference = ReminderPreference.objects.get()
    assert (preference.frist_reminders, preference.window_reminders, preference.notices) == (
        False,
        True,
        True,
    )
    assert (
        "checked"
        not in client_a.get("/varsler/")
        .content.decode()
        .split('name="frist_reminders"')[1]
        .split(">")[0]
    )


def test_a_caseworker_chooses_english_for_the_e_mail(client_a):
    page = client_a.get("/varsler/").content.decode()
    # Bokmål until chosen otherwise; each language named in its own language.
    assert "Språk i e-posten" in page
    assert re.search(r'value="nb"[^>]*checked', page)
    assert '<label for="id_email_language_1" lang="en">English</label>' in page
    saved = client_a.post("/varsler/", {"notices": "on", "email_language": "en"})
    assert saved.status_code == 302
    assert ReminderPreference.objects.get().email_language == "en"
    assert re.search(r'value="en"[^>]*checked', client_a.get("/varsler/").content.decode())


def test_a_language_the_e_mail_is_not_written_in_is_refused_by_its_label(client_a):
    refused = client_a.post("/varsler/", {"notices": "on", "email_language": "de"})
    body = refused.content.decode()
    assert "Velg et av alternativene for «Språk i e-posten»." in body
    assert 'id="feiloppsummering"' in body
    assert not ReminderPreference.objects.exists()
    # The summary is headed by what the page saves: settings, not a registration.
    assert "Dette må rettes før varslene kan lagres" in body
    assert "registreringen" not in body


def test_the_statistician_has_no_reminders_page(register):
    from django.test import Client

    from nir.accounts.models import Role
    from tests.web.builders import make_user

    client = Client()
    client.force_login(make_user("stat", None, Role.IMDI_STATISTIKER))
    assert client.get("/varsler/").status_code == 403


def test_the_worklist_shows_tomorrows_reminders_and_recent_notices(register, client_a):
    # The register ended Oslo's and Bergen's overdue participants; tell each municipality.
    create_notices(timezone.localdate())
    page = " ".join(client_a.get("/").content.decode().split())
    # Oslo's participant with a frist in 20 days is reminded tomorrow (30 days before).
    assert "I morgen sender registeret" in page
    soon = f"Introduksjonsprogrammet, deltakelse {register.soon_a.pk}</a>"
    assert f"{soon}: fristen for gjennomføring går ut" in page
    assert f"Deltakelse {register.overdue_a.pk}</a> ble avsluttet av registeret" in page
    # Bergen's are Bergen's own.
    assert f"Deltakelse {register.overdue_b.pk}<" not in page
    assert Notice.objects.filter(participation=register.overdue_b).exists()
