"""The figures IMDi publishes: computed by hand on a small register, and reproducible at the
annual cut-off after later corrections."""

import datetime as dt
from fractions import Fraction

import pytest

from nir.register.cutoff_comparison import compare_with_cutoff
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.items import TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.sweep import run_sweep
from nir.register.statistics import cutoff_at, publish
from nir.rules.disclosure import TOTAL
from tests.conftest import at
from tests.statistics.row_by_row import states_as_of, states_now, year_figures

D = dt.date

# (start, sluttmaal, end, reason): § 13 participants; frist is start + 6 months.
LEAVERS_2023 = [
    (D(2023, 1, 10), D(2023, 5, 1), "arbeid"),
    (D(2023, 1, 11), D(2023, 6, 1), "arbeid"),
    (D(2023, 1, 12), D(2023, 6, 2), "utdanning_hoyere"),
    (D(2023, 1, 13), D(2023, 6, 3), "arbeid_og_utdanning"),
    (D(2023, 1, 14), D(2023, 6, 4), "grunnskole"),  # not education here
    (D(2023, 1, 15), D(2023, 6, 5), "nav_tiltak"),
    (D(2023, 1, 16), D(2023, 6, 6), "flyttet"),  # excluded
    (D(2023, 1, 17), D(2023, 6, 7), "dod"),  # excluded
]
SWEPT = [D(2023, 2, 1), D(2023, 2, 2)]  # frist 2023-08-01/02, ended as ikke_registrert
ACTIVE = [D(2023, 11, 1)]  # frist 2024-05-01


@pytest.fixture
def register_2023(make_person, caseworker_a, kommune_a):
    made = {}
    starts = [s for s, _, _ in LEAVERS_2023] + SWEPT + ACTIVE
    for n, start in enumerate(starts):
        person = make_person(registered_on=start, birth_date=D(1970 + n, 3, 1 + n))
        made[start] = create_participation(
            actor=caseworker_a,
            person_id=person.pk,
            new=NewParticipation(start_date=start, sluttmaal="arbeid"),
            kommune_id=kommune_a.pk,
            at=at(start),
        )
    for start, end, reason in LEAVERS_2023:
        register_termination(
            actor=caseworker_a,
            participation_id=made[start].pk,
            termination=TerminationItem(end_date=end, reason=reason),
            at=at(end),
        )
    with_sweep = D(2023, 8, 3)
    run_sweep(as_of=with_sweep, at=at(with_sweep))
    return made


@pytest.mark.django_db
def test_figures_for_2023_equal_a_count_by_hand(register_2023):
    figures = year_figures(states_now().values(), 2023, "ukraina")
    [label] = figures.rows
    assert figures.participants[label] == 11
    assert figures.starts[label] == 11
    assert figures.ends(label) == 10
    attainment = figures.attainment[TOTAL]
    # Work or education: 4. Denominator: 10 leavers less moved and deceased = 8, with the two
    # ended as ikke_registrert in it.
    assert (attainment.numerator, attainment.denominator, attainment.not_registered) == (4, 8, 2)
    assert attainment.share == Fraction(1, 2)


@pytest.mark.django_db
def test_published_figures_hide_small_counts(register_2023):
    published = publish(year_figures(states_now().values(), 2023, "kommune"))
    [row] = published.figures.rows
    assert published.participants.shown(row, "Antall") == 11
    # 4 in work or education and 2 not registered are under five: shown as dots.
    assert published.ends.shown(row, "Arbeid eller utdanning") is None
    assert published.ends.shown(row, "Ikke registrert") is None
    assert published.attainment_percent(row) is None


@pytest.mark.django_db
def test_cutoff_figures_stay_when_a_reason_is_registered_after_the_cutoff(
    register_2023, caseworker_a, imdi_adviser, kommune_a
):
    before = year_figures(states_as_of(cutoff_at(2023)).values(), 2023, "kommune")
    swept = register_2023[SWEPT[0]]
    grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=D(2023, 8, 1),
            covers_to=D(2023, 8, 31),
            expires_on=D(2024, 4, 30),
            reason="Etterregistrering",
        ),
        at=at(D(2024, 3, 10)),
    )
    register_termination(
        actor=caseworker_a,
        participation_id=swept.pk,
        termination=TerminationItem(end_date=D(2023, 8, 1), reason="arbeid"),
        at=at(D(2024, 3, 15)),
    )

    comparison = compare_with_cutoff(2023)
    assert comparison.cutoff == cutoff_at(2023)
    at_cutoff = comparison.at_cutoff.attainment[TOTAL]
    now = comparison.now.attainment[TOTAL]
    assert (at_cutoff.numerator, at_cutoff.not_registered) == (4, 2)
    assert (now.numerator, now.not_registered) == (5, 1)
    assert comparison.at_cutoff.attainment == before.attainment
    [correction] = comparison.corrections
    assert correction.participation_id == swept.pk
    assert correction.at_cutoff == (D(2023, 8, 1), "ikke_registrert")
    assert correction.now == (D(2023, 8, 1), "arbeid")


@pytest.mark.django_db
def test_a_participation_registered_after_the_cutoff_is_not_in_the_cutoff_figures(
    register_2023, make_person, caseworker_a, kommune_a, imdi_adviser
):
    grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=D(2023, 9, 1),
            covers_to=D(2023, 9, 30),
            expires_on=D(2024, 4, 30),
            reason="Glemt",
        ),
        at=at(D(2024, 3, 10)),
    )
    person = make_person(registered_on=D(2024, 3, 11), birth_date=D(1999, 9, 9))
    create_participation(
        actor=caseworker_a,
        person_id=person.pk,
        new=NewParticipation(start_date=D(2023, 9, 15), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2024, 3, 11)),
    )
    comparison = compare_with_cutoff(2023, "ukraina")
    [label] = comparison.now.rows
    assert comparison.now.participants[label] == comparison.at_cutoff.participants[label] + 1


@pytest.mark.django_db
def test_an_end_after_the_year_is_no_correction_of_the_year(register_2023, caseworker_a):
    """Open through 2023 at the cut-off and now: leaving for work in April 2024 is an
    ending of 2024, not a correction of 2023's figures, which stay as they were."""
    active = register_2023[ACTIVE[0]]
    register_termination(
        actor=caseworker_a,
        participation_id=active.pk,
        termination=TerminationItem(end_date=D(2024, 4, 15), reason="arbeid"),
        at=at(D(2024, 4, 20)),
    )
    comparison = compare_with_cutoff(2023)
    assert comparison.corrections == []
    assert comparison.now == comparison.at_cutoff


@pytest.mark.django_db
def test_an_end_registered_late_into_the_year_is_a_correction_of_the_year(
    register_2023, caseworker_a, imdi_adviser, kommune_a
):
    """Open at the cut-off, then ended on 20 December 2023 under a late-registration
    grant: 2023's figures now count one more leaver, and the list names the change."""
    active = register_2023[ACTIVE[0]]
    grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(kommune_a.pk, D(2023, 12, 1), D(2023, 12, 31), D(2024, 4, 30), "Glemt"),
        at=at(D(2024, 3, 10)),
    )
    register_termination(
        actor=caseworker_a,
        participation_id=active.pk,
        termination=TerminationItem(end_date=D(2023, 12, 20), reason="arbeid"),
        at=at(D(2024, 3, 15)),
    )
    comparison = compare_with_cutoff(2023)
    [correction] = comparison.corrections
    assert correction.participation_id == active.pk
    assert (correction.at_cutoff, correction.now) == ((None, ""), (D(2023, 12, 20), "arbeid"))
    [row] = comparison.now.rows
    assert comparison.now.ends(row) == comparison.at_cutoff.ends(row) + 1
