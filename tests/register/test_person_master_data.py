"""A person's name, birth date and identity number are the registering municipality's: a
second municipality (a move) starts its own participation, but its corrections are refused
with a clear message; the owner corrects. Through the API and the web."""

from __future__ import annotations

import pytest
from django.test import Client

from nir.api.clients import create_api_client
from nir.register.models import Participation, Person
from tests.api.helpers import ApiCaller, make_record, today
from tests.web.builders import make_user

pytestmark = pytest.mark.django_db

REASON = "flyttet"


@pytest.fixture
def oslo_person(kommune_a, kommune_b):
    """Registered by Oslo, whose participation has ended: the person moved to Bergen."""
    oslo = ApiCaller(create_api_client(kommune_number="0301", name="Oslo", created_by="t").token)
    record = make_record("OSLO-1")
    assert oslo.batch([record]).json()["results"][0]["outcome"] == "created"
    ended = {**record, "termination": {"end_date": today().isoformat(), "reason": REASON}}
    assert oslo.batch([ended]).json()["results"][0]["outcome"] == "updated"
    return record


def _bergen() -> ApiCaller:
    return ApiCaller(create_api_client(kommune_number="4601", name="Bergen", created_by="t").token)


def test_a_second_municipality_starts_its_own_participation_with_the_same_facts(oslo_person):
    moved = make_record("BERGEN-1", identity_number=oslo_person["person"]["identity_number"])
    result = _bergen().batch([moved]).json()["results"][0]
    assert result["outcome"] == "created"
    person = Person.objects.get()
    assert set(person.participations.values_list("kommune__number", flat=True)) == {"0301", "4601"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("given_name", "Overskrevet"), ("family_name", "Annensen")],
)
def test_a_second_municipality_cannot_rewrite_the_persons_name_through_the_api(
    oslo_person, field, value
):
    moved = make_record("BERGEN-1", identity_number=oslo_person["person"]["identity_number"])
    moved["person"][field] = value
    result = _bergen().batch([moved]).json()["results"][0]
    assert result["outcome"] == "rejected"
    error = result["errors"][0]
    assert (error["field"], error["code"]) == (f"person.{field}", "person.owned_by_other_kommune")
    assert "Oslo" in error["message"]
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == ("Amina", "Testesen")
    # Nothing half-written: the refused record did not start a participation either.
    assert not Participation.objects.filter(case_id="BERGEN-1").exists()


def test_the_second_municipality_cannot_correct_through_the_web(oslo_person, kommune_b):
    same = make_record("BERGEN-1", identity_number=oslo_person["person"]["identity_number"])
    assert _bergen().batch([same]).json()["results"][0]["outcome"] == "created"
    person = Person.objects.get()
    form = {
        "expected_version": person.version,
        "identity_number": person.identity_number,
        "given_name": "Overskrevet",
        "family_name": person.family_name,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "permit_type": person.permit_type,
        "permit_date": person.permit_date.isoformat(),
        "settled_by_agreement": "on",
        "has_upper_secondary": "ja",
    }
    bergen = Client()
    bergen.force_login(make_user("bergen", kommune_b))
    refused = bergen.post(f"/person/{person.pk}/endre/", form)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert 'href="#id_given_name"' in body and "registrert av Oslo" in body
    person.refresh_from_db()
    assert person.given_name == "Amina"


def test_the_owner_still_corrects_after_the_move(oslo_person):
    moved = make_record("BERGEN-1", identity_number=oslo_person["person"]["identity_number"])
    assert _bergen().batch([moved]).json()["results"][0]["outcome"] == "created"
    oslo = ApiCaller(create_api_client(kommune_number="0301", name="Oslo 2", created_by="t").token)
    person = Person.objects.get()
    form = {
        "expected_version": person.version,
        "identity_number": person.identity_number,
        "given_name": person.given_name,
        "family_name": "Rettet",
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "permit_type": person.permit_type,
        "permit_date": person.permit_date.isoformat(),
        "settled_by_agreement": "on",
        "has_upper_secondary": "ja",
    }
    del oslo
    client = Client()
    client.force_login(make_user("oslo", person.registered_by_kommune))
    assert client.post(f"/person/{person.pk}/endre/", form).status_code == 302
    assert Person.objects.get().family_name == "Rettet"
