"""Shared fixtures: named personas and helpers for making register data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.servers.basehttp import WSGIRequestHandler
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from nir.register.kommuner import VALID_FROM_2024, read_kommuner_2024
from nir.register.models import Kommune
from nir.register.services.context import Actor, Channel
from nir.register.services.persons import PersonData, register_person
from nir.rules.identity import make_valid_identity_number

# The property tests' inputs are drawn on a machine that runs two suites side by side (CI):
# how fast they are drawn says nothing of the register, so its health check is off; each
# example still runs and is checked in full.
hypothesis_settings.register_profile("nir", suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("nir")

# The live server (``live_server``: the browser tests, the API contract run, the conformance
# kit) writes a reply's headers and its body apart; with Nagle's algorithm on, the body
# waits for the client's delayed ACK (some 40 ms on Linux) on every request, and the suites
# spend their time waiting instead of testing. Production runs behind gunicorn and nginx.
WSGIRequestHandler.disable_nagle_algorithm = True

# The Norwegian scheme's shared fixtures (norsk_a, ordning, passing_result).
pytest_plugins = ["tests.norsk_fixtures"]

OSLO = ZoneInfo("Europe/Oslo")
_next_individual = [100]

# Where the clock stands in a test whose outcome depends on the calendar: mid-month, mid-week
# and well inside the year, so that data built "N days ago" falls in the same month and year.
FROZEN_AT = dt.datetime(2026, 11, 18, 10, 0, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with the cache a fresh server process has: SQLite gives the same
    ids again after a rolled-back test, and a key holding them must not find another
    test's value."""
    cache.clear()


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    """A moment on ``day`` in Oslo, for services that take the time of a write."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


@pytest.fixture
def frozen_clock() -> Iterator[dt.datetime]:
    """The clock stopped at FROZEN_AT for the whole test, its data fixtures included.

    For tests whose figures depend on the date (a year's statistics of data built relative
    to today): put it first, ``@pytest.mark.usefixtures("frozen_clock")``, so that the data
    is built under it. Only for tests run in this process: a server process, or the browser,
    keeps the real clock.
    """
    with time_machine.travel(FROZEN_AT, tick=False):
        yield FROZEN_AT


@pytest.fixture(autouse=True)
def _access_log_checkpoints_of_this_test(settings, tmp_path):
    """Each test keeps its access-log checkpoints apart, as each install keeps its own."""
    settings.NIR_ACCESS_LOG_CHECKPOINT_DIR = tmp_path / "innsynslogg-sjekkpunkter"


def ensure_kommuner() -> None:
    """Transactional tests empty every table afterwards, the migrated municipalities too."""
    if not Kommune.objects.exists():
        Kommune.objects.bulk_create(
            Kommune(valid_from=VALID_FROM_2024, **asdict(row)) for row in read_kommuner_2024()
        )


@pytest.fixture
def kommune_a(db) -> Kommune:
    ensure_kommuner()
    return Kommune.objects.get(number="0301")  # Oslo


@pytest.fixture
def kommune_b(db) -> Kommune:
    ensure_kommuner()
    return Kommune.objects.get(number="4601")  # Bergen


@pytest.fixture
def caseworker_a(kommune_a) -> Actor:
    return Actor("kari.saksbehandler@oslo", Channel.WEB, kommune_a.pk)


@pytest.fixture
def caseworker_b(kommune_b) -> Actor:
    return Actor("ola.saksbehandler@bergen", Channel.WEB, kommune_b.pk)


@pytest.fixture
def imdi_adviser(db) -> Actor:
    return Actor("ingrid.radgiver@imdi", Channel.WEB, None)


@pytest.fixture
def make_person(db, caseworker_a):
    def make(
        *,
        birth_date: dt.date = dt.date(1990, 5, 17),
        permit_type: str = "flyktning",
        permit_date: dt.date = dt.date(2022, 1, 10),
        arrival_date: dt.date | None = None,
        has_upper_secondary: bool | None = True,
        registered_on: dt.date | None = None,
        **extra,
    ):
        # Skip past the individual number actually used, so no two persons share a number.
        number = make_valid_identity_number(birth_date, _next_individual[0] % 1000, synthetic=True)
        _next_individual[0] = int(number[6:9]) + 1
        data = PersonData(
            identity_number=number,
            given_name=extra.pop("given_name", "Amina"),
            family_name=extra.pop("family_name", "Testesen"),
            birth_date=birth_date,
            permit_type=permit_type,
            permit_date=permit_date,
            arrival_date=arrival_date,
            has_upper_secondary=has_upper_secondary,
            **extra,
        )
        return register_person(actor=caseworker_a, data=data, at=at(registered_on or permit_date))

    return make


# The fixtures through which a test reaches the database (a live server and the browser
# journeys reach it through ``live_server``, which asks for ``transactional_db``).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def pytest_collection_modifyitems(config, items):
    """With NIR_DATABASE_TESTS_ONLY=1 (CI's second database) only the tests that reach the
    database run: the others (the rules, the disclosure attacks' arithmetic, the command
    line) do the same on any database and have run in the first suite."""
    import os

    if os.environ.get("NIR_DATABASE_TESTS_ONLY") != "1":
        return
    kept, left = [], []
    for item in items:
        reaches = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
            getattr(item, "fixturenames", ())
        )
        (kept if reaches else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
