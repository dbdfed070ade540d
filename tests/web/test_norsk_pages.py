"""The Norwegian-training scheme's caseworker pages: a kommunenorskbruker starts an
ordning, registers a norskmaal, leave (the live preview shows the moved frist) and a test
result that ends it as «norskmål nådd»; each scheme's forms belong to its own role; the
worklist shows the scheme's streams; the pages speak English too."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from nir.accounts.models import Role, User
from nir.audit.models import AccessLogEntry
from nir.register.norsk_models import NorskParticipation
from nir.register.services.participations import NewParticipation, create_participation
from tests.conftest import FROZEN_AT, at
from tests.web.builders import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

D = dt.date
PERMIT = D(2026, 10, 1)


@pytest.fixture
def person(make_person):
    return make_person(permit_date=PERMIT, has_upper_secondary=True, family_name="Norskesen")


@pytest.fixture
def norsk_client(kommune_a) -> Client:
    client = Client()
    client.force_login(make_user("nora", kommune_a, Role.KOMMUNENORSKBRUKER))
    return client


@pytest.fixture
def intro_client(kommune_a) -> Client:
    client = Client()
    client.force_login(make_user("ivar", kommune_a, Role.KOMMUNEINTROBRUKER))
    return client


def _start(client, person) -> NorskParticipation:
    response = client.post(
        reverse("web:norsk-start", args=[person.pk]),
        {"start_date": "2026-10-15", "permit_list": "ss27", "education_background": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return NorskParticipation.objects.get(person=person)


def _register(client, ordning, kind, data, **extra):
    url = reverse("web:norsk-register", args=[ordning.pk, kind])
    ordning.refresh_from_db()
    return client.post(url, {"expected_version": ordning.version, **data}, **extra)


B1 = {f"niva_{s}": "B1" for s in ("lytteforstaaelse", "leseforstaaelse",
      "skriftlig_fremstilling", "muntlig_kommunikasjon")}  # fmt: skip
LEAVE = {
    "leave_type": "foreldrepermisjon",
    "start_date": "2026-10-20",
    "end_date": "2026-11-08",
    "decided_on": "2026-11-10",
}


def test_a_norwegian_training_user_registers_the_scheme_and_sees_it_end(norsk_client, person):
    ordning = _start(norsk_client, person)
    assert ordning.frist == D(2028, 4, 1)  # 18 months from the right's start, the permit
    page = norsk_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "01.04.2028" in page and "Rett og plikt" in page
    # N1, N-8: a permit in Norway from 2022 gives 75 hours of social studies in modules.
    assert "Samfunnskunnskap 75 timer i 3 moduler" in page
    preview = norsk_client.get(
        reverse("web:norsk-preview", args=[ordning.pk, "permisjon"]),
        {"expected_version": ordning.version, **LEAVE},
    ).content.decode()
    assert "21.04.2028" in preview and "Godkjent permisjon legger til 20 dager." in preview
    assert _register(norsk_client, ordning, "permisjon", LEAVE).status_code == 302
    ordning.refresh_from_db()
    assert ordning.frist == D(2028, 4, 21)
    saved = _register(
        norsk_client, ordning, "norskmaal", {"valid_from": "2026-10-15", "kind": "levels", **B1}
    )
    assert saved.status_code == 302
    refused = _register(
        norsk_client, ordning, "prove", {"kind": "norskprove", "test_date": "2026-11-16", **B1}
    )
    assert refused.status_code == 200  # a result entered by hand names its document
    assert "Dokumentreferanse" in refused.content.decode()
    ended = _register(
        norsk_client,
        ordning,
        "prove",
        {"kind": "norskprove", "test_date": "2026-11-16", "document_ref": "Vitnemål 9", **B1},
    )
    assert ended.status_code == 302
    ordning.refresh_from_db()
    assert (ordning.end_date, ordning.end_reason) == (D(2026, 11, 16), "norskmal_nadd")
    # A minute on: two reads alike at one frozen instant would be one access-log entry
    # twice, which the log's unique hash refuses on PostgreSQL.
    with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=1), tick=False):
        page = norsk_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "Norskmålet er nådd" in page
    # The history tells each event once: started, leave, frist moved, goal, result, end.
    assert page.count("Permisjon fra opplæring i norsk registrert") == 1
    assert page.count("Opplæring i norsk avsluttet") == 1
    assert AccessLogEntry.objects.filter(action="web_norsk_registration_form").exists()


def test_each_schemes_forms_belong_to_its_role(
    norsk_client, intro_client, person, caseworker_a, kommune_a
):
    ordning = _start(norsk_client, person)
    programme = create_participation(
        actor=caseworker_a,
        person_id=person.pk,
        new=NewParticipation(start_date=D(2026, 10, 15), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2026, 10, 15)),
    )
    for url in (
        reverse("web:register", args=[programme.pk, "vedtak"]),
        reverse("web:preview", args=[programme.pk, "permisjon"]),
        reverse("web:participation-create", args=[person.pk]),
    ):
        assert norsk_client.get(url).status_code == 403, url
    for url in (
        reverse("web:norsk-start", args=[person.pk]),
        reverse("web:norsk-register", args=[ordning.pk, "permisjon"]),
        reverse("web:norsk-preview", args=[ordning.pk, "permisjon"]),
    ):
        assert intro_client.get(url).status_code == 403, url
        assert intro_client.post(url, LEAVE).status_code == 403, url
    # Both see the person with both schemes; each is offered only its own forms.
    for client, own, other in (
        (norsk_client, "/norskopplaering/", f"/deltakelse/{programme.pk}/registrer/"),
        (intro_client, f"/deltakelse/{programme.pk}/registrer/", "/norskopplaering/"),
    ):
        page = client.get(reverse("web:person", args=[person.pk])).content.decode()
        assert "Opplæring i norsk og samfunnskunnskap i" in page and "Deltakelse i" in page
        assert own in page and other not in page


def test_another_municipalitys_ordning_answers_as_one_that_does_not_exist(
    norsk_client, person, kommune_b
):
    ordning = _start(norsk_client, person)
    bergen = Client()
    bergen.force_login(make_user("nils", kommune_b, Role.KOMMUNENORSKBRUKER))
    for url in (
        reverse("web:norsk-register", args=[ordning.pk, "permisjon"]),
        reverse("web:norsk-preview", args=[ordning.pk, "permisjon"]),
        reverse("web:person", args=[person.pk]),
    ):
        assert bergen.get(url).status_code == 404, url
    assert person.family_name not in bergen.get(reverse("web:worklist")).content.decode()


def test_the_norwegian_users_worklist_shows_the_schemes_streams(norsk_client, person):
    _start(norsk_client, person)
    page = norsk_client.get(reverse("web:worklist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mangler norskmål eller utdanningsbakgrunn: 1" in body
    assert "Norskesen" in body
    assert AccessLogEntry.objects.filter(action="web_norsk_worklist").exists()


def test_the_schemes_pages_speak_english(norsk_client, person):
    ordning = _start(norsk_client, person)
    norsk_client.cookies["django_language"] = "en"
    page = norsk_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "Counted from 1 October 2026; 18 months." in page
    form = norsk_client.get(reverse("web:norsk-register", args=[ordning.pk, "norskmaal"]))
    assert "Listening" in form.content.decode()


def test_a_frist_not_computable_asks_for_the_education_background(norsk_client, make_person):
    """N3-b: no education background registered, no frist, and the worklist leads to the
    form that registers it; either role may register it (N7-a), here the Norwegian one."""
    unknown = make_person(permit_date=PERMIT, has_upper_secondary=None, family_name="Ukjentsen")
    ordning = _start(norsk_client, unknown)
    assert ordning.frist is None
    worklist = norsk_client.get(reverse("web:worklist")).content.decode()
    form_url = reverse("web:norsk-register", args=[ordning.pk, "utdanning"])
    assert form_url in worklist
    assert (
        "Kan ikke beregnes"
        in norsk_client.get(reverse("web:person", args=[unknown.pk])).content.decode()
    )
    saved = _register(norsk_client, ordning, "utdanning", {"education_background": "videregaende"})
    assert saved.status_code == 302
    ordning.refresh_from_db()
    assert (ordning.education_background, ordning.frist) == ("videregaende", D(2028, 4, 1))


def test_a_change_by_someone_else_is_shown_and_not_overwritten(norsk_client, person):
    ordning = _start(norsk_client, person)
    seen_version = ordning.version
    _register(norsk_client, ordning, "utdanning", {"education_background": "grunnskole"})
    url = reverse("web:norsk-register", args=[ordning.pk, "permisjon"])
    stale = norsk_client.post(url, {"expected_version": seen_version, **LEAVE})
    body = stale.content.decode()
    assert stale.status_code == 200 and "Opplæringen er endret av noen andre" in body
    assert not ordning.leaves.exists()
    ordning.refresh_from_db()
    assert f'name="expected_version" value="{ordning.version}"' in body
    assert norsk_client.post(url, {"expected_version": ordning.version, **LEAVE}).status_code == 302
    assert ordning.leaves.count() == 1


def test_hours_are_registered_per_module_and_shown_against_the_timemaal(norsk_client, person):
    ordning = _start(norsk_client, person)
    hours = {"subject": "samfunnskunnskap", "start_date": "2026-10-15", "end_date": "2026-11-15"}
    refused = _register(norsk_client, ordning, "timer", {**hours, "hours": "12.5"})
    assert refused.status_code == 200
    assert "Timene registreres per modul (1-3) i denne ordningen." in refused.content.decode()
    saved = _register(norsk_client, ordning, "timer", {**hours, "hours": "12.5", "module": "1"})
    assert saved.status_code == 302
    with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=1), tick=False):
        page = norsk_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "Registrert: Samfunnskunnskap modul 1 12,5" in " ".join(page.split())


def test_a_user_of_both_schemes_sees_the_norwegian_streams_under_the_programmes(
    norsk_client, person, kommune_a
):
    _start(norsk_client, person)
    both = Client()
    both.force_login(
        User.objects.create_user(
            "berit",
            roles=[Role.KOMMUNEINTROBRUKER, Role.KOMMUNENORSKBRUKER],
            kommune=kommune_a,
        )
    )
    body = both.get(reverse("web:worklist")).content.decode()
    assert "med frist innen 30 dager" in body  # the programme's worklist
    assert 'id="norsk-arbeidsliste"' in body and "Norskesen" in body
    intro_only = Client()
    intro_only.force_login(make_user("ivar2", kommune_a, Role.KOMMUNEINTROBRUKER))
    assert 'id="norsk-arbeidsliste"' not in intro_only.get(reverse("web:worklist")).content.decode()


def test_the_programmes_person_reports_are_not_the_norwegian_roles(norsk_client, intro_client):
    for name in ("web:report-terminated", "web:report-person-list"):
        assert norsk_client.get(reverse(name)).status_code == 403, name
        assert intro_client.get(reverse(name)).status_code == 200, name
    for name in ("web:report-terminated-export", "web:report-person-list-export"):
        assert norsk_client.get(reverse(name, args=["csv"])).status_code == 403, name
    nav = norsk_client.get(reverse("web:report-norsk-ended")).content.decode()
    assert reverse("web:report-person-list") not in nav


def test_an_end_registered_by_mistake_is_undone_from_the_participant_page(
    norsk_client, intro_client, person, kommune_b
):
    ordning = _start(norsk_client, person)
    ended = _register(norsk_client, ordning, "avslutning", {"end_date": "2026-11-16",
                      "reason": "avbrutt"})  # fmt: skip
    assert ended.status_code == 302, ended.content.decode()[:2000]
    url = reverse("web:norsk-undo-end", args=[ordning.pk])
    with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=1), tick=False):
        page = norsk_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert url in page
    # Another scheme's role, or another municipality, may not undo it.
    assert intro_client.get(url).status_code == 403
    bergen = Client()
    bergen.force_login(make_user("nils", kommune_b, Role.KOMMUNENORSKBRUKER))
    assert bergen.get(url).status_code == 404
    with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=2), tick=False):
        form = norsk_client.get(url).content.decode()
    assert "Angre avslutning" in form and "Avbrutt, 16.11.2026" in form
    assert AccessLogEntry.objects.filter(
        action="web_cancel_form", persons__person_id=person.pk
    ).exists()
    ordning.refresh_from_db()
    refused = norsk_client.post(url, {"expected_version": ordning.version, "reason": " "})
    assert refused.status_code == 200 and "Hvorfor angres avslutningen?" in refused.content.decode()
    with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=3), tick=False):
        done = norsk_client.post(
            url, {"expected_version": ordning.version, "reason": "Feil person"}, follow=True
        )
    body = done.content.decode()
    assert "Avslutningen er angret, og opplæringen er aktiv igjen." in body
    assert "Avslutning av opplæring i norsk angret" in body and "Begrunnelse: Feil person" in body
    ordning.refresh_from_db()
    assert ordning.end_date is None
    assert norsk_client.get(url).status_code == 404  # nothing ended to undo


def test_the_undo_page_speaks_english(norsk_client, person):
    ordning = _start(norsk_client, person)
    _register(norsk_client, ordning, "avslutning", {"end_date": "2026-11-16", "reason": "avbrutt"})
    norsk_client.cookies["django_language"] = "en"
    page = norsk_client.get(reverse("web:norsk-undo-end", args=[ordning.pk])).content.decode()
    assert "Use this when the training was ended by mistake" in page
    assert "Why is the end undone?" in page


def test_a_registration_made_by_mistake_is_cancelled_from_the_participant_page(
    norsk_client, intro_client, person, kommune_b
):
    """The result that reached the norskmål was the wrong person's: cancelled, the row is
    gone, kept in the history with the reason, and «norskmål nådd» is lifted with it."""
    ordning = _start(norsk_client, person)
    _register(norsk_client, ordning, "norskmaal", {"valid_from": "2026-10-15", "kind": "levels",
              **B1})  # fmt: skip
    ended = _register(norsk_client, ordning, "prove", {"kind": "norskprove",
                      "test_date": "2026-11-16", "document_ref": "Vitnemål 9", **B1})  # fmt: skip
    assert ended.status_code == 302
    result = ordning.test_results.get()
    url = reverse("web:norsk-cancel", args=[ordning.pk, "norsk_test_result", result.pk])
    with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=1), tick=False):
        page = norsk_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert url in page and "Norskprøve (A1–B2): Lytteforståelse B1" in page and "16.11.2026" in page
    # The other scheme's role, another municipality, or another ordning's row: not theirs.
    assert intro_client.get(url).status_code == 403
    bergen = Client()
    bergen.force_login(make_user("nils", kommune_b, Role.KOMMUNENORSKBRUKER))
    assert bergen.get(url).status_code == 404
    wrong = reverse("web:norsk-cancel", args=[ordning.pk, "norsk_leave", result.pk])
    assert norsk_client.get(wrong).status_code == 404
    with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=2), tick=False):
        form = norsk_client.get(url).content.decode()
    assert "Annuller registrering" in form
    assert "Prøveresultat: Norskprøve (A1–B2): Lytteforståelse B1" in form and "16.11.2026" in form
    ordning.refresh_from_db()

    def post(minutes: int, version: int, reason: str) -> str:
        # Each its own minute: two reads alike at one frozen instant would be one
        # access-log entry twice.
        with time_machine.travel(FROZEN_AT + dt.timedelta(minutes=minutes), tick=False):
            data = {"expected_version": version, "reason": reason}
            return norsk_client.post(url, data, follow=True).content.decode()

    assert "Hvorfor annulleres registreringen?" in post(3, ordning.version, " ")
    assert "Opplæringen er endret av noen andre" in post(4, ordning.version - 1, "Feil")
    body = post(5, ordning.version, "Feil person")
    assert "Registreringen er annullert. Opplæringen er aktiv igjen." in body
    assert "Registrering annullert" in body and "Begrunnelse: Feil person" in body
    ordning.refresh_from_db()
    assert ordning.end_date is None and not ordning.test_results.exists()
    assert norsk_client.get(url).status_code == 404  # gone


def test_the_cancel_page_speaks_english(norsk_client, person):
    ordning = _start(norsk_client, person)
    _register(norsk_client, ordning, "permisjon", LEAVE)
    leave = ordning.leaves.get()
    norsk_client.cookies["django_language"] = "en"
    url = reverse("web:norsk-cancel", args=[ordning.pk, "norsk_leave", leave.pk])
    page = norsk_client.get(url).content.decode()
    assert "If the register ended the training on the basis of what is cancelled" in page
    assert "20.10.2026–08.11.2026" in page
    ordning.refresh_from_db()
    done = norsk_client.post(
        url, {"expected_version": ordning.version, "reason": "Wrong person"}, follow=True
    ).content.decode()
    assert "The registration is cancelled. New completion deadline: 01.04.2028." in done
