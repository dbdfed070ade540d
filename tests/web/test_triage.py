"""Every «ikke registrert» found and sorted: which can still be registered, which need IMDi's
grant, which are too old; the same state on the worklist, the report, its exports and the API.

Views read the real clock, so the data is built relative to today (as in builders.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from nir.register import triage
from nir.register.models import LateRegistrationGrant, Participation
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from nir.rules.registration_window import WindowStatus
from nir.support.models import SupportRequest
from tests.api.helpers import ApiCaller
from tests.web.builders import add_participation, make_user

IMDI = Actor("ingrid@imdi", Channel.WEB, None)


@pytest.fixture
def ended(kommune_a, kommune_b):
    """Four participations the register ended, one in each state, and one in Bergen."""
    today = timezone.localdate()
    worker = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    bergen = Actor("ola@bergen", Channel.WEB, kommune_b.pk)
    ends = {
        "open": today - dt.timedelta(days=10),
        "granted": today - dt.timedelta(days=200),
        "needs_grant": today - dt.timedelta(days=100),
        "too_old": add_months(today, -13),
    }
    rows = {
        state: add_participation(
            worker, kommune_a, state.title(), "Avsluttet", start=add_months(d, -6)
        )
        for state, d in ends.items()
    }
    add_participation(
        bergen, kommune_b, "Bergljot", "Bergensen", start=add_months(ends["needs_grant"], -6)
    )
    run_sweep(as_of=today)
    granted = ends["granted"]
    grant_late_registration(
        actor=IMDI,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=granted - dt.timedelta(days=5),
            covers_to=granted + dt.timedelta(days=5),
            expires_on=today + dt.timedelta(days=20),
            reason="Glemt registrering",
        ),
    )
    for p in rows.values():
        p.refresh_from_db()
        assert p.termination_source == "system"
    return today, rows


def test_the_database_conditions_agree_with_the_rule_row_by_row(ended, kommune_a):
    today, rows = ended
    for status in WindowStatus:
        selected = set(
            Participation.objects.filter(kommune=kommune_a)
            .filter(triage.status_condition(status, kommune_a.pk, today))
            .values_list("pk", flat=True)
        )
        by_rule = {
            p.pk
            for p in Participation.objects.filter(kommune=kommune_a)
            if (s := triage.state_of(p, today)) is not None and s.status is status
        }
        assert selected == by_rule == {rows[status.value].pk}


def test_the_worklist_report_export_and_api_agree(ended, client_a, kommune_a):
    _today, rows = ended
    worklist = client_a.get("/").content.decode()
    for status in WindowStatus:
        assert f'registrering={status.value}"><strong>1</strong>' in worklist, status

    report = client_a.get("/rapporter/avsluttede/?aarsak=ikke_registrert")
    body = report.content.decode()
    for status in WindowStatus:
        assert f'data-status="{status.value}">1<' in body
    needs = rows["needs_grant"]
    until = add_months(needs.end_date, 12)
    assert f"Krever etterregistrering, mulig til {until:%d.%m.%Y}" in body
    assert "Eldre enn 12 måneder: kan ikke rettes" in body
    # An action is offered only where it can succeed.
    assert f"/deltakelse/{rows['open'].pk}/registrer/avslutning/" in body
    assert f"/deltakelse/{rows['granted'].pk}/registrer/avslutning/" in body
    assert f"/deltakelse/{needs.pk}/registrer/avslutning/" not in body
    assert f"/deltakelse/{rows['too_old'].pk}/registrer/avslutning/" not in body
    assert f"deltakelse={needs.pk}&amp;fra={needs.end_date:%Y-%m-%d}" in body

    filtered = client_a.get("/rapporter/avsluttede/?registrering=needs_grant").content.decode()
    assert "Needs_Grant" in filtered and "Too_Old" not in filtered

    export = client_a.get("/rapporter/avsluttede.csv?aarsak=ikke_registrert")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][-1] == "Registrering av årsak"
    states = {row[3]: row[-1] for row in table[1:]}
    assert states["Needs_Grant"] == f"Krever etterregistrering, mulig til {until:%d.%m.%Y}"
    assert states["Too_Old"] == "Eldre enn 12 måneder: kan ikke rettes"
    assert states["Granted"].startswith("Dekket av etterregistrering")


def test_the_api_participant_read_and_grants(ended, fagsystem_a):
    _today, rows = ended
    for status, p in rows.items():
        p.case_id = f"T-{status}"
        p.save(update_fields=["case_id"])
    read = fagsystem_a.participant("T-needs_grant").json()
    assert read["reason_registration"]["status"] == "needs_grant"
    assert (
        read["reason_registration"]["until"]
        == add_months(rows["needs_grant"].end_date, 12).isoformat()
    )
    granted = fagsystem_a.participant("T-granted").json()["reason_registration"]
    grant = LateRegistrationGrant.objects.get()
    assert granted["status"] == "granted" and granted["grant_id"] == grant.pk
    assert granted["until"] == grant.expires_on.isoformat()
    grants = fagsystem_a.get("/api/v1/grants").json()
    assert [g["id"] for g in grants["items"]] == [grant.pk]
    assert grants["items"][0]["status"] == "active"


def test_a_refusal_through_the_api_says_the_grant_expired(ended, fagsystem_a, kommune_a):
    today, rows = ended
    p = rows["needs_grant"]
    grant = grant_late_registration(
        actor=IMDI,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=p.end_date,
            covers_to=p.end_date,
            expires_on=today,
            reason="Kort tilgang",
        ),
        at=timezone.now() - dt.timedelta(days=3),
    )
    grant.expires_on = today - dt.timedelta(days=1)
    grant.save(update_fields=["expires_on"])
    p.case_id = "T-expired"
    p.save(update_fields=["case_id"])
    record = fagsystem_a.participant("T-expired").json()["record"]
    record["termination"] = {"end_date": p.end_date.isoformat(), "reason": "arbeid"}
    etag = fagsystem_a.participant("T-expired")["ETag"]
    refused = fagsystem_a.put("/api/v1/participations/T-expired", record, **{"If-Match": etag})
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["code"] == "registration_window.closed"
    assert error["params"]["cause"] == "grant_expired"
    assert error["params"]["grant_ended_on"] == (today - dt.timedelta(days=1)).isoformat()


def test_the_form_is_replaced_by_what_to_do_where_it_cannot_succeed(ended, client_a):
    _today, rows = ended
    needs = client_a.get(f"/deltakelse/{rows['needs_grant'].pk}/registrer/avslutning/")
    body = needs.content.decode()
    assert 'id="kan-ikke-registreres"' in body and 'class="register-form"' not in body
    assert "type=etterregistrering" in body
    old = client_a.get(f"/deltakelse/{rows['too_old'].pk}/registrer/avslutning/").content.decode()
    assert "kan ikke lenger registreres" in old and "type=etterregistrering" not in old
    granted = client_a.get(f"/deltakelse/{rows['granted'].pk}/registrer/avslutning/")
    grant = LateRegistrationGrant.objects.get()
    assert f"Tilgang nr. {grant.pk} gir kommunen lov" in granted.content.decode()
    assert 'class="register-form"' in granted.content.decode()


def test_the_request_opens_filled_in_and_the_twelve_months_are_checked(
    ended, client_a, client_imdi
):
    today, rows = ended
    p = rows["needs_grant"]
    form = client_a.get(
        f"/henvendelser/ny/?type=etterregistrering&deltakelse={p.pk}"
        f"&fra={p.end_date:%Y-%m-%d}&til={p.end_date:%Y-%m-%d}&gjelder=avslutningsårsak"
    ).content.decode()
    assert f'value="{p.pk}"' in form and f'value="{p.end_date:%Y-%m-%d}"' in form
    assert "Be IMDi om etterregistrering" in form
    assert "valgfritt" not in form.split('id="id_period_to"')[0].split("Hendelser fra og med")[1]

    too_far = add_months(today, -23)
    refused = client_a.post(
        "/henvendelser/ny/",
        {
            "kind": "late_registration",
            "subject": "Gammel",
            "body": "Glemt",
            "period_from": too_far.isoformat(),
            "period_to": too_far.isoformat(),
            "participations": "",
        },
    )
    assert "høyst 12 måneder tilbake" in refused.content.decode()
    assert not SupportRequest.objects.exists()

    client_a.post(
        "/henvendelser/ny/",
        {
            "kind": "late_registration",
            "subject": "Etterregistrering",
            "body": "Årsaken ble ikke registrert",
            "period_from": (p.end_date - dt.timedelta(days=10)).isoformat(),
            "period_to": p.end_date.isoformat(),
            "participations": str(p.pk),
        },
    )
    request = SupportRequest.objects.get()
    # IMDi narrows the period to the one day when granting.
    detail = client_imdi.get(f"/henvendelser/{request.pk}/").content.decode()
    assert f'value="{request.period_from:%Y-%m-%d}"' in detail
    client_imdi.post(
        f"/henvendelser/{request.pk}/avgjor/",
        {
            "decision": "innvilg",
            "expires_on": (today + dt.timedelta(days=14)).isoformat(),
            "covers_from": p.end_date.isoformat(),
            "covers_to": p.end_date.isoformat(),
            "reason": "Innvilget",
        },
    )
    request.refresh_from_db()
    assert request.grant is not None
    assert (request.grant.covers_from, request.grant.covers_to) == (p.end_date, p.end_date)
    assert triage.state_of(p, today).status is WindowStatus.GRANTED


@pytest.fixture
def fagsystem_a(kommune_a):
    from nir.api.clients import create_api_client

    issued = create_api_client(kommune_number="0301", name="Oslo fagsystem", created_by="test")
    return ApiCaller(issued.token)


@pytest.fixture
def client_imdi(db):
    from django.test import Client

    from nir.accounts.models import Role

    client = Client()
    client.force_login(make_user("imdi", None, Role.IMDI_RADGIVER))
    return client


def test_the_triage_reads_in_english_in_the_export_the_api_and_on_the_participant_page(
    ended, client_a, fagsystem_a
):
    """The state of a reason the register left unregistered, and what the participant lacks,
    in the reader's language wherever they are shown."""
    _today, rows = ended
    needs = rows["needs_grant"]
    until = add_months(needs.end_date, 12)
    client_a.cookies["django_language"] = "en"
    export = client_a.get("/rapporter/avsluttede.csv?aarsak=ikke_registrert")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    states = {row[3]: (row[-2], row[-1]) for row in table[1:]}
    assert states["Needs_Grant"] == (
        "The register",
        f"Needs late registration, possible until {until:%d.%m.%Y}",
    )
    assert states["Too_Old"][1] == "Older than 12 months: cannot be corrected"
    assert states["Open"][1].startswith("Can be registered until")

    person = client_a.get(f"/person/{needs.person_id}/").content.decode()
    closes = add_months(needs.end_date, 2)
    assert (
        f"The deadline for registering the reason ran out {closes:%d.%m.%Y}; ask IMDi for "
        f"late registration (possible until {until:%d.%m.%Y})." in person
    )
    assert "be IMDi om etterregistrering (mulig til" not in person

    needs.case_id = "T-needs"
    needs.save(update_fields=["case_id"])
    read = fagsystem_a.get("/api/v1/participations/T-needs", **{"Accept-Language": "en"}).json()
    assert read["reason_registration"]["message"] == (
        f"needs late registration, possible until {until:%d.%m.%Y}"
    )
    [reason] = [m for m in read["missing"] if m["code"] == "termination_reason"]
    assert reason["message"].startswith(
        "Ended by the register because the deadline ran out with no reason registered. "
        "The deadline for registering the reason ran out"
    )
    bokmaal = fagsystem_a.get("/api/v1/participations/T-needs").json()
    assert bokmaal["reason_registration"]["message"].startswith("krever etterregistrering")
