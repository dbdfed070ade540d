"""Finding participants by number or name, with filters."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import Person
from tests.web.builders import add_person

pytestmark = pytest.mark.django_db


def _names(client, query: str) -> str:
    return client.get(f"/deltakere/?{query}").content.decode()


def test_by_identity_number_duf_number_and_name(register, client_a):
    haddad = register.overdue_a.person
    Person.objects.filter(pk=haddad.pk).update(duf_number="202312345678")
    assert "Haddad, Amina" in _names(client_a, f"q={haddad.identity_number}")
    assert "Haddad, Amina" in _names(client_a, "q=2023 1234 5678")
    assert "Haddad, Amina" in _names(client_a, "q=amina+hadd")
    assert "Karimi" not in _names(client_a, "q=amina+hadd")
    # The first digits (birth date) narrow the list too.
    assert "Haddad, Amina" in _names(client_a, f"q={haddad.identity_number[:6]}")


def test_by_status_and_frist_range(register, client_a):
    soon = register.soon_a
    ended = _names(client_a, "status=ikke_registrert")
    assert "Haddad" in ended and "Karimi" not in ended
    within = _names(client_a, "status=frist_30")
    assert "Karimi" in within and "Haddad" not in within
    day = soon.frist.isoformat()
    assert "Karimi" in _names(client_a, f"frist_fra={day}&frist_til={day}")
    later = (soon.frist + dt.timedelta(days=1)).isoformat()
    assert "Karimi" not in _names(client_a, f"frist_fra={later}")
    assert "Haddad" in _names(client_a, "mangler=vedtak")
    assert "Karimi" not in _names(client_a, "mangler=vedtak")


def test_a_bad_date_is_shown_on_its_field(register, client_a):
    body = _names(client_a, "frist_fra=31.02.2026")
    assert 'href="#id_frist_fra"' in body


def test_a_person_without_a_participation_is_found(register, client_a, caseworker_a):
    add_person(
        caseworker_a, "Solo", "Utendeltakelse", birth=dt.date(1985, 3, 3), registered=register.today
    )
    body = _names(client_a, "q=Utendeltakelse")
    assert "Personer uten deltakelse" in body and "Utendeltakelse, Solo" in body
