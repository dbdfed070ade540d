"""New participants in a batch are written set-wise (services/new_participants.py), and the
register ends up exactly as if each record had been sent on its own: the same rows, the same
frist and its derivation, the same versions, the same history with the same legal basis, the
same refusals and the same content hash."""

import dataclasses
import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from nir.register.models import (
    Absence,
    Decision,
    Extension,
    HistoryEvent,
    Leave,
    Measure,
    Participation,
    SluttmaalVersion,
    Stop,
)
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.items import (
    AbsenceItem,
    DecisionItem,
    ExtensionItem,
    LeaveItem,
    MeasureItem,
    SluttmaalItem,
    StopItem,
    TerminationItem,
)
from nir.register.services.persons import PersonData
from nir.register.services.upsert.batch import upsert_participants
from nir.register.services.upsert.canonical import stored_record
from nir.register.services.upsert.records import ParticipantRecord
from nir.register.services.upsert.results import Outcome
from nir.register.services.upsert.upsert import upsert_participant
from nir.rules.identity import make_valid_identity_number
from tests.api.helpers import event_row, result_rows
from tests.conftest import at

D = dt.date
TODAY = D(2024, 3, 1)
NOW = at(TODAY)


@pytest.fixture
def fagsystem(kommune_a):
    return Actor("api:Oslo fagsystem", Channel.API, kommune_a.pk)


def _people(first: int, count: int) -> list[PersonData]:
    """``count`` different persons (not every individual number has a valid check digit)."""
    people = []
    while len(people) < count:
        people.append(_person(first))
        first = int(people[-1].identity_number[6:9]) + 1
    return people


def _person(individual: int, **changes) -> PersonData:
    birth = D(1990, 5, 17)
    person = PersonData(
        identity_number=make_valid_identity_number(birth, individual, synthetic=True),
        given_name=" Amina ",
        family_name="Testesen",
        birth_date=birth,
        permit_type="flyktning",
        permit_date=D(2023, 6, 1),
        has_upper_secondary=True,
    )
    return dataclasses.replace(person, **changes)


def _records() -> list[ParticipantRecord]:
    start = D(2024, 2, 1)
    plain = ParticipantRecord(
        case_id="P-1",
        person=_person(100),
        start_date=start,
        sluttmaal=[SluttmaalItem("arbeid", start)],
        decisions=[DecisionItem("innvilget", start)],
        measures=[MeasureItem(" norskopplaering ", start, None, Decimal("15.50"))],
    )
    return [
        plain,
        # Leave and dated absence move the frist; hours of absence do not.
        dataclasses.replace(
            plain,
            case_id="P-2",
            person=_person(110),
            leaves=[LeaveItem("foreldrepermisjon", D(2024, 2, 10), D(2024, 2, 25), D(2024, 2, 9))],
            absences=[
                AbsenceItem("gyldig_fravaer", D(2024, 2, 5), D(2024, 2, 6), Decimal("7.5")),
            ],
        ),
        # A later sluttmål version, an extension, and a temporary stop.
        dataclasses.replace(
            plain,
            case_id="P-3",
            person=_person(120),
            sluttmaal=[
                SluttmaalItem("arbeid", start),
                SluttmaalItem("hoyere_utdanning", D(2024, 2, 20)),
            ],
            extensions=[ExtensionItem(6, D(2024, 2, 28))],
            stops=[StopItem("midlertidig", D(2024, 2, 12), D(2024, 2, 19), D(2024, 2, 11))],
        ),
        # Ended with a real reason; and ended by a permanent stop.
        dataclasses.replace(
            plain,
            case_id="P-4",
            person=_person(130),
            termination=TerminationItem(D(2024, 2, 26), "arbeid"),
        ),
        dataclasses.replace(
            plain,
            case_id="P-5",
            person=_person(140),
            stops=[StopItem("varig", D(2024, 2, 27), None, D(2024, 2, 27))],
        ),
        # No sluttmål: the frist of § 14 others, flagged; no upper secondary is fine.
        dataclasses.replace(
            plain, case_id="P-6", person=_person(150, has_upper_secondary=None), sluttmaal=[]
        ),
        # Registered late under a grant: the frist has passed, so the register ends it at
        # once, and the record's own termination then replaces «ikke registrert».
        dataclasses.replace(
            plain,
            case_id="P-7",
            person=_person(160),
            start_date=D(2023, 4, 3),
            sluttmaal=[SluttmaalItem("arbeid", D(2023, 4, 3))],
            decisions=[DecisionItem("innvilget", D(2023, 4, 3))],
            measures=[],
            termination=TerminationItem(D(2023, 9, 1), "avbrutt"),
        ),
        dataclasses.replace(
            plain,
            case_id="P-8",
            person=_person(170, given_name="Bashir"),
            start_date=D(2023, 4, 3),
            sluttmaal=[SluttmaalItem("arbeid", D(2023, 4, 3))],
            decisions=[],
            measures=[],
        ),
        # Refused: each for its own rule, named on its own field.
        dataclasses.replace(plain, case_id="R-1", person=_person(180, identity_number="123")),
        dataclasses.replace(
            plain,
            case_id="R-2",
            person=_person(190),
            termination=TerminationItem(D(2024, 3, 20), "arbeid"),
        ),
        dataclasses.replace(
            plain,
            case_id="R-3",
            person=_person(200),
            extensions=[ExtensionItem(60, D(2024, 2, 28))],
        ),
        dataclasses.replace(
            plain,
            case_id="R-4",
            person=_person(210),
            leaves=[LeaveItem("ferie", D(2024, 2, 10), D(2024, 2, 12), D(2024, 2, 9))],
        ),
        dataclasses.replace(
            plain,
            case_id="R-5",
            person=_person(220),
            start_date=D(2022, 12, 1),
            sluttmaal=[SluttmaalItem("arbeid", D(2022, 12, 1))],
        ),
        dataclasses.replace(plain, case_id=" ", person=_person(230)),
    ]


def _grant(kommune, imdi_adviser):
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


_KINDS = {
    "sluttmaal": SluttmaalVersion,
    "decision": Decision,
    "measure": Measure,
    "leave": Leave,
    "absence": Absence,
    "extension": Extension,
    "stop": Stop,
}


def _snapshot() -> dict[str, dict]:
    """Everything a user can see of each participation, with row ids replaced by their
    place (the two paths number rows differently, and nothing else may differ)."""
    out = {}
    for p in Participation.objects.select_related("person"):
        names = {("participation", p.pk): "participation", ("person", p.person_id): "person"}
        for kind, model in _KINDS.items():
            for n, pk in enumerate(
                model.objects.filter(participation=p).order_by("id").values_list("pk", flat=True)
            ):
                names[(kind, pk)] = f"{kind}#{n}"

        def norm(value, names=names):
            text = json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder)
            return re.sub(
                r"(extension|leave|absence):(\d+)", lambda m: names[(m[1], int(m[2]))], text
            )

        events = [
            event_row(e, names, norm)
            for e in HistoryEvent.objects.filter(Q(participation=p) | Q(person=p.person)).order_by(
                "id"
            )
        ]
        out[p.case_id] = {
            "record": norm(stored_record(p)),
            "derivation": norm(p.frist_derivation),
            "version": p.version,
            "person": (p.person.version, p.person.registered_by_kommune_id, p.person.given_name),
            "events": events,
        }
    return out


def test_the_set_based_path_writes_what_one_record_at_a_time_writes(
    fagsystem, kommune_a, imdi_adviser
):
    _grant(kommune_a, imdi_adviser)
    records = _records()

    with transaction.atomic(), CaptureQueriesContext(connection) as one_at_a_time_queries:
        one_by_one = [
            upsert_participant(actor=fagsystem, record=r, index=i, at=NOW)
            for i, r in enumerate(records)
        ]
        expected = _snapshot()
        transaction.set_rollback(True)
    assert Participation.objects.count() == 0
    with CaptureQueriesContext(connection) as queries:
        together = upsert_participants(actor=fagsystem, records=records, at=NOW)

    assert result_rows(together) == result_rows(one_by_one)
    assert _snapshot() == expected
    outcomes = [r.outcome for r in together]
    assert outcomes.count(Outcome.CREATED) == 8 and outcomes.count(Outcome.REJECTED) == 6
    # The eight were written set-wise, with a fraction of the statements.
    assert len(queries) < len(one_at_a_time_queries) / 5


def test_a_batch_of_new_participants_costs_the_same_statements_whatever_its_size(fagsystem):
    def batch(prefix: str, size: int, first: int) -> list[ParticipantRecord]:
        (template, *_) = _records()
        return [
            dataclasses.replace(template, case_id=f"{prefix}-{n}", person=person)
            for n, person in enumerate(_people(first, size))
        ]

    with CaptureQueriesContext(connection) as small:
        upsert_participants(actor=fagsystem, records=batch("S", 5, 300), at=NOW)
    with CaptureQueriesContext(connection) as large:
        upsert_participants(actor=fagsystem, records=batch("L", 60, 400), at=NOW)

    assert Participation.objects.count() == 65
    assert len(large) <= len(small) + 2  # SQLite may split a large insert in two


def test_a_person_twice_in_a_batch_is_taken_one_record_at_a_time(fagsystem):
    (template, *_) = _records()
    first = dataclasses.replace(template, case_id="T-1", person=_person(500))
    second = dataclasses.replace(template, case_id="T-2", person=_person(500))

    results = upsert_participants(actor=fagsystem, records=[first, second], at=NOW)

    assert results[0].outcome is Outcome.CREATED
    assert results[1].outcome is Outcome.REJECTED
    assert results[1].errors[0].violation.code == "participation.already_active"
