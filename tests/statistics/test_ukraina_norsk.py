"""The monthly Ukraina report's Norwegian-training part: kap. 6A ordninger in the scheme at
the end of the month, starts and ends, by county, municipality and sex, as of the cut-off,
small counts hidden so that no cell can be found from the others; on the page and in the
delivered XLSX."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from nir.register.services.context import Actor, Channel
from nir.register.services.items import NorskEndItem
from nir.register.services.norsk import (
    NewNorskParticipation,
    end_norsk_participation,
    start_norsk_participation,
)
from nir.register.ukraina_norsk import NORSK_MEASURES
from nir.register.ukraina_report import MEASURES, build_ukraina_report, ukraina_report_xlsx
from nir.rules.disclosure import TOTAL
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")
STOCK, STARTED, ENDED = NORSK_MEASURES


@pytest.fixture
def norsk_register(make_person, kommune_a):
    """Seven kap. 6A persons in Oslo's Norwegian training (five women), none in the
    programme; one ends on 20 April 2023."""
    teacher = Actor("nina@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK}))
    rows = []
    for n in range(7):
        start = D(2023, 3, 1 + n)
        person = make_person(
            registered_on=start,
            birth_date=D(1980 + n, 2, 2),
            permit_type="kollektiv_beskyttelse",
            permit_date=D(2022, 12, 1),
            settlement_date=D(2023, 1, 15),
            sex="kvinne" if n < 5 else "mann",
        )
        rows.append(
            start_norsk_participation(
                actor=teacher,
                person_id=person.pk,
                kommune_id=kommune_a.pk,
                new=NewNorskParticipation(start, PermitList.KOLLEKTIV_BESKYTTELSE),
                at=at(start),
            )
        )
    end_norsk_participation(
        actor=teacher,
        norsk_participation_id=rows[0].pk,
        end=NorskEndItem(D(2023, 4, 20), "avbrutt"),
        at=at(D(2023, 4, 21)),
    )
    return rows


@pytest.mark.django_db
def test_the_norwegian_part_counts_stock_starts_and_ends_as_of_the_cutoff(norsk_register):
    assert all(r.regime == "integreringsloven_kap6a" for r in norsk_register)
    april = build_ukraina_report("2023-04", dt.datetime(2023, 5, 1, tzinfo=OSLO))
    assert april.norsk is not None
    assert april.norsk.totals == {STOCK: 6, STARTED: 0, ENDED: None}  # one end: a dot
    # None of them is in the programme: its sheets are empty, the scheme's are not.
    assert april.totals[MEASURES[0]] == 0
    march = build_ukraina_report("2023-03", dt.datetime(2023, 4, 1, tzinfo=OSLO))
    assert march.norsk is not None and march.norsk.totals[STARTED] == 7
    # Before they were registered, none is counted.
    early = build_ukraina_report("2023-03", dt.datetime(2023, 3, 2, tzinfo=OSLO))
    assert early.norsk is not None and early.norsk.totals[STARTED] is None  # 1: a dot


@pytest.mark.django_db
def test_a_hidden_count_cannot_be_found_from_the_total(norsk_register):
    """Two men of seven: the men's cell is a dot, and so is the women's, or 7 − 5 gives it."""
    march = build_ukraina_report("2023-03", dt.datetime(2023, 4, 1, tzinfo=OSLO))
    assert march.norsk is not None
    by_sex = march.norsk.by["Norsk – Kjønn"]
    assert by_sex.shown(TOTAL, STARTED) == 7
    assert by_sex.shown("Menn", STARTED) is None
    assert by_sex.shown("Kvinner", STARTED) is None
    # One municipality in one county: its rows equal the published total, so they show.
    assert march.norsk.by["Norsk – Kommune"].shown("0301 Oslo", STARTED) == 7


@pytest.mark.django_db
def test_the_xlsx_has_the_norwegian_sheets_and_totals(norsk_register):
    report = build_ukraina_report("2023-04", dt.datetime(2023, 5, 1, tzinfo=OSLO))
    book = openpyxl.load_workbook(io.BytesIO(ukraina_report_xlsx(report)))
    assert {"Norsk – Fylke", "Norsk – Kommune", "Norsk – Kjønn"} <= set(book.sheetnames)
    overview = {row[0]: row[1] for row in book["Oversikt"].iter_rows(values_only=True) if row[0]}
    assert overview[STOCK] == 6
    assert overview[ENDED] == "."
    sheet = book["Norsk – Kommune"]
    assert [c.value for c in sheet[1]] == ["Norsk – Kommune", *NORSK_MEASURES]


def test_the_history_actions_read_are_the_catalogues():
    from nir.register.models import NORSK_ENDED_ACTION, NORSK_STARTED_ACTION
    from nir.register.services import events

    assert events.NORSK_PARTICIPATION_STARTED.action == NORSK_STARTED_ACTION
    assert events.NORSK_PARTICIPATION_ENDED.action == NORSK_ENDED_ACTION
