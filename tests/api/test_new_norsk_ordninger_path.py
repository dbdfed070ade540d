"""New Norwegian-training ordninger in a batch take the programme's set-based path
(services/upsert/batch.py): built on pending rows by the scheme's own services and written
together. The register ends up exactly as if each record had been sent on its own: the same
rows, the same frist and its derivation, the same versions, the same history with the same
legal basis, the same refusals and the same content hash; existing ordninger, and persons
whose facts the record changes, go one at a time as before."""

import dataclasses
import datetime as dt
import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from nir.api.norsk_mapping import norsk_record_in
from nir.api.schemas.norsk import NorskRecordIn
from nir.register.models import HistoryEvent, Person
from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskExemption,
    NorskHours,
    NorskLeave,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.persons import PersonData, register_person
from nir.register.services.upsert.norsk_canonical import stored_norsk_record
from nir.register.services.upsert.norsk_upsert import (
    plan_norsk_batch,
    upsert_norsk_participation,
    upsert_norsk_participations,
)
from nir.register.services.upsert.results import Outcome
from nir.rules.identity import make_valid_identity_number
from nir.rules.schemes import Scheme
from tests.api.helpers import event_row, result_rows
from tests.conftest import at

D = dt.date
TODAY = D(2024, 3, 1)
NOW = at(TODAY)
B1 = dict.fromkeys(
    ("lytteforstaaelse", "leseforstaaelse", "skriftlig_fremstilling", "muntlig_kommunikasjon"),
    "B1",
)


@pytest.fixture
def voksenopplaering(kommune_a):
    return Actor("api:Oslo voksenopplæring", Channel.API, kommune_a.pk, frozenset({Scheme.NORSK}))


def _person(individual: int, **changes) -> dict:
    birth = changes.pop("birth_date", D(1990, 5, 17))
    person = {
        "identity_number": make_valid_identity_number(birth, individual, synthetic=True),
        "given_name": " Amina ",
        "family_name": "Testesen",
        "birth_date": birth.isoformat(),
        "permit_type": "flyktning",
        "permit_date": "2023-06-01",
        "has_upper_secondary": True,
    }
    return person | changes


def _record(case_id: str, person: dict, **fields) -> dict:
    start = "2024-02-01"
    record = {
        "case_id": case_id,
        "person": person,
        "start_date": start,
        "permit_list": "ss27",
        "education_background": "videregaende",
        "norskmaal": [{"valid_from": start, "levels": B1}],
        "hours": [
            {"subject": "norsk", "start_date": start, "end_date": "2024-02-28", "hours": 40.5}
        ],
    }
    return record | fields


def _leave() -> dict:
    return {
        "leave_type": "foreldrepermisjon",
        "start_date": "2024-02-10",
        "end_date": "2024-02-25",
        "decided_on": "2024-02-09",
    }


def _records(known: dict[str, dict]) -> list:
    """Records of every kind the path meets: ``known`` names the persons the register holds
    before the batch (facts as stored, or an open ordning)."""
    late = "2023-04-03"
    raw = [
        _record("N-1", _person(100)),
        # Leave moves the frist.
        _record("N-2", _person(110), leaves=[_leave()]),
        # A test that reaches the norskmål: the register ends the ordning itself (N6).
        _record(
            "N-3",
            _person(120),
            test_results=[
                {
                    "kind": "samfunnskunnskapsprove",
                    "test_date": "2024-02-20",
                    "passed": True,
                    "document_ref": "Vitnemålsportalen 119",
                },
                {
                    "kind": "norskprove",
                    "test_date": "2024-02-27",
                    "levels": B1,
                    "document_ref": "Vitnemålsportalen 118",
                },
            ],
        ),
        # Ended by the municipality; a training exemption that ends the right.
        _record("N-4", _person(130), end={"end_date": "2024-02-26", "reason": "flyttet"}),
        _record(
            "N-5",
            _person(140),
            exemptions=[
                {
                    "kind": "opplaering_norsk",
                    "ground": "helse_eller_tungtveiende",
                    "decision_date": "2024-02-20",
                    "ends_right": True,
                    "medical_statement": True,
                }
            ],
        ),
        # No education known: the frist cannot be computed yet.
        _record(
            "N-6",
            _person(150, has_upper_secondary=None),
            education_background=None,
            norskmaal=[],
        ),
        # Registered late under a grant.
        _record(
            "N-7",
            _person(160, permit_date="2023-03-01"),
            start_date=late,
            norskmaal=[{"valid_from": late, "levels": B1}],
            hours=[],
        ),
        # Kap. 6A: twelve months from the first decision's start.
        _record(
            "N-8",
            _person(
                170,
                permit_type="kollektiv_beskyttelse",
                settlement_date="2023-07-01",
                settled_by_agreement=True,
            ),
            permit_list="kollektiv_beskyttelse",
            norskmaal=[],
        ),
        # A person the register holds, the record's facts equal: set-based too.
        _record("K-1", known["same"]),
        # A person whose facts the record changes: one at a time, the person updated.
        _record("K-2", known["changed"] | {"given_name": "Bashir"}),
        # An ordning the register holds: one at a time, a leave added.
        _record("E-1", known["stored"], leaves=[_leave()]),
        # Refused: each for its own rule, named on its own field.
        _record("R-1", _person(200, identity_number="12345678901")),
        _record("R-2", _person(210), end={"end_date": "2024-03-20", "reason": "flyttet"}),
        _record(
            "R-3",
            _person(220),
            norskmaal=[
                {"valid_from": "2024-02-01", "levels": B1},
                {"valid_from": "2024-02-01", "levels": B1},
            ],
        ),
        _record(
            "R-4",
            _person(230, permit_date="2022-06-01"),
            start_date="2022-12-01",
            norskmaal=[],
            hours=[],
        ),
        # A permit granted before 18 never grows into the target group (N1).
        _record("R-5", _person(240, birth_date=D(2010, 1, 5)), norskmaal=[], hours=[]),
        _record(
            "R-6",
            _person(250),
            hours=[
                {
                    "subject": "norsk",
                    "start_date": "2024-02-01",
                    "end_date": "2024-02-28",
                    "hours": 10,
                    "module": 2,
                }
            ],
        ),
        # A person the register holds with an open ordning: one a person.
        _record("R-7", known["open"]),
        _record(" ", _person(260)),
    ]
    return [norsk_record_in(NorskRecordIn.model_validate(r)) for r in raw]


def _data(person: dict) -> PersonData:
    fields = {f.name for f in dataclasses.fields(PersonData)}
    values = {k: v for k, v in person.items() if k in fields}
    for key in ("birth_date", "permit_date", "settlement_date"):
        if key in values:
            values[key] = D.fromisoformat(values[key])
    return PersonData(**values)


def _register_before(kommune, imdi_adviser, actor) -> dict[str, dict]:
    """What the register holds before either path runs: a grant, three persons, and an
    ordning (on the web, by the municipality's caseworker)."""
    grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(
            kommune_id=kommune.pk,
            covers_from=D(2023, 3, 1),
            covers_to=D(2023, 12, 31),
            expires_on=D(2024, 6, 1),
            reason="Etterregistrering av deltakere som flyttet inn",
        ),
        at=NOW,
    )
    known = {"same": _person(300), "changed": _person(310), "open": _person(320)}
    for person in known.values():
        register_person(actor=actor, data=_data(person), at=NOW)
    known["stored"] = _person(330)
    for case_id, person in (("O-1", known["open"]), ("E-1", known["stored"])):
        record = norsk_record_in(NorskRecordIn.model_validate(_record(case_id, person)))
        assert upsert_norsk_participation(actor=actor, record=record, at=NOW).outcome in (
            Outcome.CREATED,
        )
    return known


_ROWS = {
    "norskmaal": NorskmaalVersion,
    "norsk_leave": NorskLeave,
    "extended_norwegian": ExtendedNorwegianDecision,
    "norsk_hours": NorskHours,
    "norsk_test_result": NorskTestResult,
    "norsk_exemption": NorskExemption,
}


def _snapshot() -> dict[str, dict]:
    """Everything a user can see of each ordning, with row ids replaced by their place (the
    two paths number rows differently, and nothing else may differ)."""
    out = {}
    for row in NorskParticipation.objects.select_related("person"):
        names = {("norsk_participation", row.pk): "ordning", ("person", row.person_id): "person"}
        refs = {}
        for entity, model in _ROWS.items():
            pks = model.objects.filter(norsk_participation=row).order_by("id")
            for n, pk in enumerate(pks.values_list("pk", flat=True)):
                names[(entity, pk)] = f"{entity}#{n}"
                if model in (NorskLeave, ExtendedNorwegianDecision):
                    # The frist's derivation names its clock stops and § 43 g decisions.
                    refs[str(pk)] = names[(entity, pk)]

        def norm(value, refs=refs):
            text = json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder)
            return re.sub(r'"ref": "(\d+)"', lambda m: f'"ref": "{refs[m[1]]}"', text)

        events = [
            event_row(e, names, norm)
            for e in HistoryEvent.objects.filter(
                Q(norsk_participation=row) | Q(person=row.person, norsk_participation=None)
            ).order_by("id")
        ]
        person = row.person
        out[row.case_id] = {
            "record": norm(stored_norsk_record(row)),
            "derivation": norm(row.frist_derivation),
            "version": row.version,
            "person": (person.version, person.registered_by_kommune_id, person.given_name),
            "events": events,
        }
    return out


def test_the_set_based_path_writes_what_one_record_at_a_time_writes(
    voksenopplaering, kommune_a, imdi_adviser
):
    records = _records(_register_before(kommune_a, imdi_adviser, voksenopplaering))
    stored = NorskParticipation.objects.count()

    with transaction.atomic(), CaptureQueriesContext(connection) as one_at_a_time_queries:
        one_by_one = [
            upsert_norsk_participation(actor=voksenopplaering, record=r, index=i, at=NOW)
            for i, r in enumerate(records)
        ]
        expected = _snapshot()
        transaction.set_rollback(True)
    assert NorskParticipation.objects.count() == stored
    with CaptureQueriesContext(connection) as queries:
        plan = plan_norsk_batch(actor=voksenopplaering, records=records, at=NOW)
        together = upsert_norsk_participations(actor=voksenopplaering, records=records, plan=plan)

    # The person whose facts change, the stored ordning and the person with an open one go
    # one at a time; the rest, the known person with equal facts too, on pending rows.
    assert [records[i].case_id for i in plan.one_at_a_time] == ["K-2", "E-1", "R-7"]

    assert result_rows(together) == result_rows(one_by_one)
    assert _snapshot() == expected
    outcomes = {r.case_id: r.outcome for r in together}
    assert [c for c, o in outcomes.items() if o is Outcome.CREATED] == [
        "N-1",
        "N-2",
        "N-3",
        "N-4",
        "N-5",
        "N-6",
        "N-7",
        "N-8",
        "K-1",
        "K-2",
    ]
    assert (outcomes["E-1"], outcomes["R-7"]) == (Outcome.UPDATED, Outcome.REJECTED)
    assert [(r.case_id, r.errors[0].field, r.errors[0].violation.code) for r in together[11:]] == [
        ("R-1", "person.identity_number", "identity_number.date"),
        ("R-2", "end.end_date", "termination.in_future"),
        ("R-3", "norskmaal[1].valid_from", "norsk.norskmaal.valid_from_not_after_previous"),
        ("R-4", "start_date", "registration_window.closed"),
        ("R-5", "category", "norsk.rights.not_in_group"),
        ("R-6", "hours[0].module", "norsk.hours.no_modules"),
        ("R-7", "person", "norsk.participation.open"),
        (" ", "case_id", "case_id.required"),
    ]
    ended = {o.case_id: (o.end_reason, o.end_set_by) for o in NorskParticipation.objects.all()}
    assert ended["N-3"] == ("norskmal_nadd", "system")
    assert ended["N-4"] == ("flyttet", "municipality")
    assert Person.objects.get(norsk_participations__case_id="K-2").given_name == "Bashir"
    # The new ones were written set-wise, with a fraction of the statements.
    assert len(queries) < len(one_at_a_time_queries) / 4


def test_a_batch_of_new_ordninger_costs_the_same_statements_whatever_its_size(voksenopplaering):
    def batch(prefix: str, size: int, first: int) -> list:
        raw = []
        while len(raw) < size:
            person = _person(first)
            raw.append(_record(f"{prefix}-{len(raw)}", person, leaves=[_leave()]))
            first = int(person["identity_number"][6:9]) + 1
        return [norsk_record_in(NorskRecordIn.model_validate(r)) for r in raw]

    with CaptureQueriesContext(connection) as small:
        upsert_norsk_participations(actor=voksenopplaering, records=batch("S", 5, 400), at=NOW)
    with CaptureQueriesContext(connection) as large:
        upsert_norsk_participations(actor=voksenopplaering, records=batch("L", 60, 500), at=NOW)

    assert NorskParticipation.objects.count() == 65
    assert len(large) <= len(small) + 2  # SQLite may split a large insert in two


def test_a_person_twice_in_a_batch_is_taken_one_record_at_a_time(voksenopplaering):
    person = _person(600)
    records = [
        norsk_record_in(NorskRecordIn.model_validate(_record(case_id, person)))
        for case_id in ("T-1", "T-2")
    ]

    results = upsert_norsk_participations(actor=voksenopplaering, records=records, at=NOW)

    assert results[0].outcome is Outcome.CREATED
    assert results[1].outcome is Outcome.REJECTED
    assert results[1].errors[0].violation.code == "norsk.participation.open"


def test_a_refused_record_leaves_the_others_of_the_batch_written(voksenopplaering):
    good = [_record(f"G-{n}", _person(700 + 10 * n)) for n in range(3)]
    bad = _record("B-1", _person(760), end={"end_date": "2024-03-20", "reason": "flyttet"})
    records = [norsk_record_in(NorskRecordIn.model_validate(r)) for r in (good[0], bad, *good[1:])]

    results = upsert_norsk_participations(actor=voksenopplaering, records=records, at=NOW)

    assert [r.outcome for r in results] == [
        Outcome.CREATED,
        Outcome.REJECTED,
        Outcome.CREATED,
        Outcome.CREATED,
    ]
    assert sorted(NorskParticipation.objects.values_list("case_id", flat=True)) == [
        "G-0",
        "G-1",
        "G-2",
    ]
    # Nothing of the refused record: no person, no history.
    refused = Person.objects.filter(identity_number=records[1].person.identity_number)
    assert not refused.exists()
    written = set(NorskParticipation.objects.values_list("person_id", flat=True))
    assert set(HistoryEvent.objects.values_list("person_id", flat=True)) == written
    # Each good one whole: its start, norskmål and hours.
    assert HistoryEvent.objects.filter(norsk_participation__isnull=False).count() == 3 * 3


def test_an_ordning_written_by_another_request_after_the_plan_sends_the_batch_one_at_a_time(
    voksenopplaering,
):
    records = [
        norsk_record_in(NorskRecordIn.model_validate(_record(f"C-{n}", _person(800 + 10 * n))))
        for n in range(3)
    ]
    plan = plan_norsk_batch(actor=voksenopplaering, records=records, at=NOW)
    # Another request registers the second record's ordning before this batch writes.
    upsert_norsk_participation(actor=voksenopplaering, record=records[1], at=NOW)

    results = upsert_norsk_participations(actor=voksenopplaering, records=records, plan=plan)

    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.UNCHANGED, Outcome.CREATED]
    assert NorskParticipation.objects.count() == 3
