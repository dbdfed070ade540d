"""rules-norsk.md N1 hours: timemaal as dated rows."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from nir.rules.norsk.hours import (
    DEFAULT_HOURS_ROWS,
    HoursDone,
    HoursGroup,
    HoursParams,
    HoursRow,
    Subject,
    plikt_hours_completed,
    plikt_hours_completed_on,
    samf_hours_counted,
    timemaal,
)
from nir.rules.norsk.rights import NorskCategory, NorskPersonFacts, PermitList
from nir.rules.regime import Regime

D = dt.date
IL, KAP6A, INTRO = (
    Regime.INTEGRERINGSLOVEN,
    Regime.INTEGRERINGSLOVEN_KAP6A,
    Regime.INTRODUKSJONSLOVEN,
)


def person(regime, permit, abroad=False, arrival=None):
    return NorskPersonFacts(
        regime, PermitList.RETT_OG_PLIKT, D(1990, 1, 1), permit, abroad, arrival
    )


def hours(target):
    return None if target is None else target.hours


@pytest.mark.parametrize(
    ("facts", "category", "norsk", "samf"),
    [
        pytest.param(
            person(IL, D(2021, 12, 31)),
            NorskCategory.RETT_OG_PLIKT,
            None,
            50,
            id="rett-og-plikt-before-2022",
        ),
        pytest.param(
            person(IL, D(2022, 1, 1)),
            NorskCategory.RETT_OG_PLIKT,
            None,
            75,
            id="rett-og-plikt-from-2022",
        ),
        pytest.param(person(IL, D(2021, 6, 1)), NorskCategory.PLIKT, 250, 50, id="plikt-2021"),
        pytest.param(person(IL, D(2022, 6, 1)), NorskCategory.PLIKT, 225, 75, id="plikt-2022"),
        pytest.param(
            person(KAP6A, D(2022, 6, 1)),
            NorskCategory.RETT_TIL_NORSK,
            None,
            None,
            id="kap6a-no-target",
        ),
        pytest.param(
            person(INTRO, D(2012, 1, 1)),
            NorskCategory.RETT_OG_PLIKT,
            550,
            50,
            id="intro-first-permit-2012",
        ),
        pytest.param(
            person(INTRO, D(2011, 12, 31)),
            NorskCategory.RETT,
            250,
            50,
            id="intro-first-permit-before-2012",
        ),
        pytest.param(
            person(INTRO, D(2015, 1, 1)), NorskCategory.PLIKT, 250, 50, id="intro-duty-only"
        ),
        # Under introduksjonsloven the first permit decides, not a later arrival.
        pytest.param(
            person(INTRO, D(2011, 12, 1), True, D(2012, 2, 1)),
            NorskCategory.RETT_OG_PLIKT,
            250,
            50,
            id="intro-permit-abroad-2011",
        ),
    ],
)
def test_the_hour_targets(facts, category, norsk, samf):
    target = timemaal(facts, category)
    assert (hours(target.norsk), hours(target.samfunnskunnskap)) == (norsk, samf)


def test_the_75_hour_scheme_is_registered_in_three_modules_and_filters_as_new():
    new = timemaal(person(IL, D(2022, 1, 1)), NorskCategory.RETT_OG_PLIKT)
    old = timemaal(person(IL, D(2021, 1, 1)), NorskCategory.RETT_OG_PLIKT)
    assert new.samfunnskunnskap is not None and new.samfunnskunnskap.modules == 3
    assert new.samf_new_scheme and not old.samf_new_scheme


def test_introduksjonsloven_gives_up_to_3000_hours_on_need():
    target = timemaal(person(INTRO, D(2015, 1, 1)), NorskCategory.RETT_OG_PLIKT).norsk
    assert target is not None and target.max_hours == 3000


def test_a_later_change_of_the_target_is_one_new_row():
    rows = tuple(
        replace(r, effective_to=D(2027, 1, 1)) if r.row_id == "integreringsloven.samf.75" else r
        for r in DEFAULT_HOURS_ROWS
    )
    eighty = HoursRow(
        "integreringsloven.samf.80",
        HoursGroup.INTEGRERINGSLOVEN_RETT_OG_PLIKT,
        Subject.SAMFUNNSKUNNSKAP,
        80,
        3,
        D(2027, 1, 1),
        None,
        rows[0].basis,
    )
    params = HoursParams(rows=(*rows, eighty))
    later = timemaal(person(IL, D(2027, 1, 1)), NorskCategory.RETT_OG_PLIKT, params)
    earlier = timemaal(person(IL, D(2026, 12, 31)), NorskCategory.RETT_OG_PLIKT, params)
    assert (hours(later.samfunnskunnskap), hours(earlier.samfunnskunnskap)) == (80, 75)


def test_a_kap6a_social_studies_target_is_configuration():
    params = HoursParams(kap6a_samf_hours=50)
    target = timemaal(person(KAP6A, D(2022, 6, 1)), NorskCategory.RETT_TIL_NORSK, params)
    assert hours(target.samfunnskunnskap) == 50


def test_reception_hours_count_toward_the_75_unless_switched_off():
    assert samf_hours_counted([25, 25], 25) == 75
    assert samf_hours_counted([25, 25], 25, HoursParams(reception_hours_count=False)) == 50


@pytest.mark.parametrize(
    ("norsk_hours", "samf_hours", "done"),
    [(225, 75, True), (224, 75, False), (225, 74, False), (300, 75, True)],
)
def test_duty_only_is_fulfilled_by_both_hour_targets(norsk_hours, samf_hours, done):
    target = timemaal(person(IL, D(2022, 6, 1)), NorskCategory.PLIKT)
    assert plikt_hours_completed(target, norsk_hours=norsk_hours, samf_hours=samf_hours) is done


def _done(*rows):
    return [HoursDone(subject, end, hours) for subject, end, hours in rows]


N, S = Subject.NORSK, Subject.SAMFUNNSKUNNSKAP


@pytest.mark.parametrize(
    ("category", "done", "completed_on"),
    [
        pytest.param(
            NorskCategory.PLIKT,
            _done((N, D(2023, 1, 31), 200), (S, D(2023, 3, 31), 75), (N, D(2023, 6, 30), 25)),
            D(2023, 6, 30),
            id="the-period-that-meets-the-later-target",
        ),
        pytest.param(
            NorskCategory.PLIKT,
            _done((N, D(2023, 1, 31), Decimal("224.5")), (S, D(2023, 3, 31), 75)),
            None,
            id="half-an-hour-short",
        ),
        pytest.param(
            NorskCategory.PLIKT,
            _done((S, D(2023, 6, 30), 75), (N, D(2023, 6, 30), 225), (N, D(2023, 9, 30), 10)),
            D(2023, 6, 30),
            id="both-in-one-period",
        ),
        pytest.param(
            NorskCategory.RETT_OG_PLIKT,
            _done((N, D(2023, 1, 31), 600), (S, D(2023, 3, 31), 75)),
            None,
            id="with-the-right-the-norskmaal-is-the-goal",
        ),
    ],
)
def test_a_duty_only_persons_hours_are_completed_the_day_both_targets_are_met(
    category, done, completed_on
):
    """N1 and N6 «timer gjennomført»: 225 hours of Norwegian and 75 of social studies
    (permit from 2022), in any order; the end is the last day of the period that met them."""
    target = timemaal(person(IL, D(2022, 6, 1)), category)
    completed = plikt_hours_completed_on(target, category, done)
    assert (None if completed is None else completed.on) == completed_on
    if completed is not None:
        assert "250 timer" in completed.basis.reference and "225 timer" in completed.basis.reference
