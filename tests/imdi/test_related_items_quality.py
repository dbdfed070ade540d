"""IMDi's data quality counts what the intro participants' related items (rules-norsk.md N8)
lack, per municipality, by the newest status of each kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nir.register.related_items_quality import related_items_quality
from nir.register.services.context import Actor, Channel
from nir.register.services.items import RelatedItemStatusItem
from nir.register.services.registrations import register_item
from tests.conftest import at
from tests.web.builders import add_participation

pytestmark = pytest.mark.django_db


def _item(actor, p, kind, status, done=None):
    return register_item(
        actor=actor,
        participation_id=p.pk,
        item=RelatedItemStatusItem(kind, status, done),
        at=at(timezone.localdate()),
    )


@pytest.fixture
def oslo_and_bergen(kommune_a, kommune_b):
    today = timezone.localdate()
    start = today - dt.timedelta(days=20)
    oslo = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    bergen = Actor("ola@bergen", Channel.WEB, kommune_b.pk)
    done = add_participation(oslo, kommune_a, "Amina", "Haddad", start=start)
    for kind in ("kompetansekartlegging", "karriereveiledning", "integreringskontrakt"):
        _item(oslo, done, kind, "gjennomfort", start)
    _item(oslo, done, "livsmestring", "pabegynt")
    started = add_participation(oslo, kommune_a, "Yusuf", "Karimi", start=start)
    _item(oslo, started, "kompetansekartlegging", "gjennomfort", start)
    add_participation(bergen, kommune_b, "Bergljot", "Bergensen", start=start)
    return today.year


def test_each_municipality_counts_its_participants_without_a_settled_status(oslo_and_bergen):
    rows = {r.kommune: r for r in related_items_quality(oslo_and_bergen)}
    oslo, bergen = rows["0301 Oslo"], rows["4601 Bergen"]
    assert oslo.participants == 2
    assert oslo.missing == {
        "kompetansekartlegging": 0,
        "karriereveiledning": 1,
        "integreringskontrakt": 1,
        "livsmestring": 2,  # «påbegynt» is not done
    }
    assert bergen.participants == 1
    assert set(bergen.missing.values()) == {1}


def test_the_newest_status_counts(oslo_and_bergen, kommune_b):
    bergen = Actor("ola@bergen", Channel.WEB, kommune_b.pk)
    from nir.register.models import Participation

    p = Participation.objects.get(kommune=kommune_b)
    today = timezone.localdate()
    _item(bergen, p, "livsmestring", "gjennomfort", today)
    rows = {r.kommune: r for r in related_items_quality(oslo_and_bergen)}
    assert rows["4601 Bergen"].missing["livsmestring"] == 0
    _item(bergen, p, "livsmestring", "pabegynt")  # a correction: not done after all
    rows = {r.kommune: r for r in related_items_quality(oslo_and_bergen)}
    assert rows["4601 Bergen"].missing["livsmestring"] == 1


def test_the_quality_page_shows_the_table_in_bokmaal_and_english(oslo_and_bergen, client_imdi):
    url = f"/imdi/datakvalitet/?aar={oslo_and_bergen}"
    text = client_imdi.get(url).content.decode()
    assert "Kartlegging, veiledning, kontrakt og kurs per kommune" in text
    assert "Livsmestring i et nytt land" in text
    client_imdi.cookies["django_language"] = "en"
    english = client_imdi.get(url).content.decode()
    assert "Mapping, guidance, contract and courses by municipality" in english
    assert "Life skills in a new country" in english
