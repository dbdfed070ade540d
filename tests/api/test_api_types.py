"""The contract is exact: value sets are enums that match the register's catalogues, hours
are numbers with one decimal, request headers have their forms, every error is problem
details (405 too), every list pages the same way, and preconditions behave as documented."""

import datetime as dt

import pytest

from nir.api.schemas import value_sets
from nir.api.schemas.replies import ChangeOut
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.rules.config import DEFAULT_ABSENCE_TYPES, DEFAULT_LEAVE_TYPES
from nir.rules.termination import TERMINATION_REASONS
from tests.api.helpers import assert_matches_contract, contract, make_record
from tests.conftest import at

BATCH = "/api/v1/batch/participations"


def test_the_api_value_sets_are_the_registers_catalogues():
    assert {t.value for t in value_sets.LeaveType} == set(DEFAULT_LEAVE_TYPES)
    assert {t.value for t in value_sets.AbsenceType} == set(DEFAULT_ABSENCE_TYPES)
    assert {t.value for t in value_sets.ClockStopType} == set(DEFAULT_LEAVE_TYPES) | set(
        DEFAULT_ABSENCE_TYPES
    )
    assert {r.value for r in value_sets.TerminationReason} == set(TERMINATION_REASONS)
    assert {r.value for r in value_sets.TerminationReasonIn} == {
        code for code, r in TERMINATION_REASONS.items() if not r.set_by_system_only
    }
    feed_channel = ChangeOut.model_fields["channel"].annotation
    assert {c.value for c in feed_channel} == {c.value for c in Channel}


def test_every_schema_is_used_and_every_reply_field_is_required():
    document = contract()
    text = str(document)
    for name, schema in document["components"]["schemas"].items():
        assert f"#/components/schemas/{name}" in text, f"{name} is unused"
        if name.endswith(("Out", "Page")) and schema.get("type") == "object":
            assert set(schema.get("required", [])) == set(schema["properties"]), name


def test_an_unknown_value_is_refused_by_the_schema_before_any_rule(fagsystem_a):
    record = make_record(
        "T-1",
        leaves=[
            {
                "leave_type": "ferie",
                "start_date": "2026-01-01",
                "end_date": "2026-01-02",
                "decided_on": "2026-01-01",
            }
        ],
    )

    (result,) = fagsystem_a.batch([record]).json()["results"]

    assert result["outcome"] == "rejected"
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("leaves[0].leave_type", "schema.enum")
    ]


@pytest.mark.parametrize(
    ("hours", "accepted"), [(15, True), (7.5, True), (15.25, False), ("15.0", False)]
)
def test_hours_are_a_number_with_one_decimal(fagsystem_a, hours, accepted):
    start = make_record("x")["start_date"]
    record = make_record(
        f"H-{hours}",
        measures=[
            {"measure_type": "norskopplaering", "start_date": start, "hours_per_week": hours}
        ],
    )

    (result,) = fagsystem_a.batch([record]).json()["results"]

    assert (result["outcome"] == "created") is accepted, result["errors"]
    if accepted:
        read = fagsystem_a.participant(f"H-{hours}").json()
        assert read["record"]["measures"][0]["hours_per_week"] == hours


@pytest.mark.parametrize("key", ["", "x" * 256, " padded", "nøkkel"])
def test_a_malformed_idempotency_key_is_refused_alike(fagsystem_a, key):
    response = fagsystem_a.batch([make_record("IK-1")], **{"Idempotency-Key": key})

    assert response.status_code == 422, key
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_the_longest_idempotency_key_is_taken(fagsystem_a):
    response = fagsystem_a.batch([make_record("IK-2")], **{"Idempotency-Key": "k" * 255})

    assert response.status_code == 200


def _put(caller, record, **headers):
    response = caller.put(f"/api/v1/participations/{record['case_id']}", record, **headers)
    assert_matches_contract(response, "put", "/api/v1/participations/{case_id}")
    return response


@pytest.mark.parametrize("if_match", ['W/"2"', "2", '"2", "3"'])
def test_if_match_takes_only_a_strong_etag_or_a_star(fagsystem_a, if_match):
    record = make_record("IM-1")
    assert _put(fagsystem_a, record).status_code == 201

    refused = _put(fagsystem_a, record, **{"If-Match": if_match})

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "If-Match"


def test_if_match_star_changes_whatever_version_exists_and_needs_one(fagsystem_a):
    record = make_record("IM-2")
    assert _put(fagsystem_a, record, **{"If-Match": "*"}).status_code == 412
    assert _put(fagsystem_a, record).status_code == 201
    record["person"]["given_name"] = "Amira"

    changed = _put(fagsystem_a, record, **{"If-Match": "*"})

    assert changed.status_code == 200 and changed.json()["outcome"] == "updated"
    assert changed["ETag"] == f'"{changed.json()["version"]}"'


def test_a_case_id_in_the_url_and_another_in_the_body_is_refused(fagsystem_a):
    response = fagsystem_a.put("/api/v1/participations/A-1", make_record("A-2"))

    assert_matches_contract(response, "put", "/api/v1/participations/{case_id}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "case_id.mismatch"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/v1/me", "GET"),
        ("post", "/api/v1/participations/P-1", "GET, PUT"),
        ("get", BATCH, "POST"),
    ],
)
def test_a_method_a_path_lacks_gets_405_as_problem_details(fagsystem_a, method, path, allowed):
    response = getattr(fagsystem_a.client, method)(path)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/method-not-allowed")
    assert sorted(response["Allow"].split(", ")) == sorted(allowed.split(", "))


def test_the_written_ok_headers_are_declared_required():
    operations = contract()["paths"]
    put = operations["/api/v1/participations/{case_id}"]["put"]["responses"]
    get = operations["/api/v1/participations/{case_id}"]["get"]["responses"]
    assert put["201"]["headers"]["Location"]["required"] is True
    assert put["201"]["headers"]["ETag"]["required"] is True
    assert get["200"]["headers"]["ETag"]["required"] is True
    for path, methods in operations.items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert responses["401"]["headers"]["WWW-Authenticate"]["required"], path
            for status in ("429", "503"):
                assert responses[status]["headers"]["Retry-After"]["required"], path
            assert "500" in responses, path
            for parameter in operation.get("parameters", []):
                assert "anyOf" not in parameter["schema"], (method, path, parameter["name"])


LISTS = [
    ("/api/v1/participations", "items"),
    ("/api/v1/reconciliation", "items"),
    ("/api/v1/changes", "items"),
    ("/api/v1/grants", "items"),
]


def _fill(path, fagsystem_a, kommune_a):
    """At least two items in the list: two participants, or IMDi's two grants."""
    if path != "/api/v1/grants":
        fagsystem_a.batch([make_record(f"PG-{n}") for n in range(2)])
        return
    imdi = Actor("ingrid@imdi", Channel.WEB, None)
    for month in (7, 9):
        grant_late_registration(
            actor=imdi,
            grant=NewGrant(
                kommune_id=kommune_a.pk,
                covers_from=dt.date(2023, month, 1),
                covers_to=dt.date(2023, month, 30),
                expires_on=dt.date(2024, 6, 30),
                reason="Feil i fagsystemet",
            ),
            at=at(dt.date(2024, 5, 15)),
        )


@pytest.mark.parametrize(("path", "key"), LISTS)
def test_a_full_last_page_says_there_is_no_more(fagsystem_a, kommune_a, path, key):
    _fill(path, fagsystem_a, kommune_a)
    total = len(fagsystem_a.get(f"{path}?limit=1000").json()[key])
    assert total >= 2

    first = assert_matches_contract(fagsystem_a.get(f"{path}?limit={total // 2}"), "get", path)
    pages = [first]
    while pages[-1]["has_more"]:
        pages.append(
            fagsystem_a.get(f"{path}?limit={total // 2}&after={pages[-1]['next_cursor']}").json()
        )

    assert len(pages) == 2 + total % 2
    assert all(page[key] for page in pages), "never an empty last page"
    ids = [item["id"] for page in pages for item in page[key]]
    assert len(ids) == len(set(ids)) == total, "every item once"
    exact = fagsystem_a.get(f"{path}?limit={total}").json()
    assert len(exact[key]) == total and exact["has_more"] is False
    later = fagsystem_a.get(f"{path}?after={exact['next_cursor']}").json()
    assert later[key] == [] and later["next_cursor"] == exact["next_cursor"]


def test_a_cursor_of_another_list_is_refused(fagsystem_a):
    response = fagsystem_a.get("/api/v1/participations?after=738000-1")

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "schema.cursor"
