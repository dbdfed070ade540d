"""Schemathesis over the whole committed contract, with every check, against a running
register: examples, coverage (every boundary, every missing or wrong parameter, every
method a path lacks), fuzzing and stateful sequences. It must find nothing.

The coverage phase is two thousand requests that the schema's validation answers before any
query, the same on any database: CI runs it once, in its PostgreSQL suite, and its SQLite
suite (which alone runs the pure tests) the phases that reach the database's rows
(``NIR_SCHEMATHESIS_PHASES``), so the two suites side by side take about as long. Run by
hand, every phase runs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nir.api.clients import create_api_client
from nir.rules.schemes import Scheme
from tests.api.helpers import OPENAPI, make_norsk_record, make_record

CONFIG = Path(__file__).with_name("schemathesis.toml")
# CI's SQLite suite leaves the coverage phase to its PostgreSQL suite (.ci/run).
PHASES = os.environ.get("NIR_SCHEMATHESIS_PHASES", "examples,coverage,fuzzing,stateful")


@pytest.mark.django_db(transaction=True)
def test_schemathesis_with_all_checks_finds_nothing(live_server, kommune_a, tmp_path):
    # Both schemes, so the Norwegian paths are run as far as the programme's.
    token = create_api_client(
        kommune_number="0301", name="Schemathesis", created_by="test", schemes=list(Scheme)
    ).token
    caller_headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    from django.test import Client

    # Something to find: participants and ordninger whose case ids the generator may hit.
    Client(**caller_headers).post(
        "/api/v1/batch/participations",
        data={"records": [make_record("1"), make_record("0")]},
        content_type="application/json",
    )
    Client(**caller_headers).post(
        "/api/v1/batch/norsk-participations",
        data={"records": [make_norsk_record("1"), make_norsk_record("0")]},
        content_type="application/json",
    )
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("st")),
            "--config-file",
            str(CONFIG),
            "run",
            str(OPENAPI),
            "--url",
            live_server.url,
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "all",
            "--max-examples",
            os.environ.get("NIR_SCHEMATHESIS_EXAMPLES", "6"),
            "--seed",
            "20",
            "--generation-deterministic",
            "--workers",
            "1",
            "--request-timeout",
            "20",
            "--phases",
            PHASES,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        check=False,
    )

    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-4000:]
