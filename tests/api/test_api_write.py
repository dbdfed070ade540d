"""Writing through the API: a case system sends its participants, again and again.

A resend updates rather than duplicates, a retry with the same Idempotency-Key repeats the
first reply, one bad record never blocks the others, and nothing is ever half-written.
"""

import datetime as dt

import pytest

from nir.api.models import IdempotencyRecord
from nir.register.models import Decision, HistoryEvent, Leave, Participation, Person
from nir.register.services.validation import invalid
from tests.api.helpers import assert_matches_contract, make_record, today

BATCH = "/api/v1/batch/participations"
ONE = "/api/v1/participations/{case_id}"


def _outcomes(response):
    return [(r["case_id"], r["outcome"]) for r in response.json()["results"]]


def test_a_new_participant_is_created_with_its_registrations(fagsystem_a, kommune_a):
    response = fagsystem_a.batch([make_record("2025/1")])

    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 0,
        "rejected": 0,
    }
    result = body["results"][0]
    assert result["outcome"] == "created" and result["errors"] == []
    participation = Participation.objects.get(pk=result["participation_id"])
    assert participation.kommune == kommune_a
    assert participation.case_id == "2025/1"
    assert participation.version == result["version"]
    assert participation.sluttmaal_versions.get().sluttmaal == "arbeid"
    assert Decision.objects.filter(participation=participation).count() == 1
    # The services wrote the history, marked with the API channel and the client.
    events = HistoryEvent.objects.filter(participation=participation)
    assert {e.channel for e in events} == {"api"}
    assert {e.actor for e in events} == {"api:Oslo fagsystem"}


def test_a_resent_batch_changes_nothing_and_makes_no_copies(fagsystem_a):
    records = [make_record(f"2025/{n}") for n in range(3)]
    first = fagsystem_a.batch(records)
    events = HistoryEvent.objects.count()

    again = fagsystem_a.batch(records)

    assert _outcomes(again) == [(f"2025/{n}", "unchanged") for n in range(3)]
    assert Participation.objects.count() == 3 and Person.objects.count() == 3
    assert HistoryEvent.objects.count() == events
    hashes = [r["content_hash"] for r in first.json()["results"]]
    assert [r["content_hash"] for r in again.json()["results"]] == hashes


def test_a_changed_record_is_updated_in_place(fagsystem_a):
    record = make_record("2025/7")
    fagsystem_a.batch([record])
    start = dt.date.fromisoformat(record["start_date"])
    record["person"]["given_name"] = "Amina Sofie"
    record["leaves"] = [
        {
            "leave_type": "omsorgspermisjon",
            "start_date": (start + dt.timedelta(days=2)).isoformat(),
            "end_date": (start + dt.timedelta(days=31)).isoformat(),
            "decided_on": (start + dt.timedelta(days=1)).isoformat(),
        }
    ]

    response = fagsystem_a.batch([record])

    assert _outcomes(response) == [("2025/7", "updated")]
    participation = Participation.objects.get(case_id="2025/7")
    assert participation.person.given_name == "Amina Sofie"
    assert Leave.objects.filter(participation=participation).count() == 1
    # 30 days of leave move the frist 30 days past six months from the start.
    assert participation.frist_derivation["leave_days"] == 30
    assert _outcomes(fagsystem_a.batch([record])) == [("2025/7", "unchanged")]


def test_one_bad_record_never_blocks_the_others_and_is_not_half_written(fagsystem_a):
    late = make_record("2025/late", start=today() - dt.timedelta(days=120))
    bad_goal = make_record("2025/goal")
    bad_goal["extensions"] = [{"months": 12, "decided_on": bad_goal["start_date"]}]
    malformed = make_record("2025/shape")
    malformed["start_date"] = "not a date"
    records = [make_record("2025/ok1"), late, bad_goal, malformed, make_record("2025/ok2")]
    persons = Person.objects.count()

    response = fagsystem_a.batch(records)

    assert _outcomes(response) == [
        ("2025/ok1", "created"),
        ("2025/late", "rejected"),
        ("2025/goal", "rejected"),
        ("2025/shape", "rejected"),
        ("2025/ok2", "created"),
    ]
    results = response.json()["results"]
    window = results[1]["errors"][0]
    assert window["field"] == "start_date"
    assert window["code"] == "registration_window.closed"
    assert window["rule"] and "etterregistrering" in window["message"]
    extension = results[2]["errors"][0]
    assert extension["field"] == "extensions[0].months"
    assert extension["code"].startswith("extension.")
    assert results[3]["errors"][0]["field"] == "start_date"
    assert results[3]["errors"][0]["code"].startswith("schema.")
    # Neither refused record left a person, a participation or a registration behind.
    assert set(Participation.objects.values_list("case_id", flat=True)) == {"2025/ok1", "2025/ok2"}
    assert Person.objects.count() == persons + 2


def test_a_case_id_cannot_be_moved_to_another_person(fagsystem_a):
    fagsystem_a.batch([make_record("2025/9")])

    response = fagsystem_a.batch([make_record("2025/9")])  # same case id, new number

    error = response.json()["results"][0]["errors"][0]
    assert (error["field"], error["code"]) == (
        "person.identity_number",
        "case_id.identity_mismatch",
    )


def test_a_dry_run_checks_everything_and_writes_nothing(fagsystem_a):
    events = HistoryEvent.objects.count()
    late = make_record("2025/late", start=today() - dt.timedelta(days=120))

    response = fagsystem_a.batch([make_record("2025/dry"), late], query="?dry_run=true")

    body = response.json()
    assert body["dry_run"] is True
    assert _outcomes(response) == [("2025/dry", "created"), ("2025/late", "rejected")]
    assert not Participation.objects.exists() and not Person.objects.exists()
    assert HistoryEvent.objects.count() == events


def test_a_retry_with_the_same_key_returns_the_first_reply(fagsystem_a):
    records = [make_record("2025/11"), make_record("2025/12")]
    first = fagsystem_a.batch(records, **{"Idempotency-Key": "k-1"})

    retry = fagsystem_a.batch(records, **{"Idempotency-Key": "k-1"})

    assert retry.status_code == 200
    assert retry.json() == first.json()  # "created", not "unchanged": the first reply
    assert retry["Idempotent-Replayed"] == "true"
    assert Participation.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_a_dropped_connection_then_a_resend_leaves_one_copy(fagsystem_a):
    records = [make_record(f"2025/d{n}") for n in range(5)]
    fagsystem_a.batch(records, **{"Idempotency-Key": "drop-1"})  # reply lost on the way

    retry = fagsystem_a.batch(records, **{"Idempotency-Key": "drop-1"})
    plain_resend = fagsystem_a.batch(records)

    assert [r["outcome"] for r in retry.json()["results"]] == ["created"] * 5
    assert [r["outcome"] for r in plain_resend.json()["results"]] == ["unchanged"] * 5
    assert Participation.objects.count() == 5 and Person.objects.count() == 5


def test_the_same_key_for_another_request_is_refused(fagsystem_a):
    fagsystem_a.batch([make_record("2025/13")], **{"Idempotency-Key": "k-2"})

    response = fagsystem_a.batch([make_record("2025/14")], **{"Idempotency-Key": "k-2"})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/idempotency-key-reused")
    assert not Participation.objects.filter(case_id="2025/14").exists()


def test_keys_of_different_clients_never_collide(fagsystem_a, fagsystem_b):
    fagsystem_a.batch([make_record("A-1")], **{"Idempotency-Key": "same"})

    response = fagsystem_b.batch([make_record("B-1")], **{"Idempotency-Key": "same"})

    assert _outcomes(response) == [("B-1", "created")]


def test_the_body_must_hold_records(fagsystem_a):
    for body in ({}, {"records": []}, {"records": "x"}, []):
        response = fagsystem_a.post(BATCH, body)
        assert_matches_contract(response, "post", BATCH)
        assert response.status_code == 422
    response = fagsystem_a.client.post(BATCH, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert_matches_contract(response, "post", BATCH)


def test_more_than_a_thousand_records_are_refused_whole(fagsystem_a):
    response = fagsystem_a.post(BATCH, {"records": [{}] * 1001})

    body = assert_matches_contract(response, "post", BATCH)
    assert response.status_code == 422
    assert body["errors"][0]["code"] == "batch.too_large"


def test_a_batch_of_a_thousand_records_is_accepted(fagsystem_a):
    records = [
        make_record(f"BIG-{n}", birth_date=dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28))
        for n in range(1000)
    ]

    response = fagsystem_a.batch(records)

    assert response.json()["summary"]["created"] == 1000
    assert Participation.objects.count() == 1000


# --- one participant, with ETag and If-Match -------------------------------------------------


def _put(caller, record, **headers):
    response = caller.put(f"/api/v1/participations/{record['case_id']}", record, **headers)
    assert_matches_contract(response, "put", ONE)
    return response


def test_put_creates_then_needs_if_match_to_change(fagsystem_a):
    record = make_record("P-1")

    created = _put(fagsystem_a, record, **{"If-None-Match": "*"})
    assert created.status_code == 201
    etag = created["ETag"]

    record["person"]["family_name"] = "Nyttnavn"
    assert _put(fagsystem_a, record).status_code == 428
    assert _put(fagsystem_a, record, **{"If-None-Match": "*"}).status_code == 412

    changed = _put(fagsystem_a, record, **{"If-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["outcome"] == "updated"
    assert changed["ETag"] != etag


def test_a_stale_write_gets_412_and_is_not_lost(fagsystem_a):
    record = make_record("P-2")
    etag = _put(fagsystem_a, record)["ETag"]
    record["person"]["family_name"] = "Først"
    assert _put(fagsystem_a, record, **{"If-Match": etag}).status_code == 200

    record["person"]["family_name"] = "Sist"
    stale = _put(fagsystem_a, record, **{"If-Match": etag})

    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "version.stale"
    assert Person.objects.get().family_name == "Først"


def test_put_refuses_a_body_for_another_case_id(fagsystem_a):
    response = fagsystem_a.put("/api/v1/participations/P-3", make_record("P-4"))

    assert_matches_contract(response, "put", ONE)
    assert response.status_code == 422


def test_put_reports_a_rule_break_as_a_problem_naming_the_field(fagsystem_a):
    record = make_record("P-5", start=today() - dt.timedelta(days=120))

    response = _put(fagsystem_a, record)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and problem["detail"]
    assert problem["errors"][0]["field"] == "start_date"
    assert problem["errors"][0]["code"] == "registration_window.closed"


def test_put_dry_run_writes_nothing(fagsystem_a):
    response = fagsystem_a.put("/api/v1/participations/P-6?dry_run=true", make_record("P-6"))

    # Nothing was stored: 200 with the would-be outcome, no Location to follow, no ETag.
    assert response.status_code == 200 and response.json()["outcome"] == "created"
    assert "Location" not in response and "ETag" not in response
    assert not Participation.objects.exists()


def test_a_batch_may_be_larger_than_djangos_form_limit(fagsystem_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, whatever the site sets
    filler = [{"case_id": f"F-{n}", "note": "x" * 3000} for n in range(999)]

    response = fagsystem_a.batch([make_record("BIG-BODY"), *filler])

    assert response.status_code == 200
    assert response.json()["summary"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 0,
        "rejected": 999,
    }


def test_a_body_beyond_the_api_limit_gets_413(fagsystem_a):
    huge = {"records": [{"case_id": "X", "note": "x" * (33 * 1024 * 1024)}]}

    response = fagsystem_a.post(BATCH, huge)

    assert_matches_contract(response, "post", BATCH)
    assert response.status_code == 413


def test_a_key_past_the_retry_period_is_forgotten(fagsystem_a):
    import io

    from django.core.management import call_command
    from django.utils import timezone

    fagsystem_a.batch([make_record("OLD-1")], **{"Idempotency-Key": "old"})
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    fresh = fagsystem_a.batch([make_record("OLD-2")], **{"Idempotency-Key": "old"})

    assert _outcomes(fresh) == [("OLD-2", "created")]
    assert IdempotencyRecord.objects.get().request_hash != ""
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    out = io.StringIO()
    call_command("api-cleanup", stdout=out)
    assert "deleted 1" in out.getvalue()
    assert not IdempotencyRecord.objects.exists()


def test_a_retried_create_gets_its_first_reply_not_a_precondition_failure(fagsystem_a):
    record = make_record("P-7")
    headers = {"If-None-Match": "*", "Idempotency-Key": "create-p7"}

    first = _put(fagsystem_a, record, **headers)
    retry = _put(fagsystem_a, record, **headers)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json() and retry["ETag"] == first["ETag"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Participation.objects.count() == 1


def test_a_busy_database_gets_503_with_retry_after_and_nothing_written(fagsystem_a, monkeypatch):
    from django.db import OperationalError

    from nir.api import writes

    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(writes, "upsert_participants", busy)

    response = fagsystem_a.batch([make_record("BUSY-1")])

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert not Participation.objects.exists()


def test_a_refusal_is_kept_as_the_reply_to_its_key(fagsystem_a):
    _put(fagsystem_a, make_record("KEEP-1"))
    changed = make_record("KEEP-1", start=today() - dt.timedelta(days=5))
    headers = {"If-Match": '"99"', "Idempotency-Key": "stale-keep-1"}

    first = _put(fagsystem_a, changed, **headers)
    retry = _put(fagsystem_a, changed, **headers)

    assert (first.status_code, retry.status_code) == (412, 412)
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        (RuntimeError("a fault after the write"), 500),
        (invalid("record", "test.raised", "Raised by a service, not returned."), 422),
    ],
)
def test_what_a_write_raises_rolls_it_back_and_keeps_no_reply(
    fagsystem_a, monkeypatch, fault, status
):
    from nir.api import writes

    real = writes.upsert_participant

    def half_written(**kwargs):
        real(**kwargs)
        raise fault

    monkeypatch.setattr(writes, "upsert_participant", half_written)

    response = _put(fagsystem_a, make_record("FAULT-1"), **{"Idempotency-Key": "fault-1"})

    assert response.status_code == status
    assert not Participation.objects.exists()
    assert not IdempotencyRecord.objects.exists()
