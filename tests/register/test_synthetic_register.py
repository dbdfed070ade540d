"""The synthetic register behind `nir demo` and `nir seed`: realistic, and true to the rules."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from nir.accounts.models import User
from nir.register.models import HistoryEvent, Participation
from nir.register.rule_config import rule_config
from nir.register.services.stores import participation_facts
from nir.rules.identity import parse_identity_number
from nir.rules.participation import derive_frist


@pytest.mark.django_db
def test_seed_loads_participants_whose_frist_the_services_would_compute_the_same(capsys):
    call_command("seed", participants=400, no_progress=True)
    assert "loaded 400 synthetic participants" in capsys.readouterr().out
    participations = list(Participation.objects.select_related("person"))
    assert len(participations) == 400
    config = rule_config()
    for participation in participations:
        recomputed = derive_frist(participation_facts(participation), config).derivation.frist
        assert recomputed == participation.frist, participation.pk
        number = parse_identity_number(participation.person.identity_number, allow_synthetic=True)
        assert number.synthetic
    regimes = Counter(p.regime for p in participations)
    assert 0.6 < regimes["integreringsloven_kap6a"] / 400 < 0.8
    created = HistoryEvent.objects.filter(action="participation_created", channel="seed")
    assert created.count() == 400


@pytest.mark.django_db
def test_demo_loads_every_municipality_runs_the_sweep_and_prints_the_logins(capsys):
    call_command("demo", participants=800, no_serve=True)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    for login in ("oslo", "bergen", "imdi"):
        assert login in out
        assert User.objects.get(username=login).check_password("demo")
    assert Participation.objects.values("kommune").distinct().count() == 357
    ended_by_sweep = Participation.objects.filter(termination_reason="ikke_registrert")
    assert ended_by_sweep.exists()
    assert not Participation.objects.filter(
        end_date__isnull=True, frist__lt=timezone.localdate()
    ).exists()
    assert Participation.objects.filter(termination_source="user").exists()
    assert Participation.objects.filter(extensions__isnull=False).exists()
    assert Participation.objects.filter(leaves__isnull=False).exists()
    assert Participation.objects.filter(stops__isnull=False).exists()


@pytest.mark.django_db
def test_synthetic_data_is_refused_where_test_data_is_not_allowed(settings):
    settings.NIR_RULES = {**settings.NIR_RULES, "allow_synthetic_identity_numbers": False}
    with pytest.raises(CommandError, match="NIR_ALLOW_SYNTHETIC_IDS"):
        call_command("seed", participants=5, no_progress=True)
    assert not Participation.objects.exists()


@pytest.mark.django_db
def test_seed_leaves_the_planner_statistics_of_the_loaded_register():
    table = Participation._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT now()")
            (before,) = cursor.fetchone()
        call_command("seed", participants=50, no_progress=True)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s", [table]
            )
            (analyzed,) = cursor.fetchone()
            assert analyzed is not None and analyzed >= before
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            assert cursor.fetchone()[0] == 50
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            stats = [row[0] for row in cursor.fetchall()]
            # sqlite_stat1's first number is the rows an index covers as ANALYZE saw them
            # (fewer for a partial index): the full indexes cover all 50.
            assert stats and max(int(stat.split()[0]) for stat in stats) == 50
