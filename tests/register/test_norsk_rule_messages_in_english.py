"""The Norwegian-training rules' refusals read in English too, those that carry dates or
numbers and those that do not."""

import datetime as dt
import re

import pytest
from django.utils import translation

from nir.register.rule_messages import rule_message
from nir.rules.errors import RuleViolation
from nir.rules.norsk.end_reasons import end_reason
from nir.rules.norsk.frist import (
    ExtendedNorwegian,
    FristParams,
    NorskFristFacts,
    check_extended_norwegian,
)
from nir.rules.norsk.fritak import (
    Fritak,
    FritakGround,
    FritakKind,
    RefusedTestGround,
    check_fritak,
)
from nir.rules.norsk.hours import DEFAULT_HOURS_ROWS, select_hours_row
from nir.rules.norsk.norskmaal import (
    CefrLevel,
    EducationBackground,
    Norskmaal,
    Skill,
    check_new_norskmaal,
    propose_norskmaal,
)
from nir.rules.norsk.rights import (
    Krav,
    KravReason,
    NorskCategory,
    NorskPersonFacts,
    PermitList,
    determine_rights,
)
from nir.rules.regime import Regime

D = dt.date
NORWEGIAN = re.compile(r"\b(og|ikke|måneder|år|gjelder|Retten|plikten|etter)\b")
LEVELS = dict.fromkeys(Skill, CefrLevel.B1)


def _refusal(call) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call()
    return caught.value


def _in_english(violation: RuleViolation) -> str:
    with translation.override("en"):
        return rule_message(violation.code, violation.params, violation.message)


KAP6A = NorskFristFacts(
    Regime.INTEGRERINGSLOVEN_KAP6A, NorskCategory.RETT_TIL_NORSK, None, D(2023, 1, 31), False
)
TEST_FRITAK = Fritak(
    "f1", FritakKind.PROVE_NORSK, FritakGround.HELSE_ELLER_TUNGTVEIENDE, D(2023, 1, 1)
)


def _person(**kw):
    return NorskPersonFacts(
        Regime.INTEGRERINGSLOVEN, PermitList.RETT_OG_PLIKT, D(1990, 1, 1), D(2022, 3, 10), **kw
    )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(
            lambda: determine_rights(
                _person(krav=Krav(D(2033, 1, 1), KravReason.OMSORG)), D(2023, 1, 1)
            ),
            "between 10 March 2022 and 10 March 2032 (up to 10 years after they started)",
            id="deferred-start",
        ),
        pytest.param(
            lambda: determine_rights(_person(permit_granted_abroad=True), D(2023, 1, 1)),
            "The right and duty start on arrival in Norway; that date is not registered.",
            id="start-date-missing",
        ),
        pytest.param(
            lambda: propose_norskmaal(EducationBackground.GRUNNSKOLE, D(2020, 1, 1)),
            "No guiding minimum levels apply on 1 January 2020.",
            id="no-guiding-levels",
        ),
        pytest.param(
            lambda: check_new_norskmaal(
                Regime.INTEGRERINGSLOVEN,
                [Norskmaal("n1", D(2022, 5, 1), levels=LEVELS)],
                Norskmaal("n2", D(2022, 5, 1), levels=LEVELS),
            ),
            "after the previous version (1 May 2022)",
            id="norskmaal-version",
        ),
        pytest.param(
            lambda: Norskmaal("n1", D(2022, 1, 1), levels={Skill.ORAL: CefrLevel.B1}),
            "The Norwegian target must have a level for every skill.",
            id="skill-missing",
        ),
        pytest.param(
            lambda: end_reason("tid_utlopt", by_system=False),
            "«tid_utlopt» is not a valid end reason for Norwegian training.",
            id="unknown-end-reason",
        ),
        pytest.param(
            lambda: end_reason("fylt_67", by_system=False),
            "This end reason cannot be chosen here.",
            id="end-reason-not-allowed",
        ),
        pytest.param(
            lambda: select_hours_row(
                (*DEFAULT_HOURS_ROWS, DEFAULT_HOURS_ROWS[1]),
                DEFAULT_HOURS_ROWS[1].group,
                DEFAULT_HOURS_ROWS[1].subject,
                D(2023, 1, 1),
            ),
            "More than one hour target applies on 1 January 2023",
            id="overlapping-hour-rows",
        ),
        pytest.param(
            lambda: check_extended_norwegian(KAP6A, ExtendedNorwegian("u1", D(2024, 1, 31), 7)),
            "can cover 1 to 6 months.",
            id="extended-months",
        ),
        pytest.param(
            lambda: check_extended_norwegian(KAP6A, ExtendedNorwegian("u1", D(2024, 8, 1), 6)),
            "Section 43 g of the Integration Regulations did not apply on 1 August 2024.",
            id="extended-provision-lapsed",
        ),
        pytest.param(
            lambda: check_extended_norwegian(
                KAP6A,
                ExtendedNorwegian("u1", D(2024, 4, 1), 6),
                FristParams(extended_valid_to=None),
            ),
            "between 30 November 2023 and 31 March 2024, two months before and after the "
            "deadline 31 January 2024.",
            id="extended-window",
        ),
        pytest.param(
            lambda: check_extended_norwegian(
                NorskFristFacts(
                    KAP6A.regime,
                    KAP6A.category,
                    None,
                    D(2023, 1, 31),
                    True,
                    (),
                    (ExtendedNorwegian("u1", D(2024, 1, 31), 6),),
                ),
                ExtendedNorwegian("u2", D(2024, 7, 31), 6),
                FristParams(extended_valid_to=None),
            ),
            "At most 1 decisions on extended Norwegian training can be registered.",
            id="extended-count",
        ),
        pytest.param(
            lambda: check_fritak(
                Fritak("f", FritakKind.PROVE_NORSK, FritakGround.OMSORG, D(2023, 1, 1)),
                NorskCategory.RETT_OG_PLIKT,
            ),
            "The exemption cannot be granted on this ground.",
            id="fritak-ground",
        ),
        pytest.param(
            lambda: check_fritak(
                TEST_FRITAK, NorskCategory.RETT_OG_PLIKT, RefusedTestGround.GJENTATTE_FORSOK
            ),
            "This gives no ground for exemption from a test; the test can be adapted instead.",
            id="fritak-refused-ground",
        ),
        pytest.param(
            lambda: check_fritak(TEST_FRITAK, NorskCategory.RETT_OG_PLIKT),
            "An exemption from a test needs a medical assessment or a statement from a doctor.",
            id="static-medical-statement",
        ),
    ],
)
def test_each_worded_norsk_refusal_reads_in_english(call, expected):
    violation = _refusal(call)
    text = _in_english(violation)
    assert expected in text
    assert not NORWEGIAN.search(text), text
    with translation.override("nb"):
        assert rule_message(violation.code, violation.params, violation.message) == (
            violation.message
        )
