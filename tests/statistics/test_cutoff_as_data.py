"""The annual cut-off as data per year: the published dates, the default rule for new years,
and IMDi's exception for a year (with its reason in the history); the figures follow it."""

import datetime as dt

import pytest
from django.core.management import call_command

from nir.register.cutoff_comparison import compare_with_cutoff
from nir.register.models import HistoryEvent
from nir.register.services.context import OutOfScope
from nir.register.services.cutoffs import remove_cutoff_exception, set_cutoff_exception
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.items import TerminationItem
from nir.register.services.participations import register_termination
from nir.register.statistics import cutoff_at
from nir.rules.cutoff import CutoffException, annual_cutoff_for
from nir.rules.disclosure import TOTAL
from nir.rules.errors import RuleViolation
from tests.conftest import at
from tests.statistics.test_annual_figures import SWEPT, register_2023  # noqa: F401

D = dt.date


@pytest.mark.parametrize(
    ("year", "day", "source"),
    [
        (2016, D(2017, 1, 15), "historic"),
        (2017, D(2018, 1, 15), "historic"),
        (2018, D(2019, 2, 28), "default"),
        (2019, D(2020, 2, 29), "default"),  # leap year
        (2023, D(2024, 2, 29), "default"),
        (2031, D(2032, 2, 29), "default"),  # a new year needs no row
    ],
)
def test_each_year_has_its_published_cutoff_or_the_default_rule(year, day, source):
    cutoff = annual_cutoff_for(year)
    assert (cutoff.day, cutoff.source) == (day, source)
    assert cutoff.basis.url.startswith("https://www.imdi.no/")


def test_2017_says_the_figures_were_checked_again():
    assert "16.03.2018" in annual_cutoff_for(2017).note_nb


def test_an_exception_for_a_year_wins_and_says_why():
    exceptions = {2024: CutoffException(2024, D(2025, 3, 14), "Feil i NIR i februar")}
    cutoff = annual_cutoff_for(2024, exceptions)
    assert (cutoff.day, cutoff.source, cutoff.note_nb) == (
        D(2025, 3, 14),
        "exception",
        "Feil i NIR i februar",
    )
    assert annual_cutoff_for(2023, exceptions).source == "default"


@pytest.mark.django_db
def test_imdi_sets_an_exception_with_its_reason_in_the_history(imdi_adviser, caseworker_a):
    set_cutoff_exception(
        actor=imdi_adviser,
        year=2024,
        cutoff_date=D(2025, 3, 14),
        reason="Feil i NIR i februar",
        at=at(D(2025, 2, 20)),
    )
    assert cutoff_at(2024).date() == D(2025, 3, 15)
    event = HistoryEvent.objects.get(action="annual_cutoff_set")
    assert event.before["cutoff_date"] == "2025-02-28"
    assert event.after == {
        "year": 2024,
        "cutoff_date": "2025-03-14",
        "reason": "Feil i NIR i februar",
    }
    assert event.legal_basis[0]["rule_id"] == "statistics.annual_cutoff.exception"
    with pytest.raises(OutOfScope):
        set_cutoff_exception(actor=caseworker_a, year=2024, cutoff_date=D(2025, 3, 1), reason="x")
    with pytest.raises(RuleViolation) as no_reason:
        set_cutoff_exception(actor=imdi_adviser, year=2024, cutoff_date=D(2025, 3, 1), reason=" ")
    assert no_reason.value.field == "reason"
    with pytest.raises(RuleViolation) as wrong_year:
        set_cutoff_exception(actor=imdi_adviser, year=2024, cutoff_date=D(2024, 12, 31), reason="x")
    assert wrong_year.value.field == "cutoff_date"
    remove_cutoff_exception(actor=imdi_adviser, year=2024, reason="Feilen er rettet")
    assert cutoff_at(2024).date() == D(2025, 3, 1)
    assert HistoryEvent.objects.filter(action="annual_cutoff_removed").count() == 1


@pytest.mark.django_db
def test_figures_reproduce_as_of_the_years_exception(
    register_2023,  # noqa: F811
    caseworker_a,
    imdi_adviser,
    kommune_a,
):
    """A reason registered in March counts in 2023's figures only once IMDi moved the
    cut-off past it."""
    swept = register_2023[SWEPT[0]]
    grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=D(2023, 8, 1),
            covers_to=D(2023, 8, 31),
            expires_on=D(2024, 4, 30),
            reason="Etterregistrering",
        ),
        at=at(D(2024, 3, 10)),
    )
    register_termination(
        actor=caseworker_a,
        participation_id=swept.pk,
        termination=TerminationItem(end_date=D(2023, 8, 1), reason="arbeid"),
        at=at(D(2024, 3, 15)),
    )
    assert compare_with_cutoff(2023).at_cutoff.attainment[TOTAL].numerator == 4
    set_cutoff_exception(
        actor=imdi_adviser,
        year=2023,
        cutoff_date=D(2024, 3, 20),
        reason="Kommunene fikk frist til 20. mars etter feil i NIR",
    )
    comparison = compare_with_cutoff(2023)
    assert comparison.cutoff == cutoff_at(2023)
    assert comparison.at_cutoff.attainment[TOTAL].numerator == 5


@pytest.mark.django_db
def test_the_command_shows_and_sets_a_years_cutoff(capsys):
    call_command("cutoff", "--year", "2017")
    assert "cut-off 2017: 2018-01-15 [historic]" in capsys.readouterr().out
    call_command("cutoff", "--year", "2025", "--date", "2026-03-06", "--reason", "Feil i NIR")
    assert "cut-off 2025: 2026-03-06 [exception]" in capsys.readouterr().out
