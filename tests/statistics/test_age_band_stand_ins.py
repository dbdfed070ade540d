"""The age bands a query groups by (birth dates standing for each band) are the bands the
figures label a person with, on every day of the year, 29 February included."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nir.register.statistics import age_band, age_band_stand_ins


def _band_read_by_a_query(birth_date: dt.date, on: dt.date) -> dt.date:
    pairs, oldest = age_band_stand_ins(on)
    return next((stand_in for born_after, stand_in in pairs if birth_date > born_after), oldest)


@given(
    birth_date=st.dates(dt.date(1930, 1, 1), dt.date(2026, 12, 31)),
    on=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
)
def test_the_stand_in_has_the_persons_band(birth_date, on):
    assert age_band(_band_read_by_a_query(birth_date, on), on) == age_band(birth_date, on)


def test_the_band_changes_on_the_birthday_and_a_leap_day_birthday_on_28_february():
    on = dt.date(2027, 2, 28)
    assert age_band(_band_read_by_a_query(dt.date(2009, 2, 28), on), on) == "18–25"
    assert age_band(_band_read_by_a_query(dt.date(2009, 3, 1), on), on) == "under 18"
    # Born 29 February 2008: 18 on 1 March 2026 (a year without the day), as age_on counts.
    for day, band in ((dt.date(2026, 2, 28), "under 18"), (dt.date(2026, 3, 1), "18–25")):
        assert age_band(_band_read_by_a_query(dt.date(2008, 2, 29), day), day) == band
    assert age_band(_band_read_by_a_query(dt.date(1971, 2, 28), on), on) == "56+"
    assert age_band(_band_read_by_a_query(dt.date(1971, 3, 1), on), on) == "46–55"
