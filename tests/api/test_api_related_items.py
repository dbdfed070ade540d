"""The intro participant's related items (rules-norsk.md N8) through the API: in the batch
upsert's record, with the same idempotency and per-record results, and in the participant
read with their status and the warnings of N8-b and N8-c."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, Participation
from nir.register.related_item_models import RelatedItemRecord
from tests.api.helpers import make_record, today

pytestmark = pytest.mark.django_db


def _outcomes(response):
    return [(r["case_id"], r["outcome"]) for r in response.json()["results"]]


def _mapping(day: dt.date) -> dict:
    return {
        "item_kind": "kompetansekartlegging",
        "status": "gjennomfort",
        "date_completed": day.isoformat(),
        "source": "imdinett_readonly",
    }


def test_a_record_carries_the_items_and_a_resend_changes_nothing(fagsystem_a):
    start = today() - dt.timedelta(days=10)
    record = make_record(
        "2026/n8",
        start=start,
        related_items=[_mapping(start - dt.timedelta(days=3))],
    )
    first = fagsystem_a.batch([record])
    assert _outcomes(first) == [("2026/n8", "created")]
    row = RelatedItemRecord.objects.get()
    assert (row.item_kind, row.status, row.source) == (
        "kompetansekartlegging",
        "gjennomfort",
        "imdinett_readonly",
    )
    events = HistoryEvent.objects.count()
    again = fagsystem_a.batch([record])
    assert _outcomes(again) == [("2026/n8", "unchanged")]
    assert HistoryEvent.objects.count() == events
    assert again.json()["results"][0]["content_hash"] == first.json()["results"][0]["content_hash"]

    read = fagsystem_a.participant("2026/n8").json()
    assert read["record"]["related_items"] == [
        {**_mapping(start - dt.timedelta(days=3)), "marked_applicable": False}
    ]
    status = {s["item_kind"]: s["status"] for s in read["related_item_status"]}
    assert status["kompetansekartlegging"] == "gjennomfort"
    assert status["livsmestring"] == "ikke_startet"
    assert status["foreldreveiledning"] == "ikke_aktuelt"
    assert read["related_item_warnings"] == []


def test_a_new_status_is_registered_and_leaving_a_kind_out_changes_nothing(fagsystem_a):
    record = make_record(
        "2026/n8b", related_items=[{"item_kind": "livsmestring", "status": "pabegynt"}]
    )
    fagsystem_a.batch([record])
    record["related_items"] = [
        {
            "item_kind": "livsmestring",
            "status": "gjennomfort",
            "date_completed": today().isoformat(),
        }
    ]
    assert _outcomes(fagsystem_a.batch([record])) == [("2026/n8b", "updated")]
    assert list(RelatedItemRecord.objects.values_list("status", flat=True)) == [
        "pabegynt",
        "gjennomfort",
    ]
    record["related_items"] = []
    response = fagsystem_a.batch([record])
    assert _outcomes(response) == [("2026/n8b", "unchanged")]
    assert response.json()["results"][0]["warnings"] == []
    assert RelatedItemRecord.objects.count() == 2


def test_the_read_warns_of_a_start_decision_without_a_mapping(fagsystem_a):
    fagsystem_a.batch([make_record("2026/n8c")])
    read = fagsystem_a.participant("2026/n8c").json()
    assert [w["code"] for w in read["related_item_warnings"]] == [
        "norsk.related.kartlegging_missing"
    ]
    warning = read["related_item_warnings"][0]
    assert warning["rule"] == "norsk.related.kartlegging_before_decision"
    assert "integreringsloven" in warning["reference"]


def test_a_record_without_items_keeps_its_content_hash(fagsystem_a):
    """A case system that never sends related items keeps the hash it holds: the register
    leaves the empty kind out of the canonical record."""
    response = fagsystem_a.batch([make_record("2026/n8d")])
    read = fagsystem_a.participant("2026/n8d").json()
    assert read["record"]["related_items"] == []
    assert read["content_hash"] == response.json()["results"][0]["content_hash"]
    from nir.register.services.upsert.canonical import stored_record

    assert "related_items" not in stored_record(Participation.objects.get(case_id="2026/n8d"))


def test_an_impossible_item_is_rejected_naming_the_field_and_nothing_written(fagsystem_a):
    record = make_record(
        "2026/n8e", related_items=[{"item_kind": "livsmestring", "status": "gjennomfort"}]
    )
    response = fagsystem_a.batch([record])
    result = response.json()["results"][0]
    assert result["outcome"] == "rejected"
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("related_items[0].date_completed", "norsk.related.completion_date")
    ]
    assert not Participation.objects.filter(case_id="2026/n8e").exists()
    assert not RelatedItemRecord.objects.exists()


def test_an_unknown_kind_is_rejected_naming_the_field_by_its_label(fagsystem_a):
    record = make_record("2026/n8f", related_items=[{"item_kind": "kurs", "status": "pabegynt"}])
    result = fagsystem_a.batch([record]).json()["results"][0]
    assert result["outcome"] == "rejected"
    [error] = result["errors"]
    assert error["field"] == "related_items[0].item_kind"
    assert error["message"].startswith("«Kartlegging, veiledning, kontrakt eller kurs» må være")
