"""The vendor conformance kit passes against a running register, and fails loudly when the
register misbehaves."""

import io

import pytest
from django.core.management import CommandError, call_command

from nir.api.conformance import run_conformance


@pytest.mark.django_db(transaction=True)
def test_the_conformance_kit_passes_against_a_live_server(live_server, fagsystem_a):
    out = io.StringIO()

    call_command(
        "conformance", "--base-url", live_server.url, "--token", fagsystem_a.token, stdout=out
    )

    report = out.getvalue()
    assert "FAIL" not in report, report
    assert "17 of 17 checks passed: CONFORMANT" in report
    assert "0301" in report


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
