"""The person search in both schemes: a person is found by their Norwegian-training ordning
too, with the scheme in the results; a kommunenorskbruker's search lists that scheme alone,
never the programme's details; the filters mean each scheme's own states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nir.accounts.models import Role
from nir.audit.models import AccessLogEntry
from nir.register.services.context import Actor, Channel
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.rules.dates import add_months
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at
from tests.web.builders import add_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def norsk_client(kommune_a) -> Client:
    client = Client()
    client.force_login(make_user("nora", kommune_a, Role.KOMMUNENORSKBRUKER))
    return client


def _ordning(actor, kommune, family, registered):
    """Rett og plikt with upper secondary: the frist 18 months from the permit, which is 60
    days before ``registered`` (N-1)."""
    person = add_person(actor, "Nadia", family, birth=dt.date(1990, 5, 17), registered=registered)
    return start_norsk_participation(
        actor=actor,
        person_id=person.pk,
        kommune_id=kommune.pk,
        new=NewNorskParticipation(start_date=registered, permit_list=PermitList.RETT_OG_PLIKT),
        at=at(registered),
    )


@pytest.fixture
def ordninger(register, norsk_a, kommune_a, kommune_b):
    """Oslo: Norskvik in training (frist in a year), Fristesen with the frist passed; Bergen's
    Norskberg, whom Oslo never sees; and Oslo's programme participant Haddad."""
    today = register.today
    running = _ordning(norsk_a, kommune_a, "Norskvik", today - dt.timedelta(days=90))
    passed = _ordning(norsk_a, kommune_a, "Fristesen", add_months(today, -17))
    bergen = Actor("nils@bergen", Channel.WEB, kommune_b.pk, frozenset({Scheme.NORSK}))
    _ordning(bergen, kommune_b, "Norskberg", today - dt.timedelta(days=90))
    assert running.frist > today > passed.frist
    return running, passed


def _page(client, query):
    return client.get(f"/deltakere/?{query}").content.decode()


def test_a_caseworker_finds_a_person_by_their_norwegian_training(ordninger, client_a):
    running, _ = ordninger
    body = _page(client_a, "q=Norskvik")
    assert "1 i opplæring i norsk og samfunnskunnskap" in body
    assert f"/person/{running.person_id}/#norsk-{running.pk}" in body
    assert "Rett og plikt" in body and f"{running.frist:%d.%m.%Y}" in body and "Aktiv" in body
    assert "0 deltakelser i introduksjonsprogrammet" in body
    assert "Personer uten deltakelse" not in body  # the ordning lists the person
    assert "Norskberg" not in _page(client_a, "q=Nadia")  # Bergen's


def test_the_filters_mean_each_schemes_own_states(register, ordninger, client_a):
    running, passed = ordninger
    haddad = register.overdue_a
    expired = _page(client_a, "status=frist_utlopt")
    assert "Fristesen" in expired and "Norskvik" not in expired
    assert f"{passed.frist:%d.%m.%Y}" in expired and "Frist utløpt" in expired
    assert "0 deltakelser" in expired  # the programme has no «frist utløpt»
    not_registered = _page(client_a, "status=ikke_registrert")
    assert "Haddad" in not_registered and "Fristesen" not in not_registered
    # Neither ordning has a norskmål: both lack it; a programme lack lists no ordning.
    lacking = _page(client_a, "mangler=norskmaal")
    assert "Fristesen" in lacking and "Norskvik" in lacking and "Haddad" not in lacking
    assert "Norskvik" not in _page(client_a, "mangler=vedtak")
    only_norsk = _page(client_a, "ordning=norsk&q=a")
    assert "Norskvik" in only_norsk and f"/deltakelse/{haddad.pk}/" not in only_norsk
    assert 'id="treff"' not in only_norsk
    assert "Personer uten opplæring i norsk og samfunnskunnskap" in only_norsk  # Haddad
    only_programme = _page(client_a, "ordning=introduksjonsprogram&q=a")
    assert f"/deltakelse/{haddad.pk}/" in only_programme
    assert f"#norsk-{running.pk}" not in only_programme and 'id="treff-norsk"' not in only_programme
    day = f"{running.frist:%Y-%m-%d}"
    assert "Norskvik" in _page(client_a, f"frist_fra={day}&frist_til={day}")


def test_a_norwegian_training_users_search_shows_that_scheme_not_the_programmes(
    register, ordninger, norsk_client
):
    haddad = register.overdue_a
    body = _page(norsk_client, "q=a")
    assert "Norskvik" in body and "Fristesen" in body
    # The programme's list, columns and filters are not this role's.
    assert 'id="treff"' not in body and "Mangler sluttmål" not in body
    assert 'name="ordning"' not in body and "Avsluttet uten registrert årsak" not in body
    assert f"/deltakelse/{haddad.pk}/" not in body and f"{haddad.frist:%d.%m.%Y}" not in body
    # The programme's participant is found to start the training for, as a person alone.
    assert "Personer uten opplæring i norsk og samfunnskunnskap" in body
    assert f"/person/{haddad.person_id}/" in body and "Haddad, Amina" in body
    # A programme filter sent anyway is refused on its field, never a 500.
    refused = norsk_client.get("/deltakere/?mangler=sluttmaal")
    assert refused.status_code == 200 and 'href="#id_mangler"' in refused.content.decode()
    entry = AccessLogEntry.objects.filter(action="web_search").latest("pk")
    shown = set(entry.persons.values_list("person_id", flat=True))
    assert {o.person_id for o in ordninger} | {haddad.person_id} <= shown


def test_the_norwegian_results_read_in_english(ordninger, client_a):
    client_a.cookies["django_language"] = "en"
    body = _page(client_a, "q=Norskvik")
    assert "in Norwegian and social studies training" in body
    assert "Norwegian and social studies training" in body and "Scheme" in body
