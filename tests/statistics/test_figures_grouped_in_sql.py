"""The current figures grouped in the database equal the figures counted row by row: one
definition of the figures, two ways to compute them."""

import datetime as dt

import pytest

from nir.register.services.bulk_load import load_synthetic
from nir.register.statistics import DIMENSIONS, figures_for, year_figures_now
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from tests.statistics.row_by_row import states_now, year_figures


@pytest.fixture
def synthetic(kommune_a, kommune_b):
    register = SyntheticRegister(today=dt.date(2026, 11, 1), config=DEFAULT_CONFIG, seed=11)
    numbers = ["0301", "4601", "5001", "1103"]
    load_synthetic(register.participations(numbers * 150), config=DEFAULT_CONFIG)


@pytest.mark.django_db
@pytest.mark.parametrize("dimension", sorted(DIMENSIONS))
@pytest.mark.parametrize("year", [2022, 2024, 2025])
def test_grouped_figures_equal_row_by_row_figures(synthetic, dimension, year):
    by_rows = year_figures(states_now().values(), year, dimension)
    grouped = year_figures_now(year, dimension)
    assert grouped.rows == by_rows.rows
    assert dict(grouped.participants) == dict(by_rows.participants)
    assert {k: v for k, v in grouped.starts.items() if v} == {
        k: v for k, v in by_rows.starts.items() if v
    }
    assert dict(grouped.ends_by_outcome) == dict(by_rows.ends_by_outcome)
    assert grouped.attainment == by_rows.attainment
    assert figures_for(year, dimension, at_cutoff=False).attainment == by_rows.attainment
