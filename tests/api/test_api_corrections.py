"""Corrections through the API as through the web.

A case system sends two equal participants; one is corrected through the API (cancel each
kind of registration, undo a termination), the other by a caseworker on the web, and the
register's state, frist, history and change feed come out the same. A resend that leaves
out what the register holds is never answered «unchanged».
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from nir.accounts.models import User
from nir.audit.models import AccessLogEntry
from nir.register.models import HistoryEvent, Participation
from nir.register.services.upsert.canonical import stored_record
from tests.api.helpers import assert_matches_contract, make_record, new_identity_number
from tests.conftest import at
from tests.web.builders import make_user

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 1)
SENT = dt.date(2026, 10, 5)  # everything of the record happened within the last two months
CANCEL = "/api/v1/corrections/cancel-registration"
UNDO = "/api/v1/corrections/undo-termination"


def _items() -> dict[str, Any]:
    s = START.isoformat()
    return {
        "sluttmaal": [
            {"sluttmaal": "arbeid", "valid_from": s},
            {"sluttmaal": "fullfort_videregaende", "valid_from": "2026-09-20"},
        ],
        "decisions": [
            {"decision_type": "innvilget", "decided_on": s},
            {"decision_type": "klage", "decided_on": "2026-09-15", "reason": "Feil registrert"},
        ],
        "measures": [
            {
                "measure_type": "norskopplaering",
                "start_date": s,
                "end_date": None,
                "hours_per_week": 15,
            }
        ],
        "leaves": [
            {
                "leave_type": "foreldrepermisjon",
                "start_date": "2026-09-10",
                "end_date": "2026-09-30",
                "decided_on": "2026-09-08",
            }
        ],
        "absences": [
            {
                "absence_type": "sykefravaer_legeerklaering",
                "start_date": "2026-09-03",
                "end_date": "2026-09-04",
                "hours": None,
            }
        ],
        "extensions": [{"months": 2, "decided_on": "2026-10-01"}],
        "stops": [
            {
                "kind": "midlertidig",
                "start_date": "2026-10-02",
                "end_date": "2026-10-03",
                "decided_on": "2026-10-02",
            }
        ],
    }


def _record(case_id: str) -> dict[str, Any]:
    return make_record(case_id, identity_number=new_identity_number(), start=START, **_items())


# What is cancelled, in order: (the web's entity, the record's list, the item's index).
CANCELLATIONS = [
    ("sluttmaal", "sluttmaal", 1),
    ("decision", "decisions", 1),
    ("measure", "measures", 0),
    ("leave", "leaves", 0),
    ("absence", "absences", 0),
    ("extension", "extensions", 0),
    ("stop", "stops", 0),
]


def _if_match(etag: str, key: str | None = None) -> dict[str, str]:
    return {"If-Match": etag, **({"Idempotency-Key": key} if key else {})}


def _frozen(day: dt.date) -> Any:
    # Noon on the day, and the clock runs on from there: the access log's entries are
    # told apart by their moment, as they are in the register.
    return time_machine.travel(at(day), tick=True)


def _etag(caller, case_id: str) -> str:
    response = caller.participant(case_id)
    return response["ETag"]


def _correct(caller, path: str, body: dict[str, Any], **headers: str) -> Any:
    response = caller.post(path, body, **headers)
    assert_matches_contract(response, "post", path)
    return response


def _row_id(p: Participation, entity: str, item: dict[str, Any]) -> int:
    """The web's caseworker picks the row on the page; the test finds the same row."""
    from nir.api.mapping import registration_item
    from nir.api.schemas.corrections import CancelRegistrationIn
    from nir.register.services.upsert.canonical import stored_registration_id

    body = CancelRegistrationIn.model_validate(
        {"case_id": p.case_id, "registration": {"entity": entity, **item}, "reason": "x"}
    )
    found = stored_registration_id(p, entity, registration_item(body.registration))
    assert found is not None
    return found


def _web_post(caseworker: User, url: str, p: Participation, reason: str) -> None:
    client = Client()
    client.force_login(caseworker)  # a session of its own day
    response = client.post(url, {"reason": reason, "expected_version": p.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/deltakelse/{p.pk}/"


def _without_refs(value: Any) -> Any:
    """A derivation names each leave and extension by its row id («leave:17»)."""
    if isinstance(value, dict):
        return {k: _without_refs(v) for k, v in value.items() if k != "ref"}
    if isinstance(value, list):
        return [_without_refs(v) for v in value]
    return value


def _state(p: Participation) -> dict[str, Any]:
    p.refresh_from_db()
    record = stored_record(p)
    record.pop("person")
    record.pop("case_id")
    return {
        "record": record,
        "frist": p.frist,
        "derivation": _without_refs(p.frist_derivation),
        "version": p.version,
    }


def _history(p: Participation) -> list[tuple[Any, ...]]:
    """The participation's history with what differs by nature taken out: ids, who, how."""

    def clean(value: dict[str, Any] | None) -> Any:
        if value is None:
            return None
        return {
            k: v for k, v in value.items() if k not in ("id", "participation", "person", "case_id")
        }

    return [
        (e.action, e.entity, clean(e.before), clean(e.after), e.legal_basis)
        for e in HistoryEvent.objects.filter(participation=p).order_by("pk")
    ]


def _feed(caller, p: Participation) -> list[tuple[str, str, str]]:
    response = caller.get("/api/v1/changes?after=0&limit=1000")
    assert_matches_contract(response, "get", "/api/v1/changes")
    return [
        (i["action"], i["entity"], i["channel"])
        for i in response.json()["items"]
        if i["participation_id"] == p.pk
    ]


def test_every_correction_through_the_api_matches_the_same_correction_on_the_web(
    fagsystem_a, kommune_a
):
    caseworker = make_user("kari", kommune_a)
    records = {"api": _record("2026/API"), "web": _record("2026/WEB")}
    with _frozen(SENT):
        sent = fagsystem_a.batch(list(records.values()))
        assert [r["outcome"] for r in sent.json()["results"]] == ["created", "created"]
    p_api = Participation.objects.get(case_id="2026/API")
    p_web = Participation.objects.get(case_id="2026/WEB")
    assert _state(p_api) == _state(p_web)
    with_everything = p_api.frist

    with _frozen(SENT + dt.timedelta(days=1)):
        for entity, name, index in CANCELLATIONS:
            item = records["api"][name][index]
            reason = f"{entity} registrert ved en feil"
            response = _correct(
                fagsystem_a,
                CANCEL,
                {
                    "case_id": "2026/API",
                    "registration": {"entity": entity, **item},
                    "reason": reason,
                },
                **_if_match(_etag(fagsystem_a, "2026/API")),
            )
            assert response.status_code == 200, response.content
            body = response.json()
            assert body["outcome"] == "cancelled" and body["dry_run"] is False
            assert response["ETag"] == f'"{body["version"]}"'

            p_web.refresh_from_db()
            url = f"/deltakelse/{p_web.pk}/annuller/{entity}/{_row_id(p_web, entity, item)}/"
            _web_post(caseworker, url, p_web, reason)
            assert _state(p_api) == _state(p_web), entity

    # Without the leave, the extension and the later sluttmål the frist is six months again.
    p_api.refresh_from_db()
    assert p_api.frist == dt.date(2027, 3, 1) < with_everything
    assert stored_record(p_api)["leaves"] == [] and len(stored_record(p_api)["sluttmaal"]) == 1

    # The case system ends both; the frist passes; then the termination is undone.
    ended = p_api.frist - dt.timedelta(days=3)
    with _frozen(ended):
        for key, case_id in (("api", "2026/API"), ("web", "2026/WEB")):
            record = {**records[key], **{name: [] for name in _items()}}
            record["sluttmaal"] = [records[key]["sluttmaal"][0]]
            record["decisions"] = [records[key]["decisions"][0]]
            record["termination"] = {"end_date": ended.isoformat(), "reason": "arbeid"}
            response = fagsystem_a.put(
                f"/api/v1/participations/{case_id}",
                record,
                **_if_match(_etag(fagsystem_a, case_id)),
            )
            assert response.json()["outcome"] == "updated", response.content
    with _frozen(p_api.frist + dt.timedelta(days=10)):
        response = _correct(
            fagsystem_a,
            UNDO,
            {"case_id": "2026/API", "reason": "Avsluttet på feil deltaker"},
            **_if_match(_etag(fagsystem_a, "2026/API")),
        )
        assert response.status_code == 200, response.content
        body = response.json()
        # The frist has passed: the register ends it again, as the sweep would.
        assert body["outcome"] == "termination_undone"
        assert body["status"] == "ended_by_system"
        assert body["end_date"] == p_api.frist.isoformat()
        assert body["termination_reason"] == "ikke_registrert"
        p_web.refresh_from_db()
        _web_post(
            caseworker,
            f"/deltakelse/{p_web.pk}/angre-avslutning/",
            p_web,
            "Avsluttet på feil deltaker",
        )

    import pprint

    pprint.pprint((_state(p_api), _state(p_web), _history(p_api)[-6:], _history(p_web)[-6:]))
    assert _state(p_api) == _state(p_web)
    assert _history(p_api) == _history(p_web)
    # The corrections are in the history with their channel and reason.
    cancelled = HistoryEvent.objects.filter(participation=p_api, action="registration_cancelled")
    assert sorted(e.entity for e in cancelled) == sorted(c[0] for c in CANCELLATIONS)
    assert {(e.channel, e.actor) for e in cancelled} == {("api", "api:Oslo fagsystem")}
    assert {
        e.channel
        for e in HistoryEvent.objects.filter(
            participation=p_web, action__in=["registration_cancelled", "termination_cancelled"]
        )
    } == {"web"}
    # The change feed tells both stories alike, each correction with its channel.
    feed_api, feed_web = _feed(fagsystem_a, p_api), _feed(fagsystem_a, p_web)
    assert [a[:2] for a in feed_api] == [a[:2] for a in feed_web]
    corrections = {"registration_cancelled", "termination_cancelled"}
    assert {c for a, _, c in feed_api if a in corrections} == {"api"}
    assert {c for a, _, c in feed_web if a in corrections} == {"web"}
    assert ("termination_cancelled", "participation") in [a[:2] for a in feed_api]
    # Each correction read the participant and is in the access log as the API's.
    logged = AccessLogEntry.objects.filter(action="api_cancel_registration")
    assert logged.count() == len(CANCELLATIONS)


@pytest.fixture
def sent(fagsystem_a):
    record = _record("2026/1")
    with _frozen(SENT):
        assert fagsystem_a.batch([record]).json()["results"][0]["outcome"] == "created"
    return record


def _cancel_leave(caller, record, **headers: str) -> Any:
    return caller.post(
        CANCEL,
        {
            "case_id": record["case_id"],
            "registration": {"entity": "leave", **record["leaves"][0]},
            "reason": "Feil periode",
        },
        **headers,
    )


def test_a_correction_needs_if_match_and_a_stale_one_changes_nothing(fagsystem_a, sent):
    with _frozen(SENT):
        etag = _etag(fagsystem_a, "2026/1")
        missing = _cancel_leave(fagsystem_a, sent)
        assert missing.status_code == 428
        assert missing["Content-Type"] == "application/problem+json"
        stale = _cancel_leave(fagsystem_a, sent, **_if_match(f'"{int(etag.strip(chr(34))) - 1}"'))
        assert stale.status_code == 412
        assert stale.json()["errors"][0]["code"] == "version.stale"
        assert Participation.objects.get(case_id="2026/1").leaves.count() == 1
        assert assert_matches_contract(stale, "post", CANCEL)["status"] == 412


def test_a_retry_is_never_applied_twice(fagsystem_a, sent):
    with _frozen(SENT):
        etag = _etag(fagsystem_a, "2026/1")
        first = _cancel_leave(fagsystem_a, sent, **_if_match(etag, key="k-1"))
        again = _cancel_leave(fagsystem_a, sent, **_if_match(etag, key="k-1"))
        assert first.status_code == again.status_code == 200
        assert again.content == first.content and again["Idempotent-Replayed"] == "true"
        # Without the key the old ETag makes the retry harmless: 412, nothing cancelled.
        assert _cancel_leave(fagsystem_a, sent, **_if_match(etag)).status_code == 412
    events = HistoryEvent.objects.filter(action="registration_cancelled")
    assert events.count() == 1


def test_a_dry_run_says_what_would_happen_and_writes_nothing(fagsystem_a, sent):
    with _frozen(SENT):
        etag = _etag(fagsystem_a, "2026/1")
        before = Participation.objects.get(case_id="2026/1")
        response = fagsystem_a.post(
            CANCEL + "?dry_run=true",
            {
                "case_id": "2026/1",
                "registration": {"entity": "leave", **sent["leaves"][0]},
                "reason": "Feil periode",
            },
            **_if_match(etag),
        )
        body = assert_matches_contract(response, "post", CANCEL)
        # The reply shows the frist without the leave; the register still has it.
        assert body["dry_run"] is True and body["frist"] < before.frist.isoformat()
        after = Participation.objects.get(case_id="2026/1")
        assert (after.version, after.frist, after.leaves.count()) == (
            before.version,
            before.frist,
            1,
        )
        assert _etag(fagsystem_a, "2026/1") == etag
    assert not HistoryEvent.objects.filter(action="registration_cancelled").exists()


def test_a_registration_not_on_the_participant_and_one_outside_the_window(fagsystem_a, sent):
    unknown = {**sent["leaves"][0], "end_date": "2026-09-29"}
    with _frozen(SENT):
        response = fagsystem_a.post(
            CANCEL,
            {"case_id": "2026/1", "registration": {"entity": "leave", **unknown}, "reason": "x"},
            **_if_match(_etag(fagsystem_a, "2026/1")),
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == "correction.not_found"
        assert response.json()["errors"][0]["field"] == "registration"
    # Two months after the leave was decided, its window has closed.
    with _frozen(dt.date(2026, 11, 9)):
        response = _cancel_leave(fagsystem_a, sent, **_if_match(_etag(fagsystem_a, "2026/1")))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "registration_window.closed"
    assert Participation.objects.get(case_id="2026/1").leaves.count() == 1


def test_another_municipality_gets_not_found(fagsystem_a, fagsystem_b, sent):
    with _frozen(SENT):
        etag = _etag(fagsystem_a, "2026/1")
        assert _cancel_leave(fagsystem_b, sent, **_if_match(etag)).status_code == 404
        undo = fagsystem_b.post(UNDO, {"case_id": "2026/1", "reason": "x"}, **_if_match(etag))
        assert undo.status_code == 404
    assert not HistoryEvent.objects.filter(action="registration_cancelled").exists()


def test_undo_without_a_termination_is_refused(fagsystem_a, sent):
    with _frozen(SENT):
        response = fagsystem_a.post(
            UNDO, {"case_id": "2026/1", "reason": "x"}, **_if_match(_etag(fagsystem_a, "2026/1"))
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "correction.no_real_termination"


# --- no silent no-ops ------------------------------------------------------------------------


def test_leaving_a_registration_out_is_a_warning_naming_cancel_registration(fagsystem_a, sent):
    with _frozen(SENT):
        without_leave = {**sent, "leaves": []}
        result = fagsystem_a.batch([without_leave]).json()["results"][0]
    assert result["outcome"] == "not_applied"
    assert result["errors"] == []
    (warning,) = result["warnings"]
    assert warning["field"] == "leaves"
    assert warning["code"] == "registration.not_in_record"
    assert warning["params"]["operation"] == "cancelRegistration"
    assert warning["params"]["item"] == sent["leaves"][0]
    assert "cancelRegistration" in warning["message"]
    assert Participation.objects.get(case_id="2026/1").leaves.count() == 1


def test_a_removed_termination_is_a_warning_naming_undo_termination(fagsystem_a, sent):
    ended = {**sent, "termination": {"end_date": SENT.isoformat(), "reason": "arbeid"}}
    with _frozen(SENT):
        assert fagsystem_a.batch([ended]).json()["results"][0]["outcome"] == "updated"
        again = fagsystem_a.batch([ended]).json()
        assert again["results"][0]["outcome"] == "unchanged"
        reopened = fagsystem_a.batch([{**sent, "termination": None}]).json()
    result = reopened["results"][0]
    assert result["outcome"] == "not_applied"
    assert reopened["summary"]["not_applied"] == 1 and reopened["summary"]["unchanged"] == 0
    assert [w["code"] for w in result["warnings"]] == ["termination.not_in_record"]
    assert "undoTermination" in result["warnings"][0]["message"]
    assert Participation.objects.get(case_id="2026/1").end_date == SENT


def test_an_addition_beside_a_left_out_item_is_updated_with_the_warning(fagsystem_a, sent):
    decision = {"decision_type": "oppstart", "decided_on": SENT.isoformat()}
    with _frozen(SENT):
        record = {**sent, "decisions": [sent["decisions"][0], decision]}
        result = fagsystem_a.batch([record]).json()["results"][0]
    assert result["outcome"] == "updated"
    assert [(w["field"], w["params"]["item"]) for w in result["warnings"]] == [
        ("decisions", sent["decisions"][1])
    ]


def test_the_put_answers_the_same_warning(fagsystem_a, sent):
    with _frozen(SENT):
        response = fagsystem_a.put(
            "/api/v1/participations/2026/1",
            {**sent, "extensions": []},
            **_if_match(_etag(fagsystem_a, "2026/1")),
        )
    body = assert_matches_contract(response, "put", "/api/v1/participations/{case_id}")
    assert body["outcome"] == "not_applied"
    assert [w["code"] for w in body["warnings"]] == ["registration.not_in_record"]
    assert json.loads(response.content)["errors"] == []


def test_a_permanent_stop_resent_without_its_termination_is_unchanged(fagsystem_a, sent):
    stop = {"kind": "varig", "start_date": SENT.isoformat(), "decided_on": SENT.isoformat()}
    stopped = {**sent, "stops": [*sent["stops"], stop]}
    with _frozen(SENT):
        assert fagsystem_a.batch([stopped]).json()["results"][0]["outcome"] == "updated"
        # The stop ended the participation: its termination is implied, not left out.
        again = fagsystem_a.batch([stopped]).json()["results"][0]
        assert (again["outcome"], again["warnings"]) == ("unchanged", [])
        without = fagsystem_a.batch([sent]).json()["results"][0]
    assert without["outcome"] == "not_applied"
    codes = sorted((w["code"], w["params"]["operation"]) for w in without["warnings"])
    # The stop cannot be cancelled, and the termination by stop is not undone: neither names
    # an operation that would refuse it.
    assert codes == [("registration.not_in_record", "")], without["warnings"]
