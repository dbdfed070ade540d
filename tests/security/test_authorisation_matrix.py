"""The authorisation matrix: every URL of the web UI and every read operation of the API,
walked with every persona, with the other municipality's records in the parameters.

A caseworker or case system of Oslo must never get Bergen's data, by any route; anonymous
callers get nothing; the statistician never sees a person. The URL list is read from the
URL configuration and the OpenAPI document, so a new route is covered the day it is added.

Every correction (the web's cancel and undo pages, the API's correction operations) is
walked with every persona too: only the municipality's own users and case system correct;
IMDi's advisers see and never change.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from nir.accounts.models import Role, User
from nir.api import openapi_document
from nir.api.clients import create_api_client
from nir.register.models import HistoryEvent, Participation
from nir.register.norsk_models import NorskParticipation
from nir.register.services.context import Actor, Channel, SchemeNotHeld
from nir.register.services.items import (
    DecisionItem,
    NorskEndItem,
    NorskmaalItem,
    TerminationItem,
)
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.register.services.norsk_registrations import register_norsk_item
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.registrations import register_item
from nir.rules.norsk.norskmaal import CefrLevel, Skill
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from nir.web.registrations import KINDS
from tests.api.helpers import make_norsk_record, make_record
from tests.conftest import at

NORSK_ONLY = frozenset({Scheme.NORSK})
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
SKIP_PREFIXES = ("admin/", "api/", "static/", "innlogging/")
# Open to anyone, and show no one: sign-in and the user guides (synthetic screenshots).
PUBLIC = {"logg-inn/", "veiledning/", "veiledning/<slug:slug>/"}


def _web_routes(patterns=None, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            routes += _web_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            routes.append(prefix + str(entry.pattern))
    return [r for r in routes if not r.startswith(SKIP_PREFIXES)]


@pytest.fixture
def world(make_person, caseworker_a, caseworker_b, kommune_a, kommune_b):
    """One participant in Oslo and one in Bergen, started a week ago."""
    start = timezone.localdate() - dt.timedelta(days=7)
    made = {}
    for key, actor, kommune, birth in (
        ("a", caseworker_a, kommune_a, dt.date(1990, 1, 2)),
        ("b", caseworker_b, kommune_b, dt.date(1991, 3, 4)),
    ):
        person = make_person(
            registered_on=start,
            birth_date=birth,
            family_name=f"Familie{key}",
            permit_date=start - dt.timedelta(days=60),
        )
        made[key] = create_participation(
            actor=actor,
            person_id=person.pk,
            new=NewParticipation(start_date=start, sluttmaal="arbeid"),
            kommune_id=kommune.pk,
            at=at(start),
        )
    # Bergen's person is in Norwegian training too, registered by its kommunenorskbruker.
    made["norsk_b"] = start_norsk_participation(
        actor=Actor("nils@bergen", Channel.WEB, kommune_b.pk, NORSK_ONLY),
        person_id=made["b"].person_id,
        kommune_id=kommune_b.pk,
        new=NewNorskParticipation(start_date=start, permit_list=PermitList.RETT_OG_PLIKT),
        at=at(start),
    )
    users = {
        "norsk_a": User.objects.create_user(
            "norsk.oslo", roles=[Role.KOMMUNENORSKBRUKER], kommune=kommune_a
        ),
        "norsk_b": User.objects.create_user(
            "norsk.bergen", roles=[Role.KOMMUNENORSKBRUKER], kommune=kommune_b
        ),
        "caseworker_a": User.objects.create_user(
            "kari", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_a
        ),
        "caseworker_b": User.objects.create_user(
            "ola", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_b
        ),
        "imdi_adviser": User.objects.create_user("ingrid", roles=[Role.IMDI_RADGIVER]),
        "statistician": User.objects.create_user("stian", roles=[Role.IMDI_STATISTIKER]),
    }
    return made, users


def _fill(route: str, b, norsk_b=None) -> str:
    """Put Bergen's records in every parameter the route takes."""
    values = {"person_id": b.person_id, "participation_id": b.pk, "pk": b.pk}
    if norsk_b is not None:
        values["norsk_participation_id"] = norsk_b.pk

    def value(match: re.Match[str]) -> str:
        name, converter = match.group("name"), match.group("converter")
        if name in values:
            return str(values[name])
        return "1" if converter in ("int", None) and name.endswith("id") else "x"

    return "/" + PARAM.sub(value, route)


def _leaks(body: str, b) -> bool:
    person = b.person
    return person.identity_number in body or person.family_name in body


@pytest.mark.django_db
def test_every_web_route_keeps_bergen_from_oslo_and_persons_from_the_statistician(client, world):
    made, users = world
    b = made["b"]
    routes = _web_routes()
    assert len(routes) > 10
    checked = []
    for route in routes:
        if route in ("logg-ut/", "sprak/"):
            continue  # POST-only actions with no data
        url = _fill(route, b, made["norsk_b"])
        client.logout()
        anonymous = client.get(url)
        if route in PUBLIC:
            assert not _leaks(anonymous.content.decode(errors="replace"), b), url
        else:
            assert anonymous.status_code in (302, 401, 403, 404, 405), (url, anonymous.status_code)
            if anonymous.status_code == 302:
                assert "/logg-inn/" in anonymous["Location"], url
        for persona in ("caseworker_a", "norsk_a", "statistician"):
            client.force_login(users[persona])
            response = client.get(url)
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            assert not _leaks(body, b), (persona, url)
        client.force_login(users["imdi_adviser"])
        assert client.get(url).status_code < 500, url  # IMDi may read every municipality
        client.force_login(users["norsk_b"])
        assert client.get(url).status_code < 500, url
        client.force_login(users["caseworker_b"])
        own = client.get(url)
        assert own.status_code < 500, url
        checked.append((route, own.status_code))
    # The walk reached real pages: Bergen's own caseworker got Bergen's participant.
    assert ("person/<int:person_id>/", 200) in checked


def _api_get_paths() -> list[str]:
    document = json.loads(openapi_document.render())
    return [path for path, operations in document["paths"].items() if "get" in operations]


@pytest.mark.django_db
def test_every_api_read_keeps_bergen_from_oslos_case_system(client, world):
    made, _ = world
    b = made["b"]
    token_a = create_api_client(
        kommune_number="0301", name="Fagsystem Oslo", created_by="test"
    ).token
    token_b = create_api_client(
        kommune_number="4601", name="Fagsystem Bergen", created_by="test"
    ).token
    paths = _api_get_paths()
    assert paths
    for path in paths:
        url = re.sub(
            r"\{(\w+)\}",
            lambda m: str(
                b.pk
                if "participation" in m.group(1) or m.group(1) in ("id", "pk")
                else b.case_id or b.pk
            ),
            path,
        )
        if not url.startswith("/api"):
            url = "/api/v1" + url if not url.startswith("/v1") else "/api" + url
        anonymous = client.get(url)
        assert anonymous.status_code in (401, 403, 404), (url, anonymous.status_code)
        as_a = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_a}")
        body = as_a.content.decode(errors="replace")
        assert not _leaks(body, b), url
        assert str(b.person.identity_number) not in body, url
        client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_b}")


# --- corrections: who may cancel a registration or undo a termination ------------------------

CORRECTION_ROUTES = ("cancel", "undo-termination")


@pytest.fixture
def bergen_to_correct(make_person, caseworker_b, kommune_b):
    """Two of Bergen's participants sent by its case system: one with a decision to cancel,
    one whose termination may be undone."""
    start = timezone.localdate() - dt.timedelta(days=7)
    made = []
    for n, birth in enumerate((dt.date(1992, 5, 6), dt.date(1993, 7, 8))):
        person = make_person(
            registered_on=start,
            birth_date=birth,
            family_name=f"Rettesen{n}",
            permit_date=start - dt.timedelta(days=60),
        )
        made.append(
            create_participation(
                actor=caseworker_b,
                person_id=person.pk,
                new=NewParticipation(start_date=start, sluttmaal="arbeid", case_id=f"B-{n}"),
                kommune_id=kommune_b.pk,
                at=at(start),
            )
        )
    with_decision = register_item(
        actor=caseworker_b,
        participation_id=made[0].pk,
        item=DecisionItem(decision_type="innvilget", decided_on=start),
        at=at(start),
    )
    ended = register_termination(
        actor=caseworker_b,
        participation_id=made[1].pk,
        termination=TerminationItem(end_date=start, reason="arbeid"),
        at=at(start),
    )
    return with_decision, ended


def _correction_urls(with_decision, ended) -> dict[str, tuple[str, int]]:
    """Every correction route of the web UI, filled with Bergen's records; each with the
    participation it changes."""
    decision = with_decision.decisions.get()
    urls = {
        "cancel": (
            reverse("web:cancel", args=[with_decision.pk, "decision", decision.pk]),
            with_decision.pk,
        ),
        "undo-termination": (reverse("web:undo-termination", args=[ended.pk]), ended.pk),
    }
    names = {
        p.name for p in get_resolver().url_patterns if isinstance(p, URLPattern) and p.name
    } | {
        p.name
        for r in get_resolver().url_patterns
        if isinstance(r, URLResolver)
        for p in r.url_patterns
        if isinstance(p, URLPattern) and p.name
    }
    assert set(CORRECTION_ROUTES) <= names
    return urls


def _changed(pk: int):
    return (
        Participation.objects.get(pk=pk).version,
        HistoryEvent.objects.filter(participation_id=pk).count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", CORRECTION_ROUTES)
def test_every_web_correction_belongs_to_the_municipality_alone(
    client, world, bergen_to_correct, route
):
    _, users = world
    url, pk = _correction_urls(*bergen_to_correct)[route]
    form = {"reason": "Registrert ved en feil", "expected_version": _changed(pk)[0]}
    before = _changed(pk)

    client.logout()
    anonymous = client.post(url, form)
    assert anonymous.status_code == 302 and "/logg-inn/" in anonymous["Location"]
    for persona, status in (("caseworker_a", 404), ("imdi_adviser", 403), ("statistician", 403)):
        client.force_login(users[persona])
        assert client.get(url).status_code == status, (persona, url)
        assert client.post(url, form).status_code == status, (persona, url)
        assert _changed(pk) == before, persona
    client.force_login(users["caseworker_b"])
    own = client.post(url, form)
    assert own.status_code == 302, own.content.decode()[:500]
    assert _changed(pk) != before


def _correction_bodies(with_decision, ended) -> dict[str, dict[str, object]]:
    decision = with_decision.decisions.get()
    return {
        "cancelRegistration": {
            "case_id": with_decision.case_id,
            "registration": {
                "entity": "decision",
                "decision_type": decision.decision_type,
                "decided_on": decision.decided_on.isoformat(),
                "reason": decision.reason,
            },
            "reason": "Registrert ved en feil",
        },
        "undoTermination": {"case_id": ended.case_id, "reason": "Avsluttet ved en feil"},
    }


@pytest.mark.django_db
def test_every_api_correction_belongs_to_the_municipality_alone(client, world, bergen_to_correct):
    with_decision, ended = bergen_to_correct
    bodies = _correction_bodies(with_decision, ended)
    document = json.loads(openapi_document.render())
    corrections = {
        operation["operationId"]: path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "correct" in operation.get("tags", [])
    }
    assert set(corrections) == set(bodies), "a correction operation the matrix does not walk"
    token_a = create_api_client(kommune_number="0301", name="Oslo", created_by="test").token
    token_b = create_api_client(kommune_number="4601", name="Bergen", created_by="test").token
    for operation_id, path in corrections.items():
        pk = with_decision.pk if operation_id == "cancelRegistration" else ended.pk
        before = _changed(pk)
        body = json.dumps(bodies[operation_id])
        headers = {"If-Match": f'"{before[0]}"'}
        anonymous = client.post(path, body, content_type="application/json", headers=headers)
        assert anonymous.status_code == 401, operation_id
        as_a = client.post(
            path,
            body,
            content_type="application/json",
            headers={**headers, "Authorization": f"Bearer {token_a}"},
        )
        assert as_a.status_code == 404, operation_id
        assert not _leaks(as_a.content.decode(), with_decision), operation_id
        assert _changed(pk) == before, operation_id
        as_b = client.post(
            path,
            body,
            content_type="application/json",
            headers={**headers, "Authorization": f"Bearer {token_b}"},
        )
        assert as_b.status_code == 200, (operation_id, as_b.content)
        assert _changed(pk) != before


@pytest.mark.django_db
def test_every_norwegian_api_correction_belongs_to_the_municipality_and_the_scheme(client, world):
    """Bergen's adult-education case system sent an ordning with a leave and one ended by
    the municipality. Anonymous: 401; Oslo's: 404; Bergen's programme system: 403; only
    Bergen's own Norwegian-training system corrects them."""

    def token(kommune: str, schemes: frozenset[Scheme] | None = None) -> str:
        kwargs = {"schemes": schemes} if schemes else {}
        return create_api_client(
            kommune_number=kommune, name=f"{kommune} {schemes}", created_by="test", **kwargs
        ).token

    bergen_norsk = token("4601", NORSK_ONLY)
    start = timezone.localdate() - dt.timedelta(days=10)
    leave = {
        "leave_type": "foreldrepermisjon",
        "start_date": (start + dt.timedelta(days=1)).isoformat(),
        "end_date": (start + dt.timedelta(days=3)).isoformat(),
        "decided_on": start.isoformat(),
    }
    records = [
        make_norsk_record("BV-1", start=start, leaves=[leave]),
        make_norsk_record(
            "BV-2", start=start, end={"end_date": start.isoformat(), "reason": "flyttet"}
        ),
    ]
    sent = client.post(
        "/api/v1/batch/norsk-participations",
        json.dumps({"records": records}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {bergen_norsk}"},
    )
    assert [r["outcome"] for r in sent.json()["results"]] == ["created", "created"]
    bodies = {
        "cancelNorskRegistration": {
            "case_id": "BV-1",
            "registration": {"entity": "norsk_leave", **leave},
            "reason": "Sendt ved en feil",
        },
        "undoNorskEnd": {"case_id": "BV-2", "reason": "Avsluttet ved en feil"},
    }
    document = json.loads(openapi_document.render())
    corrections = {
        operation["operationId"]: path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "norsk" in operation.get("tags", []) and "/corrections/" in path
    }
    assert set(corrections) == set(bodies), "a correction operation the matrix does not walk"

    def state(case_id: str) -> tuple[int, int]:
        row = NorskParticipation.objects.get(case_id=case_id)
        return row.version, HistoryEvent.objects.filter(norsk_participation=row).count()

    callers = (
        (None, 401),
        (token("0301", NORSK_ONLY), 404),
        (token("4601", frozenset({Scheme.INTRODUKSJONSPROGRAM})), 403),
        (bergen_norsk, 200),
    )
    for operation_id, path in corrections.items():
        case_id = str(bodies[operation_id]["case_id"])
        for bearer, status in callers:
            before = state(case_id)
            headers = {"If-Match": f'"{before[0]}"'}
            if bearer:
                headers["Authorization"] = f"Bearer {bearer}"
            reply = client.post(
                path,
                json.dumps(bodies[operation_id]),
                content_type="application/json",
                headers=headers,
            )
            assert reply.status_code == status, (operation_id, status, reply.content[:300])
            assert (state(case_id) != before) is (status == 200), (operation_id, status)


def _admin_urls(b) -> list[str]:
    """Every page of the admin: its index and each app's, every registered model's list,
    add, change, history and delete pages, and the former person pages."""
    from django.contrib import admin

    urls = ["/admin/", "/admin/password_change/", "/admin/jsi18n/", "/admin/autocomplete/"]
    for model in admin.site._registry:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        pk = model._default_manager.values_list("pk", flat=True).first() or 1
        urls += [base, f"{base}add/", f"{base}{pk}/change/", f"{base}{pk}/history/"]
        urls += [f"{base}{pk}/delete/", f"/admin/{meta.app_label}/"]
    for name in ("person", "participation", "historyevent"):
        urls += [f"/admin/register/{name}/", f"/admin/register/{name}/{b.person_id}/change/"]
    return sorted(set(urls))


@pytest.mark.django_db
def test_only_an_operator_enters_the_admin_and_it_shows_no_person(client, world):
    made, users = world
    b = made["b"]
    for user in users.values():  # staff asked for, and not given
        user.is_staff = True
        user.save()
        assert not user.is_staff
    operator = User.objects.create_superuser("drift", roles=[Role.IMDI_RADGIVER])
    urls = _admin_urls(b)
    assert len(urls) > 15
    for url in urls:
        client.logout()
        anonymous = client.get(url)
        assert anonymous.status_code in (302, 404), (url, anonymous.status_code)
        for persona, user in users.items():
            client.force_login(user)
            response = client.get(url)
            assert response.status_code in (302, 404), (persona, url, response.status_code)
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"], (persona, url)
        client.force_login(operator)
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        assert not _leaks(body, b), url
        assert not _leaks(body, made["a"]), url


@pytest.mark.django_db
def test_a_norwegian_training_user_registers_nothing_on_the_programme_through_the_services(
    world, make_person, kommune_b
):
    made, _ = world
    b = made["b"]
    norsk = Actor("nora@bergen", Channel.WEB, kommune_b.pk, NORSK_ONLY)
    before, participations = _changed(b.pk), Participation.objects.count()
    attempts = {
        "start": lambda: create_participation(
            actor=norsk,
            person_id=make_person(birth_date=dt.date(1992, 5, 6)).pk,
            new=NewParticipation(start_date=timezone.localdate()),
            kommune_id=kommune_b.pk,
        ),
        "register": lambda: register_item(
            actor=norsk,
            participation_id=b.pk,
            item=DecisionItem("tilbud", timezone.localdate()),
            expected_version=b.version,
        ),
        "end": lambda: register_termination(
            actor=norsk,
            participation_id=b.pk,
            termination=TerminationItem(end_date=timezone.localdate(), reason="arbeid"),
            expected_version=b.version,
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(SchemeNotHeld) as refused:
            attempt()
        assert refused.value.code == "access.scheme_role", name
        assert refused.value.basis.rule_id == "access.scheme_role", name
        assert "kommuneintrobruker" in refused.value.message, name
    assert _changed(b.pk) == before and Participation.objects.count() == participations


@pytest.mark.django_db
def test_a_norwegian_training_user_is_refused_every_programme_form_of_the_web(
    client, world, bergen_to_correct, kommune_b
):
    made, _ = world
    b = made["b"]
    nora = User.objects.create_user("nora", roles=[Role.KOMMUNENORSKBRUKER], kommune=kommune_b)
    both = User.objects.create_user(
        "berit", roles=[Role.KOMMUNEINTROBRUKER, Role.KOMMUNENORSKBRUKER], kommune=kommune_b
    )
    forms = [
        reverse("web:person-create"),
        reverse("web:person-edit", args=[b.person_id]),
        reverse("web:participation-create", args=[b.person_id]),
        *(reverse("web:register", args=[b.pk, kind]) for kind in KINDS),
        *(url for url, _ in _correction_urls(*bergen_to_correct).values()),
    ]
    before = _changed(b.pk)
    client.force_login(nora)
    for url in forms:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"expected_version": b.version}).status_code == 403, url
    assert _changed(b.pk) == before
    client.force_login(both)  # holding both roles, the programme's forms open as before
    for url in forms:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_norwegian_training_client_writes_nothing_on_the_programme_through_the_api(
    client, world, bergen_to_correct
):
    with_decision, ended = bergen_to_correct
    corrections = _correction_bodies(with_decision, ended)
    token = create_api_client(
        kommune_number="4601", name="Bergen norsk", created_by="test", schemes=NORSK_ONLY
    ).token
    document = json.loads(openapi_document.render())
    writes = [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
        and "persons" not in path
        and "norsk" not in operation.get("tags", [])
    ]
    assert len(writes) == 4, "a programme write operation the matrix does not walk"
    before = [_changed(p.pk) for p in (with_decision, ended)]
    record = make_record("NY-NORSK-1")
    for path, method, operation in writes:
        headers = {"Authorization": f"Bearer {token}"}
        if "correct" in operation.get("tags", []):
            pk = with_decision.pk if operation["operationId"] == "cancelRegistration" else ended.pk
            body = corrections[operation["operationId"]]
            headers["If-Match"] = f'"{_changed(pk)[0]}"'
        else:
            body = {"records": [record]} if "batch" in path else record
        url = path.replace("{case_id}", record["case_id"])
        reply = getattr(client, method)(
            url, json.dumps(body), content_type="application/json", headers=headers
        )
        text = reply.content.decode()
        # Refused whole, before anything is read: the client does not hold the programme.
        assert reply.status_code == 403, (path, reply.status_code, text[:300])
        assert "access.scheme_role" in text, (path, text[:300])
    assert [_changed(p.pk) for p in (with_decision, ended)] == before
    assert not Participation.objects.filter(case_id=record["case_id"]).exists()


# --- each scheme's pages to its own role ----------------------------------------------------

# The pages that register the programme, and those that register Norwegian training.
PROGRAMME_FORMS = ("register", "preview", "participation-create", "person-edit", "cancel")


@pytest.mark.django_db
def test_every_schemes_pages_belong_to_its_own_role_in_every_municipality(client, world):
    """Walked with both roles of both municipalities: a Norwegian-training page answers a
    programme-only user 403 and its own municipality's kommunenorskbruker with the page,
    another municipality's with 404; a programme form answers a norsk-only user 403."""
    made, users = world
    b, norsk_b = made["b"], made["norsk_b"]
    nils = Actor("nils@bergen", Channel.WEB, b.kommune_id, NORSK_ONLY)
    # A norskmål to cancel, and ended by Bergen's kommunenorskbruker, so the pages that
    # cancel a registration and undo an end have one each.
    norskmaal = register_norsk_item(
        actor=nils,
        norsk_participation_id=norsk_b.pk,
        item=NorskmaalItem(norsk_b.start_date, tuple((k, CefrLevel.B1) for k in Skill)),
    ).norskmaal_versions.get()
    register_norsk_item(
        actor=nils,
        norsk_participation_id=norsk_b.pk,
        item=NorskEndItem(norsk_b.start_date, "avbrutt"),
    )
    norsk_routes = [
        r for r in _web_routes() if "norskopplaering" in r or "norsk_participation_id" in r
    ]
    assert len(norsk_routes) >= 3
    for route in norsk_routes:
        url = _fill(route, b, norsk_b).replace("/x/", "/permisjon/")
        if "<slug:entity>/<int:entity_id>" in route:
            url = reverse("web:norsk-cancel", args=[norsk_b.pk, "norskmaal", norskmaal.pk])
        for persona, status in (("caseworker_a", 403), ("caseworker_b", 403), ("norsk_b", 200)):
            client.force_login(users[persona])
            assert client.get(url).status_code == status, (persona, url)
        client.force_login(users["norsk_a"])
        assert client.get(url).status_code == 404, url
    decision = register_item(
        actor=Actor("ola@bergen", Channel.WEB, b.kommune_id),
        participation_id=b.pk,
        item=DecisionItem(decision_type="innvilget", decided_on=b.start_date),
        at=at(b.start_date),
    ).decisions.get()
    programme = [
        reverse("web:register", args=[b.pk, "vedtak"]),
        reverse("web:preview", args=[b.pk, "utvidelse"]),
        reverse("web:participation-create", args=[b.person_id]),
        reverse("web:person-edit", args=[b.person_id]),
        reverse("web:cancel", args=[b.pk, "decision", decision.pk]),
    ]
    for url in programme:
        for persona in ("norsk_a", "norsk_b"):
            client.force_login(users[persona])
            assert client.get(url).status_code == 403, (persona, url)
        client.force_login(users["caseworker_b"])
        assert client.get(url).status_code == 200, url
