"""A year's figures are stored when its cut-off passes, and read, not rebuilt: the stored
figures equal a fresh count, stay as published after late registrations, and the
comparison with now adds only what changed after the cut-off."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nir.accounts.models import Role
from nir.jobs import registry
from nir.jobs.scheduler import run_due
from nir.register.cutoff_comparison import compare_with_cutoff
from nir.register.figures_models import StoredFigures
from nir.register.kommuner import read_kommuner_2024
from nir.register.models import HistoryEvent, Participation, Person
from nir.register.publication import (
    ENDS,
    PARTICIPANTS,
    STARTS,
    computed_statistics,
    published_statistics,
    statistics_release,
)
from nir.register.rule_config import rule_config_version
from nir.register.services.bulk_load import load_synthetic
from nir.register.services.context import SYSTEM, write_context
from nir.register.services.corrections import cancel_termination
from nir.register.services.cutoffs import set_cutoff_exception
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.items import TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.persons import PersonData, update_person
from nir.register.services.stored_figures import CutoffNotPassed, store_year_figures
from nir.register.statistics import COUNTINGS, DIMENSIONS, cutoff_at, year_figures_now
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from nir.rules.disclosure import TOTAL
from nir.rules.linked_suppression import PROTECTION_INTERVAL
from tests.conftest import at
from tests.disclosure.attacks import lp_attack, too_narrow
from tests.statistics.row_by_row import states_now, year_figures
from tests.statistics.test_annual_figures import (  # noqa: F401
    LEAVERS_2023,
    SWEPT,
    register_2023,
)
from tests.web.builders import make_user

D = dt.date
AFTER_2023 = at(D(2024, 3, 1))  # the day after the cut-off of 2023 (29 February 2024)
AFTER_2025 = at(D(2026, 3, 2))


def _store(year: int, when: dt.datetime, *, rebuild: bool = False):
    return store_year_figures(write_context(SYSTEM, when), year, rebuild=rebuild)


def _load(participants: int, seed: int, kommuner: slice = slice(0, 40)) -> None:
    """A synthetic register over 40 municipalities (those of ``kommuner``, by number),
    everyone registered and every ending recorded by 1 February 2026."""
    register = SyntheticRegister(today=D(2026, 2, 1), config=DEFAULT_CONFIG, seed=seed)
    numbers = sorted(k.number for k in read_kommuner_2024())[kommuner]
    load_synthetic(
        register.participations(register.kommune_plan(numbers, participants)),
        config=DEFAULT_CONFIG,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("counting", sorted(COUNTINGS))
def test_the_stored_figures_equal_a_fresh_count(kommune_a, counting):
    _load(300, 3)
    outcome = _store(2025, AFTER_2025)
    assert set(outcome.stored) == set(COUNTINGS) and outcome.kept == ()
    stored = published_statistics(2025, at_cutoff=True, counting=counting)
    _, fresh = computed_statistics(2025, at_cutoff=True, counting=counting)
    assert stored == fresh
    assert all(stored[dim].figures.rows for dim in DIMENSIONS)
    assert stored["kommune"].participants.hidden  # small counts are dotted as stored
    row = StoredFigures.objects.get(year=2025, counting=counting)
    assert row.cutoff_date == D(2026, 2, 28) and row.cutoff_at == cutoff_at(2025)
    assert row.config_version == rule_config_version() and row.stored_at == AFTER_2025


@pytest.mark.django_db
def test_the_figures_cannot_be_stored_before_the_cutoff_has_passed(kommune_a):
    with pytest.raises(CutoffNotPassed):
        _store(2025, at(D(2026, 2, 28), hour=23))
    assert not StoredFigures.objects.exists()


@pytest.mark.django_db
def test_storing_again_changes_nothing_and_a_rebuild_stores_anew(kommune_a):
    _load(120, 4)
    _store(2025, AFTER_2025)
    rows = list(StoredFigures.objects.order_by("pk").values())
    events = HistoryEvent.objects.filter(action="figures_stored").count()
    assert events == len(COUNTINGS)
    again = _store(2025, AFTER_2025 + dt.timedelta(days=1))
    assert again.stored == () and set(again.kept) == set(COUNTINGS)
    assert list(StoredFigures.objects.order_by("pk").values()) == rows
    assert HistoryEvent.objects.filter(action="figures_stored").count() == events
    rebuilt = _store(2025, AFTER_2025 + dt.timedelta(days=2), rebuild=True)
    assert set(rebuilt.stored) == set(COUNTINGS)
    assert StoredFigures.objects.count() == len(COUNTINGS)
    assert HistoryEvent.objects.filter(action="figures_stored").count() == 2 * events
    # Counted again from the same history: the same figures, stored later.
    assert [r["cells"] for r in StoredFigures.objects.order_by("pk").values()] == [
        r["cells"] for r in rows
    ]


@pytest.mark.django_db
def test_a_late_registration_after_the_cutoff_leaves_the_published_figures_and_shows_in_the_comparison(  # noqa: E501
    register_2023,  # noqa: F811
    make_person,
    caseworker_a,
    kommune_a,
    imdi_adviser,
):
    _store(2023, AFTER_2023)
    published = published_statistics(2023, at_cutoff=True)
    # After the cut-off: a late registration under a grant, and a reason registered for
    # one the register ended as «ikke registrert».
    grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(kommune_a.pk, D(2023, 8, 1), D(2023, 9, 30), D(2024, 4, 30), "Glemt"),
        at=at(D(2024, 3, 10)),
    )
    person = make_person(registered_on=D(2024, 3, 11), birth_date=D(1999, 9, 9))
    late = create_participation(
        actor=caseworker_a,
        person_id=person.pk,
        new=NewParticipation(start_date=D(2023, 9, 15), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2024, 3, 11)),
    )
    swept = register_2023[SWEPT[0]]
    register_termination(
        actor=caseworker_a,
        participation_id=swept.pk,
        termination=TerminationItem(D(2023, 8, 1), "arbeid"),
        at=at(D(2024, 3, 15)),
    )
    assert published_statistics(2023, at_cutoff=True) == published
    assert computed_statistics(2023, at_cutoff=True)[1] == published  # the history agrees
    for dim in DIMENSIONS:
        comparison = compare_with_cutoff(2023, dim)
        assert comparison.at_cutoff == dataclasses.replace(published[dim].figures, cutoff=None)
        assert comparison.now == year_figures(states_now().values(), 2023, dim)
        assert comparison.now == year_figures_now(2023, dim)
        assert sum(comparison.now.participants.values()) == (
            sum(comparison.at_cutoff.participants.values()) + 1
        )
        listed = {c.participation_id: c for c in comparison.corrections}
        assert listed.keys() == {late.pk, swept.pk}
        assert listed[swept.pk].at_cutoff == (D(2023, 8, 1), "ikke_registrert")
        assert listed[swept.pk].now == (D(2023, 8, 1), "arbeid")


@pytest.mark.django_db
def test_a_termination_undone_after_the_cutoff_is_counted_as_it_stood_at_the_cutoff(
    register_2023,  # noqa: F811
    caseworker_a,
    kommune_a,
    imdi_adviser,
):
    """Undone in March 2024: at the cut-off the participant had left for work; now the
    frist has passed, so the register ends them as «ikke registrert». The figures rebuilt
    from the history agree with those stored, and the comparison lists the change."""
    _store(2023, AFTER_2023)
    published = published_statistics(2023, at_cutoff=True)
    start, end, reason = LEAVERS_2023[0]
    leaver = register_2023[start]
    grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(kommune_a.pk, D(2023, 4, 1), D(2023, 6, 30), D(2024, 4, 30), "Feil"),
        at=at(D(2024, 3, 11)),
    )
    cancel_termination(
        actor=caseworker_a,
        participation_id=leaver.pk,
        reason="Registrert på feil person",
        at=at(D(2024, 3, 12)),
    )
    assert computed_statistics(2023, at_cutoff=True)[1] == published
    for dim in DIMENSIONS:
        comparison = compare_with_cutoff(2023, dim)
        assert comparison.now == year_figures_now(2023, dim)
        listed = {c.participation_id: c for c in comparison.corrections}
        assert listed.keys() == {leaver.pk}
        assert listed[leaver.pk].at_cutoff == (end, reason)
        assert listed[leaver.pk].now[1] == "ikke_registrert"


@pytest.mark.django_db
def test_a_sex_corrected_after_the_cutoff_moves_the_participant_in_the_figures_now_only(
    register_2023,  # noqa: F811
    caseworker_a,
):
    """The published figures keep the participant where they stood at the cut-off; the
    figures now count them under the corrected sex, read from the correction itself."""
    _store(2023, AFTER_2023)
    published = published_statistics(2023, at_cutoff=True)
    person = Person.objects.get(pk=register_2023[LEAVERS_2023[1][0]].person_id)
    facts = {f.name: getattr(person, f.name) for f in dataclasses.fields(PersonData)}
    update_person(
        actor=caseworker_a,
        person_id=person.pk,
        expected_version=person.version,
        data=PersonData(**{**facts, "sex": "kvinne"}),
        at=at(D(2024, 3, 20)),
    )
    assert published_statistics(2023, at_cutoff=True) == published
    with CaptureQueriesContext(connection) as captured:
        by_sex = compare_with_cutoff(2023, "kjonn")
    assert len(captured.captured_queries) == 3  # the correction is read in the same query
    assert by_sex.now == year_figures_now(2023, "kjonn") != by_sex.at_cutoff
    assert by_sex.corrections == []  # no termination changed
    for dim in DIMENSIONS:
        assert compare_with_cutoff(2023, dim).now == year_figures_now(2023, dim)


@pytest.mark.django_db
def test_the_scheduler_stores_last_years_figures_once_its_cutoff_has_passed(kommune_a):
    _load(60, 5)

    def stored_by(day: dt.date) -> set[tuple[int, str]]:
        run_due([j for j in registry.JOBS if j.name == "store_figures"], at(day, hour=6))
        return set(StoredFigures.objects.values_list("year", "counting"))

    assert stored_by(D(2026, 2, 28)) == {(2024, c) for c in COUNTINGS}
    assert stored_by(D(2026, 3, 1)) == {(y, c) for y in (2024, 2025) for c in COUNTINGS}
    assert stored_by(D(2026, 3, 2)) == {(y, c) for y in (2024, 2025) for c in COUNTINGS}
    assert HistoryEvent.objects.filter(action="figures_stored").count() == 2 * len(COUNTINGS)


@pytest.mark.django_db
def test_the_command_stores_a_year_and_rebuilds_it_when_asked(kommune_a):
    _load(60, 6)

    def store(*args: str) -> str:
        out = io.StringIO()
        call_command("store-figures", *args, "--no-progress", stdout=out, stderr=io.StringIO())
        return out.getvalue()

    assert "figures 2025: stored imdi, ssb; kept none" in store("--year", "2025")
    assert "figures 2025: stored none; kept imdi, ssb" in store("--year", "2025")
    assert "figures 2025: stored imdi, ssb" in store("--year", "2025", "--rebuild")
    # Without a year: every year of the register whose cut-off has passed.
    everything = store()
    assert "figures 2024: stored imdi, ssb" in everything
    assert "figures 2025: stored none" in everything
    with pytest.raises(CommandError, match="has not passed"):
        store("--year", str(dt.date.today().year))


def _statistics_page_queries(client, year: int) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/imdi/statistikk/?aar={year}&etter=kommune&tidspunkt=frist")
        assert page.status_code == 200
        csv = client.get(f"/imdi/statistikk.csv?aar={year}&etter=kommune&tidspunkt=frist")
        assert csv.status_code == 200
        b"".join(csv.streaming_content)
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.usefixtures("frozen_clock")  # the page offers the last six years
@pytest.mark.django_db
def test_the_published_page_is_a_lookup_whatever_the_size_of_the_register(kommune_a):
    client_stat = Client()
    client_stat.force_login(make_user("statistiker", None, Role.IMDI_STATISTIKER))
    _load(40, 7)
    _store(2025, AFTER_2025)
    small = _statistics_page_queries(client_stat, 2025)
    _load(360, 8, slice(40, 120))  # ten times the register
    _store(2025, AFTER_2025, rebuild=True)
    large = _statistics_page_queries(client_stat, 2025)
    assert len(large) == len(small)
    tables = (Participation._meta.db_table, HistoryEvent._meta.db_table)
    assert not [sql for sql in large if any(t in sql for t in tables)]


def _participation_rows_read(statements: list[tuple[str, object]]) -> int:
    """The rows PostgreSQL reads from the participation table to run the statements
    (EXPLAIN ANALYZE: the rows each scan returned and those its filter removed, per loop)."""
    table = Participation._meta.db_table

    def walk(node: dict) -> int:
        here = 0
        if node.get("Relation Name") == table:
            rows = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            here = rows * node["Actual Loops"]
        return here + sum(walk(child) for child in node.get("Plans", []))

    total = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += walk(plan[0]["Plan"])
    return total


def _comparison_cost(year: int) -> tuple[int, list[tuple[str, object]]]:
    with CaptureQueriesContext(connection) as captured:
        compare_with_cutoff(year, "kommune")
    statements = [
        (q["sql"], None)
        for q in captured.captured_queries
        if q["sql"].lstrip().startswith("SELECT")
    ]
    return len(captured.captured_queries), statements


@pytest.mark.django_db
def test_the_comparison_reads_only_what_changed_after_the_cutoff(kommune_a):
    _load(60, 9)
    _store(2025, AFTER_2025)
    open_now = Participation.objects.filter(end_date__isnull=True).order_by("pk")[:3]
    _end_after_the_cutoff(list(open_now))
    small_queries, small = _comparison_cost(2025)
    # Ten times the register, every participation unchanged since the cut-off.
    _load(540, 10, slice(40, 120))
    _store(2025, AFTER_2025, rebuild=True)
    large_queries, large = _comparison_cost(2025)
    assert small_queries == large_queries == 3  # the cut-off, the stored figures, the changes
    comparison = compare_with_cutoff(2025, "kommune")
    assert comparison.now == year_figures_now(2025, "kommune")
    assert len(comparison.corrections) == 3
    if connection.vendor == "postgresql":
        # The rows of the three changed participations, however many more are unchanged.
        assert _participation_rows_read(large) == _participation_rows_read(small) <= 2 * 3


def _end_after_the_cutoff(participations: list[Participation]) -> None:
    """Three participants who left in 2025, registered after the cut-off (as a service
    writes a termination, with the history event that records the state before)."""
    for n, p in enumerate(participations):
        before = {
            "frist": p.frist.isoformat(),
            "end_date": None,
            "termination_reason": "",
            "termination_source": "",
        }
        p.end_date, p.termination_reason, p.termination_source = D(2025, 12, 1), "arbeid", "user"
        p.save(update_fields=["end_date", "termination_reason", "termination_source"])
        HistoryEvent.objects.create(
            occurred_at=at(D(2026, 3, 10)) + dt.timedelta(minutes=n),
            actor="test",
            channel="web",
            action="termination_registered",
            kommune_id=p.kommune_id,
            person_id=p.person_id,
            participation=p,
            entity="participation",
            entity_id=p.pk,
            before=before,
            after={
                **before,
                "end_date": "2025-12-01",
                "termination_reason": "arbeid",
                "termination_source": "user",
            },
        )


@pytest.mark.django_db
def test_the_stored_tables_hold_against_an_attack_on_every_table_of_the_release(kommune_a):
    _load(300, 11)
    _store(2025, AFTER_2025)
    stored = published_statistics(2025, at_cutoff=True)
    groups, _ = computed_statistics(2025, at_cutoff=True)
    release, _ = statistics_release(groups, 2025)
    # What an attacker reads from the stored tables: every shown count, and where the dots are.
    hidden = set()
    for dim, published in stored.items():
        tables = ((PARTICIPANTS, published.participants), (STARTS, published.starts))
        for measure, table in (*tables, (ENDS, published.ends)):
            for (row, column), value in table.values.items():
                key = (measure, "*" if row == TOTAL else dim, row, column)
                if key not in release.cells:
                    continue  # a one-column table's total column repeats its one column
                if (row, column) in table.hidden:
                    hidden.add(key)
                else:
                    assert release.value(key) == value, key  # a shown count is the true one
    primary = {k for k in release.cells if 0 < release.value(k) < 5}
    assert primary and primary <= hidden
    leaks = too_narrow(lp_attack(release, hidden), release, PROTECTION_INTERVAL, primary)
    assert leaks == {}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two real connections need a server database; SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_store_the_figures_once(kommune_a):
    _load(60, 12)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(_store(2025, AFTER_2025))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(len(o.stored) for o in outcomes) == [0, len(COUNTINGS)]
    assert StoredFigures.objects.count() == len(COUNTINGS)
    assert HistoryEvent.objects.filter(action="figures_stored").count() == len(COUNTINGS)


@pytest.mark.django_db
def test_figures_stored_at_a_cutoff_imdi_moves_later_are_stored_again_at_the_new_one(
    kommune_a, imdi_adviser
):
    _load(60, 13)
    _store(2025, AFTER_2025)
    set_cutoff_exception(
        actor=imdi_adviser,
        year=2025,
        cutoff_date=D(2026, 3, 20),
        reason="Feil i NIR i februar",
        at=at(D(2026, 3, 5)),
    )
    # The figures stored at 28 February are not those of the year any more.
    with CaptureQueriesContext(connection) as captured:
        counted = published_statistics(2025, at_cutoff=True)
    assert any(HistoryEvent._meta.db_table in q["sql"] for q in captured.captured_queries)
    assert counted["kommune"].figures.cutoff == D(2026, 3, 20)
    with pytest.raises(CutoffNotPassed):
        _store(2025, at(D(2026, 3, 20), hour=23))
    outcome = _store(2025, at(D(2026, 3, 21)))
    assert set(outcome.stored) == set(COUNTINGS)
    assert set(StoredFigures.objects.values_list("cutoff_date", flat=True)) == {D(2026, 3, 20)}
    assert published_statistics(2025, at_cutoff=True) == counted
