"""rules-norsk.md N6: end reasons, and the ends the system registers."""

import datetime as dt

import pytest

from nir.rules.errors import RuleViolation
from nir.rules.norsk.end_reasons import (
    FRIST_UTLOPT,
    FRITAK,
    FYLT_67,
    NORSK_END_REASONS,
    NORSKMAAL_NAADD,
    TIMER_GJENNOMFORT,
    SystemEndFacts,
    end_reason,
    system_end,
)
from nir.rules.norsk.final_tests import FinalTestKind, FinalTestResult, ResultSource
from nir.rules.norsk.frist import FristParams
from nir.rules.norsk.fritak import Fritak, FritakGround, FritakKind
from nir.rules.norsk.norskmaal import CefrLevel, Norskmaal, Skill

D = dt.date
B1 = CefrLevel.B1
GOAL = Norskmaal("n1", D(2022, 1, 1), levels=dict.fromkeys(Skill, B1))
PASSED = FinalTestResult(
    "t1",
    FinalTestKind.NORSKPROVE,
    D(2023, 5, 10),
    ResultSource.HKDIR_IMPORT,
    dict.fromkeys(Skill, B1),
)
ENDS_RIGHT = Fritak(
    "f1", FritakKind.OPPLAERING_NORSK, FritakGround.DOKUMENTERT_NORSK, D(2023, 4, 1), True
)
AUTO = FristParams(auto_end_norsk_at_frist=True)


def test_the_catalogue_has_the_book_s_codes_each_with_an_external_code():
    assert set(NORSK_END_REASONS) == {
        NORSKMAAL_NAADD,
        TIMER_GJENNOMFORT,
        FRIST_UTLOPT,
        FRITAK,
        FYLT_67,
        "avbrutt",
        "avvist",
        "flyttet",
        "utvandret",
        "dod",
        "annet",
    }
    assert all(r.external_code for r in NORSK_END_REASONS.values())


@pytest.mark.parametrize(
    ("code", "by_system", "params", "allowed"),
    [
        pytest.param("avbrutt", False, None, True, id="municipality-avbrutt"),
        pytest.param("avbrutt", True, None, False, id="system-may-not-choose-avbrutt"),
        pytest.param(FYLT_67, False, None, False, id="user-may-not-choose-67"),
        pytest.param(FYLT_67, True, None, True, id="system-fylt-67"),
        pytest.param(NORSKMAAL_NAADD, False, None, True, id="norskmaal-by-municipality"),
        pytest.param(NORSKMAAL_NAADD, True, None, True, id="norskmaal-by-system"),
        pytest.param(FRIST_UTLOPT, True, None, False, id="N3-d-frist-switch-off"),
        pytest.param(FRIST_UTLOPT, True, AUTO, True, id="N3-d-frist-switch-on"),
        pytest.param(FRIST_UTLOPT, False, AUTO, False, id="N3-d-user-never-frist"),
    ],
)
def test_who_may_set_each_reason(code, by_system, params, allowed):
    if allowed:
        assert end_reason(code, by_system=by_system, params=params).code == code
    else:
        with pytest.raises(RuleViolation) as refused:
            end_reason(code, by_system=by_system, params=params)
        assert refused.value.code == "norsk.end.reason_not_allowed"


def test_an_unknown_reason_is_refused():
    with pytest.raises(RuleViolation) as refused:
        end_reason("tid_utlopt", by_system=False)
    assert refused.value.code == "norsk.end.unknown_reason"


@pytest.mark.parametrize(
    ("facts", "as_of", "expected"),
    [
        pytest.param(SystemEndFacts(D(2040, 1, 1)), D(2024, 1, 1), None, id="runs-on"),
        pytest.param(
            SystemEndFacts(D(2023, 6, 1)),
            D(2023, 6, 1),
            (FYLT_67, D(2023, 6, 1)),
            id="67th-birthday",
        ),
        pytest.param(
            SystemEndFacts(D(2040, 1, 1), [GOAL], [PASSED]),
            D(2023, 6, 1),
            (NORSKMAAL_NAADD, D(2023, 5, 10)),
            id="norskmaal-from-results",
        ),
        pytest.param(
            SystemEndFacts(D(2040, 1, 1), [GOAL], [PASSED]),
            D(2023, 5, 9),
            None,
            id="results-not-yet-taken",
        ),
        pytest.param(
            SystemEndFacts(D(2040, 1, 1), hours_completed_on=D(2023, 2, 1)),
            D(2023, 6, 1),
            (TIMER_GJENNOMFORT, D(2023, 2, 1)),
            id="duty-only-hours",
        ),
        pytest.param(
            SystemEndFacts(D(2040, 1, 1), fritak=[ENDS_RIGHT]),
            D(2023, 6, 1),
            (FRITAK, D(2023, 4, 1)),
            id="fritak-ends-right",
        ),
        pytest.param(
            SystemEndFacts(D(2040, 1, 1), frist=D(2023, 1, 31)),
            D(2023, 6, 1),
            None,
            id="N3-d-frist-passed-not-ended-by-default",
        ),
        pytest.param(
            SystemEndFacts(D(2040, 1, 1), [GOAL], [PASSED], [ENDS_RIGHT]),
            D(2023, 6, 1),
            (FRITAK, D(2023, 4, 1)),
            id="earliest-wins",
        ),
        pytest.param(
            SystemEndFacts(D(2023, 5, 10), [GOAL], [PASSED]),
            D(2023, 6, 1),
            (NORSKMAAL_NAADD, D(2023, 5, 10)),
            id="same-day-reached-wins",
        ),
    ],
)
def test_the_end_the_system_registers(facts, as_of, expected):
    end = system_end(facts, as_of)
    assert (None if end is None else (end.reason.code, end.end_date)) == expected


def test_N3_d_with_the_switch_on_the_frist_ends_the_ordning_on_the_frist():
    end = system_end(SystemEndFacts(D(2040, 1, 1), frist=D(2023, 1, 31)), D(2023, 2, 1), AUTO)
    assert end is not None
    assert (end.reason.code, end.end_date, end.basis.rule_id) == (
        FRIST_UTLOPT,
        D(2023, 1, 31),
        "norsk.frist.passed",
    )
    assert (
        system_end(SystemEndFacts(D(2040, 1, 1), frist=D(2023, 1, 31)), D(2023, 1, 31), AUTO)
        is None
    )
