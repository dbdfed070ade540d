"""rules-norsk.md's worked examples N-1..N-8 again, through the services: the person as the
register holds them, the ordning started, leave and § 43 g decisions registered on the day
they happen, and the frist read back from the stored row. The rows are the rules tests'
(tests/rules/norsk), translated into registrations."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from nir.register.models import HistoryEvent
from nir.register.norsk_models import ExtendedNorwegianDecision, NorskParticipation
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, Channel
from nir.register.services.items import ExtendedNorwegianItem, LeaveItem
from nir.register.services.norsk import (
    NewNorskParticipation,
    start_norsk_participation,
)
from nir.register.services.norsk_registrations import (
    register_norsk_item,
)
from nir.rules.errors import RuleViolation
from nir.rules.norsk.rights import PermitList
from nir.rules.regime import Regime
from nir.rules.schemes import Scheme
from tests.conftest import at
from tests.rules.norsk.test_norsk_worked_examples import FRIST_EXAMPLES, PROLONGED

D = dt.date
NORSK = frozenset({Scheme.NORSK})


@pytest.fixture
def norsk_a(kommune_a) -> Actor:
    return Actor("nora@oslo", Channel.WEB, kommune_a.pk, NORSK)


@pytest.fixture
def prolonged(monkeypatch):
    """§ 43 g prolonged (N10 6), as the rules tests' N-4 and N-6 assume."""
    config = rule_config()
    changed = dataclasses.replace(config, norsk=dataclasses.replace(config.norsk, frist=PROLONGED))
    monkeypatch.setattr("nir.register.services.context.rule_config", lambda: changed)


def _person_for(facts, make_person):
    """A person whose registered facts give the example's regime and anchor."""
    if facts.regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        permit = facts.first_decision_start - dt.timedelta(days=60)
        # Kap. 6A's frist does not read the education, but a § 43 g decision needs it
        # registered; the rules accept N-4's decision without upper secondary.
        vgo = False if facts.has_upper_secondary is None else facts.has_upper_secondary
        return (
            make_person(
                permit_type="kollektiv_beskyttelse",
                permit_date=permit,
                settlement_date=permit + dt.timedelta(days=30),
                has_upper_secondary=vgo,
            ),
            PermitList.KOLLEKTIV_BESKYTTELSE,
            facts.first_decision_start,
        )
    return (
        make_person(permit_date=facts.right_start, has_upper_secondary=facts.has_upper_secondary),
        PermitList.RETT_OG_PLIKT,
        facts.right_start,
    )


def _through_services(facts, actor, kommune, make_person):
    person, permit_list, start = _person_for(facts, make_person)
    row = start_norsk_participation(
        actor=actor,
        person_id=person.pk,
        kommune_id=kommune.pk,
        new=NewNorskParticipation(start_date=start, permit_list=permit_list),
        at=at(start),
    )
    assert row.regime == facts.regime.value
    for leave in facts.leaves:
        register_norsk_item(
            actor=actor,
            norsk_participation_id=row.pk,
            item=LeaveItem(
                "foreldrepermisjon", leave.interval.start, leave.interval.end, leave.interval.start
            ),
            at=at(leave.interval.start),
        )
    for decision in facts.extended:
        register_norsk_item(
            actor=actor,
            norsk_participation_id=row.pk,
            item=ExtendedNorwegianItem(decision.decision_date, decision.months),
            at=at(decision.decision_date),
        )
    return NorskParticipation.objects.get(pk=row.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("facts", "params", "expected"), FRIST_EXAMPLES)
def test_the_frist_of_each_worked_example_through_the_services(
    facts, params, expected, norsk_a, kommune_a, make_person, request
):
    if params is PROLONGED:
        request.getfixturevalue("prolonged")
    row = _through_services(facts, norsk_a, kommune_a, make_person)
    assert row.frist == expected
    assert row.frist_derivation["frist"] == expected.isoformat()
    assert row.version == 1 + len(facts.leaves) + len(facts.extended)
    actions = list(
        HistoryEvent.objects.filter(norsk_participation=row).values_list("action", flat=True)
    )
    assert actions[0] == "norsk_participation_started"
    assert actions.count("norsk_leave_registered") == len(facts.leaves)


def _kap6a(make_person, norsk_a, kommune_a, start, vgo):
    permit = start - dt.timedelta(days=60)
    person = make_person(
        permit_type="kollektiv_beskyttelse",
        permit_date=permit,
        settlement_date=permit + dt.timedelta(days=30),
        has_upper_secondary=vgo,
    )
    return start_norsk_participation(
        actor=norsk_a,
        person_id=person.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(start_date=start, permit_list=PermitList.KOLLEKTIV_BESKYTTELSE),
        at=at(start),
    )


@pytest.mark.django_db
def test_N_5_a_43_g_decision_outside_two_months_of_the_frist_is_refused(
    norsk_a, kommune_a, make_person, prolonged
):
    row = _kap6a(make_person, norsk_a, kommune_a, D(2023, 1, 31), vgo=False)
    assert row.frist == D(2024, 1, 31)
    with pytest.raises(RuleViolation) as refused:
        register_norsk_item(
            actor=norsk_a,
            norsk_participation_id=row.pk,
            item=ExtendedNorwegianItem(D(2023, 11, 29), 6),
            at=at(D(2023, 11, 29)),
        )
    assert refused.value.code == "norsk.frist.extended.decision_date_window"
    register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=row.pk,
        item=ExtendedNorwegianItem(D(2023, 11, 30), 6),
        at=at(D(2023, 11, 30)),
    )
    assert NorskParticipation.objects.get(pk=row.pk).frist == D(2024, 7, 31)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("vgo", "allowed", "last_frist"),
    [
        pytest.param(False, 4, D(2026, 9, 1), id="N-6a"),
        pytest.param(True, 1, D(2025, 3, 1), id="N-6c"),
    ],
)
def test_N_6_the_count_of_43_g_decisions_follows_education_through_the_services(
    vgo, allowed, last_frist, norsk_a, kommune_a, make_person, prolonged
):
    row = _kap6a(make_person, norsk_a, kommune_a, D(2023, 9, 1), vgo=vgo)
    for _ in range(allowed):
        frist = NorskParticipation.objects.get(pk=row.pk).frist
        register_norsk_item(
            actor=norsk_a,
            norsk_participation_id=row.pk,
            item=ExtendedNorwegianItem(frist, 6),
            at=at(frist),
        )
    row = NorskParticipation.objects.get(pk=row.pk)
    assert row.frist == last_frist
    assert [
        d.grant_nok for d in ExtendedNorwegianDecision.objects.filter(norsk_participation=row)
    ] == [27_450] * allowed
    grants = HistoryEvent.objects.filter(
        norsk_participation=row, action="extended_norwegian_granted"
    )
    assert grants.count() == allowed
    with pytest.raises(RuleViolation) as refused:
        register_norsk_item(
            actor=norsk_a,
            norsk_participation_id=row.pk,
            item=ExtendedNorwegianItem(last_frist, 6),
            at=at(last_frist),
        )
    assert refused.value.code == "norsk.frist.extended.count"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("birth_date", "permit_date", "category"),
    [
        pytest.param(D(2004, 1, 15), D(2021, 12, 15), None, id="N-7"),
        pytest.param(D(2004, 1, 15), D(2022, 1, 15), "rett_og_plikt", id="N-7-at-18"),
    ],
)
def test_N_7_a_permit_granted_at_17_gives_no_ordning(
    birth_date, permit_date, category, norsk_a, kommune_a, make_person
):
    person = make_person(birth_date=birth_date, permit_date=permit_date)
    start = D(2023, 1, 10)

    def start_it():
        return start_norsk_participation(
            actor=norsk_a,
            person_id=person.pk,
            kommune_id=kommune_a.pk,
            new=NewNorskParticipation(start_date=start, permit_list=PermitList.RETT_OG_PLIKT),
            at=at(start),
        )

    if category is None:
        with pytest.raises(RuleViolation) as refused:
            start_it()
        assert refused.value.code == "norsk.rights.not_in_group"
        assert not NorskParticipation.objects.filter(person=person).exists()
    else:
        assert start_it().category == category


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("abroad", "arrival", "expected_frist"),
    [
        pytest.param(False, None, D(2023, 5, 15), id="N-8a-permit-in-norway"),
        pytest.param(True, D(2022, 1, 10), D(2023, 7, 10), id="N-8b-permit-abroad"),
    ],
)
def test_N_8_the_anchor_follows_the_permit_or_the_arrival(
    abroad, arrival, expected_frist, norsk_a, kommune_a, make_person
):
    """N-8's permit of 2021-11-15, in Norway or abroad: the right starts on the permit date
    or on arrival (N1), and the 18 months count from there (the hours of social studies
    that N-8 sets are the rules' timemaal, not stored)."""
    person = make_person(permit_date=D(2021, 11, 15), arrival_date=arrival)
    row = start_norsk_participation(
        actor=norsk_a,
        person_id=person.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(
            start_date=D(2022, 2, 1),
            permit_list=PermitList.RETT_OG_PLIKT,
            permit_granted_abroad=abroad,
        ),
        at=at(D(2022, 2, 1)),
    )
    assert row.right_start == (arrival or D(2021, 11, 15))
    assert row.frist == expected_frist
