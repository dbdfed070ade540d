"""IMDi's national figures for Norwegian training: the programme's breakdowns, and the same
linked suppression, attacked: no hidden count can be computed, or bounded narrower than the
protection interval, from every published cell together; a difference of two shown cells
never gives a small count away."""

import datetime as dt

import pytest
from django.conf import settings

from nir.register.norsk_statistics import (
    END_COLUMNS,
    NORSKMAAL_COLUMN,
    norsk_groups,
    norsk_release,
    published_norsk_statistics,
)
from nir.register.publication import ANTALL, ENDS, PARTICIPANTS, protected
from nir.register.services.context import Actor, Channel
from nir.register.services.items import NorskEndItem
from nir.register.services.norsk import (
    NewNorskParticipation,
    end_norsk_participation,
    start_norsk_participation,
)
from nir.rules.disclosure import TOTAL
from nir.rules.linked_suppression import interval_bounds
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at

D = dt.date
AVBRUTT = "Avbrutt"


def _ordninger(make_person, kommune, count, n0):
    teacher = Actor(f"laerer@{kommune.number}", Channel.WEB, kommune.pk, frozenset({Scheme.NORSK}))
    rows = []
    for n in range(count):
        start = D(2023, 3, 1 + n)
        person = make_person(
            registered_on=start,
            birth_date=D(1980 + (n0 + n) % 20, 2, 2 + n0 % 20),
            permit_type="kollektiv_beskyttelse",
            permit_date=D(2022, 12, 1),
            settlement_date=D(2023, 1, 15),
        )
        rows.append(
            start_norsk_participation(
                actor=teacher,
                person_id=person.pk,
                kommune_id=kommune.pk,
                new=NewNorskParticipation(start, PermitList.KOLLEKTIV_BESKYTTELSE),
                at=at(start),
            )
        )
    return teacher, rows


@pytest.fixture
def figures_register(make_person, kommune_a, kommune_b):
    """Oslo: three ordninger. Bergen: six, of which five end with the norskmaal reached and
    one is broken off, in 2023."""
    _ordninger(make_person, kommune_a, 3, 0)
    teacher, bergen = _ordninger(make_person, kommune_b, 6, 10)
    for n, row in enumerate(bergen):
        end_norsk_participation(
            actor=teacher,
            norsk_participation_id=row.pk,
            end=NorskEndItem(D(2023, 10, 2), "norskmal_nadd" if n < 5 else "avbrutt"),
            at=at(D(2023, 10, 3)),
        )
    return 2023


def _protection(year):
    release, _ = norsk_release(norsk_groups(year))
    protection = protected(f"statistikk-norsk:{year}:naa", release)
    return release, protection.primary | protection.secondary


@pytest.mark.django_db
def test_the_figures_use_the_programmes_breakdowns_and_reasons(figures_register):
    figures = published_norsk_statistics(figures_register)
    assert set(figures) == {"kommune", "fylke", "regime", "ukraina"}
    assert figures["kommune"].participants.rows == ("0301 Oslo", "4601 Bergen")
    assert figures["ukraina"].participants.rows == ("Ukraina (kap. 6A)",)
    assert figures["ukraina"].participants.shown(TOTAL, ANTALL) == 9
    assert figures["ukraina"].ends.columns == END_COLUMNS


@pytest.mark.django_db
def test_no_hidden_cell_can_be_computed_or_narrowly_bounded(figures_register):
    release, hidden = _protection(figures_register)
    oslo = (PARTICIPANTS, "kommune", "0301 Oslo", ANTALL)
    assert oslo in hidden  # three: under five
    # Oslo's county is the same three: hidden too, or the county table gives it away.
    assert (PARTICIPANTS, "fylke", "03 Oslo", ANTALL) in hidden
    bounds = interval_bounds(release, frozenset(hidden), sorted(hidden, key=repr))
    for cell, (low, high) in bounds.items():
        if release.value(cell) > 0:
            assert high - low >= settings.NIR_PROTECTION_INTERVAL, (cell, low, high)


@pytest.mark.django_db
def test_the_one_broken_off_cannot_be_found_as_the_ends_minus_the_norskmaal(figures_register):
    """Bergen's six ends are five with the norskmaal and one broken off: if the row total
    and the norskmaal's cell were both shown, 6 − 5 would give the one away."""
    ends = published_norsk_statistics(figures_register)["kommune"].ends
    assert ends.shown("4601 Bergen", AVBRUTT) is None
    shown = [ends.shown("4601 Bergen", c) for c in (NORSKMAAL_COLUMN, TOTAL)]
    assert None in shown, shown
    national = [ends.shown(TOTAL, c) for c in (NORSKMAAL_COLUMN, TOTAL)]
    assert None in national, national


@pytest.mark.django_db
def test_publishing_again_never_unlocks_a_hidden_cell(figures_register):
    _, first = _protection(figures_register)
    _, again = _protection(figures_register)
    assert first <= again
    key = (ENDS, "kommune", "4601 Bergen", AVBRUTT)
    assert key in again


@pytest.mark.django_db
def test_the_page_shows_the_dots_and_reads_in_english(figures_register, client):
    from nir.accounts.models import Role
    from tests.web.builders import make_user

    make_user("statistiker", None, Role.IMDI_STATISTIKER)
    client.login(username="statistiker", password="demo")
    url = f"/imdi/statistikk/norsk/?aar={figures_register}&etter=kommune"
    body = client.get(url).content.decode()
    assert "Statistikk for opplæring i norsk og samfunnskunnskap" in body
    assert "0301 Oslo" in body and "skjult" in body  # Oslo's three are a dot
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Share reaching the Norwegian goal" in english


@pytest.mark.django_db
def test_a_caseworker_cannot_open_the_figures(figures_register, client, kommune_a):
    from tests.web.builders import make_user

    make_user("oslo", kommune_a)
    client.login(username="oslo", password="demo")
    assert client.get("/imdi/statistikk/norsk/").status_code in (403, 404)
