"""The reports of Norwegian training: the ordninger ended with reasons (page, CSV, XLSX),
and the person list filtered on the old or new social-studies scheme (Decision N1-e),
each scoped to the reader's municipality and access-logged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from nir.accounts.models import Role
from nir.audit.models import AccessLogEntry
from nir.register.services.context import Actor, Channel
from nir.register.services.items import NorskEndItem
from nir.register.services.norsk import (
    NewNorskParticipation,
    end_norsk_participation,
    start_norsk_participation,
)
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at
from tests.web.builders import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

D = dt.date
NORSK = frozenset({Scheme.NORSK})


@pytest.fixture
def ordninger(make_person, kommune_a, kommune_b):
    """Oslo: one permit from 2021 (50 hours), one from 2026 (75 hours in modules) ended as
    «avbrutt»; Bergen: one, ended the same way, which Oslo never sees."""
    made = {}
    for key, kommune, permit, family in (
        ("old", kommune_a, D(2021, 11, 15), "Gammelsen"),
        ("new", kommune_a, D(2026, 9, 1), "Nyberg"),
        ("bergen", kommune_b, D(2026, 9, 1), "Bergensen"),
    ):
        person = make_person(permit_date=permit, family_name=family, registered_on=D(2026, 10, 1))
        actor = Actor(f"norsk@{kommune.number}", Channel.WEB, kommune.pk, NORSK)
        made[key] = start_norsk_participation(
            actor=actor,
            person_id=person.pk,
            kommune_id=kommune.pk,
            new=NewNorskParticipation(
                start_date=D(2026, 10, 1), permit_list=PermitList.RETT_OG_PLIKT
            ),
            at=at(D(2026, 10, 1)),
        )
        if key != "old":
            end_norsk_participation(
                actor=actor,
                norsk_participation_id=made[key].pk,
                end=NorskEndItem(D(2026, 11, 2), "avbrutt"),
                at=at(D(2026, 11, 2)),
            )
    return made


@pytest.fixture
def oslo(kommune_a) -> Client:
    client = Client()
    client.force_login(make_user("nora", kommune_a, Role.KOMMUNENORSKBRUKER))
    return client


def test_the_ended_report_gives_the_reasons_on_the_page_and_in_csv_and_xlsx(oslo, ordninger):
    page = oslo.get(reverse("web:report-norsk-ended")).content.decode()
    assert "Nyberg" in page and "Bergensen" not in page and "Gammelsen" not in page
    assert "Avbrutt" in page
    body = b"".join(
        oslo.get(reverse("web:report-norsk-ended-export", args=["csv"])).streaming_content
    )
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Fødselsnummer/D-nummer", "Etternavn", "Fornavn"]
    assert [(r[1], r[7], r[8], r[9]) for r in lines[1:]] == [
        ("Nyberg", "02.11.2026", "Avbrutt", "kommunen")
    ]
    xlsx = oslo.get(reverse("web:report-norsk-ended-export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [c.value for c in sheet[2]][1] == "Nyberg"
    assert sheet.max_row == 2
    assert AccessLogEntry.objects.filter(action="web_export_norsk_ended").exists()


def test_the_person_list_filters_on_the_old_or_new_social_studies_scheme(oslo, ordninger):
    url = reverse("web:report-norsk-person-list")
    new = oslo.get(url, {"samfunnskunnskap": "ny_75"}).content.decode()
    assert "Nyberg" in new and "Gammelsen" not in new and "Bergensen" not in new
    assert "Ny ordning (75 timer i 3 moduler)" in new
    old = oslo.get(url, {"samfunnskunnskap": "gammel_50"}).content.decode()
    assert "Gammelsen" in old and "Nyberg" not in old
    active = oslo.get(url, {"bare_aktive": "on"}).content.decode()
    assert "Gammelsen" in active and "Nyberg" not in active
    body = b"".join(
        oslo.get(
            reverse("web:report-norsk-person-list-export", args=["csv"]),
            {"samfunnskunnskap": "gammel_50"},
        ).streaming_content
    )
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [(r[1], r[6]) for r in lines[1:]] == [("Gammelsen", "Gammel ordning (50 timer)")]
    assert AccessLogEntry.objects.filter(action="web_report_norsk_person_list").exists()
