"""Re-identification and linking attacks on research extracts: every row shares its
quasi-identifiers with at least k - 1 others, two projects' extracts cannot be joined one to
one, reserved persons are not in them, and the same attacks find the leaks of an extract
written as registered."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from nir.register.figures_models import ResearchExtract
from nir.register.kommuner import read_kommuner_2024
from nir.register.models import Participation, Person
from nir.register.research import COLUMNS, ExtractRequest, project_key, pseudonym, research_extract
from nir.register.services.bulk_load import load_synthetic
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from tests.disclosure.attacks import links, reidentified

QUASI = ("birth_date", "sex", "kommune", "start_date", "regime", "end_date")


def _register(participants: int, seed: int) -> None:
    register = SyntheticRegister(today=dt.date(2026, 11, 1), config=DEFAULT_CONFIG, seed=seed)
    numbers = sorted(k.number for k in read_kommuner_2024())
    load_synthetic(
        register.participations(register.kommune_plan(numbers, participants)),
        config=DEFAULT_CONFIG,
    )
    rng = random.Random(seed)
    ids = list(Person.objects.values_list("pk", flat=True))
    Person.objects.filter(pk__in=rng.sample(ids, max(2, len(ids) // 100))).update(
        research_reservation=True
    )


def _extract(actor, project, k=5, columns=QUASI):
    extract = research_extract(
        actor=actor,
        request=ExtractRequest(
            project=project,
            columns=columns,
            first_year=2023,
            last_year=2026,
            purpose="Overgang til arbeid etter programmet",
            k=k,
        ),
    )
    return extract, list(extract.rows)


@pytest.mark.django_db
@pytest.mark.parametrize(("participants", "seed"), [(150, 2), (600, 4), (3000, 6)])
def test_extracts_are_k_anonymous_unlinkable_and_without_reserved_persons(
    kommune_a, imdi_adviser, settings, participants, seed
):
    settings.NIR_PSEUDONYM_SECRET = "a-long-secret-for-the-test-suite"
    _register(participants, seed)
    a, rows_a = _extract(imdi_adviser, "PROSJEKT-A")
    _, rows_b = _extract(imdi_adviser, "PROSJEKT-B", columns=("birth_date", "sex", "kommune"))
    _, rows_c = _extract(imdi_adviser, "PROSJEKT-C")
    assert rows_a and rows_b
    assert reidentified(rows_a, 5) == [] and reidentified(rows_b, 5) == []
    # Two projects with the same columns get the same generalised rows under other
    # pseudonyms: no combination is unique, so no row links to one row of the other.
    assert {r[0] for r in rows_a}.isdisjoint({r[0] for r in rows_c})
    assert links(rows_a, rows_c) == []
    reserved = Person.objects.filter(research_reservation=True)
    assert reserved.exists()
    for project, rows in (("PROSJEKT-A", rows_a), ("PROSJEKT-B", rows_b)):
        key = project_key(project)
        hidden = {pseudonym(key, p.identity_number) for p in reserved}
        assert hidden.isdisjoint(r[0] for r in rows)
    active = Participation.objects.filter(person__research_reservation=True).exclude(
        end_date__lt=dt.date(2023, 1, 1)
    )
    log = ResearchExtract.objects.get(project="PROSJEKT-A")
    assert log.reserved_persons == active.count() == a.report.reserved_left_out
    assert log.k == 5 and log.purpose.startswith("Overgang")
    assert log.columns == list(QUASI)
    assert log.rows == len(rows_a)
    assert log.generalised["columns"] == a.report.generalised
    assert a.report.generalised  # dates and municipalities cannot all stay as registered
    assert a.report.suppressed <= 0.05 * (log.rows + a.report.suppressed)


@pytest.mark.django_db
def test_the_attacks_find_the_leaks_of_an_extract_written_as_registered(kommune_a, settings):
    """The register's extract before: every row as registered, reserved persons in it with
    only birth date and municipality blanked, a keyed pseudonym per project."""
    settings.NIR_PSEUDONYM_SECRET = "a-long-secret-for-the-test-suite"
    _register(600, 4)
    fields = [COLUMNS[c] for c in QUASI]

    def as_registered(project):
        key = project_key(project)
        rows = []
        for number, reserved, *values in Participation.objects.values_list(
            "person__identity_number", "person__research_reservation", *fields
        ):
            row = [pseudonym(key, number)]
            for column, value in zip(QUASI, values, strict=True):
                blank = reserved and column in ("birth_date", "kommune")
                row.append("" if blank or value is None else str(value))
            rows.append(row)
        return rows

    a, b = as_registered("PROSJEKT-A"), as_registered("PROSJEKT-B")
    assert len(reidentified(a, 5)) > len(a) / 2
    assert len(links(a, b)) > len(a) / 2
