"""The figures at a past moment, reconstructed from the history in SQL, equal the figures read
back row by row in Python (the reading the register always had, kept here as the reference),
on a varied register: seeded terminations registered late, a sweep, corrections after the
cut-off, participations registered after it, and history rows with no ``before``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from nir.register.cutoff_comparison import compare_with_cutoff
from nir.register.figure_states import StatRow, current_states_sql, states_sql
from nir.register.figures_models import PublishedRelease
from nir.register.models import CREATION_ACTIONS, TERMINATION_ACTIONS, HistoryEvent, Participation
from nir.register.publication import (
    ANTALL,
    PARTICIPANTS,
    protection_config,
    published_statistics,
    statistics_groups,
    statistics_release,
    ukraina_release,
)
from nir.register.published_labels import PUBLISHED_KAP6A_CATEGORIES, PUBLISHED_SEXES
from nir.register.services.bulk_load import load_synthetic
from nir.register.services.sweep import run_sweep
from nir.register.statistics import (
    COUNTING_IMDI,
    COUNTING_SSB,
    DIMENSIONS,
    age_band,
    cutoff_at,
    end_of_day,
    figures_for,
    year_figures_as_of,
)
from nir.register.synthetic import SyntheticRegister
from nir.register.ukraina_report import (
    MEASURES,
    TITLES,
    build_ukraina_report,
    month_bounds,
    ukraina_groups,
)
from nir.rules.config import DEFAULT_CONFIG
from nir.rules.cutoff import annual_cutoff_for
from nir.rules.disclosure import TOTAL
from nir.rules.linked_suppression import protect
from nir.rules.regime import Regime
from nir.rules.termination import TERMINATION_REASONS
from tests.conftest import at
from tests.disclosure.registers import statistics_groups_of_rows, ukraina_groups_of_rows
from tests.statistics.row_by_row import states_as_of, states_now, year_figures

D = dt.date


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def python_states_as_of(moment: dt.datetime, *, regime: str | None = None) -> dict[int, StatRow]:
    """The reference: the row-by-row reading ``states_as_of`` had before it moved to SQL."""
    rows = {pk: r for pk, r in states_now().items() if regime is None or r.regime == regime}
    created = set(
        HistoryEvent.objects.filter(
            action__in=CREATION_ACTIONS, occurred_at__lte=moment
        ).values_list("participation_id", flat=True)
    )
    rows = {pk: row for pk, row in rows.items() if pk in created}
    later = (
        HistoryEvent.objects.filter(
            action__in=TERMINATION_ACTIONS, occurred_at__gt=moment, participation_id__in=rows.keys()
        )
        .order_by("participation_id", "occurred_at", "id")
        .values_list("participation_id", "before")
    )
    undone: set[int] = set()
    for pk, before in later:
        if pk in undone or pk is None or before is None:
            continue
        undone.add(pk)
        rows[pk] = replace(
            rows[pk],
            end=_date(before.get("end_date")),
            reason=before.get("termination_reason") or "",
        )
    return rows


def python_last_endings_only(rows: Iterable[StatRow]) -> list[StatRow]:
    """The reference for SSB's counting: only a person's latest participation (by start,
    then id) keeps its ending, so one who came back belongs to the later cohort."""
    rows = list(rows)
    latest: dict[int, tuple[dt.date, int]] = {}
    for row in rows:
        mark = (row.start, row.participation_id)
        if row.person_id not in latest or mark > latest[row.person_id]:
            latest[row.person_id] = mark
    return [
        row
        if latest[row.person_id] == (row.start, row.participation_id)
        else dataclasses.replace(row, reason="")
        for row in rows
    ]


def python_corrections(year: int) -> list[tuple[object, ...]]:
    """The reference for the corrections listed by ``compare_with_cutoff``: changed after
    the cut-off, or registered after it (a creation event recorded after it; one with no
    creation event at all, which no service writes, is found at no moment), where the
    state as the year's figures see it differs: in the programme in the year or not, open
    through it or ended in it, and the ending's date and reason."""
    then = python_states_as_of(cutoff_at(year))
    registered_after = set(
        HistoryEvent.objects.filter(
            action__in=CREATION_ACTIONS, occurred_at__gt=cutoff_at(year)
        ).values_list("participation_id", flat=True)
    )
    now = {pk: row for pk, row in states_now().items() if pk in then or pk in registered_after}
    first, last = D(year, 1, 1), D(year, 12, 31)

    def seen_by_year(row: StatRow | None) -> object:
        if row is None or row.start > last or (row.end is not None and row.end < first):
            return None
        return (row.end, row.reason) if row.end is not None and row.end <= last else "open"

    return [
        (
            pk,
            row.kommune,
            (then[pk].end, then[pk].reason) if pk in then else (None, ""),
            (row.end, row.reason),
        )
        for pk, row in sorted(now.items())
        if seen_by_year(row) != seen_by_year(then.get(pk))
    ]


def _event(participation: Participation, action: str, when: dt.datetime, before, after) -> None:
    HistoryEvent.objects.create(
        occurred_at=when,
        actor="test",
        channel="web",
        action=action,
        kommune_id=participation.kommune_id,
        person_id=participation.person_id,
        participation=participation,
        entity="participation",
        entity_id=participation.pk,
        before=before,
        after=after,
    )


def _state(p: Participation) -> dict[str, object]:
    return {
        "frist": p.frist.isoformat(),
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "termination_reason": p.termination_reason,
        "termination_source": p.termination_source,
    }


def _change(p: Participation, when: dt.datetime, end: dt.date | None, reason: str) -> None:
    """A termination changed at ``when``, as a service would record it."""
    before = _state(p)
    p.end_date, p.termination_reason = end, reason
    p.termination_source = ("user" if reason != "ikke_registrert" else "system") if end else ""
    p.save(update_fields=["end_date", "termination_reason", "termination_source"])
    action = "termination_registered" if end else "automatic_termination_lift"
    _event(p, action, when, before, _state(p))


@pytest.fixture
def varied(kommune_a, kommune_b):
    register = SyntheticRegister(today=D(2026, 11, 1), config=DEFAULT_CONFIG, seed=23)
    load_synthetic(
        register.participations(["0301", "4601", "5001", "1103"] * 100), config=DEFAULT_CONFIG
    )
    # The sweep on two days, then reasons registered and ends moved after the cut-offs.
    run_sweep(as_of=D(2024, 6, 1), at=at(D(2024, 6, 1)))
    run_sweep(as_of=D(2025, 9, 1), at=at(D(2025, 9, 1)))
    swept = list(Participation.objects.filter(termination_reason="ikke_registrert").order_by("pk"))
    for n, p in enumerate(swept[:60]):
        when = at(D(2024, 3, 1) + dt.timedelta(days=7 * n), hour=9 + n % 5)
        _change(p, when, p.end_date, "arbeid" if n % 2 else "utdanning_hoyere")
        if n % 3 == 0:  # changed twice: the first change after a moment decides
            _change(p, when + dt.timedelta(days=40), p.end_date - dt.timedelta(days=3), "flyttet")
        if n % 5 == 0:  # and once lifted, then ended again
            _change(p, when + dt.timedelta(days=90), None, "")
            _change(p, when + dt.timedelta(days=95), p.frist, "nav_tiltak")
    ended = list(Participation.objects.filter(termination_source="user").order_by("-pk")[:20])
    for n, p in enumerate(ended):
        # A later event that records no earlier state is passed over for the next one.
        when = at(D(2025, 2, 1) + dt.timedelta(days=n))
        _event(p, "termination_registered", when, None, _state(p))
        _change(p, when + dt.timedelta(days=60), p.end_date, "dod")
    # Two events at the same moment: the lower id is the earlier.
    tie = swept[70] if len(swept) > 70 else swept[-1]
    same = at(D(2025, 4, 4))
    _change(tie, same, tie.end_date, "arbeid")
    _change(tie, same, tie.end_date, "annet")
    # Participations registered after the cut-off with starts in the years counted.
    late = Participation.objects.order_by("pk")[:30]
    HistoryEvent.objects.filter(participation__in=list(late), action__in=CREATION_ACTIONS).update(
        occurred_at=F("occurred_at") + dt.timedelta(days=900)
    )
    # One participation with no creation event at all counts at no moment.
    HistoryEvent.objects.filter(
        participation=Participation.objects.order_by("-pk")[0], action__in=CREATION_ACTIONS
    ).delete()


# The default cut-offs (no exception is set in these tests), read without the database.
MOMENTS = [end_of_day(annual_cutoff_for(year).day) for year in (2022, 2023, 2024, 2025)]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [*MOMENTS, at(D(2025, 4, 4))], ids=str)
def test_states_as_of_in_sql_equal_the_row_by_row_reading(varied, moment):
    assert states_as_of(moment) == python_states_as_of(moment)
    kap6a = Regime.INTEGRERINGSLOVEN_KAP6A.value
    assert states_as_of(moment, regime=kap6a) == python_states_as_of(moment, regime=kap6a)


@pytest.mark.django_db
def test_the_varied_register_differs_at_each_cutoff(varied):
    """The data above exercises the reconstruction: at every cut-off some states differ."""
    now = states_now()
    for moment in MOMENTS[1:]:
        then = python_states_as_of(moment)
        assert len(then) < len(now)
        assert any((r.end, r.reason) != (now[pk].end, now[pk].reason) for pk, r in then.items())


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_cutoff_figures_in_sql_equal_the_row_by_row_figures(varied, year):
    then = python_states_as_of(cutoff_at(year))
    for dimension in sorted(DIMENSIONS):
        by_rows = year_figures(then.values(), year, dimension)
        assert year_figures_as_of(year, dimension, cutoff_at(year)) == by_rows, dimension
        at_cutoff = figures_for(year, dimension, at_cutoff=True)
        assert at_cutoff == dataclasses.replace(by_rows, cutoff=annual_cutoff_for(year).day)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_corrections_in_sql_equal_the_row_by_row_comparison(varied, year):
    comparison = compare_with_cutoff(year, "fylke")
    found = [(c.participation_id, c.kommune, c.at_cutoff, c.now) for c in comparison.corrections]
    assert found == python_corrections(year)
    then = python_states_as_of(cutoff_at(year))
    assert comparison.at_cutoff == year_figures(then.values(), year, "fylke")
    assert comparison.now == year_figures(states_now().values(), year, "fylke")
    assert found  # the varied register has corrections for each of these years


@pytest.mark.django_db
def test_the_cutoff_figures_take_the_same_queries_whatever_the_rows(
    varied, django_assert_num_queries
):
    moment = cutoff_at(2024)  # one query: IMDi's exception for the year, if any
    with django_assert_num_queries(1):
        year_figures_as_of(2024, "kommune", moment)
    # The cut-off, the figures stored at it (none here), the figures then and now, and the
    # changes after it.
    with django_assert_num_queries(5):
        compare_with_cutoff(2024, "alder")
    with django_assert_num_queries(1):
        states_as_of(moment)


UKRAINA_MONTHS = [
    # A month end on 29 February: the age bands' birth dates for a leap day.
    ("2024-02", end_of_day(D(2024, 3, 1))),
    ("2024-03", at(D(2025, 4, 4))),
    ("2025-02", MOMENTS[-1]),
    ("2025-08", at(D(2025, 9, 2))),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("month", "cutoff"), UKRAINA_MONTHS, ids=str)
def test_the_ukraina_report_grouped_in_sql_equals_the_row_by_row_reading(varied, month, cutoff):
    first, last = month_bounds(month)
    # The states as the report read them before it grouped in SQL (category included).
    kap6a = Regime.INTEGRERINGSLOVEN_KAP6A.value
    rows = list(states_as_of(cutoff, regime=kap6a, during=(first, last)).values())
    keys = (
        lambda r: r.county,
        lambda r: r.kommune,
        lambda r: PUBLISHED_SEXES.get(r.sex, r.sex),
        lambda r: age_band(r.birth_date, last),
        lambda r: PUBLISHED_KAP6A_CATEGORIES.get(r.category, r.category),
    )
    reference = ukraina_groups_of_rows(rows, first, last, keys)
    grouped = ukraina_groups(cutoff, first, last)
    assert sum(sum(g.counts) for g in grouped) >= len(rows) > 0
    assert sorted(grouped, key=repr) == sorted(reference, key=repr)
    labels = [r.label_nb for r in TERMINATION_REASONS.values()]
    expected = ukraina_release(reference, TITLES, MEASURES, labels)
    assert ukraina_release(grouped, TITLES, MEASURES, labels) == expected
    # The report protects the same release as the row-by-row reading would have.
    report = build_ukraina_report(month, cutoff)
    assert report.totals == {m: protect(expected).shown(("*", TOTAL, m)) for m in MEASURES}
    assert report.by["Kommune"].rows == tuple(sorted({keys[1](r) for r in rows}))


@pytest.mark.django_db
@pytest.mark.parametrize("counting", [COUNTING_IMDI, COUNTING_SSB])
@pytest.mark.parametrize("at_cutoff", [False, True], ids=["naa", "frist"])
@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_the_release_grouped_in_sql_equals_the_row_by_row_reading(
    varied, year, at_cutoff, counting
):
    states = python_states_as_of(cutoff_at(year)) if at_cutoff else states_now()
    rows = list(states.values())
    if counting == COUNTING_SSB:
        rows = python_last_endings_only(rows)
    expected, figures = statistics_release(statistics_groups_of_rows(rows, year), year)
    published = published_statistics(year, at_cutoff=at_cutoff, counting=counting)
    for dim, fig in figures.items():
        assert (
            dataclasses.replace(published[dim].figures, counting=COUNTING_IMDI, cutoff=None) == fig
        )
    # The same cells with the same values were protected, and hidden alike.
    reference = protect(expected, protection_config())
    key = f"statistikk:{year}:{'frist' if at_cutoff else 'naa'}"
    key += "" if counting == COUNTING_IMDI else f":{counting}"
    stored = PublishedRelease.objects.get(key=key)
    assert set(stored.hidden) == {"\x1f".join(cell) for cell in reference.hidden}
    assert set(stored.published) == {
        "\x1f".join(cell) for cell in expected.cells if cell not in reference.hidden
    }
    for dim, table in published.items():
        for label in table.figures.rows:
            cell = (PARTICIPANTS, dim, label, ANTALL)
            assert table.participants.values[(label, ANTALL)] == expected.value(cell)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2023, 2025])
def test_the_release_groups_in_sql_equal_the_row_by_row_groups(varied, year):
    states, params = states_sql(connection, cutoff_at(year))
    grouped = statistics_groups(connection, states, params, year)
    reference = statistics_groups_of_rows(python_states_as_of(cutoff_at(year)).values(), year)
    assert sorted(grouped, key=repr) == sorted(reference, key=repr)
    now = statistics_groups(connection, current_states_sql(started_by_last=False), {}, year)
    assert sorted(now, key=repr) == sorted(
        statistics_groups_of_rows(states_now().values(), year), key=repr
    )


def _queries_to_publish(year: int, *, at_cutoff: bool) -> int:
    with CaptureQueriesContext(connection) as queries:
        published_statistics(year, at_cutoff=at_cutoff, counting=COUNTING_SSB)
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("at_cutoff", [False, True], ids=["naa", "frist"])
def test_publishing_a_year_reads_the_same_few_queries_whatever_the_register_size(
    kommune_a, kommune_b, at_cutoff
):
    register = SyntheticRegister(today=D(2026, 11, 1), config=DEFAULT_CONFIG, seed=5)
    load_synthetic(register.participations(["0301", "4601"] * 20), config=DEFAULT_CONFIG)
    small = _queries_to_publish(2025, at_cutoff=at_cutoff)
    load_synthetic(register.participations(["0301", "4601"] * 200), config=DEFAULT_CONFIG)
    # Published again over ten times the register: no query per participation or group.
    assert _queries_to_publish(2025, at_cutoff=at_cutoff) <= small
