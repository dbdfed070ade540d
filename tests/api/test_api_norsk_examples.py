"""rules-norsk.md's worked examples N-1..N-8 again, through the API: a case system sends
the ordning on the day it starts, then the record again with each leave and § 43 g
decision on the day it is decided (PUT with the ETag it last got), and reads the frist back.
The rows are the rules tests' (tests/rules/norsk), as the services tests run them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
import time_machine

from nir.register.norsk_models import NorskParticipation
from nir.register.rule_config import rule_config
from nir.rules.regime import Regime
from tests.api.helpers import new_identity_number
from tests.conftest import at
from tests.rules.norsk.test_norsk_worked_examples import FRIST_EXAMPLES, PROLONGED

pytestmark = pytest.mark.django_db
D = dt.date


def on(day: dt.date) -> Any:
    """Noon on the day, the clock running on from there."""
    return time_machine.travel(at(day), tick=True)


@pytest.fixture
def prolonged(monkeypatch):
    """§ 43 g prolonged (N10 6), as the rules tests' N-4 and N-6 assume."""
    config = rule_config()
    changed = dataclasses.replace(config, norsk=dataclasses.replace(config.norsk, frist=PROLONGED))
    monkeypatch.setattr("nir.register.services.context.rule_config", lambda: changed)


def kap6a_record(case_id: str, start: dt.date, vgo: bool) -> dict[str, Any]:
    """A kap. 6A person settled by agreement, whose first decision starts on ``start``."""
    permit = start - dt.timedelta(days=60)
    return {
        "case_id": case_id,
        "person": {
            "identity_number": new_identity_number(),
            "given_name": "Olena",
            "family_name": "Testesen",
            "birth_date": "1990-05-17",
            "permit_type": "kollektiv_beskyttelse",
            "permit_date": permit.isoformat(),
            "settlement_date": (permit + dt.timedelta(days=30)).isoformat(),
            "settled_by_agreement": True,
            "has_upper_secondary": vgo,
        },
        "start_date": start.isoformat(),
        "permit_list": "kollektiv_beskyttelse",
    }


def ordinary_record(
    case_id: str, permit: dt.date, vgo: bool | None, **person: Any
) -> dict[str, Any]:
    """Rett og plikt under integreringsloven (§ 27), the right starting at the permit."""
    birth = person.pop("birth_date", "1990-05-17")
    return {
        "case_id": case_id,
        "person": {
            "identity_number": new_identity_number(dt.date.fromisoformat(birth)),
            "given_name": "Amina",
            "family_name": "Testesen",
            "birth_date": birth,
            "permit_type": "flyktning",
            "permit_date": permit.isoformat(),
            "has_upper_secondary": vgo,
            **person,
        },
        "start_date": permit.isoformat(),
        "permit_list": "ss27",
    }


def send(caller, record: dict[str, Any], day: dt.date, etag: str | None) -> Any:
    """The record by PUT on ``day``: created the first time, changed with the last ETag."""
    with on(day):
        if etag is None:
            return caller.norsk_put(record, **{"If-None-Match": "*"})
        return caller.norsk_put(record, **{"If-Match": etag})


def _record_of(facts, case_id: str) -> dict[str, Any]:
    if facts.regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        # Kap. 6A's frist does not read the education, but a § 43 g decision needs it.
        vgo = bool(facts.has_upper_secondary)
        return kap6a_record(case_id, facts.first_decision_start, vgo)
    return ordinary_record(case_id, facts.right_start, facts.has_upper_secondary)


@pytest.mark.parametrize(("facts", "params", "expected"), FRIST_EXAMPLES)
def test_the_frist_of_each_worked_example_through_the_api(
    facts, params, expected, norsk_system_a, request
):
    if params is PROLONGED:
        request.getfixturevalue("prolonged")
    record = _record_of(facts, f"N-{expected}")
    start = dt.date.fromisoformat(record["start_date"])
    created = send(norsk_system_a, record, start, None)
    assert created.status_code == 201, created.json()
    etag = created["ETag"]
    for leave in facts.leaves:
        day = leave.interval.start
        record.setdefault("leaves", []).append(
            {
                "leave_type": "foreldrepermisjon",
                "start_date": day.isoformat(),
                "end_date": leave.interval.end.isoformat(),
                "decided_on": day.isoformat(),
            }
        )
        etag = send(norsk_system_a, record, day, etag)["ETag"]
    for decision in facts.extended:
        record.setdefault("extended_norwegian", []).append(
            {"decision_date": decision.decision_date.isoformat(), "months": decision.months}
        )
        updated = send(norsk_system_a, record, decision.decision_date, etag)
        assert updated.json()["outcome"] == "updated", updated.json()
        etag = updated["ETag"]

    body = norsk_system_a.norsk_participant(record["case_id"]).json()

    assert body["frist"] == expected.isoformat()
    assert body["frist_derivation"]["frist"] == expected.isoformat()
    assert body["frist_derivation"]["leave_days"] == sum(
        (s.interval.end - s.interval.start).days + 1 for s in facts.leaves
    )
    assert body["regime"] == facts.regime.value
    assert body["version"] == 1 + len(facts.leaves) + len(facts.extended)
    assert f'"{body["version"]}"' == etag
    # The stored record sent back as it is changes nothing.
    with on(expected):
        again = norsk_system_a.norsk_put(body["record"], **{"If-Match": etag})
    assert again.json()["outcome"] == "unchanged"
    assert again.json()["content_hash"] == body["content_hash"]


def test_N_5_a_43_g_decision_dated_outside_two_months_of_the_frist_is_refused(
    norsk_system_a, prolonged
):
    record = kap6a_record("N-5", D(2023, 1, 31), vgo=False)
    etag = send(norsk_system_a, record, D(2023, 1, 31), None)["ETag"]
    record["extended_norwegian"] = [{"decision_date": "2023-11-29", "months": 6}]

    refused = send(norsk_system_a, record, D(2023, 11, 29), etag)

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"].endswith("/rule-violation")
    (error,) = problem["errors"]
    assert (error["field"], error["code"]) == (
        "extended_norwegian[0]",
        "norsk.frist.extended.decision_date_window",
    )
    assert error["params"] == {
        "frist": "2024-01-31",
        "earliest": "2023-11-30",
        "latest": "2024-03-31",
    }
    assert NorskParticipation.objects.get(case_id="N-5").version == 1
    record["extended_norwegian"] = [{"decision_date": "2023-11-30", "months": 6}]
    assert send(norsk_system_a, record, D(2023, 11, 30), etag).status_code == 200
    assert norsk_system_a.norsk_participant("N-5").json()["frist"] == "2024-07-31"


@pytest.mark.parametrize(
    ("vgo", "allowed", "last_frist"),
    [
        pytest.param(False, 4, D(2026, 9, 1), id="N-6a"),
        pytest.param(True, 1, D(2025, 3, 1), id="N-6c"),
    ],
)
def test_N_6_the_count_of_43_g_decisions_follows_education_through_the_batch(
    vgo, allowed, last_frist, norsk_system_a, prolonged
):
    record = kap6a_record(f"N-6-{vgo}", D(2023, 9, 1), vgo=vgo)
    with on(D(2023, 9, 1)):
        norsk_system_a.norsk_batch([record])
    frist = D(2024, 9, 1)
    for _ in range(allowed):
        record.setdefault("extended_norwegian", []).append(
            {"decision_date": frist.isoformat(), "months": 6}
        )
        with on(frist):
            (result,) = norsk_system_a.norsk_batch([record]).json()["results"]
        assert result["outcome"] == "updated", result
        frist = D.fromisoformat(norsk_system_a.norsk_participant(record["case_id"]).json()["frist"])
    assert frist == last_frist
    record["extended_norwegian"].append({"decision_date": frist.isoformat(), "months": 6})

    with on(frist):
        (result,) = norsk_system_a.norsk_batch([record]).json()["results"]

    assert result["outcome"] == "rejected"
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        (f"extended_norwegian[{allowed}]", "norsk.frist.extended.count")
    ]
    read = norsk_system_a.norsk_participant(record["case_id"]).json()
    assert read["frist"] == last_frist.isoformat()
    assert len(read["record"]["extended_norwegian"]) == allowed


@pytest.mark.parametrize(
    ("permit_date", "category"),
    [
        pytest.param(D(2021, 12, 15), None, id="N-7"),
        pytest.param(D(2022, 1, 15), "rett_og_plikt", id="N-7-at-18"),
    ],
)
def test_N_7_a_permit_granted_at_17_gives_no_ordning(permit_date, category, norsk_system_a):
    record = ordinary_record(f"N-7-{permit_date}", permit_date, True, birth_date="2004-01-15")
    record["start_date"] = "2023-01-10"

    response = send(norsk_system_a, record, D(2023, 1, 10), None)

    if category is None:
        assert response.status_code == 422
        assert [e["code"] for e in response.json()["errors"]] == ["norsk.rights.not_in_group"]
        assert (
            norsk_system_a.get(f"/api/v1/norsk/participations/{record['case_id']}").status_code
            == 404
        )
    else:
        assert response.status_code == 201
        body = norsk_system_a.norsk_participant(record["case_id"]).json()
        assert body["category"] == category


@pytest.mark.parametrize(
    ("abroad", "arrival", "expected_frist"),
    [
        pytest.param(False, None, "2023-05-15", id="N-8a-permit-in-norway"),
        pytest.param(True, "2022-01-10", "2023-07-10", id="N-8b-permit-abroad"),
    ],
)
def test_N_8_the_anchor_follows_the_permit_or_the_arrival(
    abroad, arrival, expected_frist, norsk_system_a
):
    record = ordinary_record(f"N-8-{abroad}", D(2021, 11, 15), True, arrival_date=arrival)
    record |= {"start_date": "2022-02-01", "permit_granted_abroad": abroad}

    assert send(norsk_system_a, record, D(2022, 2, 1), None).status_code == 201

    body = norsk_system_a.norsk_participant(record["case_id"]).json()
    assert body["right_start"] == (arrival or "2021-11-15")
    assert body["frist"] == expected_frist
