"""Kap. 6A «kan tilbys», the Prop. 81 L date, configured length rows and excluded reasons,
run again through the services, the API and start-up on the real database."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from nir.register.models import Participation
from nir.register.services.participations import NewParticipation, create_participation
from nir.rules.dates import add_months
from nir.rules.errors import RuleViolation
from tests.api.helpers import make_record, today
from tests.conftest import at

D = dt.date
BATCH = "/api/v1/batch/participations"


@pytest.fixture
def rules(settings):
    """Change the rule settings for one test (the config is rebuilt on the change)."""

    def change(**values):
        settings.NIR_RULES = {**django_settings.NIR_RULES, **values}

    return change


def _start(make_person, actor, kommune, *, start, category=None, sluttmaal="arbeid", **person):
    person = make_person(registered_on=start, **person)
    return create_participation(
        actor=actor,
        person_id=person.pk,
        new=NewParticipation(start_date=start, category=category, sluttmaal=sluttmaal, case_id=""),
        kommune_id=kommune.pk,
        at=at(start),
    )


KAP6A = {"permit_type": "kollektiv_beskyttelse", "permit_date": D(2023, 3, 1)}


@pytest.mark.parametrize(
    ("birth", "category", "stored"),
    [
        (D(1990, 1, 1), None, "rett"),
        (D(1962, 1, 1), None, "kan_tilbys"),  # 61 at the permit date
        (D(1962, 1, 1), "kan_tilbys", "kan_tilbys"),
    ],
)
def test_kap6a_participation_is_rett_or_kan_tilbys_by_age(
    make_person, caseworker_a, kommune_a, birth, category, stored
):
    p = _start(
        make_person,
        caseworker_a,
        kommune_a,
        start=D(2023, 4, 1),
        category=category,
        birth_date=birth,
        **KAP6A,
    )
    assert (p.regime, p.category) == ("integreringsloven_kap6a", stored)


def test_kap6a_beyond_67_is_refused_and_nothing_is_written(make_person, caseworker_a, kommune_a):
    before = Participation.objects.count()
    with pytest.raises(RuleViolation) as refused:
        _start(
            make_person,
            caseworker_a,
            kommune_a,
            start=D(2023, 4, 1),
            category="kan_tilbys",
            birth_date=D(1953, 1, 1),  # 70
            **KAP6A,
        )
    assert refused.value.code == "category.kap6a_age"
    assert "mellom 55 og 67 år" in refused.value.message
    assert Participation.objects.count() == before


def test_prop81_date_switches_on_the_longer_programme_for_new_starts_only(
    make_person, caseworker_a, kommune_a, rules
):
    vgo = {"birth_date": D(2003, 5, 1), "has_upper_secondary": False}
    old = _start(
        make_person,
        caseworker_a,
        kommune_a,
        start=D(2023, 1, 31),
        sluttmaal="fullfort_videregaende",
        **vgo,
    )
    assert old.frist == D(2026, 1, 31)
    rules(prop81_in_force=D(2023, 2, 1))
    new = _start(
        make_person,
        caseworker_a,
        kommune_a,
        start=D(2023, 2, 1),
        sluttmaal="fullfort_videregaende",
        **vgo,
    )
    assert new.frist == add_months(D(2023, 2, 1), 48)
    assert new.frist_derivation["rule_row"] == "integreringsloven.p14_under_25.prop81"
    # The old participation computes as before: its row is chosen by its start date.
    old.refresh_from_db()
    assert old.frist == D(2026, 1, 31)
    assert old.frist_derivation["rule_reference"] == "integreringsloven § 13"


def test_prop81_age_band_through_the_services(make_person, caseworker_a, kommune_a, rules):
    aged_58 = {"birth_date": D(1964, 1, 1), "permit_date": D(2022, 6, 1)}
    before = _start(make_person, caseworker_a, kommune_a, start=D(2023, 1, 31), **aged_58)
    assert before.category == "kan_tilbys"
    rules(prop81_in_force=D(2023, 2, 1))
    after = _start(make_person, caseworker_a, kommune_a, start=D(2023, 2, 1), **aged_58)
    assert after.category == "rett_og_plikt"


# --- the API --------------------------------------------------------------------------------


def _kap6a_record(case_id, birth, **extra):
    record = make_record(case_id, birth_date=birth, **extra)
    record["person"].update(permit_type="kollektiv_beskyttelse", permit_date="2024-01-10")
    return record


def test_kap6a_categories_through_the_api(fagsystem_a, rules):
    rules(kap6a_expires=None)  # the programme starts today, whatever day that is
    response = fagsystem_a.batch(
        [
            _kap6a_record("6A/1", D(1990, 5, 17)),
            _kap6a_record("6A/2", D(1962, 5, 17)),
            _kap6a_record("6A/3", D(1962, 5, 17), category="rett"),
            _kap6a_record("6A/4", D(1950, 5, 17), category="kan_tilbys"),
        ]
    )
    results = {r["case_id"]: r for r in response.json()["results"]}
    assert results["6A/1"]["outcome"] == "created"
    assert results["6A/2"]["outcome"] == "created"
    assert Participation.objects.get(case_id="6A/2").category == "kan_tilbys"
    for refused in ("6A/3", "6A/4"):
        assert results[refused]["outcome"] == "rejected"
        error = results[refused]["errors"][0]
        assert (error["field"], error["code"]) == ("category", "category.kap6a_age")
        assert "rules.md" not in error["reference"]


def test_prop81_through_the_api_before_and_after_the_date(fagsystem_a, rules):
    def record(case_id):
        r = make_record(case_id, birth_date=D(2004, 5, 17))
        r["person"]["has_upper_secondary"] = False
        r["sluttmaal"][0]["sluttmaal"] = "fullfort_videregaende"
        return r

    fagsystem_a.batch([record("P81/1")])
    rules(prop81_in_force=today() - dt.timedelta(days=30))
    fagsystem_a.batch([record("P81/2")])
    old = fagsystem_a.participant("P81/1").json()
    new = fagsystem_a.participant("P81/2").json()
    start = dt.date.fromisoformat(old["start_date"])
    assert old["frist"] == add_months(start, 36).isoformat()
    assert new["frist"] == add_months(start, 48).isoformat()
    derivation = new["frist_derivation"]
    assert derivation["rule_reference"].startswith("integreringsloven § 14")
    assert "Prop. 81 L (2024–2025) gir ett år lenger" in derivation["explanation"][1]
    assert {b["kind_label"] for b in derivation["basis"]} >= {"lov"}
    assert all("rules.md" not in b["reference"] for b in derivation["basis"])


# --- start-up -------------------------------------------------------------------------------


def _start_django(tmp_path, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIR_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nir.settings",
            "NIR_SECRET_KEY": "x",
            "NIR_DATA_DIR": str(tmp_path),
            **extra_env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_bad_length_row_stops_start_up_with_one_clear_message(tmp_path):
    rows = tmp_path / "lengths.json"
    rows.write_text(
        json.dumps(
            {
                "rows": [
                    {
                        "row_id": "kap6a.p13.2026",
                        "regime": "integreringsloven_kap6a",
                        "group": "p13",
                        "base_months": 9,
                        "extension_limit_months": 3,
                        "effective_from": "2026-09-01",
                        "citation": "integreringsloven § 14",
                    }
                ]
            }
        )
    )
    result = _start_django(tmp_path, {"NIR_PROGRAMME_LENGTHS_FILE": str(rows)})
    assert result.returncode != 0
    assert "row 1 (kap6a.p13.2026)" in result.stderr
    assert "integreringsloven § 14 does not exist in the 2021 text" in result.stderr


def test_excluded_reasons_are_configuration_checked_at_start_up(tmp_path):
    bad = _start_django(tmp_path, {"NIR_OUTCOME_EXCLUDED_REASONS": "flyttet,ikke_registrert"})
    assert bad.returncode != 0 and "may not leave out ikke_registrert" in bad.stderr
    good = _start_django(tmp_path, {"NIR_OUTCOME_EXCLUDED_REASONS": "dod"})
    assert good.returncode == 0, good.stderr
