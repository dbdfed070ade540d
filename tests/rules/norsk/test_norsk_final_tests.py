"""rules-norsk.md N4 and N2-b: the test duty, the results, and the norskmaal reached."""

import datetime as dt

import pytest

from nir.rules.errors import RuleViolation
from nir.rules.norsk.final_tests import (
    FinalTestKind,
    FinalTestResult,
    ResultSource,
    best_levels,
    check_test_result,
    final_test_duty,
    norskmaal_reached_on,
)
from nir.rules.norsk.norskmaal import CefrLevel, Norskmaal, NorskmaalKind, Skill
from nir.rules.norsk.rights import NorskCategory
from nir.rules.regime import Regime

D = dt.date
A1, A2, B1, B2, C1 = (CefrLevel.A1, CefrLevel.A2, CefrLevel.B1, CefrLevel.B2, CefrLevel.C1)
L, R, W, ORAL = Skill.LISTENING, Skill.READING, Skill.WRITING, Skill.ORAL
GOAL = Norskmaal("n1", D(2022, 1, 1), levels={L: B1, R: B1, W: B1, ORAL: B2})


def norskprove(ref, day, levels, source=ResultSource.HKDIR_IMPORT, document=""):
    return FinalTestResult(
        ref, FinalTestKind.NORSKPROVE, day, source, levels, document_ref=document
    )


@pytest.mark.parametrize(
    ("regime", "category", "permit", "applies"),
    [
        pytest.param(
            Regime.INTEGRERINGSLOVEN,
            NorskCategory.RETT_OG_PLIKT,
            D(2022, 1, 1),
            True,
            id="integreringsloven-rett-og-plikt",
        ),
        pytest.param(
            Regime.INTEGRERINGSLOVEN,
            NorskCategory.PLIKT,
            D(2022, 1, 1),
            True,
            id="integreringsloven-plikt",
        ),
        pytest.param(
            Regime.INTEGRERINGSLOVEN_KAP6A,
            NorskCategory.RETT_TIL_NORSK,
            D(2022, 6, 1),
            False,
            id="kap6a-no-duty",
        ),
        pytest.param(Regime.INTEGRERINGSLOVEN, None, D(2022, 1, 1), False, id="outside-group"),
        pytest.param(
            Regime.INTRODUKSJONSLOVEN,
            NorskCategory.RETT_OG_PLIKT,
            D(2013, 9, 1),
            True,
            id="intro-from-2013-09-01",
        ),
        pytest.param(
            Regime.INTRODUKSJONSLOVEN,
            NorskCategory.RETT_OG_PLIKT,
            D(2013, 8, 31),
            False,
            id="intro-before-voluntary",
        ),
        pytest.param(
            Regime.INTRODUKSJONSLOVEN,
            NorskCategory.RETT,
            D(2015, 1, 1),
            False,
            id="intro-right-only",
        ),
    ],
)
def test_who_must_take_the_final_tests(regime, category, permit, applies):
    assert final_test_duty(regime, category, permit).applies is applies


@pytest.mark.parametrize(
    ("result", "code"),
    [
        pytest.param(
            norskprove("t", D(2023, 1, 1), {L: C1}), "level_outside_test", id="c1-on-a1-b2"
        ),
        pytest.param(
            FinalTestResult(
                "t", FinalTestKind.NORSKPROVE_C1, D(2023, 1, 1), ResultSource.HKDIR_IMPORT, {L: B2}
            ),
            "level_outside_test",
            id="b2-on-c1-test",
        ),
        pytest.param(
            norskprove("t", D(2023, 1, 1), {L: B1}, ResultSource.MANUAL),
            "document_missing",
            id="manual-without-document",
        ),
        pytest.param(
            FinalTestResult(
                "t", FinalTestKind.SAMFUNNSKUNNSKAPSPROVE, D(2023, 1, 1), ResultSource.HKDIR_IMPORT
            ),
            "pass_fail_only_social_studies",
            id="samf-without-pass-fail",
        ),
        pytest.param(
            FinalTestResult(
                "t", FinalTestKind.NORSKPROVE, D(2023, 1, 1), ResultSource.HKDIR_IMPORT, passed=True
            ),
            "pass_fail_only_social_studies",
            id="norsk-with-pass-fail",
        ),
    ],
)
def test_a_result_the_test_cannot_give_is_refused(result, code):
    with pytest.raises(RuleViolation) as refused:
        check_test_result(result)
    assert refused.value.code == f"norsk.tests.{code}"


def test_results_the_tests_can_give_are_accepted():
    check_test_result(norskprove("t", D(2023, 1, 1), {L: B1}, ResultSource.MANUAL, "doc-1"))
    check_test_result(
        FinalTestResult(
            "c", FinalTestKind.NORSKPROVE_C1, D(2023, 1, 1), ResultSource.HKDIR_IMPORT, {ORAL: C1}
        )
    )
    check_test_result(
        FinalTestResult(
            "s",
            FinalTestKind.SAMFUNNSKUNNSKAPSPROVE,
            D(2023, 1, 1),
            ResultSource.MANUAL,
            passed=False,
            document_ref="doc-2",
        )
    )


def test_the_best_result_per_skill_counts():
    results = [
        norskprove("t1", D(2023, 1, 1), {L: B1, R: A2, W: B1, ORAL: B2}),
        norskprove("t2", D(2023, 6, 1), {L: A2, R: B1}),
    ]
    assert best_levels(results, D(2023, 6, 1)) == {L: B1, R: B1, W: B1, ORAL: B2}
    assert best_levels(results, D(2023, 5, 31))[R] is A2


@pytest.mark.parametrize(
    ("results", "reached"),
    [
        pytest.param(
            [norskprove("t1", D(2023, 1, 1), {L: B1, R: B1, W: B1, ORAL: B1})],
            None,
            id="oral-below-goal",
        ),
        pytest.param(
            [
                norskprove("t1", D(2023, 1, 1), {L: B1, R: A2, W: B1, ORAL: B2}),
                norskprove("t2", D(2023, 6, 1), {R: B1}),
            ],
            D(2023, 6, 1),
            id="reached-over-two-sittings",
        ),
        pytest.param(
            [norskprove("t1", D(2023, 1, 1), {L: B2, R: B2, W: B2, ORAL: B2})],
            D(2023, 1, 1),
            id="above-every-skill",
        ),
        pytest.param(
            [norskprove("t1", D(2023, 1, 1), {L: B1, R: B1, W: B1})], None, id="skill-not-passed"
        ),
    ],
)
def test_the_norskmaal_is_reached_when_every_skill_reaches_its_level(results, reached):
    assert norskmaal_reached_on([GOAL], results) == reached


def test_the_norskmaal_in_force_on_the_test_date_decides():
    lowered = Norskmaal("n2", D(2023, 3, 1), levels={L: A2, R: A2, W: A2, ORAL: B1})
    results = [norskprove("t1", D(2023, 1, 1), {L: A2, R: A2, W: A2, ORAL: B1})]
    assert norskmaal_reached_on([GOAL, lowered], results) is None
    later = [*results, norskprove("t2", D(2023, 4, 1), {L: A1})]
    assert norskmaal_reached_on([GOAL, lowered], later) == D(2023, 4, 1)


def test_the_alternative_goal_is_a_passed_c1_test():
    goal = Norskmaal("c", D(2022, 1, 1), kind=NorskmaalKind.NORSKPROVE_C1)
    failed = FinalTestResult(
        "c1", FinalTestKind.NORSKPROVE_C1, D(2023, 1, 1), ResultSource.HKDIR_IMPORT
    )
    passed = FinalTestResult(
        "c2", FinalTestKind.NORSKPROVE_C1, D(2023, 5, 1), ResultSource.HKDIR_IMPORT, {ORAL: C1}
    )
    assert norskmaal_reached_on([goal], [failed]) is None
    assert norskmaal_reached_on([goal], [failed, passed]) == D(2023, 5, 1)
