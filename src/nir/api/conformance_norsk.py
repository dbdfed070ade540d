"""The conformance kit's checks of Norwegian training (rules-norsk.md), for a client that
writes the scheme; a client without it is checked for the 403 the scheme's paths answer.

Like the rest of the kit it talks HTTP only (httpx) and needs no configured register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import httpx

NORSK = "/api/v1/norsk/participations"
NORSK_BATCH = "/api/v1/batch/norsk-participations"
NORSK_CANCEL = "/api/v1/norsk/corrections/cancel-registration"
NORSK_UNDO = "/api/v1/norsk/corrections/undo-end"

Expect = Callable[[bool, str], None]
Problem = Callable[[httpx.Response, int], dict[str, Any]]
Record = Callable[[str, dt.date], dict[str, Any]]


def norsk_record(programme_record: dict[str, Any]) -> dict[str, Any]:
    """The kit's participant as a Norwegian-training record: rett og plikt under
    integreringsloven (§ 27), upper secondary, the first decision on its start date."""
    return {
        "case_id": programme_record["case_id"],
        "person": programme_record["person"],
        "start_date": programme_record["start_date"],
        "permit_list": "ss27",
    }


class NorskChecks:
    """The scheme's checks, each returning a one-line detail or raising through ``expect``."""

    def __init__(
        self,
        http: httpx.Client,
        prefix: str,
        start: dt.date,
        helpers: tuple[Expect, Problem, Record],
    ) -> None:
        self.http = http
        self.prefix = f"{prefix}-NO"
        self.start = start
        self.expect, self.problem, self.make = helpers
        self.record = self._new("1")
        self.etag = ""
        self.hashes: dict[str, str] = {}

    def _new(self, n: str) -> dict[str, Any]:
        return norsk_record(self.make(f"{self.prefix}-{n}", self.start))

    def _batch(self, records: list[dict[str, Any]], **headers: str) -> httpx.Response:
        query = "?dry_run=true" if headers.pop("dry_run", "") else ""
        return self.http.post(NORSK_BATCH + query, json={"records": records}, headers=headers)

    def _result(self, response: httpx.Response) -> dict[str, Any]:
        self.expect(response.status_code == 200, f"batch answered {response.status_code}")
        results: list[dict[str, Any]] = response.json()["results"]
        return results[0]

    def create(self) -> str:
        path = f"{NORSK}/{self.record['case_id']}"
        response = self.http.put(path, json=self.record, headers={"If-None-Match": "*"})
        self.expect(response.status_code == 201, f"PUT answered {response.status_code}")
        self.expect(response.headers.get("Location") == path, "a create must give Location")
        self.etag = response.headers.get("ETag", "")
        self.hashes[self.record["case_id"]] = response.json()["content_hash"]
        return f"{self.record['case_id']} created by PUT, ETag {self.etag}"

    def read(self) -> str:
        response = self.http.get(f"{NORSK}/{self.record['case_id']}")
        self.expect(response.status_code == 200, f"GET answered {response.status_code}")
        body = response.json()
        self.expect(response.headers.get("ETag") == f'"{body["version"]}"', "ETag != version")
        self.expect(
            body["frist"] == body["frist_derivation"]["frist"], "frist and derivation differ"
        )
        missing = [m["code"] for m in body["missing"]]
        self.expect("norskmaal" in missing, f"no norskmål registered, yet missing is {missing}")
        return f"frist {body['frist']} with derivation; missing {missing}"

    def resend_and_retry(self) -> str:
        again = self._result(self._batch([self.record]))
        self.expect(again["outcome"] == "unchanged", f"a resend gave {again['outcome']}")
        record = self._new("2")
        key = f"{self.prefix}-key"
        first = self._batch([record], **{"Idempotency-Key": key})
        retry = self._batch([record], **{"Idempotency-Key": key})
        self.expect(retry.json() == first.json(), "the retry must repeat the first reply")
        self.expect(retry.headers.get("Idempotent-Replayed") == "true", "Idempotent-Replayed")
        self.hashes[record["case_id"]] = self._result(first)["content_hash"]
        return "a resend is «unchanged»; a retry with the same key repeats the first reply"

    def update_and_stale(self) -> str:
        leave = {
            "leave_type": "foreldrepermisjon",
            "start_date": (self.start + dt.timedelta(days=1)).isoformat(),
            "end_date": (self.start + dt.timedelta(days=3)).isoformat(),
            "decided_on": self.start.isoformat(),
        }
        changed = {**self.record, "leaves": [leave]}
        path = f"{NORSK}/{self.record['case_id']}"
        self.problem(self.http.put(path, json=changed), 428)
        response = self.http.put(path, json=changed, headers={"If-Match": self.etag})
        self.expect(response.status_code == 200, f"PUT answered {response.status_code}")
        self.expect(response.json()["outcome"] == "updated", "adding a leave must be «updated»")
        stale = self.http.put(
            path, json=self.record | {"leaves": []}, headers={"If-Match": self.etag}
        )
        body = self.problem(stale, 412)
        codes = [e.get("code") for e in body.get("errors", [])]
        self.expect("version.stale" in codes, f"the 412 must name version.stale, got {codes}")
        self.etag, self.record = response.headers.get("ETag", ""), changed
        self.hashes[changed["case_id"]] = response.json()["content_hash"]
        return f"a leave added with If-Match (ETag {self.etag}); no If-Match 428, old ETag 412"

    def _read(self) -> tuple[dict[str, Any], str]:
        response = self.http.get(f"{NORSK}/{self.record['case_id']}")
        self.expect(response.status_code == 200, f"GET answered {response.status_code}")
        return response.json(), response.headers.get("ETag", "")

    def corrections(self) -> str:
        """The leave added by ``update_and_stale``: left out it stands with a warning; it is
        cancelled with If-Match and a reason; an end registered in error is undone."""
        case_id = self.record["case_id"]
        (left_out,) = self._result(self._batch([self.record | {"leaves": []}]))["warnings"]
        operation = (left_out["code"], left_out["params"].get("operation"))
        self.expect(
            operation == ("registration.not_in_record", "cancelNorskRegistration"),
            f"a left-out leave warned {operation}",
        )
        before, etag = self._read()
        cancel = {
            "case_id": case_id,
            "registration": {"entity": "norsk_leave", **self.record["leaves"][0]},
            "reason": "Registrert ved en feil (konformanstest)",
        }
        self.problem(self.http.post(NORSK_CANCEL, json=cancel), 428)
        response = self.http.post(NORSK_CANCEL, json=cancel, headers={"If-Match": etag})
        self.expect(response.status_code == 200, f"cancel answered {response.status_code}")
        body = response.json()
        self.expect(body["outcome"] == "cancelled", f"outcome {body['outcome']}")
        self.expect(body["frist"] < before["frist"], "without the leave the frist comes earlier")
        self.problem(self.http.post(NORSK_CANCEL, json=cancel, headers={"If-Match": etag}), 412)
        self.record = self.record | {"leaves": []}
        end_on = (self.start + dt.timedelta(days=5)).isoformat()
        ended = self.record | {"end": {"end_date": end_on, "reason": "flyttet"}}
        path = f"{NORSK}/{case_id}"
        put = self.http.put(path, json=ended, headers={"If-Match": response.headers["ETag"]})
        self.expect(put.status_code == 200, f"ending by PUT answered {put.status_code}")
        undo = {"case_id": case_id, "reason": "Avsluttet ved en feil (konformanstest)"}
        undone = self.http.post(NORSK_UNDO, json=undo, headers={"If-Match": put.headers["ETag"]})
        self.expect(undone.status_code == 200, f"undo answered {undone.status_code}")
        reply = undone.json()
        self.expect(
            (reply["outcome"], reply["status"]) == ("end_undone", "aktiv"),
            f"undone: {reply['outcome']}, {reply['status']}",
        )
        self.etag = undone.headers.get("ETag", "")
        self.hashes[case_id] = reply["content_hash"]
        return f"leave cancelled, frist {before['frist']} -> {body['frist']}; an end undone: aktiv"

    def dry_run_and_refusal(self) -> str:
        dry = self._new("dry")
        result = self._result(self._batch([dry], dry_run="true"))
        self.expect(result["outcome"] == "created", f"a dry run said {result['outcome']}")
        gone = self.http.get(f"{NORSK}/{dry['case_id']}")
        self.expect(gone.status_code == 404, "a dry run must write nothing")
        wrong = self._new("43g") | {
            "extended_norwegian": [{"decision_date": self.start.isoformat(), "months": 6}]
        }
        refused = self._result(self._batch([wrong]))
        self.expect(refused["outcome"] == "rejected", "§ 43 g outside kap. 6A must be rejected")
        error = refused["errors"][0]
        self.expect(
            (error["field"], error["code"])
            == ("extended_norwegian[0]", "norsk.frist.extended.kap6a_only"),
            f"refused on {error['field']} with {error['code']}",
        )
        return f"a dry run writes nothing; rejected: {error['code']} on {error['field']}"

    def reconciliation_and_feed(self, cursor: str) -> str:
        found: dict[str, str] = {}
        after, more = "0", True
        while more:
            page = self.http.get(
                "/api/v1/norsk/reconciliation", params={"after": after, "limit": 1000}
            )
            self.expect(page.status_code == 200, f"reconciliation answered {page.status_code}")
            found.update({i["case_id"]: i["content_hash"] for i in page.json()["items"]})
            after, more = page.json()["next_cursor"], page.json()["has_more"]
        for case_id, expected in self.hashes.items():
            self.expect(found.get(case_id) == expected, f"{case_id}: hash differs or missing")
        feed = self.http.get("/api/v1/changes", params={"after": cursor, "limit": 1000})
        self.expect(feed.status_code == 200, f"feed answered {feed.status_code}")
        ours = {e["case_id"] for e in feed.json()["items"] if e.get("scheme") == "norsk"}
        for case_id in self.hashes:
            self.expect(case_id in ours, f"{case_id} is not in the change feed")
        deadlines = self.http.get("/api/v1/norsk/deadlines")
        self.expect(deadlines.status_code == 200, f"deadlines answered {deadlines.status_code}")
        return "the ordninger's hashes are in reconciliation; their events in the feed"

    def checks(self, cursor: Callable[[], str]) -> Iterator[tuple[str, Callable[[], str]]]:
        yield "Norwegian training: create by PUT", self.create
        yield "Norwegian training: read with frist, derivation, missing", self.read
        yield "Norwegian training: resend and Idempotency-Key", self.resend_and_retry
        yield "Norwegian training: If-Match; stale 412", self.update_and_stale
        yield "Norwegian training: cancel a registration; undo an end", self.corrections
        yield "Norwegian training: dry run; a rule's refusal", self.dry_run_and_refusal
        yield (
            "Norwegian training: reconciliation and change feed",
            lambda: self.reconciliation_and_feed(cursor()),
        )


def forbidden_check(
    http: httpx.Client, problem: Problem, expect: Expect, scheme: str = "norsk"
) -> str:
    """A client without the scheme: the scheme's paths answer 403 naming it."""
    path = NORSK if scheme == "norsk" else "/api/v1/participations"
    body = problem(http.get(path), 403)
    codes = [(e.get("code"), e.get("params", {}).get("scheme")) for e in body.get("errors", [])]
    expect(codes == [("access.scheme_role", scheme)], f"the 403 named {codes}")
    return f"the client does not hold {scheme}: its paths answer 403 naming it"
