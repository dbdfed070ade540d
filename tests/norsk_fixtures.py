"""The Norwegian-training services' tests share Oslo's kommunenorskbruker, N-1's ordning and
a B1 norskmaal with the result that reaches it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from nir.register.norsk_models import NorskParticipation
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, Channel
from nir.register.services.items import NorskmaalItem
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.norsk.final_tests import FinalTestKind, FinalTestResult, ResultSource
from nir.rules.norsk.norskmaal import CefrLevel, Skill
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at

# N-1: rett og plikt with upper secondary education, right from the start (frist 2023-09-10).
START = dt.date(2022, 3, 10)
# The day of the result that reaches the norskmaal (``passing_result``).
PASSED_ON = dt.date(2022, 11, 1)


@pytest.fixture
def norsk_a(kommune_a) -> Actor:
    return Actor("nora@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK}))


@pytest.fixture
def ordning(norsk_a, kommune_a, make_person) -> NorskParticipation:
    """N-1's person: rett og plikt, upper secondary, right from 2022-03-10, permit in
    Norway after 2022-01-01 (the 75-hour social-studies scheme in three modules)."""
    person = make_person(permit_date=START, has_upper_secondary=True, family_name="Norskvik")
    return start_norsk_participation(
        actor=norsk_a,
        person_id=person.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(start_date=START, permit_list=PermitList.RETT_OG_PLIKT),
        at=at(START),
    )


@pytest.fixture
def passing_result(ordning, norsk_a) -> FinalTestResult:
    """The ordning's norskmaal, B1 in every skill, registered from the start, and a manual
    result of B1 in every skill on ``PASSED_ON`` (not registered) that reaches it (N2-b)."""
    register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=NorskmaalItem(START, tuple((s, CefrLevel.B1) for s in Skill)),
        at=at(START),
    )
    return FinalTestResult(
        "r",
        FinalTestKind.NORSKPROVE,
        PASSED_ON,
        ResultSource.MANUAL,
        {s: CefrLevel.B1 for s in Skill},
        document_ref="Vitnemål 7",
    )


def switch_on_auto_end(monkeypatch) -> None:
    """The switch of N3-d on: the register ends an ordning at its passed frist."""
    config = rule_config()
    switched_on = dataclasses.replace(
        config,
        norsk=dataclasses.replace(
            config.norsk,
            frist=dataclasses.replace(config.norsk.frist, auto_end_norsk_at_frist=True),
        ),
    )
    monkeypatch.setattr("nir.register.services.context.rule_config", lambda: switched_on)


@pytest.fixture
def auto_end(monkeypatch) -> None:
    switch_on_auto_end(monkeypatch)
