"""Reads: scope applied once, and the participant overview with what it lacks."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from nir.register.selectors import (
    missing_for,
    participation_overview,
    visible_participations,
    with_decided_programme_months,
    with_registration_flags,
    without_parallel_workers,
)
from nir.register.services.items import DecisionItem
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.registrations import register_item
from nir.register.services.sweep import run_sweep
from tests.conftest import at

D = dt.date


@pytest.fixture
def two_participations(make_person, caseworker_a, caseworker_b, kommune_a, kommune_b):
    made = []
    for actor, kommune, birth in (
        (caseworker_a, kommune_a, D(1990, 1, 2)),
        (caseworker_b, kommune_b, D(1991, 3, 4)),
    ):
        person = make_person(registered_on=D(2023, 1, 31), birth_date=birth)
        made.append(
            create_participation(
                actor=actor,
                person_id=person.pk,
                new=NewParticipation(start_date=D(2023, 1, 31), sluttmaal=None),
                kommune_id=kommune.pk,
                at=at(D(2023, 1, 31)),
            )
        )
    return made


@pytest.mark.django_db
def test_a_municipality_reads_only_its_own_and_imdi_reads_all(two_participations, kommune_a):
    own, other = two_participations
    assert list(visible_participations(kommune_a.pk)) == [own]
    assert set(visible_participations(None)) == {own, other}
    assert participation_overview(kommune_a.pk, other.pk, D(2023, 2, 1)) is None
    assert participation_overview(None, other.pk, D(2023, 2, 1)) is not None


@pytest.mark.django_db
def test_the_overview_lists_what_is_missing_and_the_reason_after_the_sweep(
    two_participations, kommune_a, caseworker_a
):
    own, _ = two_participations
    overview = participation_overview(kommune_a.pk, own.pk, D(2023, 2, 1))
    assert [m.code for m in overview.missing] == ["sluttmaal", "decision", "measures"]
    register_item(
        actor=caseworker_a,
        participation_id=own.pk,
        item=DecisionItem(decision_type="innvilget", decided_on=D(2023, 1, 20)),
        at=at(D(2023, 2, 1)),
    )
    run_sweep(as_of=D(2025, 2, 1))  # frist 2025-01-31 without sluttmål: 24 months
    overview = participation_overview(kommune_a.pk, own.pk, D(2025, 2, 2))
    codes = [m.code for m in overview.missing]
    assert codes[0] == "termination_reason"
    assert overview.missing[0].due == D(2025, 3, 31)
    assert "decision" not in codes
    assert [e.action for e in overview.history][-1] == "automatic_termination_end"


@pytest.mark.django_db
def test_missing_registrations_over_a_list_take_one_query(two_participations):
    with CaptureQueriesContext(connection) as queries:
        # The flags and the start decision's programme time, annotated in the same query.
        rows = list(
            with_decided_programme_months(with_registration_flags(visible_participations(None)))
        )
        for row in rows:
            missing_for(row, D(2023, 2, 1))
    assert len(queries) == 1


def _parallel_workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
        return str(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's parallel workers")
def test_a_cursor_page_is_planned_without_parallel_workers_and_the_setting_comes_back(db):
    before = _parallel_workers()
    assert before != "0"
    with without_parallel_workers():
        assert _parallel_workers() == "0"
    assert _parallel_workers() == before
    # Inside a caller's transaction too, where a local setting would outlast the block.
    with transaction.atomic():
        with without_parallel_workers():
            assert _parallel_workers() == "0"
        assert _parallel_workers() == before
