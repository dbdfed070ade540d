"""The hours in IMDi's figures for Norwegian training: summed per row and subject, counted in
the year their period ends, hidden exactly where the row's participants are, and attacked:
from every published hours cell together, no hidden row's hours can be computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nir.register.norsk_statistics import (
    HOURS_COLUMNS,
    NORSK_DIMENSIONS,
    norsk_groups,
    published_norsk_statistics,
)
from nir.register.publication import ANTALL, ReleaseBuilder, add_group_cells
from nir.register.services.items import NorskEndItem, NorskHoursItem
from nir.register.services.norsk import end_norsk_participation
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.disclosure import TOTAL
from nir.rules.norsk.hours import Subject
from tests.conftest import at
from tests.disclosure.attacks import lp_attack
from tests.statistics.test_norsk_statistics import _ordninger

D = dt.date
NORSK = HOURS_COLUMNS["norsk"]
HOURS = "timer"


def _hours(teacher, row, hours, end=D(2023, 6, 30)):
    register_norsk_item(
        actor=teacher,
        norsk_participation_id=row.pk,
        item=NorskHoursItem(Subject.NORSK, D(2023, 4, 1), end, Decimal(hours)),
        at=at(end + dt.timedelta(days=1)),
    )


@pytest.fixture
def hours_register(make_person, kommune_a, kommune_b):
    """Oslo: three ordninger with 40, 41.5 and 43 hours. Bergen: six with 60 to 65 hours,
    one broken off in October; and 20 hours ending in 2024, not the year's."""
    teacher, oslo = _ordninger(make_person, kommune_a, 3, 0)
    for n, row in enumerate(oslo):
        _hours(teacher, row, (40, "41.5", 43)[n])
    teacher, bergen = _ordninger(make_person, kommune_b, 6, 10)
    for n, row in enumerate(bergen):
        _hours(teacher, row, 60 + n)
    _hours(teacher, bergen[0], 20, end=D(2024, 1, 20))
    end_norsk_participation(
        actor=teacher,
        norsk_participation_id=bergen[5].pk,
        end=NorskEndItem(D(2023, 10, 2), "avbrutt"),
        at=at(D(2023, 10, 3)),
    )
    return 2023


@pytest.mark.django_db
def test_the_hours_are_summed_by_row_and_hidden_where_the_participants_are(hours_register):
    figures = published_norsk_statistics(hours_register)
    for dim, table in figures.items():
        hidden_rows = {r for r, c in table.participants.hidden if c == ANTALL}
        assert {r for r, _ in table.hours.hidden} == hidden_rows, dim
        for row in (*table.participants.rows, TOTAL):
            if row not in hidden_rows:
                assert table.hours.shown(row, TOTAL) == table.hours.shown(row, NORSK), (dim, row)
    kommune = figures["kommune"]
    assert kommune.hours.shown("0301 Oslo", NORSK) is None  # three persons: a dot
    assert kommune.hours.values[("0301 Oslo", NORSK)] == 124  # 40 + 41.5 + 43, rounded
    # Bergen's 60 to 65 hours of 2023; the 20 hours ending in 2024 are the next year's.
    assert kommune.hours.values[("4601 Bergen", NORSK)] == 375
    assert kommune.hours.values[(TOTAL, HOURS_COLUMNS["samfunnskunnskap"])] == 0


@pytest.mark.django_db
def test_no_hidden_rows_hours_follow_from_every_published_hours_cell(hours_register):
    """The hours as a release of their own, each published cell the sum of the groups'
    hours it covers: an attacker with every shown cell of every breakdown, hours never
    negative and a hidden row at least one hour, cannot pin a hidden row's hours down."""
    figures = published_norsk_statistics(hours_register)
    builder = ReleaseBuilder()
    for group in norsk_groups(hours_register):
        whole = int(sum(group.hours.values(), Decimal(0)).to_integral_value())
        add_group_cells(builder, NORSK_DIMENSIONS, group.labels, [(HOURS, ANTALL, whole)])
    release = builder.release()
    hidden = {
        (HOURS, "*" if row == TOTAL else dim, row, ANTALL)
        for dim, table in figures.items()
        for row, column in table.hours.hidden
        if column == TOTAL
    }
    assert (HOURS, "kommune", "0301 Oslo", ANTALL) in hidden
    bounds = lp_attack(release, hidden)
    assert bounds
    for cell, (low, high) in bounds.items():
        assert low <= release.value(cell) <= high, cell
        assert high > low, (cell, low, high)
