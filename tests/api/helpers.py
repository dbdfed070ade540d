"""Helpers of the API tests: records, callers, and the committed contract as a checker."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.test import Client
from django.utils import timezone

from nir.rules.identity import make_valid_identity_number

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
_next_individual = [500]


def today() -> dt.date:
    return timezone.localdate()


_issued: set[str] = set()


def new_identity_number(birth_date: dt.date = dt.date(1990, 5, 17)) -> str:
    """A valid synthetic number never handed out before in this test run.

    The individual number wraps at 1,000, so a long run (or a batch of a thousand records
    whose birth dates repeat) would otherwise hand out the same number twice."""
    for _ in range(1000):
        number = make_valid_identity_number(birth_date, _next_individual[0] % 1000, synthetic=True)
        _next_individual[0] = int(number[6:9]) + 1
        if number not in _issued:
            _issued.add(number)
            return number
    raise AssertionError(f"every synthetic number for {birth_date} is taken")


def person_json(
    identity_number: str | None, birth_date: dt.date, permit_date: dt.date
) -> dict[str, Any]:
    """A refugee (upper secondary) as either scheme's record names the person."""
    return {
        "identity_number": identity_number or new_identity_number(birth_date),
        "given_name": "Amina",
        "family_name": "Testesen",
        "birth_date": birth_date.isoformat(),
        "permit_type": "flyktning",
        "permit_date": permit_date.isoformat(),
        "has_upper_secondary": True,
    }


def make_record(
    case_id: str,
    *,
    identity_number: str | None = None,
    start: dt.date | None = None,
    birth_date: dt.date = dt.date(1990, 5, 17),
    **extra: Any,
) -> dict[str, Any]:
    """A § 13 participant (upper-secondary, sluttmål arbeid) who started ten days ago."""
    start = start or today() - dt.timedelta(days=10)
    record: dict[str, Any] = {
        "case_id": case_id,
        "person": person_json(identity_number, birth_date, dt.date(2024, 1, 10)),
        "start_date": start.isoformat(),
        "sluttmaal": [{"sluttmaal": "arbeid", "valid_from": start.isoformat()}],
        "decisions": [{"decision_type": "innvilget", "decided_on": start.isoformat()}],
    }
    record.update(extra)
    return record


def make_norsk_record(
    case_id: str,
    *,
    identity_number: str | None = None,
    start: dt.date | None = None,
    permit_date: dt.date | None = None,
    birth_date: dt.date = dt.date(1990, 5, 17),
    **extra: Any,
) -> dict[str, Any]:
    """A refugee's Norwegian training under integreringsloven (§ 27, rett og plikt, upper
    secondary) that started ten days ago, the permit granted twenty days before."""
    start = start or today() - dt.timedelta(days=10)
    permit_date = permit_date or start - dt.timedelta(days=20)
    record: dict[str, Any] = {
        "case_id": case_id,
        "person": person_json(identity_number, birth_date, permit_date),
        "start_date": start.isoformat(),
        "permit_list": "ss27",
    }
    record.update(extra)
    return record


@cache
def contract() -> dict[str, Any]:
    return json.loads(OPENAPI.read_text())


def assert_matches_contract(response: Any, method: str, template: str) -> Any:
    """The reply's status, media type and body are what docs/openapi.json promises."""
    operation = contract()["paths"][template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {template} answered {status}, not in the contract"
    )
    content = operation["responses"][status].get("content")
    if not content:
        return None
    media_type = response["Content-Type"].split(";")[0].strip()
    assert media_type in content, f"{media_type} not documented for {status}"
    body = json.loads(response.content)
    schema = {**content[media_type]["schema"], "components": contract()["components"]}
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(body)
    return body


class ApiCaller:
    """Django's test client with a bearer token, speaking JSON; every reply is checked
    against the committed contract when the caller names the path template."""

    def __init__(self, token: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        self.token = token

    def get(self, path: str, **headers: str) -> Any:
        return self.client.get(path, headers=headers)

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            path, data=json.dumps(body), content_type="application/json", headers=headers
        )

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.put(
            path, data=json.dumps(body), content_type="application/json", headers=headers
        )

    def batch(self, records: list[dict[str, Any]], query: str = "", **headers: str) -> Any:
        response = self.post(
            f"/api/v1/batch/participations{query}", {"records": records}, **headers
        )
        assert_matches_contract(response, "post", "/api/v1/batch/participations")
        return response

    def norsk_batch(self, records: list[dict[str, Any]], query: str = "", **headers: str) -> Any:
        response = self.post(
            f"/api/v1/batch/norsk-participations{query}", {"records": records}, **headers
        )
        assert_matches_contract(response, "post", "/api/v1/batch/norsk-participations")
        return response

    def norsk_put(self, record: dict[str, Any], query: str = "", **headers: str) -> Any:
        response = self.put(
            f"/api/v1/norsk/participations/{record['case_id']}{query}", record, **headers
        )
        assert_matches_contract(response, "put", "/api/v1/norsk/participations/{case_id}")
        return response

    def norsk_participant(self, case_id: str, **headers: str) -> Any:
        response = self.get(f"/api/v1/norsk/participations/{case_id}", **headers)
        assert_matches_contract(response, "get", "/api/v1/norsk/participations/{case_id}")
        return response

    def participant(self, case_id: str) -> Any:
        response = self.get(f"/api/v1/participations/{case_id}")
        assert_matches_contract(response, "get", "/api/v1/participations/{case_id}")
        return response


# --- comparing the set-based path of a batch with one record at a time ---------------------


def result_rows(results: Any) -> list[tuple[Any, ...]]:
    """What a case system reads of each result: the outcome, version, hash and refusals."""
    return [
        (
            r.case_id,
            r.outcome,
            r.version,
            r.content_hash,
            [(e.field, e.violation.code) for e in r.errors],
        )
        for r in results
    ]


def event_row(event: Any, names: dict[tuple[str, int], str], norm: Any) -> tuple[Any, ...]:
    """A history event as a user sees it, its entity named by its place (``names``) and its
    states normalised (``norm``), since the two paths number rows differently."""
    return (
        event.action,
        event.entity,
        names.get((event.entity, event.entity_id)),
        norm(event.before),
        norm(event.after),
        norm(event.legal_basis),
        event.channel,
        event.actor,
        event.occurred_at,
        event.kommune_id,
        event.late_registration_grant_id,
    )
