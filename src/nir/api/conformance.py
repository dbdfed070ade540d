"""The vendor conformance kit: a scripted run against a register's API, with a report.

A case-system vendor runs ``nir conformance --base-url URL --token TOKEN`` against a test
register (one that accepts synthetic identity numbers) and shows the report to the
municipality. Every check says what it sent, what it expected and what it got.

The kit talks HTTP only (httpx), so it checks the register as a vendor's system meets it.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from nir.api.conformance_norsk import NorskChecks, forbidden_check
from nir.rules.identity import make_valid_identity_number

OSLO = ZoneInfo("Europe/Oslo")
BATCH = "/api/v1/batch/participations"
CANCEL = "/api/v1/corrections/cancel-registration"
UNDO = "/api/v1/corrections/undo-termination"


class CheckFailed(AssertionError):
    pass


@dataclass(slots=True)
class CheckResult:
    name: str
    passed: bool
    detail: str
    seconds: float


@dataclass(slots=True)
class Report:
    base_url: str
    kommune: str = ""
    results: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    def render(self) -> str:
        lines = [
            "NIR API conformance report",
            f"register: {self.base_url}",
            f"municipality: {self.kommune or 'unknown'}",
            f"run at: {dt.datetime.now(OSLO):%Y-%m-%d %H:%M %Z}",
            "",
        ]
        for r in self.results:
            mark = "PASS" if r.passed else "FAIL"
            lines.append(f"[{mark}] {r.name} ({r.seconds * 1000:.0f} ms)")
            if r.detail:
                lines.extend(f"       {line}" for line in r.detail.splitlines())
        failed = sum(not r.passed for r in self.results)
        lines += [
            "",
            f"{len(self.results) - failed} of {len(self.results)} checks passed: "
            + ("CONFORMANT" if self.passed else "NOT CONFORMANT"),
        ]
        return "\n".join(lines)


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _today() -> dt.date:
    return dt.datetime.now(OSLO).date()


def _identity_number() -> tuple[str, dt.date]:
    # Synthetic test numbers only (month + 80): the kit never touches a real person's number.
    birth = dt.date(
        1970 + secrets.randbelow(30), 1 + secrets.randbelow(12), 1 + secrets.randbelow(28)
    )
    return make_valid_identity_number(birth, secrets.randbelow(1000), synthetic=True), birth


def _record(case_id: str, start: dt.date) -> dict[str, Any]:
    number, birth = _identity_number()
    return {
        "case_id": case_id,
        "person": {
            "identity_number": number,
            "given_name": "Konformans",
            "family_name": "Testesen",
            "birth_date": birth.isoformat(),
            "permit_type": "flyktning",
            "permit_date": (start - dt.timedelta(days=90)).isoformat(),
            "has_upper_secondary": True,
        },
        "start_date": start.isoformat(),
        "sluttmaal": [{"sluttmaal": "arbeid", "valid_from": start.isoformat()}],
        "decisions": [{"decision_type": "innvilget", "decided_on": start.isoformat()}],
    }


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    _expect(response.status_code == status, f"expected {status}, got {response.status_code}")
    _expect(
        response.headers.get("content-type", "").startswith("application/problem+json"),
        "a problem reply must be application/problem+json",
    )
    body: dict[str, Any] = response.json()
    for member in ("type", "title", "status", "detail"):
        _expect(member in body, f"problem reply lacks «{member}»")
    return body


class Suite:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        run = f"{dt.datetime.now(OSLO):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
        self.prefix = f"CONF-{run}"
        self.start = _today() - dt.timedelta(days=7)
        self.record = _record(f"{self.prefix}-1", self.start)
        self.etag = ""
        self.stale_etag = ""
        self.kommune = ""
        self.hashes: dict[str, str] = {}
        self.cursor = "0"
        self.record_without_leave: dict[str, Any] = {}
        self.correction_record: dict[str, Any] | None = None
        self.schemes: list[str] = []

    def _batch(
        self, records: list[dict[str, Any]], headers: dict[str, str] | None = None, query: str = ""
    ) -> httpx.Response:
        return self.http.post(BATCH + query, json={"records": records}, headers=headers or {})

    def _results(self, response: httpx.Response) -> list[dict[str, Any]]:
        _expect(
            response.status_code == 200,
            f"expected 200, got {response.status_code}: {response.text[:300]}",
        )
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    # Each check returns a one-line detail for the report, or raises CheckFailed.

    def authenticate(self) -> str:
        response = self.http.get("/api/v1/me")
        _expect(response.status_code == 200, f"GET /api/v1/me answered {response.status_code}")
        me = response.json()
        self.kommune = f"{me['kommune']} {me['kommune_name']}"
        self.schemes = me.get("schemes", ["introduksjonsprogram"])
        feed = self.http.get("/api/v1/changes", params={"after": 0, "limit": 1000})
        while feed.status_code == 200 and feed.json()["has_more"]:
            feed = self.http.get(
                "/api/v1/changes", params={"after": feed.json()["next_cursor"], "limit": 1000}
            )
        _expect(feed.status_code == 200, "the change feed must answer 200")
        self.cursor = feed.json()["next_cursor"]
        return f"acting for {self.kommune} as {me['name']}"

    def unauthenticated(self) -> str:
        response = self.http.get("/api/v1/me", headers={"Authorization": "Bearer nir_not-a-token"})
        _problem(response, 401)
        return "a wrong token gets 401 problem+json"

    def create(self) -> str:
        (result,) = self._results(self._batch([self.record]))
        _expect(result["outcome"] == "created", f"outcome {result['outcome']}: {result['errors']}")
        self.hashes[self.record["case_id"]] = result["content_hash"]
        return f"{self.record['case_id']} created, version {result['version']}"

    def resend(self) -> str:
        (result,) = self._results(self._batch([self.record]))
        _expect(result["outcome"] == "unchanged", f"a resend gave {result['outcome']}")
        _expect(
            result["content_hash"] == self.hashes[self.record["case_id"]],
            "the content hash changed on a resend",
        )
        return "resending the same record is «unchanged» and makes no copy"

    def retry_same_key(self) -> str:
        record = _record(f"{self.prefix}-2", self.start)
        key = f"{self.prefix}-key"
        first = self._batch([record], {"Idempotency-Key": key})
        retry = self._batch([record], {"Idempotency-Key": key})
        _expect(first.status_code == retry.status_code == 200, "both replies must be 200")
        _expect(retry.json() == first.json(), "the retry must repeat the first reply exactly")
        _expect(retry.headers.get("Idempotent-Replayed") == "true", "Idempotent-Replayed missing")
        (result,) = retry.json()["results"]
        _expect(result["outcome"] == "created", "the replayed reply must say «created»")
        self.hashes[record["case_id"]] = result["content_hash"]
        other = self._batch([_record(f"{self.prefix}-3", self.start)], {"Idempotency-Key": key})
        _problem(other, 422)
        return "a retry repeats the first reply; the key with another body gets 422"

    def read_with_etag(self) -> str:
        response = self.http.get(f"/api/v1/participations/{self.record['case_id']}")
        _expect(response.status_code == 200, f"GET answered {response.status_code}")
        body = response.json()
        self.etag = response.headers.get("ETag", "")
        _expect(self.etag == f'"{body["version"]}"', "the ETag must be the version")
        _expect(body["frist"] == body["frist_derivation"]["frist"], "frist and derivation differ")
        _expect(isinstance(body["missing"], list), "the missing registrations must be listed")
        return f"frist {body['frist']} with derivation; ETag {self.etag}"

    def update_with_if_match(self) -> str:
        changed = {**self.record, "person": {**self.record["person"], "given_name": "Endret"}}
        path = f"/api/v1/participations/{self.record['case_id']}"
        without = self.http.put(path, json=changed)
        _problem(without, 428)
        response = self.http.put(path, json=changed, headers={"If-Match": self.etag})
        _expect(response.status_code == 200, f"PUT with If-Match answered {response.status_code}")
        _expect(response.json()["outcome"] == "updated", "the change must be «updated»")
        self.stale_etag, self.etag = self.etag, response.headers.get("ETag", "")
        self.record = changed
        self.hashes[changed["case_id"]] = response.json()["content_hash"]
        return f"updated with If-Match; new ETag {self.etag}; no If-Match gets 428"

    def stale_update(self) -> str:
        changed = {**self.record, "person": {**self.record["person"], "given_name": "Tapt"}}
        path = f"/api/v1/participations/{self.record['case_id']}"
        response = self.http.put(path, json=changed, headers={"If-Match": self.stale_etag})
        body = _problem(response, 412)
        _expect(
            any(e.get("code") == "version.stale" for e in body.get("errors", [])),
            "the 412 must name the code version.stale",
        )
        now = self.http.get(path).json()
        _expect(now["record"]["person"]["given_name"] == "Endret", "the stale write got through")
        return "a write on an old ETag gets 412 and changes nothing"

    def window_refusal(self) -> str:
        late = _record(f"{self.prefix}-late", _today() - dt.timedelta(days=130))
        good = _record(f"{self.prefix}-4", self.start)
        result, other = self._results(self._batch([late, good]))
        _expect(result["outcome"] == "rejected", "a start four months ago must be rejected")
        _expect(other["outcome"] == "created", "a bad record must not block the good one")
        self.hashes[good["case_id"]] = other["content_hash"]
        error = result["errors"][0]
        _expect(error["code"] == "registration_window.closed", f"code {error['code']}")
        _expect(error["field"] == "start_date", f"field {error['field']}")
        _expect(bool(error["rule"] and error["message"]), "the error must name rule and message")
        gone = self.http.get(f"/api/v1/participations/{late['case_id']}")
        _expect(gone.status_code == 404, "a rejected record must leave nothing behind")
        return f"rejected: {error['code']} on {error['field']} ({error['reference']})"

    def dry_run(self) -> str:
        record = _record(f"{self.prefix}-dry", self.start)
        (result,) = self._results(self._batch([record], query="?dry_run=true"))
        _expect(result["outcome"] == "created", f"dry run said {result['outcome']}")
        gone = self.http.get(f"/api/v1/participations/{record['case_id']}")
        _expect(gone.status_code == 404, "a dry run must write nothing")
        return "a dry run reports «created» and writes nothing"

    def _corrected(self) -> dict[str, Any]:
        """The participant the corrections work on: sent with a leave, as a case system
        sends one registered in error."""
        if self.correction_record is None:
            record = _record(f"{self.prefix}-corr", self.start)
            record["leaves"] = [
                {
                    "leave_type": "foreldrepermisjon",
                    "start_date": (self.start + dt.timedelta(days=1)).isoformat(),
                    "end_date": (self.start + dt.timedelta(days=5)).isoformat(),
                    "decided_on": self.start.isoformat(),
                }
            ]
            (result,) = self._results(self._batch([record]))
            _expect(result["outcome"] == "created", f"outcome {result['outcome']}")
            self.hashes[record["case_id"]] = result["content_hash"]
            self.correction_record = record
        return self.correction_record

    def _read(self, case_id: str) -> tuple[dict[str, Any], str]:
        response = self.http.get(f"/api/v1/participations/{case_id}")
        _expect(response.status_code == 200, f"GET answered {response.status_code}")
        return response.json(), response.headers.get("ETag", "")

    def left_out_is_not_unchanged(self) -> str:
        record = self._corrected()
        (result,) = self._results(self._batch([{**record, "leaves": []}]))
        _expect(
            result["outcome"] == "not_applied",
            f"a record without a stored leave gave «{result['outcome']}», not «not_applied»",
        )
        codes = [(w["code"], w["params"].get("operation")) for w in result["warnings"]]
        _expect(
            codes == [("registration.not_in_record", "cancelRegistration")],
            f"warnings {codes}",
        )
        body, _ = self._read(record["case_id"])
        _expect(len(body["record"]["leaves"]) == 1, "leaving the leave out must not cancel it")
        return "a left-out leave is «not_applied» with a warning naming cancelRegistration"

    def cancel_registration(self) -> str:
        record = self._corrected()
        case_id = record["case_id"]
        before, etag = self._read(case_id)
        cancel = {
            "case_id": case_id,
            "registration": {"entity": "leave", **record["leaves"][0]},
            "reason": "Registrert ved en feil (konformanstest)",
        }
        _problem(self.http.post(CANCEL, json=cancel), 428)
        stale = f'"{before["version"] - 1}"'
        _problem(self.http.post(CANCEL, json=cancel, headers={"If-Match": stale}), 412)
        dry = self.http.post(CANCEL + "?dry_run=true", json=cancel, headers={"If-Match": etag})
        _expect(dry.status_code == 200, f"dry run answered {dry.status_code}: {dry.text[:300]}")
        _expect(dry.json()["dry_run"] is True, "the dry run must say so")
        _expect(self._read(case_id)[1] == etag, "a dry run must write nothing")
        response = self.http.post(CANCEL, json=cancel, headers={"If-Match": etag})
        _expect(response.status_code == 200, f"answered {response.status_code}: {response.text}")
        body = response.json()
        _expect(body["outcome"] == "cancelled", f"outcome {body['outcome']}")
        _expect(response.headers.get("ETag") == f'"{body["version"]}"', "ETag must be version")
        _expect(body["frist"] < before["frist"], "without the leave the frist must come earlier")
        after, _ = self._read(case_id)
        _expect(after["record"]["leaves"] == [], "the leave must be gone")
        _expect(after["frist"] == body["frist"], "the read must show the new frist")
        retry = self.http.post(CANCEL, json=cancel, headers={"If-Match": etag})
        _problem(retry, 412)
        self.hashes[case_id] = body["content_hash"]
        self.record_without_leave = {**record, "leaves": []}
        return (
            f"leave cancelled; frist {before['frist']} -> {body['frist']}; no If-Match 428, "
            "old ETag 412, dry run writes nothing"
        )

    def undo_termination(self) -> str:
        record = self.record_without_leave
        case_id = record["case_id"]
        _, etag = self._read(case_id)
        ended = {**record, "termination": {"end_date": _today().isoformat(), "reason": "arbeid"}}
        path = f"/api/v1/participations/{case_id}"
        response = self.http.put(path, json=ended, headers={"If-Match": etag})
        _expect(response.status_code == 200, f"PUT answered {response.status_code}")
        (result,) = self._results(self._batch([record]))
        _expect(
            result["outcome"] == "not_applied",
            f"a record without the stored termination gave «{result['outcome']}»",
        )
        codes = [(w["code"], w["params"].get("operation")) for w in result["warnings"]]
        _expect(codes == [("termination.not_in_record", "undoTermination")], f"warnings {codes}")
        body, etag = self._read(case_id)
        _expect(body["status"] == "ended", "leaving the termination out must not reopen it")
        undo = {"case_id": case_id, "reason": "Avsluttet ved en feil (konformanstest)"}
        response = self.http.post(UNDO, json=undo, headers={"If-Match": etag})
        _expect(response.status_code == 200, f"answered {response.status_code}: {response.text}")
        reply = response.json()
        _expect(reply["outcome"] == "termination_undone", f"outcome {reply['outcome']}")
        _expect(reply["status"] == "active", f"status {reply['status']} after the undo")
        _expect(self._read(case_id)[0]["end_date"] is None, "the read must show it active")
        self.hashes[case_id] = reply["content_hash"]
        return "a left-out termination gets a warning naming undoTermination; undone: active"

    def reconciliation(self) -> str:
        found: dict[str, str] = {}
        after, more = "0", True
        while more:
            page = self.http.get("/api/v1/reconciliation", params={"after": after, "limit": 1000})
            _expect(page.status_code == 200, f"reconciliation answered {page.status_code}")
            body = page.json()
            found.update({i["case_id"]: i["content_hash"] for i in body["items"]})
            after, more = body["next_cursor"], body["has_more"]
        for case_id, expected in self.hashes.items():
            _expect(case_id in found, f"{case_id} missing from reconciliation")
            _expect(found[case_id] == expected, f"{case_id}: hash differs from the write's")
        return f"{len(found)} participants listed; the hashes match what the writes returned"

    def change_feed(self) -> str:
        response = self.http.get("/api/v1/changes", params={"after": self.cursor, "limit": 1000})
        _expect(response.status_code == 200, f"feed answered {response.status_code}")
        case_ids = {e["case_id"] for e in response.json()["items"] if e["case_id"]}
        for case_id in self.hashes:
            _expect(case_id in case_ids, f"{case_id} is not in the change feed")
        actions = {(e["action"], e["channel"]) for e in response.json()["items"]}
        for action in ("registration_cancelled", "termination_cancelled"):
            _expect((action, "api") in actions, f"the feed lacks our {action}")
        return f"{len(response.json()['items'])} events since the run began, ours among them"

    def related_items(self) -> str:
        """Kartlegging, veiledning, kontrakt and courses (N8): the status as it stands now, one
        per kind; a new one is registered, a left-out kind changes nothing."""
        record = _record(f"{self.prefix}-n8", self.start)
        (result,) = self._results(self._batch([record]))
        _expect(result["outcome"] == "created", f"outcome {result['outcome']}")
        body, _ = self._read(record["case_id"])
        codes = [w["code"] for w in body["related_item_warnings"]]
        _expect(
            codes == ["norsk.related.kartlegging_missing"],
            f"a start decision without a mapping must be warned about, got {codes}",
        )
        done = {
            "item_kind": "kompetansekartlegging",
            "status": "gjennomfort",
            "date_completed": (self.start - dt.timedelta(days=2)).isoformat(),
        }
        (result,) = self._results(self._batch([{**record, "related_items": [done]}]))
        _expect(result["outcome"] == "updated", f"a new status gave «{result['outcome']}»")
        (again,) = self._results(self._batch([record]))
        _expect(again["outcome"] == "unchanged", f"leaving it out gave «{again['outcome']}»")
        body, _ = self._read(record["case_id"])
        status = {s["item_kind"]: s["status"] for s in body["related_item_status"]}
        _expect(status.get("kompetansekartlegging") == "gjennomfort", f"status {status}")
        _expect(body["related_item_warnings"] == [], "a done mapping must clear the warning")
        self.hashes[record["case_id"]] = again["content_hash"]
        return "the mapping's status registered; left out: unchanged; the warning cleared"

    def not_found_problem(self) -> str:
        own = "" if "introduksjonsprogram" in self.schemes else "norsk/"
        _problem(self.http.get(f"/api/v1/{own}participations/{self.prefix}-none"), 404)
        return "an unknown case id gets 404 problem+json"

    def checks(self) -> Iterator[tuple[str, Callable[[], str]]]:
        """The checks in order; which schemes' run is known once the first has run."""
        yield "authenticate and find the feed cursor", self.authenticate
        yield "refuse a wrong token", self.unauthenticated
        if "introduksjonsprogram" in self.schemes:
            yield from self.programme_checks()
        else:
            yield (
                "Introduction programme: 403 without the scheme",
                lambda: forbidden_check(self.http, _problem, _expect, "introduksjonsprogram"),
            )
        if "norsk" in self.schemes:
            norsk = NorskChecks(self.http, self.prefix, self.start, (_expect, _problem, _record))
            yield from norsk.checks(lambda: self.cursor)
        else:
            yield (
                "Norwegian training: 403 without the scheme",
                lambda: forbidden_check(self.http, _problem, _expect),
            )
        yield "problem details for an unknown case", self.not_found_problem

    def programme_checks(self) -> Iterator[tuple[str, Callable[[], str]]]:
        yield "create a participant", self.create
        yield "resend: unchanged, no copy", self.resend
        yield "retry with the same Idempotency-Key", self.retry_same_key
        yield "read with frist, derivation and ETag", self.read_with_etag
        yield "update with If-Match", self.update_with_if_match
        yield "stale update: 412", self.stale_update
        yield "registration window refusal", self.window_refusal
        yield "dry run writes nothing", self.dry_run
        yield "left-out registration: a warning, never unchanged", self.left_out_is_not_unchanged
        yield "cancel a registration with If-Match", self.cancel_registration
        yield "undo a termination with If-Match", self.undo_termination
        yield "related items: kartlegging, veiledning, kontrakt, courses", self.related_items
        yield "reconciliation", self.reconciliation
        yield "change feed", self.change_feed


def run_conformance(
    base_url: str, token: str, *, transport: httpx.BaseTransport | None = None
) -> Report:
    report = Report(base_url)
    with httpx.Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=60.0,
        transport=transport,
    ) as http:
        suite = Suite(http)
        for name, check in suite.checks():
            began = time.perf_counter()
            try:
                detail, passed = check(), True
            except (CheckFailed, httpx.HTTPError, KeyError, ValueError, TypeError) as error:
                detail, passed = f"{type(error).__name__}: {error}", False
            report.results.append(CheckResult(name, passed, detail, time.perf_counter() - began))
            if name.startswith("authenticate") and not passed:
                break  # nothing else can pass without a working token
        report.kommune = suite.kommune
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m nir.api.conformance``: the same run without a configured register, for a
    vendor's own machine or CI (it needs only httpx and the register's pure rules)."""
    import argparse

    parser = argparse.ArgumentParser(prog="nir-conformance", description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args(argv)
    report = run_conformance(args.base_url.rstrip("/"), args.token)
    print(report.render())
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
