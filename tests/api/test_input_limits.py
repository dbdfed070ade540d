"""Bad input gets a 4xx naming the field, on both databases, and nothing is written: control
characters (NUL among them) in text and addresses, dates outside the register's range, JSON
nested too deep or with over-long lists; one bad record never aborts the others."""

from __future__ import annotations

import json

import pytest

from nir.register.models import Participation, Person
from tests.api.helpers import assert_matches_contract, contract, make_record

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/batch/participations"
ONE = "/api/v1/participations/{case_id}"


def _errors(result):
    return {(e["field"], e["code"]) for e in result["errors"]}


def test_a_control_character_or_an_absurd_date_refuses_that_record_alone(fagsystem_a):
    nul = make_record("K-NUL")
    nul["person"]["given_name"] = "Am\x00ina"
    escape = make_record("K-ESC")
    escape["person"]["family_name"] = "Teste\x1bsen"
    far = make_record("K-9999")
    far["person"]["permit_date"] = "9999-12-31"
    old = make_record("K-1850")
    old["decisions"][0]["decided_on"] = "1850-01-01"
    records = [make_record("K-GOD-1"), nul, escape, far, old, make_record("K-GOD-2")]

    response = fagsystem_a.batch(records)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == [
        "created",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "created",
    ]
    assert _errors(results[1]) == {("person.given_name", "text.control_character")}
    assert _errors(results[2]) == {("person.family_name", "text.control_character")}
    assert _errors(results[3]) == {("person.permit_date", "date.out_of_range")}
    assert _errors(results[4]) == {("decisions[0].decided_on", "date.out_of_range")}
    assert results[3]["errors"][0]["params"] == {"earliest": "1900-01-01", "latest": "2100-12-31"}
    assert sorted(Participation.objects.values_list("case_id", flat=True)) == ["K-GOD-1", "K-GOD-2"]
    assert not Person.objects.filter(permit_date__year=9999).exists()


def test_an_update_with_a_nul_is_refused_and_the_others_in_the_batch_go_through(fagsystem_a):
    assert fagsystem_a.batch([make_record("K-1"), make_record("K-2")]).status_code == 200
    first = Participation.objects.get(case_id="K-1")
    changed = make_record("K-1", identity_number=first.person.identity_number)
    changed["person"]["given_name"] = "\x00"
    changed["start_date"] = "9999-12-31"
    second = Participation.objects.get(case_id="K-2")
    moved = make_record("K-2", identity_number=second.person.identity_number)
    moved["person"]["family_name"] = "Nyttnavn"

    results = fagsystem_a.batch([changed, moved]).json()["results"]

    assert results[0]["outcome"] == "rejected"
    assert _errors(results[0]) == {
        ("person.given_name", "text.control_character"),
        ("start_date", "date.out_of_range"),
    }
    assert results[1]["outcome"] == "updated"
    first.person.refresh_from_db()
    assert first.person.given_name == "Amina"


def test_one_record_with_a_nul_is_refused_by_put(fagsystem_a):
    record = make_record("K-PUT")
    record["person"]["given_name"] = "A\x00"
    response = fagsystem_a.put(ONE.format(case_id="K-PUT"), record)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert "person.given_name" in fields
    assert not Participation.objects.filter(case_id="K-PUT").exists()


@pytest.mark.parametrize("path", [BATCH, ONE.format(case_id="K-DYP")])
def test_json_nested_two_thousand_levels_deep_is_a_422_not_a_500(fagsystem_a, path):
    body = "[" * 2000 + "]" * 2000
    send = fagsystem_a.client.post if path == BATCH else fagsystem_a.client.put
    response = send(path, data=body, content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "body"
    assert response.json()["errors"][0]["code"] == "json.too_deep"


def test_an_over_long_list_in_one_record_refuses_that_record(fagsystem_a):
    long = make_record("K-LANG")
    long["decisions"] = long["decisions"] * 1001
    results = fagsystem_a.batch([long, make_record("K-KORT")]).json()["results"]
    assert results[0]["outcome"] == "rejected"
    assert _errors(results[0]) == {("records[0].decisions", "json.array_too_long")}
    assert results[1]["outcome"] == "created"

    one = make_record("K-LANG")
    one["decisions"] = one["decisions"] * 1001
    response = fagsystem_a.client.put(
        ONE.format(case_id="K-LANG"), data=json.dumps(one), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "decisions"


def test_a_nul_in_the_address_is_a_problem_naming_the_part(fagsystem_a):
    response = fagsystem_a.get("/api/v1/participations/K%00X")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "path"
    response = fagsystem_a.get("/api/v1/participations?after=%00")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.after"
    # Every operation, the ones with no parameters too, declares the 422 it gives.
    response = fagsystem_a.get("/api/v1/me?x=%00")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.x"
    operations = contract()["paths"]
    for path, methods in operations.items():
        for method, operation in methods.items():
            assert "422" in operation["responses"], (method, path)


def test_the_batch_reply_still_matches_the_contract(fagsystem_a):
    record = make_record("K-KONTRAKT")
    record["person"]["given_name"] = "\x07"
    response = fagsystem_a.post(BATCH, {"records": [record]})
    assert_matches_contract(response, "post", BATCH)
