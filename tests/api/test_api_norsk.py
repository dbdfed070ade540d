"""Norwegian training through the API as the programme goes through it: the same
idempotency, dry run, preconditions, per-record results, scope and problem details, with
the scheme's own role (403 without it), reads and lists."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from nir.api.schemas.value_sets import ChangeEntity, NorskEndReason, NorskEndReasonIn
from nir.audit.models import AccessLogEntry
from nir.register.models import HistoryEvent, Person
from nir.register.norsk_models import NorskParticipation
from nir.register.services import events
from nir.rules.dates import add_months
from nir.rules.norsk.end_reasons import NORSK_END_REASONS, SetBy
from tests.api.helpers import assert_matches_contract, make_norsk_record, make_record, today

pytestmark = pytest.mark.django_db

NORSK_BATCH = "/api/v1/batch/norsk-participations"


def _days_ago(n: int) -> str:
    return (today() - dt.timedelta(days=n)).isoformat()


def _leave() -> dict[str, Any]:
    return {
        "leave_type": "foreldrepermisjon",
        "start_date": _days_ago(5),
        "end_date": _days_ago(1),
        "decided_on": _days_ago(5),
    }


def test_a_record_is_created_read_and_resent_unchanged(norsk_system_a):
    record = make_norsk_record("VO-1", leaves=[_leave()])

    created = norsk_system_a.norsk_put(record)

    assert created.status_code == 201
    assert created["Location"] == "/api/v1/norsk/participations/VO-1"
    result = created.json()
    read = norsk_system_a.norsk_participant("VO-1")
    body = read.json()
    assert read["ETag"] == created["ETag"] == f'"{body["version"]}"'
    assert body["status"] == "aktiv"
    assert (body["regime"], body["category"]) == ("integreringsloven", "rett_og_plikt")
    # 18 months from the permit (upper secondary), plus the five days of leave.
    permit = dt.date.fromisoformat(record["person"]["permit_date"])
    assert body["frist"] == (add_months(permit, 18) + dt.timedelta(days=5)).isoformat()
    assert body["frist_derivation"]["leave_days"] == 5
    assert body["content_hash"] == result["content_hash"]
    assert body["record"]["leaves"] == [_leave()]

    again = norsk_system_a.norsk_batch([record]).json()

    assert again["summary"]["unchanged"] == 1
    assert again["results"][0]["content_hash"] == result["content_hash"]
    reconciliation = norsk_system_a.get("/api/v1/norsk/reconciliation")
    assert_matches_contract(reconciliation, "get", "/api/v1/norsk/reconciliation")
    assert [(i["case_id"], i["content_hash"]) for i in reconciliation.json()["items"]] == [
        ("VO-1", result["content_hash"])
    ]


def test_the_read_says_what_is_missing_and_why_the_frist_cannot_be_computed(norsk_system_a):
    record = make_norsk_record("VO-2")
    record["person"]["has_upper_secondary"] = None
    norsk_system_a.norsk_put(record)

    body = norsk_system_a.norsk_participant("VO-2").json()

    assert body["frist"] is None
    assert body["frist_derivation"]["not_computable"]["code"] == "norsk.frist.education_missing"
    assert [(m["code"], m["field"]) for m in body["missing"]] == [
        ("education", "education_background"),
        ("norskmaal", "norskmaal"),
    ]
    assert body["missing"][1]["message"] == "Norskmål er ikke registrert."
    english = norsk_system_a.norsk_participant("VO-2", **{"Accept-Language": "en"}).json()
    assert english["missing"][1]["message"] == "No Norwegian goal is registered."

    record |= {
        "education_background": "grunnskole",
        "norskmaal": [
            {
                "valid_from": _days_ago(2),
                "levels": {
                    "lytteforstaaelse": "B1",
                    "leseforstaaelse": "B1",
                    "skriftlig_fremstilling": "B1",
                    "muntlig_kommunikasjon": "B1",
                },
            }
        ],
    }
    etag = norsk_system_a.norsk_participant("VO-2")["ETag"]
    assert norsk_system_a.norsk_put(record, **{"If-Match": etag}).json()["outcome"] == "updated"

    body = norsk_system_a.norsk_participant("VO-2").json()
    # Without upper secondary: three years from the permit.
    permit = dt.date.fromisoformat(record["person"]["permit_date"])
    assert body["frist"] == add_months(permit, 36).isoformat()
    assert body["missing"] == []


def test_a_test_result_that_reaches_the_norskmaal_ends_the_ordning(norsk_system_a):
    levels = {
        "lytteforstaaelse": "B1",
        "leseforstaaelse": "B1",
        "skriftlig_fremstilling": "B1",
        "muntlig_kommunikasjon": "B2",
    }
    record = make_norsk_record(
        "VO-3",
        norskmaal=[{"valid_from": _days_ago(10), "levels": levels}],
        test_results=[
            {
                "kind": "norskprove",
                "test_date": _days_ago(1),
                "levels": levels,
                "document_ref": "Vitnemålsportalen 2026-118",
            }
        ],
    )

    (result,) = norsk_system_a.norsk_batch([record]).json()["results"]

    assert result["outcome"] == "created", result
    body = norsk_system_a.norsk_participant("VO-3").json()
    assert (body["status"], body["end_reason"], body["end_set_by"]) == (
        "avsluttet",
        "norskmal_nadd",
        "system",
    )
    assert body["end_date"] == _days_ago(1)
    # The register's own end is not the municipality's: the record holds none, and a resend
    # without one is unchanged.
    assert body["record"]["end"] is None
    assert norsk_system_a.norsk_batch([record]).json()["summary"]["unchanged"] == 1


def test_leaving_out_a_stored_registration_is_a_warning_not_a_cancellation(norsk_system_a):
    record = make_norsk_record("VO-4", leaves=[_leave()])
    norsk_system_a.norsk_batch([record])
    record["leaves"] = []

    (result,) = norsk_system_a.norsk_batch([record]).json()["results"]

    assert result["outcome"] == "not_applied"
    (warning,) = result["warnings"]
    assert (warning["field"], warning["code"]) == ("leaves", "registration.not_in_record")
    assert warning["params"]["item"] == _leave()
    assert warning["params"]["operation"] == "cancelNorskRegistration"
    assert (
        "annulleres med cancelNorskRegistration (POST /api/v1/norsk/corrections/"
        in (warning["message"])
    )
    (english,) = norsk_system_a.norsk_batch([record], **{"Accept-Language": "en"}).json()["results"]
    assert "until it is cancelled with cancelNorskRegistration" in english["warnings"][0]["message"]
    assert "«Permisjon»" not in english["warnings"][0]["message"]
    assert len(norsk_system_a.norsk_participant("VO-4").json()["record"]["leaves"]) == 1


def test_a_retry_with_the_same_idempotency_key_gets_the_first_reply(norsk_system_a):
    records = [make_norsk_record("VO-5"), make_norsk_record("VO-6")]

    first = norsk_system_a.norsk_batch(records, **{"Idempotency-Key": "vo-batch-1"})
    retry = norsk_system_a.norsk_batch(records, **{"Idempotency-Key": "vo-batch-1"})

    assert first.json()["summary"]["created"] == 2
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert NorskParticipation.objects.filter(case_id__in=["VO-5", "VO-6"]).count() == 2
    other = norsk_system_a.norsk_batch(records[:1], **{"Idempotency-Key": "vo-batch-1"})
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")


def test_a_dry_run_writes_nothing(norsk_system_a):
    record = make_norsk_record("VO-7")
    events = HistoryEvent.objects.count()

    batch = norsk_system_a.norsk_batch([record], "?dry_run=true").json()
    put = norsk_system_a.norsk_put(record, "?dry_run=true")

    assert batch["dry_run"] is True
    assert batch["results"][0]["outcome"] == "created"
    assert put.status_code == 200 and put.json()["outcome"] == "created"
    assert "ETag" not in put and "Location" not in put
    assert not NorskParticipation.objects.filter(case_id="VO-7").exists()
    assert not Person.objects.filter(identity_number=record["person"]["identity_number"]).exists()
    assert HistoryEvent.objects.count() == events


def test_a_change_needs_if_match_and_a_stale_one_changes_nothing(norsk_system_a):
    record = make_norsk_record("VO-8")
    first = norsk_system_a.norsk_put(record)["ETag"]
    record["leaves"] = [_leave()]

    missing = norsk_system_a.norsk_put(record)
    updated = norsk_system_a.norsk_put(record, **{"If-Match": first})
    record["hours"] = [
        {"subject": "norsk", "start_date": _days_ago(9), "end_date": _days_ago(2), "hours": 12.5}
    ]
    stale = norsk_system_a.norsk_put(record, **{"If-Match": first})

    assert missing.status_code == 428
    assert updated.status_code == 200 and updated["ETag"] == '"2"'
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "version.stale"
    assert norsk_system_a.norsk_participant("VO-8").json()["record"]["hours"] == []


def test_a_client_without_the_scheme_gets_403_naming_it(fagsystem_a, norsk_system_a):
    norsk_system_a.norsk_put(make_norsk_record("VO-9"))
    replies = {
        "put": fagsystem_a.put("/api/v1/norsk/participations/VO-10", make_norsk_record("VO-10")),
        "batch": fagsystem_a.post(NORSK_BATCH, {"records": [make_norsk_record("VO-11")]}),
        "get": fagsystem_a.get("/api/v1/norsk/participations/VO-9"),
        "list": fagsystem_a.get("/api/v1/norsk/participations"),
        "reconciliation": fagsystem_a.get("/api/v1/norsk/reconciliation"),
        "deadlines": fagsystem_a.get("/api/v1/norsk/deadlines"),
    }

    for name, reply in replies.items():
        assert reply.status_code == 403, name
        problem = reply.json()
        assert problem["type"].endswith("/forbidden"), name
        (error,) = problem["errors"]
        assert (error["field"], error["code"], error["params"]) == (
            "scheme",
            "access.scheme_role",
            {"scheme": "norsk"},
        )
        assert "kommunenorskbruker" in error["message"]
    assert not NorskParticipation.objects.filter(case_id__in=["VO-10", "VO-11"]).exists()


def test_a_client_of_norwegian_training_only_gets_403_on_the_programmes_paths(
    fagsystem_a, norsk_system_a
):
    """The same roles as on the web, both ways: a norsk-only client reads and writes no
    programme participant, and is told the scheme it lacks."""
    fagsystem_a.batch([make_record("P-9")])
    replies = {
        "put": norsk_system_a.put("/api/v1/participations/P-10", make_record("P-10")),
        "batch": norsk_system_a.post(
            "/api/v1/batch/participations", {"records": [make_record("P-11")]}
        ),
        "get": norsk_system_a.get("/api/v1/participations/P-9"),
        "list": norsk_system_a.get("/api/v1/participations"),
        "reconciliation": norsk_system_a.get("/api/v1/reconciliation"),
        "deadlines": norsk_system_a.get("/api/v1/deadlines"),
        "undo": norsk_system_a.post(
            "/api/v1/corrections/undo-termination", {"case_id": "P-9", "reason": "Feil"}
        ),
    }
    for name, reply in replies.items():
        assert reply.status_code == 403, (name, reply.content[:300])
        (error,) = reply.json()["errors"]
        assert (error["code"], error["params"]) == (
            "access.scheme_role",
            {"scheme": "introduksjonsprogram"},
        ), name
    assert "P-9" not in json.dumps(replies["list"].json())


def test_the_change_feed_gives_the_schemes_events_to_the_clients_that_write_it(
    fagsystem_a, norsk_system_a
):
    fagsystem_a.batch([make_record("P-1")])
    norsk_system_a.norsk_batch([make_norsk_record("VO-12", leaves=[_leave()])])

    norsk_feed = norsk_system_a.get("/api/v1/changes?limit=1000")
    programme_feed = fagsystem_a.get("/api/v1/changes?limit=1000")

    assert_matches_contract(norsk_feed, "get", "/api/v1/changes")
    norsk_items = norsk_feed.json()["items"]
    assert {(i["action"], i["case_id"]) for i in norsk_items if i["scheme"] == "norsk"} >= {
        ("norsk_participation_started", "VO-12"),
        ("norsk_leave_registered", "VO-12"),
    }
    assert all(i["scheme"] != "introduksjonsprogram" for i in norsk_items)
    assert all(i["scheme"] != "norsk" for i in programme_feed.json()["items"])


def test_an_end_undone_on_the_web_reaches_the_case_systems_feed(norsk_system_a, kommune_a):
    """The kommunenorskbruker undoes an end registered by mistake; the case system that
    writes the scheme reads the undo, with the end it undid, in the feed."""
    from nir.register.services.context import Actor, Channel
    from nir.register.services.corrections import cancel_norsk_end
    from nir.register.services.items import NorskEndItem
    from nir.register.services.norsk import end_norsk_participation
    from nir.rules.schemes import Scheme

    norsk_system_a.norsk_put(make_norsk_record("VO-14"))
    ordning = NorskParticipation.objects.get(case_id="VO-14")
    nora = Actor("nora@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK}))
    end_norsk_participation(
        actor=nora, norsk_participation_id=ordning.pk, end=NorskEndItem(today(), "flyttet")
    )
    cancel_norsk_end(actor=nora, norsk_participation_id=ordning.pk, reason="Feil person")

    feed = norsk_system_a.get("/api/v1/changes?limit=1000")
    assert_matches_contract(feed, "get", "/api/v1/changes")
    undone = [i for i in feed.json()["items"] if i["action"] == "norsk_end_cancelled"]
    assert [(i["case_id"], i["scheme"]) for i in undone] == [("VO-14", "norsk")]


def test_another_municipality_neither_sees_nor_starts_a_second_ordning(
    norsk_system_a, norsk_system_b
):
    record = make_norsk_record("VO-13")
    norsk_system_a.norsk_put(record)

    unseen = norsk_system_b.get("/api/v1/norsk/participations/VO-13")
    (result,) = norsk_system_b.norsk_batch([record]).json()["results"]
    listed = norsk_system_b.get("/api/v1/norsk/participations").json()["items"]

    assert unseen.status_code == 404
    assert result["outcome"] == "rejected"
    assert [e["code"] for e in result["errors"]] == ["norsk.participation.open"]
    assert listed == []
    assert (
        NorskParticipation.objects.filter(
            person__identity_number=record["person"]["identity_number"]
        ).count()
        == 1
    )


def test_bad_input_is_422_naming_the_field_by_its_label(norsk_system_a):
    record = make_norsk_record(
        "VO-14",
        test_results=[{"kind": "norskprove", "test_date": "31.12.2026", "document_ref": "x"}],
    )

    put = norsk_system_a.norsk_put(record)
    english = norsk_system_a.put(
        "/api/v1/norsk/participations/VO-14", record, **{"Accept-Language": "en"}
    )
    (result,) = norsk_system_a.norsk_batch([record, make_norsk_record("VO-15")]).json()["results"][
        :1
    ]

    assert put.status_code == 422
    (error,) = put.json()["errors"]
    assert (error["field"], error["code"]) == (
        "test_results[0].test_date",
        "schema.date_from_datetime_parsing",
    )
    assert error["message"] == "«Prøvedato» må være en dato på formen ÅÅÅÅ-MM-DD."
    assert "«Test date»" in english.json()["errors"][0]["message"]
    assert result["outcome"] == "rejected"
    assert result["errors"][0]["field"] == "test_results[0].test_date"
    assert "«Prøvedato»" in result["errors"][0]["message"]
    assert NorskParticipation.objects.filter(case_id="VO-15").exists()


def test_every_read_of_an_ordning_is_in_the_access_log(norsk_system_a):
    norsk_system_a.norsk_put(make_norsk_record("VO-16"))
    before = AccessLogEntry.objects.count()

    norsk_system_a.norsk_participant("VO-16")
    norsk_system_a.get("/api/v1/norsk/participations")
    norsk_system_a.get("/api/v1/norsk/reconciliation")

    entries = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [(e.action, e.channel, e.organisation, e.person_count) for e in entries] == [
        ("api_view_norsk_participation", "api", "0301", 1),
        ("api_list_norsk_participations", "api", "0301", 1),
        ("api_reconciliation", "api", "0301", 1),
    ]


def test_the_coming_frister_are_listed_soonest_first(norsk_system_a):
    soon = make_norsk_record("VO-17", permit_date=today() - dt.timedelta(days=540))
    later = make_norsk_record("VO-18", permit_date=today() - dt.timedelta(days=530))
    norsk_system_a.norsk_batch([later, soon])

    reply = norsk_system_a.get("/api/v1/norsk/deadlines?within_days=60&limit=1")
    assert_matches_contract(reply, "get", "/api/v1/norsk/deadlines")
    first = reply.json()
    rest = norsk_system_a.get(
        f"/api/v1/norsk/deadlines?within_days=60&after={first['next_cursor']}"
    ).json()

    assert [i["case_id"] for i in first["items"] + rest["items"]] == ["VO-17", "VO-18"]
    assert first["has_more"] is True and rest["has_more"] is False
    assert first["items"][0]["days_left"] >= 0


def test_the_list_pages_by_cursor(norsk_system_a):
    norsk_system_a.norsk_batch([make_norsk_record(f"VO-L{n}") for n in range(3)])

    first = norsk_system_a.get("/api/v1/norsk/participations?limit=2")
    assert_matches_contract(first, "get", "/api/v1/norsk/participations")
    page = first.json()
    rest = norsk_system_a.get(f"/api/v1/norsk/participations?after={page['next_cursor']}").json()

    assert [i["case_id"] for i in page["items"] + rest["items"]] == ["VO-L0", "VO-L1", "VO-L2"]
    assert json.dumps(page["items"][0]).count("identity_number") == 1


def test_the_schemes_value_sets_are_the_registers_catalogues():
    assert {r.value for r in NorskEndReason} == set(NORSK_END_REASONS)
    assert {r.value for r in NorskEndReasonIn} == {
        code for code, r in NORSK_END_REASONS.items() if r.set_by is not SetBy.SYSTEM
    }
    # The feed names the entity of every event it gives, the scheme's among them (a
    # cancellation is named by the registration it cancels).
    entities = {k.entity for k in events.CATALOGUE if k.in_feed} - {"<registration>"}
    assert entities <= {e.value for e in ChangeEntity}
