"""The daily digest is written in its reader's language: a user who chose English on the
notification page gets the subject, the text part and the HTML part in English, with every
reminder and notice the digest carries in English too; a user who chose nothing, or bokmål,
gets all of it in bokmål; neither holds a sentence of the other language."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from nir.accounts.models import Role, User
from nir.jobs import registry
from nir.jobs.digests import drain_queue, preferences_link
from nir.jobs.models import Digest
from nir.jobs.preferences import save_reminder_preference
from nir.jobs.scheduler import run_due
from nir.register.models import LateRegistrationGrant
from nir.register.services.participations import NewParticipation, create_participation
from tests.conftest import at

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")
NOW = dt.datetime(2025, 2, 20, 6, 0, tzinfo=OSLO)  # frists below: 2025-02-10 and 2025-03-02

# What each kind of text the digest carries says, in each language (the frame, the frist
# reminder, the notice of an automatic termination, the notice of a grant about to expire).
BOKMAAL = [
    "Hei ",
    "saker for kommunen din å følge opp",
    "Deltakelse ",
    "Fristen for gjennomføring går ut 02.03.2025 (om 10 dager)",
    "Deltakelsen er avsluttet av registeret",
    "Tilgangen til etterregistrering for hendelser 01.06.2024–31.12.2024 utløper 01.03.2025",
    "Navn og fødselsnummer står ikke i e-posten",
    "Hilsen",
    "Nasjonalt introduksjonsregister",
]
ENGLISH = [
    "Hello ",
    "cases for your municipality to follow up",
    "Participation ",
    "02.03.2025 (in 10 days)",
    "The participation was ended by the register",
    "The late-registration access for events 01.06.2024–31.12.2024 expires 01.03.2025",
    "Names and identity numbers are not in the e-mail",
    "Regards",
    "National Introduction Register",
]


@pytest.fixture
def register(make_person, caseworker_a, kommune_a):
    """One participation ended by the register today, one with its frist in 10 days, a
    grant expiring in 9; and three caseworkers: one chose English, one bokmål, one nothing."""
    for n, start in enumerate([D(2024, 8, 10), D(2024, 9, 2)]):
        person = make_person(registered_on=start, birth_date=D(1985, 1 + n, 3))
        create_participation(
            actor=caseworker_a,
            person_id=person.pk,
            new=NewParticipation(start_date=start, sluttmaal="arbeid"),
            kommune_id=kommune_a.pk,
            at=at(start),
        )
    LateRegistrationGrant.objects.create(
        kommune=kommune_a,
        covers_from=D(2024, 6, 1),
        covers_to=D(2024, 12, 31),
        granted_on=D(2025, 1, 10),
        expires_on=D(2025, 3, 1),
        granted_by="imdi",
        reason="test",
    )
    users = {}
    for name in ("emma", "berit", "kari"):
        users[name] = User.objects.create_user(
            name,
            email=f"{name}@oslo.example",
            first_name=name.title(),
            roles=[Role.KOMMUNEINTROBRUKER],
            kommune=kommune_a,
        )
    choice = {"frist_reminders": True, "window_reminders": True, "notices": True}
    save_reminder_preference(user_id=users["emma"].pk, **choice, email_language="en")
    save_reminder_preference(user_id=users["berit"].pk, **choice, email_language="nb")
    return users


def _parts(digest: Digest) -> dict[str, str]:
    return {"subject": digest.subject, "text": digest.body_text, "html": digest.body_html}


def _missing(parts: dict[str, str], expected: list[str]) -> list[str]:
    """The sentences missing from the text part or the HTML part."""
    return [s for s in expected if s not in parts["text"] or s not in parts["html"]]


def _found(parts: dict[str, str], forbidden: list[str]) -> list[tuple[str, str]]:
    return [(name, s) for name, text in parts.items() for s in forbidden if s in text]


@pytest.mark.django_db
def test_an_english_reader_gets_the_digest_in_english(register):
    run_due(registry.JOBS, NOW)
    parts = _parts(Digest.objects.get(user=register["emma"]))
    assert parts["subject"] == "NIR: 3 cases to follow up 20.02.2025"
    assert parts["text"].startswith("Hello Emma,")
    assert _missing(parts, ENGLISH) == []
    assert "The completion deadline" in parts["text"]
    assert _found(parts, BOKMAAL) == []
    assert '<html lang="en">' in parts["html"]
    # Where to choose another language: the notification page, named as the menu names it.
    assert "«Notifications»" in parts["text"]
    assert preferences_link() in parts["text"] and f'href="{preferences_link()}"' in parts["html"]


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["berit", "kari"])  # chose bokmål; chose nothing
def test_a_bokmaal_reader_gets_the_digest_in_bokmaal(register, reader):
    run_due(registry.JOBS, NOW)
    parts = _parts(Digest.objects.get(user=register[reader]))
    assert parts["subject"] == "NIR: 3 saker å følge opp 20.02.2025"
    assert parts["text"].startswith(f"Hei {reader.title()},")
    assert _missing(parts, BOKMAAL) == []
    assert _found(parts, ENGLISH) == []
    assert '<html lang="nb">' in parts["html"]


@pytest.mark.django_db
def test_the_sent_e_mail_is_the_readers_language_in_both_parts(register):
    run_due(registry.JOBS, NOW)
    drain_queue()
    sent = {m.to[0]: m for m in mail.outbox}
    english, bokmaal = sent["emma@oslo.example"], sent["kari@oslo.example"]
    assert english.subject.startswith("NIR: 3 cases") and "Hello Emma" in english.body
    assert "Hello Emma" in english.alternatives[0].content
    assert bokmaal.subject.startswith("NIR: 3 saker") and "Hei Kari" in bokmaal.body
    assert "Hei Kari" in bokmaal.alternatives[0].content


@pytest.mark.django_db
def test_one_case_is_one_case_in_either_language(register):
    only_frist = {"frist_reminders": True, "window_reminders": False, "notices": False}
    save_reminder_preference(user_id=register["emma"].pk, **only_frist, email_language="en")
    save_reminder_preference(user_id=register["berit"].pk, **only_frist, email_language="nb")
    run_due(registry.JOBS, NOW)
    english = Digest.objects.get(user=register["emma"])
    assert english.subject == "NIR: 1 case to follow up 20.02.2025"
    assert "NIR has 1 case for your municipality to follow up (20.02.2025):" in english.body_text
    bokmaal = Digest.objects.get(user=register["berit"])
    assert bokmaal.subject == "NIR: 1 sak å følge opp 20.02.2025"
    assert "NIR har 1 sak for kommunen din å følge opp (20.02.2025):" in bokmaal.body_html
