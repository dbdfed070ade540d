"""rules.md §3: the frist, its worked examples, and its properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nir.rules.config import DEFAULT_CONFIG
from nir.rules.dates import DateInterval, add_months
from nir.rules.frist import ClockStop, ExtensionFacts, compute_frist

D = dt.date
ROWS = {row.row_id: row for row in DEFAULT_CONFIG.programme_lengths}
P13 = ROWS["integreringsloven.p13.2021"]
P14_UNDER_25 = ROWS["integreringsloven.p14_under_25.2021"]
INTRO = ROWS["introduksjonsloven.2004"]


def leave(start, end, ref="l1", extends=True):
    return ClockStop(ref, "omsorgspermisjon", DateInterval(start, end), extends, "Omsorgspermisjon")


def ext(months, ref="e1"):
    return ExtensionFacts(ref, months, D(2020, 1, 1))


# rules.md §3 worked examples, each with and without its extension.
WORKED_EXAMPLES = [
    ("1", P13, D(2023, 1, 31), [], [], D(2023, 7, 31)),
    ("1+ext", P13, D(2023, 1, 31), [], [ext(6)], D(2024, 1, 31)),
    ("2", P13, D(2023, 8, 31), [], [], D(2024, 2, 29)),
    ("2+ext", P13, D(2023, 8, 31), [], [ext(6)], D(2024, 8, 31)),
    ("3", P14_UNDER_25, D(2021, 3, 15), [leave(D(2022, 9, 1), D(2023, 6, 30))], [], D(2025, 1, 12)),
    (
        "3+ext",
        P14_UNDER_25,
        D(2021, 3, 15),
        [leave(D(2022, 9, 1), D(2023, 6, 30))],
        [ext(12)],
        D(2026, 1, 12),
    ),
    ("4", INTRO, D(2019, 10, 1), [leave(D(2020, 2, 1), D(2020, 7, 31))], [], D(2022, 4, 1)),
    (
        "4+ext",
        INTRO,
        D(2019, 10, 1),
        [leave(D(2020, 2, 1), D(2020, 7, 31))],
        [ext(12)],
        D(2023, 4, 1),
    ),
    ("5", P13, D(2023, 1, 31), [leave(D(2023, 3, 1), D(2023, 3, 30))], [], D(2023, 8, 30)),
    # research-notes §11 example 7 (kap. 6A, upper secondary): 6 months, +6.
    ("7", ROWS["kap6a.p13.2022"], D(2022, 11, 15), [], [], D(2023, 5, 15)),
    ("7+ext", ROWS["kap6a.p13.2022"], D(2022, 11, 15), [], [ext(6)], D(2023, 11, 15)),
]


@pytest.mark.parametrize(
    ("row", "start", "stops", "extensions", "expected"),
    [case[1:] for case in WORKED_EXAMPLES],
    ids=[case[0] for case in WORKED_EXAMPLES],
)
def test_worked_examples_of_rules_md(row, start, stops, extensions, expected):
    assert compute_frist(start=start, row=row, clock_stops=stops, extensions=extensions).frist == (
        expected
    )


def test_leave_days_of_example_3_are_303_and_shown_in_the_derivation():
    derivation = compute_frist(
        start=D(2021, 3, 15), row=P14_UNDER_25, clock_stops=[leave(D(2022, 9, 1), D(2023, 6, 30))]
    )
    assert derivation.leave_days == 303
    assert derivation.months_date == D(2024, 3, 15)
    assert [c.counted_days for c in derivation.clock_stops] == [303]
    assert derivation.row_reference == "integreringsloven § 13"
    assert "Programtid 36 måneder fordi deltakeren er under 25 år" in derivation.explain_nb()[1]
    text = "\n".join(derivation.explain_nb())
    assert "Omsorgspermisjon 01.09.2022–30.06.2023 legger til 303 dager." in text
    assert "Frist for gjennomføring: 12.01.2025." in text


def test_months_are_added_in_one_step_never_chained():
    assert add_months(add_months(D(2023, 8, 31), 6), 6) == D(2024, 8, 29)
    derivation = compute_frist(
        start=D(2023, 8, 31),
        row=P13,
        extensions=[ExtensionFacts("a", 3, D(2024, 1, 1)), ExtensionFacts("b", 3, D(2024, 2, 1))],
    )
    assert derivation.months_total == 12
    assert derivation.frist == D(2024, 8, 31)


def test_overlapping_leave_counts_once_and_each_leave_shows_its_own_days():
    stops = [
        leave(D(2023, 3, 1), D(2023, 3, 20), ref="a"),
        leave(D(2023, 3, 11), D(2023, 3, 30), ref="b"),  # 10 days overlap with a
    ]
    derivation = compute_frist(start=D(2023, 1, 31), row=P13, clock_stops=stops)
    assert derivation.leave_days == 30
    assert [(c.ref, c.counted_days) for c in derivation.clock_stops] == [("a", 20), ("b", 10)]
    assert derivation.frist == D(2023, 8, 30)


def test_leave_after_the_frist_does_not_count_and_leave_on_the_frist_counts_whole():
    after = compute_frist(
        start=D(2023, 1, 31), row=P13, clock_stops=[leave(D(2023, 8, 1), D(2023, 8, 31))]
    )
    assert after.frist == D(2023, 7, 31)
    assert after.clock_stops[0].counted_days == 0
    on = compute_frist(
        start=D(2023, 1, 31), row=P13, clock_stops=[leave(D(2023, 7, 31), D(2023, 8, 29))]
    )
    assert on.leave_days == 30
    assert on.frist == D(2023, 8, 30)


def test_leave_reaching_past_the_first_frist_is_counted_until_the_frist_stops_moving():
    # Leave from 2023-07-01 to 2023-09-30 (92 days) starts before the plain frist 2023-07-31.
    derivation = compute_frist(
        start=D(2023, 1, 31), row=P13, clock_stops=[leave(D(2023, 7, 1), D(2023, 9, 30))]
    )
    assert derivation.leave_days == 92
    assert derivation.frist == D(2023, 7, 31) + dt.timedelta(days=92)


def test_leave_before_the_start_is_clipped_to_the_programme_period():
    derivation = compute_frist(
        start=D(2023, 1, 31), row=P13, clock_stops=[leave(D(2023, 1, 1), D(2023, 2, 9))]
    )
    assert derivation.leave_days == 10  # 2023-01-31 .. 2023-02-09


def test_a_type_that_does_not_extend_adds_nothing_but_is_listed():
    derivation = compute_frist(
        start=D(2023, 1, 31),
        row=P13,
        clock_stops=[leave(D(2023, 3, 1), D(2023, 3, 30), extends=False)],
    )
    assert derivation.frist == D(2023, 7, 31)
    assert "forlenger ikke fristen" in "\n".join(derivation.explain_nb())


def test_derivation_names_rule_row_and_legal_basis():
    derivation = compute_frist(start=D(2023, 1, 31), row=P13, extensions=[ext(6)])
    assert derivation.row_id == "integreringsloven.p13.2021"
    ids = {b.rule_id for b in derivation.basis}
    assert {"length.p13", "frist.months_from_start", "frist.extension"} <= ids


dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 12, 31))
rows = st.sampled_from(list(DEFAULT_CONFIG.programme_lengths))


@st.composite
def leaves(draw):
    start = draw(st.dates(min_value=D(2004, 1, 1), max_value=D(2034, 12, 31)))
    length = draw(st.integers(min_value=0, max_value=400))
    return leave(start, start + dt.timedelta(days=length), ref=f"l{draw(st.integers(0, 10**6))}")


@given(
    start=dates,
    row=rows,
    stops=st.lists(leaves(), max_size=5),
    extension=st.integers(min_value=0, max_value=12),
)
def test_the_frist_never_precedes_the_start(start, row, stops, extension):
    derivation = compute_frist(
        start=start, row=row, clock_stops=stops, extensions=[ext(extension)] if extension else []
    )
    assert derivation.frist >= start
    assert derivation.frist >= derivation.months_date


@given(start=dates, row=rows, stops=st.lists(leaves(), max_size=4), extra=leaves())
def test_adding_leave_never_moves_the_frist_earlier(start, row, stops, extra):
    before = compute_frist(start=start, row=row, clock_stops=stops).frist
    after = compute_frist(start=start, row=row, clock_stops=[*stops, extra]).frist
    assert after >= before


@given(
    start=dates,
    row=rows,
    stops=st.lists(leaves(), max_size=4),
    months=st.integers(min_value=1, max_value=12),
)
def test_adding_an_extension_never_moves_the_frist_earlier(start, row, stops, months):
    before = compute_frist(start=start, row=row, clock_stops=stops).frist
    after = compute_frist(start=start, row=row, clock_stops=stops, extensions=[ext(months)]).frist
    assert after > before


@given(start=dates, a=st.integers(min_value=0, max_value=120), b=st.integers(0, 120))
def test_add_months_is_monotone(start, a, b):
    low, high = sorted((a, b))
    assert add_months(start, low) <= add_months(start, high)


@given(start=dates, months=st.integers(min_value=0, max_value=120))
def test_add_months_keeps_the_day_or_clamps_to_month_end(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (
        result.day < start.day and (result + dt.timedelta(days=1)).day == 1
    )


@given(start=dates, row=rows, stops=st.lists(leaves(), max_size=5))
def test_counted_leave_is_the_union_of_leave_inside_the_programme_period(start, row, stops):
    derivation = compute_frist(start=start, row=row, clock_stops=stops)
    days = {
        s.interval.start + dt.timedelta(days=i)
        for s in stops
        for i in range(s.interval.days)
        if start <= s.interval.start + dt.timedelta(days=i) <= derivation.frist
    }
    assert derivation.leave_days == len(days)
    assert sum(c.counted_days for c in derivation.clock_stops) == derivation.leave_days
