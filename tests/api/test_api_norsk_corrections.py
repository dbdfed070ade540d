"""Corrections of Norwegian training through the API, on the programme's path: a case system
cancels a registration it sent in error, named as it sent it, and undoes an end registered
in error, with If-Match, a reason, a dry run, idempotency, the scheme's role and the
municipality's scope; the change feed carries each correction to the scheme's clients."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nir.audit.models import AccessLogEntry
from nir.register.models import HistoryEvent
from nir.register.norsk_models import NorskParticipation
from tests.api.helpers import assert_matches_contract, make_norsk_record
from tests.api.test_api_norsk import _days_ago, _leave

pytestmark = pytest.mark.django_db

CANCEL = "/api/v1/norsk/corrections/cancel-registration"
UNDO = "/api/v1/norsk/corrections/undo-end"
B1 = {
    "lytteforstaaelse": "B1",
    "leseforstaaelse": "B1",
    "skriftlig_fremstilling": "B1",
    "muntlig_kommunikasjon": "B1",
}


def _hours() -> dict[str, Any]:
    return {"subject": "norsk", "start_date": _days_ago(9), "end_date": _days_ago(2), "hours": 40}


def _result() -> dict[str, Any]:
    return {
        "kind": "norskprove",
        "test_date": _days_ago(1),
        "levels": B1,
        "document_ref": "Vitnemålsportalen 2026-7",
    }


def _sent(caller, case_id: str, **items: Any) -> str:
    """The record sent, and its ETag."""
    caller.norsk_put(make_norsk_record(case_id, **items))
    etag: str = caller.norsk_participant(case_id)["ETag"]
    return etag


def _cancel(caller, case_id: str, registration: dict[str, Any], query: str = "", **headers: str):
    body = {"case_id": case_id, "registration": registration, "reason": "Sendt ved en feil"}
    response = caller.post(CANCEL + query, body, **headers)
    assert_matches_contract(response, "post", CANCEL)
    return response


def test_a_leave_sent_in_error_is_cancelled_and_the_frist_comes_back(norsk_system_a):
    etag = _sent(norsk_system_a, "VO-C1", leaves=[_leave()])
    before = norsk_system_a.norsk_participant("VO-C1").json()

    response = _cancel(
        norsk_system_a, "VO-C1", {"entity": "norsk_leave", **_leave()}, **{"If-Match": etag}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["outcome"], body["status"], body["dry_run"]) == ("cancelled", "aktiv", False)
    assert response["ETag"] == f'"{body["version"]}"'
    # Five days of leave were in the frist; without it the frist is five days earlier.
    assert dt.date.fromisoformat(body["frist"]) == dt.date.fromisoformat(
        before["frist"]
    ) - dt.timedelta(days=5)
    after = norsk_system_a.norsk_participant("VO-C1").json()
    assert after["record"]["leaves"] == [] and after["content_hash"] == body["content_hash"]
    event = HistoryEvent.objects.get(action="registration_cancelled")
    assert (event.entity, event.channel, event.after) == (
        "norsk_leave",
        "api",
        {"reason": "Sendt ved en feil"},
    )
    assert AccessLogEntry.objects.filter(action="api_cancel_norsk_registration").count() == 1
    feed = norsk_system_a.get("/api/v1/changes?limit=1000")
    assert_matches_contract(feed, "get", "/api/v1/changes")
    cancelled = [i for i in feed.json()["items"] if i["action"] == "registration_cancelled"]
    assert [(i["case_id"], i["scheme"], i["entity"]) for i in cancelled] == [
        ("VO-C1", "norsk", "norsk_leave")
    ]


def test_the_result_that_reached_the_norskmaal_is_cancelled_and_the_end_is_lifted(
    norsk_system_a,
):
    norskmaal = {"valid_from": _days_ago(10), "levels": B1}
    etag = _sent(norsk_system_a, "VO-C2", norskmaal=[norskmaal], test_results=[_result()])
    ended = norsk_system_a.norsk_participant("VO-C2").json()
    assert (ended["end_reason"], ended["end_set_by"]) == ("norskmal_nadd", "system")

    response = _cancel(
        norsk_system_a,
        "VO-C2",
        {"entity": "norsk_test_result", **_result()},
        **{"If-Match": etag},
    )

    body = response.json()
    assert (body["status"], body["end_date"], body["end_reason"], body["end_set_by"]) == (
        "aktiv",
        None,
        None,
        None,
    )
    assert not NorskParticipation.objects.get(case_id="VO-C2").test_results.exists()


def test_hours_are_found_as_they_were_sent(norsk_system_a):
    etag = _sent(norsk_system_a, "VO-C3", hours=[_hours()])
    sent_as = {**_hours(), "hours": 40.0}  # the same hours, written another way

    response = _cancel(
        norsk_system_a, "VO-C3", {"entity": "norsk_hours", **sent_as}, **{"If-Match": etag}
    )

    assert response.status_code == 200, response.content
    assert norsk_system_a.norsk_participant("VO-C3").json()["record"]["hours"] == []


def test_if_match_dry_run_retry_and_a_registration_not_on_the_ordning(norsk_system_a):
    etag = _sent(norsk_system_a, "VO-C4", leaves=[_leave()])
    leave = {"entity": "norsk_leave", **_leave()}

    assert _cancel(norsk_system_a, "VO-C4", leave).status_code == 428
    stale = _cancel(norsk_system_a, "VO-C4", leave, **{"If-Match": '"0"'})
    assert (stale.status_code, stale.json()["errors"][0]["code"]) == (412, "version.stale")
    dry = _cancel(norsk_system_a, "VO-C4", leave, "?dry_run=true", **{"If-Match": etag})
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert norsk_system_a.norsk_participant("VO-C4")["ETag"] == etag
    other = {**leave, "end_date": _days_ago(2)}
    missing = _cancel(norsk_system_a, "VO-C4", other, **{"If-Match": etag})
    assert missing.status_code == 422
    assert (missing.json()["errors"][0]["field"], missing.json()["errors"][0]["code"]) == (
        "registration",
        "correction.not_found",
    )
    first = _cancel(norsk_system_a, "VO-C4", leave, **{"If-Match": etag, "Idempotency-Key": "c4"})
    again = _cancel(norsk_system_a, "VO-C4", leave, **{"If-Match": etag, "Idempotency-Key": "c4"})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert _cancel(norsk_system_a, "VO-C4", leave, **{"If-Match": etag}).status_code == 412
    assert HistoryEvent.objects.filter(action="registration_cancelled").count() == 1


def test_the_programmes_client_and_another_municipality_may_not(
    norsk_system_a, norsk_system_b, fagsystem_a
):
    etag = _sent(norsk_system_a, "VO-C5", leaves=[_leave()])
    leave = {"entity": "norsk_leave", **_leave()}

    forbidden = _cancel(fagsystem_a, "VO-C5", leave, **{"If-Match": etag})
    assert forbidden.status_code == 403
    assert forbidden.json()["errors"][0]["params"]["scheme"] == "norsk"
    assert _cancel(norsk_system_b, "VO-C5", leave, **{"If-Match": etag}).status_code == 404
    undo = norsk_system_b.post(UNDO, {"case_id": "VO-C5", "reason": "x"}, **{"If-Match": etag})
    assert undo.status_code == 404
    assert NorskParticipation.objects.get(case_id="VO-C5").leaves.count() == 1


def test_an_end_sent_in_error_is_undone_and_a_resend_without_it_names_the_operation(
    norsk_system_a,
):
    record = make_norsk_record("VO-C6", end={"end_date": _days_ago(1), "reason": "flyttet"})
    norsk_system_a.norsk_put(record)
    (left_out,) = norsk_system_a.norsk_batch([{**record, "end": None}]).json()["results"]
    assert [(w["code"], w["params"]["operation"]) for w in left_out["warnings"]] == [
        ("termination.not_in_record", "undoNorskEnd")
    ]
    assert (
        "undoNorskEnd (POST /api/v1/norsk/corrections/undo-end)"
        in (left_out["warnings"][0]["message"])
    )
    etag = norsk_system_a.norsk_participant("VO-C6")["ETag"]

    response = norsk_system_a.post(
        UNDO, {"case_id": "VO-C6", "reason": "Feil deltaker"}, **{"If-Match": etag}
    )

    body = assert_matches_contract(response, "post", UNDO)
    assert (body["outcome"], body["status"], body["end_date"]) == ("end_undone", "aktiv", None)
    again = norsk_system_a.post(
        UNDO, {"case_id": "VO-C6", "reason": "Feil deltaker"}, **{"If-Match": response["ETag"]}
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "correction.no_municipality_end"
    assert norsk_system_a.norsk_batch([{**record, "end": None}]).json()["summary"]["unchanged"] == 1
