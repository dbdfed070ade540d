"""The vendor conformance kit passes against a running register, and fails loudly when the
register misbehaves."""

import io

import pytest
from django.core.management import CommandError, call_command

from nir.api.clients import create_api_client
from nir.api.conformance import run_conformance
from nir.rules.schemes import Scheme


@pytest.mark.django_db(transaction=True)
def test_the_conformance_kit_passes_against_a_live_server(live_server, fagsystem_a):
    out = io.StringIO()

    call_command(
        "conformance", "--base-url", live_server.url, "--token", fagsystem_a.token, stdout=out
    )

    report = out.getvalue()
    assert "FAIL" not in report, report
    assert "18 of 18 checks passed: CONFORMANT" in report
    assert "0301" in report
    # A client of the programme alone meets the Norwegian paths' 403.
    assert "[PASS] Norwegian training: 403 without the scheme" in report


@pytest.mark.django_db(transaction=True)
def test_the_kit_checks_both_schemes_for_a_client_of_both_over_http(live_server, kommune_a):
    issued = create_api_client(
        kommune_number="0301",
        name="Oslo – begge ordninger",
        created_by="test",
        schemes=[Scheme.INTRODUKSJONSPROGRAM, Scheme.NORSK],
    )

    report = run_conformance(live_server.url, issued.token)

    assert report.passed, report.render()
    names = [r.name for r in report.results]
    assert "create a participant" in names
    assert [n for n in names if n.startswith("Norwegian training")] == [
        "Norwegian training: create by PUT",
        "Norwegian training: read with frist, derivation, missing",
        "Norwegian training: resend and Idempotency-Key",
        "Norwegian training: If-Match; stale 412",
        "Norwegian training: cancel a registration; undo an end",
        "Norwegian training: dry run; a rule's refusal",
        "Norwegian training: reconciliation and change feed",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_client_of_norwegian_training_alone_is_checked_for_that_scheme(
    live_server, norsk_system_a
):
    report = run_conformance(live_server.url, norsk_system_a.token)

    assert report.passed, report.render()
    names = [r.name for r in report.results]
    assert "create a participant" not in names
    assert len([n for n in names if n.startswith("Norwegian training")]) == 7


@pytest.mark.django_db(transaction=True)
def test_the_kit_reports_a_bad_token_as_not_conformant(live_server, kommune_a):
    report = run_conformance(live_server.url, "nir_wrong")

    assert not report.passed
    assert len(report.results) == 1  # it stops: nothing else can pass without a token
    with pytest.raises(CommandError):
        call_command(
            "conformance", "--base-url", live_server.url, "--token", "nir_x", stdout=io.StringIO()
        )


@pytest.mark.django_db(transaction=True)
def test_the_kit_runs_without_django_as_a_module(live_server, fagsystem_a, capsys):
    from nir.api.conformance import main

    assert main(["--base-url", live_server.url, "--token", fagsystem_a.token]) == 0
    assert "CONFORMANT" in capsys.readouterr().out
