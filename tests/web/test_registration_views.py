"""Registering through the forms: the service decides, the form shows why, nothing is lost."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import Extension, HistoryEvent, Participation, Person
from nir.register.services.context import Actor, Channel
from nir.register.services.items import DecisionItem
from nir.register.services.registrations import register_item
from nir.rules.dates import add_months
from nir.rules.identity import make_valid_identity_number

pytestmark = pytest.mark.django_db


def _url(p: Participation, kind: str) -> str:
    return f"/deltakelse/{p.pk}/registrer/{kind}/"


def test_an_extension_lifts_the_automatic_termination(register, client_a):
    p = register.overdue_a
    assert p.termination_source == "system"
    response = client_a.post(
        _url(p, "utvidelse"),
        {"expected_version": p.version, "months": 6, "decided_on": register.today.isoformat()},
        follow=True,
    )
    assert "Den automatiske avslutningen er opphevet" in response.content.decode()
    p.refresh_from_db()
    assert p.end_date is None
    assert p.frist == add_months(p.start_date, 12)
    event = HistoryEvent.objects.filter(action="extension_registered").get()
    assert (event.actor, event.channel) == ("oslo", "web")


def test_the_preview_shows_the_new_frist_and_writes_nothing(register, client_a):
    p = register.overdue_a
    before = (HistoryEvent.objects.count(), Extension.objects.count(), p.version)
    response = client_a.get(
        f"/deltakelse/{p.pk}/forhandsvis/utvidelse/",
        {"expected_version": p.version, "months": 6, "decided_on": register.today.isoformat()},
    )
    body = response.content.decode()
    assert f"{add_months(p.start_date, 12):%d.%m.%Y}" in body
    assert "blir opphevet" in body
    p.refresh_from_db()
    assert (HistoryEvent.objects.count(), Extension.objects.count(), p.version) == before


def test_the_preview_button_works_without_javascript(register, client_a):
    p = register.overdue_a
    response = client_a.post(
        _url(p, "permisjon"),
        {
            "expected_version": p.version,
            "leave_type": "foreldrepermisjon",
            "start_date": (p.frist - dt.timedelta(days=30)).isoformat(),
            "end_date": p.frist.isoformat(),
            "decided_on": register.today.isoformat(),
            "forhandsvis": "1",
        },
    )
    body = response.content.decode()
    assert "Slik blir fristen om du lagrer" in body
    assert "legger til 31 dager" in body
    assert not p.leaves.exists()


def test_a_refusal_names_the_field_and_the_rule(register, client_a):
    p = register.overdue_a
    response = client_a.post(
        _url(p, "utvidelse"),
        {"expected_version": p.version, "months": 7, "decided_on": register.today.isoformat()},
    )
    body = response.content.decode()
    assert 'href="#id_months"' in body  # the error summary links to the field
    assert "Dette må rettes før registreringen kan lagres" in body
    assert "høyst 6 måneder" in body
    assert "Hjemmel: integreringsloven § 13" in body
    assert not Extension.objects.exists()


def test_in_english_a_refusal_gives_its_rule_in_english(register, client_a):
    p = register.overdue_a
    client_a.cookies["django_language"] = "en"
    response = client_a.post(
        _url(p, "utvidelse"),
        {"expected_version": p.version, "months": 7, "decided_on": register.today.isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "extended programme time within the limit" in body
    assert "utvidet programtid innenfor grensen" not in body


def test_a_registration_outside_the_window_says_when_it_closed_and_how_to_ask(register, client_a):
    p = register.soon_a
    late = register.today - dt.timedelta(days=100)
    response = client_a.post(
        _url(p, "vedtak"),
        {"expected_version": p.version, "decision_type": "klage", "decided_on": late.isoformat()},
    )
    body = response.content.decode()
    assert f"gikk ut {add_months(late, 2):%d.%m.%Y}" in body
    # One click opens the request to IMDi with the participation and the event's date.
    assert (
        f'href="/henvendelser/ny/?type=etterregistrering&amp;deltakelse={p.pk}'
        f"&amp;fra={late:%Y-%m-%d}&amp;til={late:%Y-%m-%d}"
    ) in body
    assert "ingen etterregistrering som dekker datoen" in body
    assert 'href="#id_decided_on"' in body


def test_a_stale_form_is_refused_and_the_user_told(register, client_a, kommune_a):
    p = register.soon_a
    stale_version = p.version
    # Someone else registers in between.
    register_item(
        actor=Actor("kollega@oslo", Channel.WEB, kommune_a.pk),
        participation_id=p.pk,
        item=DecisionItem(decision_type="klage", decided_on=register.today),
    )
    response = client_a.post(
        _url(p, "utvidelse"),
        {"expected_version": stale_version, "months": 2, "decided_on": register.today.isoformat()},
    )
    body = response.content.decode()
    assert "Deltakelsen er endret av noen andre" in body
    assert not Extension.objects.exists()
    p.refresh_from_db()
    # The form now carries the current version: saving again is a conscious choice.
    assert f'name="expected_version" value="{p.version}"' in body


def test_the_system_reason_cannot_be_chosen(register, client_a):
    p = register.overdue_a
    response = client_a.post(
        _url(p, "avslutning"),
        {"expected_version": p.version, "reason": "ikke_registrert", "end_date": p.frist},
    )
    assert 'href="#id_reason"' in response.content.decode()
    p.refresh_from_db()
    assert p.termination_source == "system"


def test_a_termination_with_a_reason_replaces_ikke_registrert(register, client_a):
    p = register.overdue_a
    response = client_a.post(
        _url(p, "avslutning"),
        {"expected_version": p.version, "reason": "utdanning_vgo", "end_date": p.frist},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.termination_reason, p.termination_source) == ("utdanning_vgo", "user")


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("vedtak", {"decision_type": "innvilget", "decided_on": "{today}"}),
        ("sluttmaal", {"sluttmaal": "hoyere_utdanning", "valid_from": "{today}"}),
        (
            "permisjon",
            {
                "leave_type": "sykdom",
                "start_date": "{today}",
                "end_date": "{today}",
                "decided_on": "{today}",
            },
        ),
        (
            "fravaer",
            {
                "absence_type": "gyldig_fravaer",
                "start_date": "{today}",
                "end_date": "{today}",
                "hours": "3.5",
            },
        ),
        ("utvidelse", {"months": 3, "decided_on": "{today}"}),
        (
            "stans",
            {
                "kind": "midlertidig",
                "start_date": "{today}",
                "end_date": "{today}",
                "decided_on": "{today}",
            },
        ),
        (
            "tiltak",
            {"measure_type": "arbeidspraksis", "start_date": "{today}", "hours_per_week": "15"},
        ),
    ],
)
def test_every_registration_type_saves_through_its_form(register, client_a, kind, data):
    p = register.soon_a
    version = p.version
    today = register.today.isoformat()
    payload = {k: (v.format(today=today) if isinstance(v, str) else v) for k, v in data.items()}
    assert client_a.get(_url(p, kind)).status_code == 200
    response = client_a.post(_url(p, kind), {"expected_version": p.version, **payload})
    assert response.status_code == 302, response.content.decode()[-3000:]
    p.refresh_from_db()
    assert p.version > version


def test_a_person_and_a_participation_are_created_through_the_forms(register, client_a):
    response = client_a.post(
        "/person/ny/",
        {
            "identity_number": make_valid_identity_number(dt.date(1990, 1, 1), 321, synthetic=True),
            "given_name": "Nadia",
            "family_name": "Nilsen",
            "birth_date": "1990-01-01",
            "sex": "kvinne",
            "permit_type": "flyktning",
            "permit_date": "2026-01-01",
            "settled_by_agreement": "on",
            "has_upper_secondary": "ja",
        },
    )
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(family_name="Nilsen")
    response = client_a.post(
        f"/person/{person.pk}/ny-deltakelse/",
        {"start_date": register.today.isoformat(), "sluttmaal": "arbeid"},
    )
    assert response.status_code == 302
    assert person.participations.get().kommune_id == register.kommune_a.pk


def test_a_bad_identity_number_is_shown_on_its_field(register, client_a):
    response = client_a.post(
        "/person/ny/",
        {
            "identity_number": "01019012345",
            "given_name": "Nadia",
            "family_name": "Nilsen",
            "birth_date": "1990-01-01",
            "sex": "kvinne",
            "permit_type": "flyktning",
            "permit_date": "2026-01-01",
        },
    )
    body = response.content.decode()
    assert 'href="#id_identity_number"' in body
    assert not Person.objects.filter(family_name="Nilsen").exists()


def test_correcting_the_education_recomputes_the_frist(register, client_a):
    p = register.soon_a
    person = p.person
    form = client_a.get(f"/person/{person.pk}/endre/").content.decode()
    assert f'value="{person.identity_number}"' in form
    response = client_a.post(
        f"/person/{person.pk}/endre/",
        {
            "expected_version": person.version,
            "identity_number": person.identity_number,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": person.birth_date.isoformat(),
            "sex": person.sex,
            "permit_type": person.permit_type,
            "permit_date": person.permit_date.isoformat(),
            "settled_by_agreement": "on",
            "has_upper_secondary": "nei",
        },
    )
    assert response.status_code == 302, response.content.decode()
    p.refresh_from_db()
    # Sluttmål arbeid without upper secondary is § 14 (others): 24 months instead of 6.
    assert p.frist == add_months(p.start_date, 24)
    stale = client_a.post(
        f"/person/{person.pk}/endre/",
        {
            "expected_version": person.version,
            "identity_number": person.identity_number,
            "given_name": "X",
            "family_name": "Y",
            "birth_date": person.birth_date.isoformat(),
            "sex": "ukjent",
            "permit_type": person.permit_type,
            "permit_date": person.permit_date.isoformat(),
        },
    )
    assert "Personen er endret av noen andre" in stale.content.decode()


def test_from_the_worklist_the_caseworker_returns_to_it(register, client_a):
    p = register.overdue_a
    form = client_a.get(_url(p, "avslutning") + "?neste=/").content.decode()
    assert 'name="neste" value="/"' in form
    data = {"expected_version": p.version, "reason": "arbeid", "end_date": p.frist, "neste": "/"}
    response = client_a.post(_url(p, "avslutning"), data)
    assert response["Location"] == "/"


def test_a_return_address_elsewhere_is_ignored(register, client_a):
    p = register.overdue_a
    data = {
        "expected_version": p.version,
        "reason": "arbeid",
        "end_date": p.frist,
        "neste": "https://evil.example/",
    }
    response = client_a.post(_url(p, "avslutning"), data)
    assert response["Location"] == f"/deltakelse/{p.pk}/"
