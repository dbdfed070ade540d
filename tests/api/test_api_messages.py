"""The API's refusals are the register's own sentences, naming the field by its label, in
bokmål or, when the case system asks for it, English; the field's path stays beside them."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.api.helpers import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bokmaal_after_each_test():
    yield
    translation.deactivate()


BATCH = "/api/v1/batch/participations"


def _errors(response, index=0):
    return response.json()["results"][index]["errors"]


def test_a_malformed_date_is_named_by_its_label(fagsystem_a):
    record = make_record("M-1", start_date="1. mars")
    error = _errors(fagsystem_a.batch([record]))[0]
    assert error["field"] == "start_date"
    assert error["message"] == "«Startdato» må være en dato på formen ÅÅÅÅ-MM-DD."


def test_a_nested_field_is_named_by_its_own_label(fagsystem_a):
    record = make_record("M-2")
    record["decisions"][0]["decided_on"] = "igår"
    del record["person"]["given_name"]
    messages = {e["field"]: e["message"] for e in _errors(fagsystem_a.batch([record]))}
    assert messages["decisions[0].decided_on"].startswith("«Vedtaksdato» må være en dato")
    assert messages["person.given_name"] == "«Fornavn» mangler og må sendes med."


def test_english_is_answered_when_asked_for(fagsystem_a):
    record = make_record("M-3", start_date="soon")
    response = fagsystem_a.batch([record], HTTP_ACCEPT_LANGUAGE="en", **{"Accept-Language": "en"})
    error = _errors(response)[0]
    assert error["message"] == "«Start date» must be a date in the form YYYY-MM-DD."


def test_an_identity_number_is_refused_in_words_without_the_field_code(fagsystem_a):
    record = make_record("M-4", identity_number="01019012481")
    error = _errors(fagsystem_a.batch([record]))[0]
    assert error["code"] == "identity_number.check_digit"
    assert error["message"].startswith("Fødselsnummeret eller D-nummeret har feil kontrollsiffer")
    assert "identity_number" not in error["message"]


def test_no_message_is_pydantics(fagsystem_a):
    record = make_record("M-5", start_date=5, decisions="x", extra_field=1)
    record["person"]["has_upper_secondary"] = "kanskje"
    for error in _errors(fagsystem_a.batch([record])):
        assert not error["message"].startswith(("Input should", "Field required", "Extra")), error
