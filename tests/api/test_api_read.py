"""Reading through the API: a participant with its frist and why, the change feed, the
reconciliation list and the coming deadlines, each as the committed contract promises."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from nir.register.services.context import Actor, Channel
from nir.register.services.items import MeasureItem
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.registrations import register_item
from tests.api.helpers import assert_matches_contract, make_record, today
from tests.conftest import at


def test_a_participant_comes_with_its_frist_derivation_status_and_what_is_missing(fagsystem_a):
    record = make_record("R-1")
    fagsystem_a.batch([record])

    response = fagsystem_a.participant("R-1")

    assert response.status_code == 200
    body = response.json()
    start = dt.date.fromisoformat(record["start_date"])
    assert body["status"] == "active"
    assert body["frist"] == body["frist_derivation"]["frist"]
    assert body["frist_derivation"]["rule_reference"] == "integreringsloven § 13"
    assert body["frist_derivation"]["start"] == start.isoformat()
    assert body["frist_derivation"]["explanation"]
    assert [m["code"] for m in body["missing"]] == ["measures"]
    assert body["missing"][0]["rule"] == "missing.measures"
    assert response["ETag"] == f'"{body["version"]}"'
    assert body["record"]["person"]["identity_number"] == record["person"]["identity_number"]


def _a_caseworker_registers_a_measure(kommune, participation_id: int) -> None:
    register_item(
        actor=Actor("kari.saksbehandler@oslo", Channel.WEB, kommune.pk),
        participation_id=participation_id,
        item=MeasureItem(
            measure_type="norskopplaering", start_date=today(), end_date=None, hours_per_week=15
        ),
    )


def _measure_queries(caller, case_id: str) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as captured:
        body = caller.participant(case_id).json()
    return body, sum(q["sql"].startswith('SELECT "register_measure"') for q in captured)


def test_a_participant_read_again_is_cached_and_a_change_is_read_at_once(fagsystem_a, kommune_a):
    result = fagsystem_a.batch([make_record("C-1")]).json()["results"][0]
    first, read = _measure_queries(fagsystem_a, "C-1")
    again, read_again = _measure_queries(fagsystem_a, "C-1")
    # The same reply, without reading the stored record again.
    assert (again, read, read_again) == (first, 1, 0)
    assert [m["code"] for m in first["missing"]] == ["measures"]
    _a_caseworker_registers_a_measure(kommune_a, result["participation_id"])
    changed, read = _measure_queries(fagsystem_a, "C-1")
    assert (changed["missing"], changed["version"] > first["version"], read) == ([], True, 1)
    assert [m["measure_type"] for m in changed["record"]["measures"]] == ["norskopplaering"]


def test_an_unknown_case_id_is_a_404_problem(fagsystem_a):
    response = fagsystem_a.get("/api/v1/participations/nope")

    assert_matches_contract(response, "get", "/api/v1/participations/{case_id}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_case_ids_with_slashes_are_reachable(fagsystem_a):
    fagsystem_a.batch([make_record("2025/0042/a")])

    assert fagsystem_a.participant("2025/0042/a").json()["case_id"] == "2025/0042/a"


def test_the_change_feed_lists_what_happened_after_the_cursor(fagsystem_a):
    fagsystem_a.batch([make_record("F-1")])
    first = fagsystem_a.get("/api/v1/changes")
    body = assert_matches_contract(first, "get", "/api/v1/changes")
    actions = [e["action"] for e in body["items"]]
    assert "participation_created" in actions and "person_registered" in actions
    assert {e["case_id"] for e in body["items"] if e["participation_id"]} == {"F-1"}

    cursor = body["next_cursor"]
    assert fagsystem_a.get(f"/api/v1/changes?after={cursor}").json()["items"] == []

    record = make_record("F-2")
    fagsystem_a.batch([record])
    later = fagsystem_a.get(f"/api/v1/changes?after={cursor}").json()
    assert later["items"] and all(e["id"] > int(cursor) for e in later["items"])
    assert {e["case_id"] for e in later["items"] if e["participation_id"]} == {"F-2"}


def test_the_feed_pages_by_limit(fagsystem_a):
    fagsystem_a.batch([make_record(f"FP-{n}") for n in range(3)])

    page = fagsystem_a.get("/api/v1/changes?limit=2").json()

    assert len(page["items"]) == 2 and page["has_more"] is True
    rest = fagsystem_a.get(f"/api/v1/changes?limit=100&after={page['next_cursor']}").json()
    assert rest["items"] and rest["has_more"] is False
    assert rest["next_cursor"] == str(rest["items"][-1]["id"])


def test_reconciliation_gives_every_participant_with_version_and_hash(fagsystem_a):
    results = fagsystem_a.batch([make_record(f"K-{n}") for n in range(3)]).json()["results"]

    response = fagsystem_a.get("/api/v1/reconciliation")

    body = assert_matches_contract(response, "get", "/api/v1/reconciliation")
    listed = {i["case_id"]: (i["version"], i["content_hash"]) for i in body["items"]}
    assert listed == {r["case_id"]: (r["version"], r["content_hash"]) for r in results}
    assert body["has_more"] is False


def test_reconciliation_shows_a_caseworkers_change_as_a_new_hash(fagsystem_a, kommune_a):
    result = fagsystem_a.batch([make_record("K-9")]).json()["results"][0]
    _a_caseworker_registers_a_measure(kommune_a, result["participation_id"])

    item = fagsystem_a.get("/api/v1/reconciliation").json()["items"][0]

    assert item["content_hash"] != result["content_hash"]
    assert item["version"] > result["version"]


def test_reconciliation_pages_with_a_cursor(fagsystem_a):
    fagsystem_a.batch([make_record(f"KP-{n}") for n in range(5)])

    first = fagsystem_a.get("/api/v1/reconciliation?limit=2").json()
    second = fagsystem_a.get(f"/api/v1/reconciliation?limit=2&after={first['next_cursor']}").json()
    third = fagsystem_a.get(f"/api/v1/reconciliation?limit=2&after={second['next_cursor']}").json()

    case_ids = [i["case_id"] for page in (first, second, third) for i in page["items"]]
    assert case_ids == [f"KP-{n}" for n in range(5)]
    assert [p["has_more"] for p in (first, second, third)] == [True, True, False]


def test_the_participant_list_pages_and_filters_active(fagsystem_a):
    fagsystem_a.batch([make_record(f"L-{n}") for n in range(3)])

    response = fagsystem_a.get("/api/v1/participations?limit=2&active=true")

    body = assert_matches_contract(response, "get", "/api/v1/participations")
    assert [i["case_id"] for i in body["items"]] == ["L-0", "L-1"]
    assert body["next_cursor"] == str(body["items"][-1]["id"]) and body["has_more"] is True


def test_upcoming_deadlines_lists_open_participations_whose_frist_is_near(
    fagsystem_a, make_person, caseworker_a, kommune_a
):
    # § 13: six months. Started (and registered) five months and three weeks ago.
    soon = today() - dt.timedelta(days=30 * 5 + 21)
    far = today() - dt.timedelta(days=20)
    for case_id, start in (("D-soon", soon), ("D-far", far)):
        person = make_person(registered_on=start)
        create_participation(
            actor=caseworker_a,
            person_id=person.pk,
            new=NewParticipation(start_date=start, sluttmaal="arbeid", case_id=case_id),
            kommune_id=kommune_a.pk,
            at=at(start),
        )

    response = fagsystem_a.get("/api/v1/deadlines?within_days=30")

    body = assert_matches_contract(response, "get", "/api/v1/deadlines")
    assert [i["case_id"] for i in body["items"]] == ["D-soon"]
    item = body["items"][0]
    assert 0 <= item["days_left"] <= 30
    assert body["as_of"] == today().isoformat()


def test_deadlines_come_a_page_at_a_time_soonest_first_with_every_one_once(
    fagsystem_a, make_person, caseworker_a, kommune_a
):
    # § 13: six months. Started on five days a week apart, so the frister differ; two share one.
    starts = [today() - dt.timedelta(days=30 * 5 + 25 - 3 * n) for n in range(4)] + [
        today() - dt.timedelta(days=30 * 5 + 25)
    ]
    for n, start in enumerate(starts):
        person = make_person(registered_on=start)
        create_participation(
            actor=caseworker_a,
            person_id=person.pk,
            new=NewParticipation(start_date=start, sluttmaal="arbeid", case_id=f"P-{n}"),
            kommune_id=kommune_a.pk,
            at=at(start),
        )

    seen, cursor = [], None
    for _ in range(5):
        query = "/api/v1/deadlines?within_days=60&limit=2" + (f"&after={cursor}" if cursor else "")
        body = assert_matches_contract(fagsystem_a.get(query), "get", "/api/v1/deadlines")
        seen += [(i["frist"], i["id"], i["case_id"]) for i in body["items"]]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break

    assert sorted(c for _, _, c in seen) == ["P-0", "P-1", "P-2", "P-3", "P-4"]
    assert seen == sorted(seen)
    # Five frister, pages of five: one full page that says it is the last.
    exact = fagsystem_a.get("/api/v1/deadlines?within_days=60&limit=5").json()
    assert len(exact["items"]) == 5 and exact["has_more"] is False
    after = fagsystem_a.get(f"/api/v1/deadlines?within_days=60&after={exact['next_cursor']}")
    assert after.json()["items"] == [] and after.json()["next_cursor"] == exact["next_cursor"]
    refused = fagsystem_a.get("/api/v1/deadlines?after=2025-13-40:1")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "after"
    refused = fagsystem_a.get("/api/v1/deadlines?after=12")
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "schema.cursor"
    refused = fagsystem_a.get("/api/v1/deadlines?after=x")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "after"


def test_me_tells_the_client_which_municipality_it_acts_for(fagsystem_a):
    response = fagsystem_a.get("/api/v1/me")

    body = assert_matches_contract(response, "get", "/api/v1/me")
    assert body["kommune"] == "0301" and body["method"] == "token"


def test_every_read_of_a_participant_is_in_the_access_log(fagsystem_a):
    from nir.audit.models import AccessLogEntry

    fagsystem_a.batch([make_record("LOG-1")])
    before = AccessLogEntry.objects.count()

    fagsystem_a.participant("LOG-1")
    fagsystem_a.get("/api/v1/reconciliation")

    entries = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [(e.action, e.channel, e.organisation, e.actor) for e in entries] == [
        ("api_view_participant", "api", "0301", "api:Oslo fagsystem"),
        ("api_reconciliation", "api", "0301", "api:Oslo fagsystem"),
    ]
    assert all(e.person_count == 1 for e in entries)


def test_the_stored_record_read_back_and_resent_is_unchanged(fagsystem_a):
    record = make_record("RT-1")
    start = dt.date.fromisoformat(record["start_date"])

    def day(n):
        return (start + dt.timedelta(days=n)).isoformat()

    record |= {
        "measures": [
            {"measure_type": "norskopplaering", "start_date": day(1), "hours_per_week": 15},
            {
                "measure_type": "arbeidspraksis",
                "start_date": day(2),
                "end_date": day(9),
                "hours_per_week": 7.5,
            },
        ],
        "absences": [
            {
                "absence_type": "gyldig_fravaer",
                "start_date": day(3),
                "end_date": day(3),
                "hours": 3.5,
            },
            {
                "absence_type": "sykefravaer_legeerklaering",
                "start_date": day(4),
                "end_date": day(5),
            },
        ],
        "leaves": [
            {"leave_type": "sykdom", "start_date": day(6), "end_date": day(8), "decided_on": day(5)}
        ],
        "extensions": [{"months": 2, "decided_on": day(7)}],
        "stops": [
            {"kind": "midlertidig", "start_date": day(8), "end_date": day(9), "decided_on": day(8)}
        ],
    }
    created = fagsystem_a.batch([record]).json()["results"][0]
    assert created["outcome"] == "created", created["errors"]

    stored = fagsystem_a.participant("RT-1").json()
    again = fagsystem_a.batch([stored["record"]]).json()["results"][0]

    assert again["outcome"] == "unchanged"
    assert again["content_hash"] == created["content_hash"] == stored["content_hash"]
    assert stored["frist_derivation"]["extension_months"] == 2
    assert stored["frist_derivation"]["leave_days"] == 3
