"""rules-norsk.md N2: the norskmaal proposed by education background, and its versions."""

import datetime as dt

import pytest

from nir.rules.errors import RuleViolation
from nir.rules.norsk.norskmaal import (
    CefrLevel,
    EducationBackground,
    Norskmaal,
    NorskmaalKind,
    NorskmaalParams,
    Skill,
    check_new_norskmaal,
    has_norskmaal,
    norskmaal_on,
    propose_norskmaal,
)
from nir.rules.regime import Regime

D = dt.date
A2, B1, B2, C1 = CefrLevel.A2, CefrLevel.B1, CefrLevel.B2, CefrLevel.C1


def levels(receptive, oral):
    return {
        Skill.LISTENING: receptive,
        Skill.READING: receptive,
        Skill.WRITING: receptive,
        Skill.ORAL: oral,
    }


@pytest.mark.parametrize(
    ("background", "needs_b2", "expected"),
    [
        pytest.param(
            EducationBackground.UTEN_GRUNNSKOLE, False, levels(A2, B1), id="no-grunnskole"
        ),
        pytest.param(EducationBackground.GRUNNSKOLE, False, levels(B1, B1), id="grunnskole"),
        pytest.param(EducationBackground.VIDEREGAENDE, False, levels(B1, B2), id="videregaende"),
        pytest.param(EducationBackground.VIDEREGAENDE, True, levels(B2, B2), id="videregaende-b2"),
        # Only upper secondary may ask for B2 everywhere; the flag means nothing below it.
        pytest.param(EducationBackground.GRUNNSKOLE, True, levels(B1, B1), id="b2-flag-ignored"),
    ],
)
def test_the_guiding_levels_by_education_background(background, needs_b2, expected):
    proposal = propose_norskmaal(background, D(2022, 1, 1), needs_b2=needs_b2)
    assert dict(proposal.levels) == expected
    assert [b.rule_id for b in proposal.basis] == [
        "norsk.norskmaal.guiding_levels",
        "norsk.norskmaal.proposed_from_education",
    ]


def test_no_guiding_levels_before_integreringsloven():
    with pytest.raises(RuleViolation):
        propose_norskmaal(EducationBackground.GRUNNSKOLE, D(2020, 12, 31))


def test_the_levels_are_ordered_a1_to_c1():
    assert [lvl.rank for lvl in CefrLevel] == [0, 1, 2, 3, 4]
    assert B2.reaches(B1) and B1.reaches(B1) and not A2.reaches(B1) and C1.reaches(B2)


def test_a_norskmaal_of_levels_needs_every_skill():
    with pytest.raises(RuleViolation) as refused:
        Norskmaal("n1", D(2022, 1, 1), levels={Skill.ORAL: B1})
    assert refused.value.code == "norsk.norskmaal.skill_missing"
    Norskmaal("c1", D(2022, 1, 1), kind=NorskmaalKind.NORSKPROVE_C1)


@pytest.mark.parametrize(
    ("regime", "params", "allowed"),
    [
        (Regime.INTEGRERINGSLOVEN, NorskmaalParams(), True),
        (Regime.INTEGRERINGSLOVEN_KAP6A, NorskmaalParams(), True),
        (Regime.INTEGRERINGSLOVEN_KAP6A, NorskmaalParams(kap6a_norskmaal_allowed=False), False),
        (Regime.INTRODUKSJONSLOVEN, NorskmaalParams(), False),
    ],
)
def test_only_integreringsloven_persons_get_a_norskmaal(regime, params, allowed):
    assert has_norskmaal(regime, params) is allowed


def test_a_norskmaal_is_refused_under_introduksjonsloven():
    with pytest.raises(RuleViolation) as refused:
        check_new_norskmaal(
            Regime.INTRODUKSJONSLOVEN, [], Norskmaal("n1", D(2022, 1, 1), levels=levels(B1, B1))
        )
    assert refused.value.code == "norsk.norskmaal.not_registered_for_regime"


def test_the_norskmaal_is_versioned_raised_or_lowered_from_a_later_date():
    first = Norskmaal("n1", D(2022, 1, 1), levels=levels(B1, B1))
    raised = Norskmaal("n2", D(2022, 9, 1), levels=levels(B1, B2))
    check_new_norskmaal(Regime.INTEGRERINGSLOVEN, [first], raised)
    with pytest.raises(RuleViolation) as refused:
        check_new_norskmaal(
            Regime.INTEGRERINGSLOVEN,
            [first, raised],
            Norskmaal("n3", D(2022, 9, 1), levels=levels(A2, B1)),
        )
    assert refused.value.code == "norsk.norskmaal.valid_from_not_after_previous"
    assert norskmaal_on([first, raised], D(2022, 8, 31)) is first
    assert norskmaal_on([first, raised], D(2022, 9, 1)) is raised
    assert norskmaal_on([first, raised], D(2021, 12, 31)) is None
