"""The seed's second cause caught when it happens: a start decision of 12 months for a § 13
participant (sluttmål arbeid with upper secondary education: 6 months)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nir.register.data_quality import quality_by_kommune
from nir.register.services.context import Actor, Channel
from nir.register.services.items import DecisionItem, ExtensionItem
from nir.register.services.registrations import register_item
from nir.rules.dates import add_months
from tests.api.helpers import ApiCaller, make_record
from tests.conftest import at
from tests.web.builders import add_participation


def _p13(kommune):
    today = timezone.localdate()
    actor = Actor("kari@oslo", Channel.WEB, kommune.pk)
    start = today - dt.timedelta(days=20)
    return actor, add_participation(actor, kommune, "Sara", "Tolvmåneder", start=start)


def test_the_preview_warns_before_the_decision_is_saved(client_a, kommune_a):
    _, p = _p13(kommune_a)
    url = f"/deltakelse/{p.pk}/forhandsvis/vedtak/"
    params = {
        "expected_version": p.version,
        "decision_type": "innvilget",
        "decided_on": p.start_date.isoformat(),
        "programme_months": 12,
    }
    body = client_a.get(url, params).content.decode()
    assert (
        f"Vedtaket gir 12 måneder, sluttmålet gir 6: registrer vedtak om utvidet deltakelse, "
        f"ellers avsluttes deltakeren {p.frist:%d.%m.%Y}." in body
    )
    assert f"/deltakelse/{p.pk}/registrer/utvidelse/" in body
    assert (
        "programtid-advarsel"
        not in client_a.get(url, {**params, "programme_months": 6}).content.decode()
    )


def test_listed_until_the_extension_is_registered(client_a, kommune_a):
    actor, p = _p13(kommune_a)
    register_item(
        actor=actor,
        participation_id=p.pk,
        item=DecisionItem(decision_type="innvilget", decided_on=p.start_date, programme_months=12),
        at=at(p.start_date),
    )
    person = client_a.get(f"/person/{p.person_id}/").content.decode()
    assert "Vedtaket gir 12 måneder, sluttmålet gir 6" in person
    assert 'id="programtid"' in client_a.get("/").content.decode()
    assert "Tolvmåneder" in client_a.get("/deltakere/?mangler=utvidelse").content.decode()
    year = timezone.localdate().year
    [row] = [
        q for q in quality_by_kommune(year, timezone.localdate()) if q.kommune_id == kommune_a.pk
    ]
    assert row.programme_time_exceeded == 1

    register_item(
        actor=actor,
        participation_id=p.pk,
        item=ExtensionItem(months=6, decided_on=timezone.localdate()),
    )
    assert "Vedtaket gir 12" not in client_a.get(f"/person/{p.person_id}/").content.decode()
    assert "Tolvmåneder" not in client_a.get("/deltakere/?mangler=utvidelse").content.decode()


def test_a_programme_time_on_a_decision_that_does_not_start_a_programme_is_refused(
    client_a, kommune_a
):
    _, p = _p13(kommune_a)
    response = client_a.post(
        f"/deltakelse/{p.pk}/registrer/vedtak/",
        {
            "expected_version": p.version,
            "decision_type": "klage",
            "decided_on": timezone.localdate().isoformat(),
            "programme_months": 12,
        },
    )
    assert "Programtid registreres bare på vedtak om tilbud" in response.content.decode()


def test_the_api_warns_and_the_hash_of_a_record_without_it_is_unchanged(kommune_a):
    from nir.api.clients import create_api_client

    caller = ApiCaller(create_api_client(kommune_number="0301", name="Oslo", created_by="t").token)
    start = timezone.localdate() - dt.timedelta(days=10)
    record = make_record("P13-12")
    record["decisions"][0]["programme_months"] = 12
    reply = caller.put("/api/v1/participations/P13-12", record).json()
    [warning] = reply["warnings"]
    assert warning["code"] == "programme_time.exceeds_sluttmaal"
    assert warning["params"] == {
        "decided_months": 12,
        "computed_months": 6,
        "frist": add_months(start, 6).isoformat(),
    }
    plain = caller.put("/api/v1/participations/P13-plain", make_record("P13-plain")).json()
    assert plain["warnings"] == []
    stored = caller.participant("P13-plain").json()
    assert (
        "programme_months" not in stored["record"]["decisions"][0]
        or stored["record"]["decisions"][0]["programme_months"] is None
    )
    assert stored["content_hash"] == plain["content_hash"]


def test_a_dry_run_warns_as_a_stored_record_would(kommune_a):
    from nir.api.clients import create_api_client
    from nir.register.models import Participation

    caller = ApiCaller(create_api_client(kommune_number="0301", name="Oslo", created_by="t").token)
    start = timezone.localdate() - dt.timedelta(days=10)
    record = make_record("P13-dry")
    record["decisions"][0]["programme_months"] = 12
    expected = {
        "decided_months": 12,
        "computed_months": 6,
        "frist": add_months(start, 6).isoformat(),
    }

    put = caller.put("/api/v1/participations/P13-dry?dry_run=true", record).json()
    batch = caller.batch([record], query="?dry_run=true").json()

    [put_warning] = put["warnings"]
    [batch_warning] = batch["results"][0]["warnings"]
    for warning in (put_warning, batch_warning):
        assert warning["code"] == "programme_time.exceeds_sluttmaal"
        assert warning["params"] == expected
    assert not Participation.objects.filter(case_id="P13-dry").exists()
