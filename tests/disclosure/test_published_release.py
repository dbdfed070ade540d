"""The protection as the register publishes it: every dimension from one kept pattern, the
same on the page, in the CSV and from the command line, and never unlocked by a republish.
And the Ukraina report's sheets protected together, against the same attack."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from nir.register.figures_models import PublishedRelease
from nir.register.kommuner import read_kommuner_2024
from nir.register.models import Participation
from nir.register.publication import (
    protected,
    published_statistics,
    statistics_release,
    ukraina_release,
)
from nir.register.published_labels import PUBLISHED_SEXES
from nir.register.services.bulk_load import load_synthetic
from nir.register.statistics import age_band
from nir.register.synthetic import SyntheticRegister
from nir.register.ukraina_report import MEASURES
from nir.rules.config import DEFAULT_CONFIG
from nir.rules.disclosure import TOTAL
from nir.rules.linked_suppression import PROTECTION_INTERVAL, protect
from nir.rules.regime import Regime
from nir.rules.termination import TERMINATION_REASONS
from tests.disclosure.attacks import lp_attack, too_narrow
from tests.disclosure.registers import (
    stat_rows,
    statistics_groups_of_rows,
    ukraina_groups_of_rows,
)


def _load(participants: int, seed: int) -> None:
    register = SyntheticRegister(today=dt.date(2026, 11, 1), config=DEFAULT_CONFIG, seed=seed)
    numbers = sorted(k.number for k in read_kommuner_2024())[:40]
    load_synthetic(
        register.participations(register.kommune_plan(numbers, participants)),
        config=DEFAULT_CONFIG,
    )


@pytest.mark.django_db
def test_every_dimension_of_a_year_comes_from_one_kept_pattern(kommune_a):
    _load(160, 3)
    first = published_statistics(2025, at_cutoff=False)
    stored = PublishedRelease.objects.get(key="statistikk:2025:naa")
    assert stored.hidden and stored.published
    # The national total is one cell, hidden or shown alike in every dimension.
    shown = {first[d].participants.shown(TOTAL, "Antall") for d in first}
    assert len(shown) == 1
    # The command line prints the same pattern.
    out = io.StringIO()
    call_command(
        "report",
        "statistikk",
        "--year",
        "2025",
        "--by",
        "kommune",
        stdout=out,
        stderr=io.StringIO(),
    )
    lines = {line.split(";")[0]: line.split(";") for line in out.getvalue().splitlines()[1:]}
    for row in first["kommune"].figures.rows:
        value = first["kommune"].participants.shown(row, "Antall")
        assert lines[row][1] == ("." if value is None else str(value))


@pytest.mark.django_db
def test_publishing_again_after_changes_never_unlocks_a_cell(kommune_a):
    _load(160, 3)
    published_statistics(2025, at_cutoff=False)
    before = set(PublishedRelease.objects.get(key="statistikk:2025:naa").hidden)
    # Corrections since (twenty participations moved to Oslo): the year published again.
    moved = list(Participation.objects.order_by("pk").values_list("pk", flat=True)[:20])
    Participation.objects.filter(pk__in=moved).update(kommune=kommune_a)
    published_statistics(2025, at_cutoff=False)
    after = PublishedRelease.objects.get(key="statistikk:2025:naa")
    assert before <= set(after.hidden)
    assert not set(after.hidden) & set(after.published)


def test_the_ukraina_sheets_are_protected_together():
    rows = [r for r in stat_rows(3000, seed=1) if r.regime == Regime.INTEGRERINGSLOVEN_KAP6A]
    first, last = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
    rows = [r for r in rows if r.start <= last and (r.end is None or r.end >= first)]
    dimensions = {
        "Fylke": lambda r: r.county,
        "Kommune": lambda r: r.kommune,
        "Kjønn": lambda r: PUBLISHED_SEXES.get(r.sex, r.sex),
        "Aldersgruppe": lambda r: age_band(r.birth_date, last),
    }
    labels = [r.label_nb for r in TERMINATION_REASONS.values()]
    groups = ukraina_groups_of_rows(rows, first, last, list(dimensions.values()))
    release = ukraina_release(groups, list(dimensions), MEASURES, labels)
    protection = protect(release)
    assert protection.primary
    leaks = too_narrow(
        lp_attack(release, protection.hidden),
        release,
        PROTECTION_INTERVAL,
        set(protection.primary),
    )
    assert leaks == {}


@pytest.mark.django_db
def test_an_unchanged_release_reuses_its_pattern(kommune_a):
    release, _ = statistics_release(statistics_groups_of_rows(stat_rows(120, seed=2), 2025), 2025)
    first = protected("test:release", release)
    again = protected("test:release", release)
    assert first.hidden == again.hidden
    assert PublishedRelease.objects.filter(key="test:release").count() == 1
