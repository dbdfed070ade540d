"""The register's own messages: every refusal names the field by its label, in the user's
language; identity numbers are taken as people write them and checked on their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from nir.register.models import Person
from nir.rules.identity import make_valid_identity_number
from nir.web.forms import ExtensionForm, MeasureForm, PersonForm, TerminationForm

pytestmark = pytest.mark.django_db

NUMBER = make_valid_identity_number(dt.date(1990, 1, 1), 321, synthetic=True)
# Django's own wording, which a user must never meet.
DJANGO_WORDING = ("Dette feltet", "Verdien må", "Sørg for", "This field", "Ensure this", "Enter a")


def _person_post(**changes: str) -> dict[str, str]:
    data = {
        "identity_number": NUMBER,
        "given_name": "Nadia",
        "family_name": "Nilsen",
        "birth_date": "1990-01-01",
        "sex": "kvinne",
        "permit_type": "flyktning",
        "permit_date": "2026-01-01",
    }
    data.update(changes)
    return data


def _all_messages(form) -> list[str]:
    return [m for messages in form.errors.values() for m in messages]


def test_a_number_over_the_limit_names_the_field_and_the_limit():
    form = ExtensionForm({"expected_version": 1, "months": 13, "decided_on": "2026-01-01"})
    assert form.errors["months"] == ["«Antall måneder» kan ikke være mer enn 12."]


def test_a_missing_field_and_a_bad_date_name_the_field():
    form = TerminationForm({"expected_version": 1, "reason": "", "end_date": "31.31.2025"})
    assert form.errors["reason"] == ["Velg «Avslutningsårsak (hovedaktivitet ved avslutning)»."]
    assert form.errors["end_date"] == ["«Sluttdato» må være en dato, for eksempel 31.12.2025."]


def test_decimals_are_explained_in_words():
    form = MeasureForm(
        {"measure_type": "arbeidspraksis", "start_date": "2026-01-01", "hours_per_week": "abc"}
    )
    assert "«Timer per uke» må være et tall" in form.errors["hours_per_week"][0]


def test_no_form_ever_shows_djangos_generic_wording():
    forms = [
        ExtensionForm({"expected_version": "x", "months": "-1", "decided_on": "x"}),
        PersonForm({"identity_number": "1" * 30, "given_name": "x" * 300}),
        MeasureForm({"hours_per_week": "123456.78", "measure_type": "y" * 100}),
    ]
    for form in forms:
        for message in _all_messages(form):
            assert not message.startswith(DJANGO_WORDING), message


def test_messages_are_in_english_for_an_english_user():
    with translation.override("en"):
        form = ExtensionForm({"expected_version": 1, "months": 13, "decided_on": ""})
        assert form.errors["months"] == ["«Number of months» cannot be more than 12."]
        assert form.errors["decided_on"] == ["Fill in «Decision date» with a date."]
        person = PersonForm(_person_post(identity_number="01019012481"))
        assert person.errors["identity_number"] == [
            "The national identity number or D number has a wrong check digit. "
            "Check that all 11 digits are written correctly."
        ]


@pytest.mark.parametrize(
    "typed",
    [
        f"{NUMBER[:6]} {NUMBER[6:]}",
        f"{NUMBER[:6]}-{NUMBER[6:]}",
        f"{NUMBER[:2]}.{NUMBER[2:4]}.{NUMBER[4:6]} {NUMBER[6:]}",
    ],
)
def test_identity_numbers_with_spaces_dots_and_hyphens_are_registered(client_a, typed):
    response = client_a.post("/person/ny/", _person_post(identity_number=typed))
    assert response.status_code == 302, response.content.decode()
    assert Person.objects.get(family_name="Nilsen").identity_number == NUMBER


def test_a_wrong_check_digit_is_reported_even_when_every_other_field_is_empty():
    form = PersonForm({"identity_number": "01019012481"})
    assert form.errors["identity_number"] == [
        "Fødselsnummeret eller D-nummeret har feil kontrollsiffer. "
        "Kontroller at alle de 11 sifrene er skrevet riktig."
    ]
    assert "identity_number" not in form.errors["identity_number"][0]


def test_the_number_is_checked_while_it_is_typed(client_a):
    page = client_a.get("/person/ny/").content.decode()
    assert 'hx-post="/person/sjekk-nummer/"' in page
    wrong = client_a.post("/person/sjekk-nummer/", {"identity_number": "010190 12481"})
    assert "feil kontrollsiffer" in wrong.content.decode()
    assert 'id="id_identity_number_helptext"' in wrong.content.decode()
    still_typing = client_a.post("/person/sjekk-nummer/", {"identity_number": "010190"})
    assert "error-message" not in still_typing.content.decode()
    right = client_a.post("/person/sjekk-nummer/", {"identity_number": NUMBER})
    assert "error-message" not in right.content.decode()


def test_a_duplicate_links_to_the_person_the_user_may_see(client_a, register):
    own = register.overdue_a.person
    response = client_a.post(
        "/person/ny/",
        _person_post(identity_number=own.identity_number, birth_date=own.birth_date.isoformat()),
    )
    body = response.content.decode()
    assert "allerede registrert" in body
    assert f'href="/person/{own.pk}/"' in body


def test_a_duplicate_in_another_municipality_is_not_linked(client_a, register):
    other = register.overdue_b.person
    response = client_a.post(
        "/person/ny/",
        _person_post(
            identity_number=other.identity_number, birth_date=other.birth_date.isoformat()
        ),
    )
    body = response.content.decode()
    assert "registrert i en annen kommune" in body
    assert f'href="/person/{other.pk}/"' not in body
