"""An intro participant's kartlegging, veiledning, kontrakt and courses (rules-norsk.md N8)
on the participant page and through its form, in bokmål and English."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, Participation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.services.context import Actor, Channel
from tests.web.builders import add_participation

pytestmark = pytest.mark.django_db

URL = "/deltakelse/{pk}/registrer/kartlegging-og-kurs/"


def _post(client, p: Participation, **data):
    p.refresh_from_db()
    return client.post(URL.format(pk=p.pk), {"expected_version": p.version, **data}, follow=True)


def test_the_page_shows_each_item_and_warns_about_a_missing_mapping(register, client_a):
    p = register.soon_a  # a start decision is registered, no kompetansekartlegging
    body = client_a.get(f"/person/{p.person_id}/").content.decode()
    assert "Kartlegging, veiledning, kontrakt og kurs" in body
    for label in ("Kompetansekartlegging", "Karriereveiledning", "Livsmestring i et nytt land"):
        assert label in body
    assert "Kompetansekartlegging er ikke registrert som gjennomført før vedtaket" in body


def test_registering_a_mapping_done_before_the_decision_clears_the_warning(register, client_a):
    start = register.today - dt.timedelta(days=10)
    actor = Actor("kari@oslo", Channel.WEB, register.kommune_a.pk)
    p = add_participation(actor, register.kommune_a, "Nadia", "Rahimi", start=start, complete=True)
    done = start - dt.timedelta(days=5)
    response = _post(
        client_a,
        p,
        item_kind="kompetansekartlegging",
        status="gjennomfort",
        date_completed=done.isoformat(),
    )
    assert response.status_code == 200
    row = RelatedItemRecord.objects.get(participation=p)
    assert (row.status, row.date_completed, row.registered_by) == ("gjennomfort", done, "oslo")
    assert HistoryEvent.objects.filter(action="related_item_registered", entity_id=row.pk).exists()
    body = client_a.get(f"/person/{p.person_id}/").content.decode()
    assert "Kompetansekartlegging er ikke registrert som gjennomført" not in body
    assert f"{done:%d.%m.%Y}" in body


def test_a_completed_status_without_its_date_is_refused_naming_the_field(register, client_a):
    p = register.soon_a
    response = _post(client_a, p, item_kind="livsmestring", status="gjennomfort")
    body = response.content.decode()
    assert response.status_code in (200, 400, 422)
    assert "Fullføringsdato registreres når, og bare når, tiltaket er gjennomført." in body
    assert 'href="#id_date_completed"' in body
    assert not RelatedItemRecord.objects.exists()


def test_the_section_and_the_refusal_read_in_english(register, client_a):
    client_a.cookies["django_language"] = "en"
    p = register.soon_a
    body = client_a.get(f"/person/{p.person_id}/").content.decode()
    assert "Competence mapping" in body
    assert "Life skills in a new country" in body
    assert "Competence mapping is not registered as completed" in body
    refused = _post(client_a, p, item_kind="livsmestring", status="gjennomfort").content.decode()
    assert "A completion date is registered when, and only when" in refused


def test_another_municipality_cannot_register_them(register, client_b):
    p = register.soon_a
    response = _post(client_b, p, item_kind="livsmestring", status="pabegynt")
    assert response.status_code == 404
    assert not RelatedItemRecord.objects.exists()
