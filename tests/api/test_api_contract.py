"""The contract: docs/openapi.json is what the code serves, is valid OpenAPI 3.1, and the
interactive docs are served by the register itself under its Content-Security-Policy."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openapi_spec_validator import validate

from nir.api import openapi_document
from nir.api.clients import client_for_token, token_hash
from nir.api.models import ApiClient, MaskinportenConsumer
from tests.api.helpers import OPENAPI


def test_the_committed_openapi_document_matches_the_code():
    committed = OPENAPI.read_text(encoding="utf-8")

    assert committed == openapi_document.render(), (
        "docs/openapi.json is out of date: run `nir openapi --write` and commit the result"
    )


def test_the_committed_document_is_valid_openapi():
    validate(json.loads(OPENAPI.read_text()))


def test_the_served_document_is_the_committed_one(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json() == json.loads(OPENAPI.read_text())


def test_every_operation_needs_a_token_and_documents_problem_replies():
    for path, operations in json.loads(OPENAPI.read_text())["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"BearerAuth": []}], (method, path)
            problem = operation["responses"]["401"]["content"]
            assert list(problem) == ["application/problem+json"], (method, path)


def test_the_openapi_check_command_fails_on_a_stale_file(tmp_path, monkeypatch):
    call_command("openapi", "--check", stdout=io.StringIO())
    stale = tmp_path / "openapi.json"
    stale.write_text("{}")
    monkeypatch.setattr("nir.api.management.commands.openapi.COMMITTED", stale)

    with pytest.raises(CommandError, match="nir openapi --write"):
        call_command("openapi", "--check", stdout=io.StringIO())


def test_the_docs_page_is_served_from_the_register_without_inline_script(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_the_docs_page_needs_no_relaxed_policy(db):
    policy = Client().get("/api/v1/docs")["Content-Security-Policy"]

    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert policy == Client().get("/api/v1/openapi.json")["Content-Security-Policy"]


def test_api_client_create_prints_the_token_once_and_stores_only_its_hash(kommune_a):
    out = io.StringIO()

    call_command("api-client", "create", "--kommune", "0301", "--name", "Visma Flyt", stdout=out)

    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get()
    assert client.kommune == kommune_a and client.name == "Visma Flyt"
    assert client.token_hash == token_hash(token) and token not in client.token_hash
    assert len(token) > 40
    assert client_for_token(token) == client
    listing = io.StringIO()
    call_command("api-client", "list", stdout=listing)
    assert token not in listing.getvalue() and "Visma Flyt" in listing.getvalue()


def test_api_client_create_gives_the_schemes_asked_for_and_the_programme_by_default(kommune_a):
    call_command(
        "api-client", "create", "--kommune", "0301", "--name", "Fagsystem", stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command(
        "api-client",
        "create",
        "--kommune",
        "0301",
        "--name",
        "Voksenopplæringen",
        "--scheme",
        "norsk",
        "--scheme",
        "introduksjonsprogram",
        stdout=out,
    )

    programme_only, both = ApiClient.objects.order_by("pk")
    assert programme_only.schemes == ["introduksjonsprogram"]
    assert both.schemes == ["introduksjonsprogram", "norsk"]
    assert "writes introduksjonsprogram, norsk" in out.getvalue()
    listing = io.StringIO()
    call_command("api-client", "list", stdout=listing)
    assert "introduksjonsprogram,norsk\tVoksenopplæringen" in listing.getvalue()
    call_command(
        "api-client",
        "map-organisation",
        "--organisation",
        "944117784",
        "--kommune",
        "0301",
        "--scheme",
        "norsk",
        stdout=io.StringIO(),
    )
    assert MaskinportenConsumer.objects.get().schemes == ["norsk"]
    with pytest.raises(CommandError):
        call_command(
            "api-client",
            "create",
            "--kommune",
            "0301",
            "--name",
            "x",
            "--scheme",
            "alt",
            stderr=io.StringIO(),
        )


def test_api_client_create_refuses_an_unknown_municipality(db):
    with pytest.raises(CommandError):
        call_command("api-client", "create", "--kommune", "9999", "--name", "x")


def test_an_unknown_api_path_is_a_problem_too(db):
    for path in ("/api/", "/api/v2/participations", "/api/v1/nothing/here"):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json", path
