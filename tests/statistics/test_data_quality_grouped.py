"""Data quality in one pass with conditional counts and two anti-joins equals the measure by
measure reading it replaced (kept here as the reference), on a varied synthetic register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Exists, Min, OuterRef, Q

from nir.register.data_quality import KommuneQuality, quality_by_kommune
from nir.register.models import (
    Decision,
    Kommune,
    Participation,
    SluttmaalVersion,
    TerminationSource,
)
from nir.register.rule_config import rule_config
from nir.register.services.bulk_load import load_synthetic
from nir.register.services.sweep import run_sweep
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from nir.rules.regime import Regime
from nir.rules.registration_window import earliest_open_event, window_closes
from nir.rules.termination import IKKE_REGISTRERT
from tests.conftest import at

D = dt.date


def reference_quality(year: int, as_of: dt.date) -> list[KommuneQuality]:
    names = {k.pk: str(k) for k in Kommune.objects.all()}
    rows: dict[int, KommuneQuality] = {}

    def row(kommune_id: int) -> KommuneQuality:
        if kommune_id not in rows:
            rows[kommune_id] = KommuneQuality(kommune_id, names[kommune_id])
        return rows[kommune_id]

    ended = (
        Participation.objects.filter(end_date__year=year)
        .values("kommune_id")
        .annotate(
            leavers=Count("pk"),
            not_registered=Count("pk", filter=Q(termination_reason=IKKE_REGISTRERT)),
        )
    )
    for item in ended:
        quality = row(item["kommune_id"])
        quality.leavers, quality.not_registered = item["leavers"], item["not_registered"]
    config = rule_config()
    awaiting = (
        Participation.objects.filter(
            termination_source=TerminationSource.SYSTEM,
            end_date__gte=earliest_open_event(as_of, config),
        )
        .values("kommune_id")
        .annotate(n=Count("pk"), first_end=Min("end_date"))
    )
    for waiting in awaiting:
        quality = row(waiting["kommune_id"])
        quality.awaiting_reason = waiting["n"]
        quality.first_window_closes = window_closes(waiting["first_end"], config)
    in_year = Participation.objects.filter(start_date__lte=dt.date(year, 12, 31)).exclude(
        end_date__lt=dt.date(year, 1, 1)
    )
    lacking = (
        in_year.annotate(
            has_goal=Exists(SluttmaalVersion.objects.filter(participation=OuterRef("pk"))),
            has_decision=Exists(Decision.objects.filter(participation=OuterRef("pk"))),
        )
        .values("kommune_id")
        .annotate(
            without_sluttmaal=Count(
                "pk", filter=Q(has_goal=False) & ~Q(regime=Regime.INTRODUKSJONSLOVEN)
            ),
            without_decision=Count("pk", filter=Q(has_decision=False)),
        )
    )
    for gaps in lacking:
        quality = row(gaps["kommune_id"])
        quality.without_sluttmaal = gaps["without_sluttmaal"]
        quality.without_decision = gaps["without_decision"]
    return sorted(rows.values(), key=lambda q: q.kommune)


@pytest.fixture
def varied(kommune_a, kommune_b):
    register = SyntheticRegister(today=D(2026, 11, 1), config=DEFAULT_CONFIG, seed=5)
    load_synthetic(
        register.participations(["0301", "4601", "5001", "1103"] * 100), config=DEFAULT_CONFIG
    )
    run_sweep(as_of=D(2025, 10, 1), at=at(D(2025, 10, 1)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "as_of"), [(2023, D(2024, 1, 1)), (2025, D(2025, 10, 20)), (2026, D(2026, 11, 1))]
)
def test_quality_in_one_pass_equals_the_measure_by_measure_reading(varied, year, as_of):
    found = quality_by_kommune(year, as_of)
    assert found == reference_quality(year, as_of)
    if year == 2025:  # the sweep's ends still await their reasons
        assert any(q.awaiting_reason for q in found)


@pytest.mark.django_db
def test_quality_takes_the_same_queries_whatever_the_rows(varied, django_assert_num_queries):
    # The participations' counts, the names, without a sluttmål, without a decision, and
    # start decisions longer than the sluttmål gives.
    with django_assert_num_queries(5):
        quality_by_kommune(2025, D(2025, 10, 20))
