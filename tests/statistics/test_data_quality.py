"""Data quality per municipality: counted by hand on a small register."""

import datetime as dt
from fractions import Fraction

import pytest

from nir.register.data_quality import national_ranking, quality_by_kommune, trend
from nir.register.models import Decision, Participation
from nir.register.selectors import with_registration_flags
from nir.register.services.corrections import Cancellation, cancel_registration
from nir.register.services.items import DecisionItem, TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.registrations import register_item
from nir.register.services.sweep import run_sweep
from tests.conftest import at

D = dt.date


@pytest.fixture
def oslo_2023(make_person, caseworker_a, kommune_a):
    made = []
    for n in range(4):
        start = D(2023, 1, 2 + n)
        person = make_person(registered_on=start, birth_date=D(1980 + n, 5, 5))
        made.append(
            create_participation(
                actor=caseworker_a,
                person_id=person.pk,
                new=NewParticipation(start_date=start, sluttmaal="arbeid" if n < 3 else None),
                kommune_id=kommune_a.pk,
                at=at(start),
            )
        )
    register_item(
        actor=caseworker_a,
        participation_id=made[0].pk,
        item=DecisionItem(decision_type="innvilget", decided_on=D(2023, 1, 2)),
        at=at(D(2023, 1, 2)),
    )
    register_termination(
        actor=caseworker_a,
        participation_id=made[0].pk,
        termination=TerminationItem(end_date=D(2023, 5, 1), reason="arbeid"),
        at=at(D(2023, 5, 2)),
    )
    run_sweep(as_of=D(2023, 7, 10), at=at(D(2023, 7, 10)))  # ends the three with § 13 frist
    return made


@pytest.mark.django_db
def test_quality_counts_leavers_unregistered_and_gaps(oslo_2023):
    [oslo] = quality_by_kommune(2023, as_of=D(2023, 8, 1))
    assert oslo.kommune.startswith("0301")
    assert (oslo.leavers, oslo.not_registered) == (3, 2)
    assert oslo.share_not_registered == Fraction(2, 3)
    assert oslo.awaiting_reason == 2
    assert oslo.first_window_closes == D(2023, 9, 3)  # ended 2023-07-03 + 2 months
    assert (oslo.without_sluttmaal, oslo.without_decision) == (1, 3)
    [later] = quality_by_kommune(2023, as_of=D(2023, 10, 1))
    assert later.awaiting_reason == 0


@pytest.mark.django_db
def test_ranking_needs_twenty_leavers_and_trend_goes_year_by_year(oslo_2023):
    assert national_ranking(2023, as_of=D(2024, 1, 1)) == []
    points = trend(range(2022, 2025))
    assert [(p.year, p.leavers, p.not_registered) for p in points] == [
        (2022, 0, 0),
        (2023, 3, 2),
        (2024, 0, 0),
    ]
    assert points[1].share == Fraction(2, 3)


@pytest.mark.django_db
def test_a_cancelled_decision_counts_as_missing_again_unless_another_stands(
    oslo_2023, caseworker_a
):
    # The second participation gets two decisions; cancelling one leaves it with a decision,
    # cancelling the other makes it one without again. Counted as the caseworker's lists do.
    second = oslo_2023[1]
    for kind in ("tilbud", "innvilget"):
        register_item(
            actor=caseworker_a,
            participation_id=second.pk,
            item=DecisionItem(decision_type=kind, decided_on=D(2023, 1, 3)),
            at=at(D(2023, 1, 3)),
        )
    ids = list(Decision.objects.filter(participation=second).values_list("pk", flat=True))

    def counted() -> tuple[int, bool]:
        [oslo] = quality_by_kommune(2023, as_of=D(2023, 8, 1))
        listed = with_registration_flags(Participation.objects.filter(pk=second.pk)).get()
        return oslo.without_decision, listed.has_decision

    assert counted() == (2, True)
    for pk, expected in zip(ids, [(2, True), (3, False)], strict=True):
        cancel_registration(
            actor=caseworker_a,
            participation_id=second.pk,
            cancellation=Cancellation("decision", pk, "Registrert på feil deltaker"),
            at=at(D(2023, 1, 20)),
        )
        assert counted() == expected
