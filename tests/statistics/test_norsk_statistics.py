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
    """Born 1980-1999 (aged 24-43 on 31.12.2023), women first, then men."""
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
            sex="kvinne" if n % 2 == 0 else "mann",
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
    assert set(figures) == {"kommune", "fylke", "regime", "ukraina", "kjonn", "alder"}
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


@pytest.mark.django_db
def test_the_figures_by_sex_and_age_band_are_the_programmes_labels_protected_together(
    figures_register,
):
    """Oslo: born 1980-1982 (43, 42, 41: 36-45), two women and a man; Bergen: born
    1990-1995 (28-33: 26-35), three women and three men. Each breakdown sums to the same
    nine, and a small count is hidden in every table it is in."""
    figures = published_norsk_statistics(figures_register)
    by_sex, by_age = figures["kjonn"], figures["alder"]
    assert by_sex.participants.rows == ("Kvinner", "Menn")
    assert by_age.participants.rows == ("26–35", "36–45")
    assert by_age.participants.shown("36–45", ANTALL) is None  # Oslo's three
    # Nine in all, or six aged 26-35, not both: 9 - 6 would give Oslo's three away.
    younger, total = (by_age.participants.shown(r, ANTALL) for r in ("26–35", TOTAL))
    assert None in (younger, total) and {younger, total} - {None} <= {6, 9}
    for table in (by_sex, by_age, figures["kommune"]):
        assert table.participants.shown(TOTAL, ANTALL) == total  # one national cell
    # Bergen's five norskmål ends are all 26-35: the age table must not show the one
    # broken off as its row total minus the norskmål, any more than the municipality's.
    shown = [by_age.ends.shown("26–35", c) for c in (NORSKMAAL_COLUMN, TOTAL)]
    assert None in shown, shown


def _figures_client(client):
    from nir.accounts.models import Role
    from tests.web.builders import make_user

    make_user("statistiker", None, Role.IMDI_STATISTIKER)
    client.login(username="statistiker", password="demo")
    return client


@pytest.mark.django_db
def test_the_page_and_its_downloads_are_one_table(figures_register, client):
    import csv
    import io

    from openpyxl import load_workbook

    _figures_client(client)
    query = f"aar={figures_register}&etter=alder"
    page = client.get(f"/imdi/statistikk/norsk/?{query}").content.decode()
    assert "Aldersgruppe 31.12." in page and "26–35" in page
    assert f"/imdi/statistikk/norsk.csv?{query}" in page.replace("&amp;", "&")
    response = client.get(f"/imdi/statistikk/norsk.csv?{query}")
    assert response["Content-Disposition"] == (
        f'attachment; filename="statistikk-norsk-{figures_register}-alder-naa.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:6] == [
        "Aldersgruppe 31.12.",
        "Deltakere",
        "Startet",
        "Avsluttet",
        "Norskmålet nådd",
        "Andel som nådde norskmålet (%)",
    ]
    by_label = {row[0]: row for row in rows[1:]}
    assert list(by_label) == ["26–35", "36–45", "I alt"]
    assert by_label["36–45"][1] == "."  # Oslo's three, hidden: a dot
    shown = published_norsk_statistics(figures_register)["alder"].participants
    for label, key in (("26–35", "26–35"), ("I alt", TOTAL)):
        value = shown.shown(key, ANTALL)
        assert by_label[label][1] == ("." if value is None else str(value))
    assert by_label["I alt"][-2:] == ["IMDis telling: hver avslutning i året", "nå"]
    xlsx = client.get(f"/imdi/statistikk/norsk.xlsx?{query}")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == rows[0]
    assert [r[:2] for r in cells[1:]] == [[r[0], int(r[1]) if r[1] != "." else "."]
                                          for r in rows[1:]]  # fmt: skip
    assert client.get(f"/imdi/statistikk/norsk.pdf?{query}").status_code == 404
