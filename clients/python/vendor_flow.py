"""The vendor flow with a Python client generated from docs/openapi.json.

An example for case-system vendors, run in the register's CI against a running register:

    openapi-python-client generate --path docs/openapi.json --meta none \
        --output-path nir_api_client
    python vendor_flow.py BASE_URL TOKEN

It needs only the generated package (httpx, attrs, python-dateutil). Every step is what a
case system does: who am I, a dry run, a batch with an Idempotency-Key and its retry, a read
with the frist's derivation, an update with If-Match, a stale update handled as a typed
problem, a registration cancelled as a correction, a termination registered and undone as a
correction, the change feed, the coming deadlines, IMDi's late-registration grants and the
reconciliation list to the end.
The identity numbers are synthetic (month + 80), so the register must allow test data.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from nir_api_client import AuthenticatedClient
from nir_api_client.api.client import get_me
from nir_api_client.api.correct import cancel_registration, undo_termination
from nir_api_client.api.read import (
    get_participation,
    list_changes,
    list_deadlines,
    list_grants,
    list_participations,
    list_reconciliation,
)
from nir_api_client.api.write import put_participation, upsert_batch
from nir_api_client.models import (
    BatchIn,
    BatchOut,
    CancelRegistrationIn,
    ChangePage,
    CorrectionOut,
    CorrectionOutcome,
    DeadlinesOut,
    DecisionIn,
    DecisionType,
    GrantsOut,
    MeasureIn,
    MeasureToCancel,
    MeOut,
    Outcome,
    ParticipantOut,
    ParticipantPage,
    ParticipationStatus,
    PermitType,
    PersonIn,
    Problem,
    ReconciliationPage,
    RecordIn,
    RecordResultOut,
    Sluttmaal,
    SluttmaalIn,
    TerminationIn,
    TerminationReasonIn,
    UndoTerminationIn,
)


def expect[T](value: object, kind: type[T], what: str) -> T:
    """The reply as the type the step needs; a problem or a surprise ends the flow."""
    if not isinstance(value, kind):
        detail = value.detail if isinstance(value, Problem) else repr(value)
        raise SystemExit(f"{what}: expected {kind.__name__}, got {detail}")
    return value


def synthetic_identity_number(birth: dt.date, individual: int) -> str:
    """A synthetic fødselsnummer (month + 80) with valid check digits."""
    for n in range(individual, individual + 500):
        digits = [int(c) for c in f"{birth:%d}{birth.month + 80:02d}{birth:%y}{n % 500:03d}"]
        k1 = 11 - sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), digits, strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        k2 = (
            11
            - sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), [*digits, k1], strict=True))
            % 11
        )
        k2 = 0 if k2 == 11 else k2
        if k1 < 10 and k2 < 10:
            return "".join(map(str, [*digits, k1, k2]))
    raise ValueError("no synthetic number")


def record(case_id: str, identity_number: str, start: dt.date) -> RecordIn:
    return RecordIn(
        case_id=case_id,
        person=PersonIn(
            identity_number=identity_number,
            given_name="Amina",
            family_name="Testesen",
            birth_date=dt.date(1990, 5, 17),
            permit_type=PermitType.FLYKTNING,
            permit_date=dt.date(2024, 1, 10),
            has_upper_secondary=True,
        ),
        start_date=start,
        sluttmaal=[SluttmaalIn(sluttmaal=Sluttmaal.ARBEID, valid_from=start)],
        decisions=[DecisionIn(decision_type=DecisionType.INNVILGET, decided_on=start)],
        measures=[MeasureIn(measure_type="norskopplaering", start_date=start, hours_per_week=15)],
    )


def all_pages[T](fetch: Callable[[str], tuple[list[T], str, bool]]) -> list[T]:
    """Every item of a list: pages until has_more is false (never an empty last page)."""
    items: list[T] = []
    cursor, more = "0", True
    while more:
        page, cursor, more = fetch(cursor)
        items += page
    return items


def run(base_url: str, token: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
    run_id = uuid.uuid4().hex[:8]
    # The law's dates are Norwegian: today in Europe/Oslo.
    start = dt.datetime.now(ZoneInfo("Europe/Oslo")).date() - dt.timedelta(days=7)
    first = record(f"VF-{run_id}-1", synthetic_identity_number(dt.date(1990, 5, 17), 100), start)
    second = record(f"VF-{run_id}-2", synthetic_identity_number(dt.date(1990, 5, 17), 300), start)

    me = expect(get_me.sync(client=client), MeOut, "me")
    print(f"me: {me.name} for {me.kommune} {me.kommune_name} ({me.method.value})")

    dry = expect(
        upsert_batch.sync(client=client, body=BatchIn(records=[first]), dry_run=True),
        BatchOut,
        "dry run",
    )
    assert dry.dry_run and dry.results[0].outcome is Outcome.CREATED
    gone = get_participation.sync_detailed(first.case_id, client=client)
    assert gone.status_code == 404 and isinstance(gone.parsed, Problem), "a dry run writes nothing"
    print("dry run: «created», nothing written")

    key = str(uuid.uuid4())
    batch = BatchIn(records=[first, second])
    written = upsert_batch.sync_detailed(client=client, body=batch, idempotency_key=key)
    result = expect(written.parsed, BatchOut, "batch")
    assert [r.outcome for r in result.results] == [Outcome.CREATED, Outcome.CREATED]
    replay = upsert_batch.sync_detailed(client=client, body=batch, idempotency_key=key)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.content == written.content
    hashes = {r.case_id: r.content_hash for r in result.results}
    print(f"batch: {result.summary.created} created; the retry got the first reply")

    read = get_participation.sync_detailed(first.case_id, client=client)
    participant = expect(read.parsed, ParticipantOut, "read")
    etag = read.headers["ETag"]
    assert etag == f'"{participant.version}"'
    print(f"read: frist {participant.frist} ({participant.frist_derivation.rule_reference})")
    for line in participant.frist_derivation.explanation:
        print(f"      {line}")

    first.person.given_name = "Amira"
    updated = put_participation.sync_detailed(
        first.case_id, client=client, body=first, if_match=etag, idempotency_key=str(uuid.uuid4())
    )
    changed = expect(updated.parsed, RecordResultOut, "update")
    assert changed.outcome is Outcome.UPDATED and updated.headers["ETag"] != etag
    hashes[first.case_id] = changed.content_hash
    print(f"update with If-Match {etag}: version {changed.version}")

    first.person.given_name = "Amina"
    stale = put_participation.sync_detailed(first.case_id, client=client, body=first, if_match=etag)
    problem = expect(stale.parsed, Problem, "stale update")
    assert stale.status_code == 412 and problem.errors[0].code == "version.stale"
    print(f"stale If-Match {etag}: 412 {problem.errors[0].code}, nothing written")

    # A termination registered in error: undone with the web's correction, under If-Match.
    first.person.given_name = "Amira"
    first.termination = TerminationIn(
        end_date=start + dt.timedelta(days=7), reason=TerminationReasonIn.ARBEID
    )
    ended = put_participation.sync_detailed(
        first.case_id, client=client, body=first, if_match=updated.headers["ETag"]
    )
    assert expect(ended.parsed, RecordResultOut, "end").outcome is Outcome.UPDATED
    assert (
        expect(
            get_participation.sync(first.case_id, client=client), ParticipantOut, "read ended"
        ).status
        is ParticipationStatus.ENDED
    )
    undone = undo_termination.sync_detailed(
        client=client,
        body=UndoTerminationIn(case_id=first.case_id, reason="Avsluttet ved en feil"),
        if_match=ended.headers["ETag"],
        idempotency_key=str(uuid.uuid4()),
    )
    undo = expect(undone.parsed, CorrectionOut, "undo a termination")
    assert undo.outcome is CorrectionOutcome.TERMINATION_UNDONE
    assert undo.status is ParticipationStatus.ACTIVE and undo.end_date is None
    hashes[first.case_id] = undo.content_hash
    print(f"undid the termination of {first.case_id}: {undo.status.value}, version {undo.version}")

    # A measure registered in error: cancelled with the web's correction, under If-Match.
    read = get_participation.sync_detailed(second.case_id, client=client)
    assert isinstance(second.measures, list)
    measure = second.measures[0]
    cancelled = cancel_registration.sync_detailed(
        client=client,
        body=CancelRegistrationIn(
            case_id=second.case_id,
            registration=MeasureToCancel(
                entity="measure",
                measure_type=measure.measure_type,
                start_date=measure.start_date,
                end_date=None,
                hours_per_week=measure.hours_per_week,
            ),
            reason="Registrert ved en feil",
        ),
        if_match=read.headers["ETag"],
        idempotency_key=str(uuid.uuid4()),
    )
    correction = expect(cancelled.parsed, CorrectionOut, "cancel a registration")
    assert correction.outcome is CorrectionOutcome.CANCELLED
    hashes[second.case_id] = correction.content_hash
    print(f"cancelled the measure of {second.case_id}: version {correction.version}")

    def changes(cursor: str) -> tuple[list[str | None], str, bool]:
        page = expect(list_changes.sync(client=client, after=cursor, limit=50), ChangePage, "feed")
        return [e.case_id for e in page.items], page.next_cursor, page.has_more

    feed = set(all_pages(changes))
    assert {first.case_id, second.case_id} <= feed
    print(f"feed: {len(feed)} case ids, ours among them")

    def deadlines(cursor: str) -> tuple[list[str], str, bool]:
        page = expect(
            list_deadlines.sync(client=client, within_days=366, after=cursor, limit=1),
            DeadlinesOut,
            "deadlines",
        )
        return [d.case_id for d in page.items], page.next_cursor, page.has_more

    coming = all_pages(deadlines)
    assert {first.case_id, second.case_id} <= set(coming)
    print(f"deadlines: {len(coming)} frister within a year, a page at a time")

    def grants(cursor: str) -> tuple[list[str], str, bool]:
        page = expect(list_grants.sync(client=client, after=cursor, limit=1), GrantsOut, "grants")
        return [g.status.value for g in page.items], page.next_cursor, page.has_more

    statuses = all_pages(grants)
    print(
        f"grants: {len(statuses)} from IMDi ({statuses.count('active')} active), a page at a time"
    )

    def reconciliation(cursor: str) -> tuple[list[tuple[str, str]], str, bool]:
        page = expect(
            list_reconciliation.sync(client=client, after=cursor, limit=1),
            ReconciliationPage,
            "reconciliation",
        )
        return [(i.case_id, i.content_hash) for i in page.items], page.next_cursor, page.has_more

    listed = dict(all_pages(reconciliation))
    for case_id, content_hash in hashes.items():
        assert listed[case_id] == content_hash, case_id
    summaries = expect(
        list_participations.sync(client=client, active=True),
        ParticipantPage,
        "list",
    )
    assert first.case_id in {s.case_id for s in summaries.items}
    print(f"reconciliation: {len(listed)} participants, the hashes match the writes")
    print("vendor flow: OK")


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
