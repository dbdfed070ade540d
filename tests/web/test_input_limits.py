"""The caseworker's forms refuse control characters and dates outside the register's range
on the field, with its message, and a control character in an address is a 400 naming it;
nothing is written and nothing ends in a 500, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import Person
from nir.rules.identity import make_valid_identity_number

pytestmark = pytest.mark.django_db


def _person(**changes):
    values = {
        "identity_number": make_valid_identity_number(dt.date(1990, 1, 1), 377, synthetic=True),
        "given_name": "Nadia",
        "family_name": "Nilsen",
        "birth_date": "1990-01-01",
        "sex": "kvinne",
        "permit_type": "flyktning",
        "permit_date": "2026-01-01",
        "settled_by_agreement": "on",
        "has_upper_secondary": "ja",
    }
    return {**values, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_name": "Na\x01dia"}, "given_name", "kontrolltegn"),
        ({"family_name": "Nil\x00sen"}, "family_name", "kontrolltegn"),
        ({"permit_date": "9999-12-31"}, "permit_date", "mellom 01.01.1900 og 31.12.2100"),
        ({"birth_date": "1850-01-01"}, "birth_date", "mellom 01.01.1900 og 31.12.2100"),
    ],
)
def test_a_bad_value_is_shown_on_its_field_and_nothing_is_saved(
    register, client_a, changes, field, message
):
    response = client_a.post("/person/ny/", _person(**changes))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="#id_{field}"' in body
    assert message in body
    assert not Person.objects.filter(family_name__startswith="Nil").exists()


def test_a_date_near_the_end_of_time_in_a_registration_is_a_field_error(register, client_a):
    p = register.soon_a
    data = {"expected_version": p.version, "months": "6", "decided_on": "9999-12-31"}
    response = client_a.post(f"/deltakelse/{p.pk}/registrer/utvidelse/", data)
    assert response.status_code == 200
    assert "mellom 01.01.1900 og 31.12.2100" in response.content.decode()
    # The htmx preview computes no frist from it (year 10000 would be a 500).
    preview = client_a.post(f"/deltakelse/{p.pk}/forhandsvis/utvidelse/", data)
    assert preview.status_code == 200
    assert "Fyll ut feltene" in preview.content.decode()
    p.refresh_from_db()
    assert not p.extensions.exists()


def test_a_nul_in_a_search_or_a_path_is_a_400_naming_it(register, client_a):
    response = client_a.get("/deltakere/?q=%00")
    assert response.status_code == 400
    assert "«q»" in response.content.decode()
    assert client_a.get("/person/%00/").status_code == 400


def test_the_refused_address_reads_in_english_for_an_english_user(register, client_a):
    response = client_a.get("/deltakere/?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Invalid address" in text
    assert "The address contains a control character that is not allowed (in «q»)" in text
    assert "kontrolltegn" not in text
