"""The vendor flows (clients/): a Python client generated with openapi-python-client and a
TypeScript client generated with openapi-typescript + openapi-fetch, each from the committed
contract, each type-checked strictly, each running the whole flow against a running
register."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nir.api.clients import create_api_client
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from tests.api.helpers import OPENAPI
from tests.conftest import at

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
BIN = Path(sys.executable).parent


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{command[0]}:\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
    return done.stdout


@pytest.fixture
def register(live_server, kommune_a):
    # IMDi's two grants to the municipality (long expired), for the flows to page through.
    for month in (7, 9):
        grant_late_registration(
            actor=Actor("ingrid@imdi", Channel.WEB, None),
            grant=NewGrant(
                kommune_id=kommune_a.pk,
                covers_from=dt.date(2023, month, 1),
                covers_to=dt.date(2023, month, 30),
                expires_on=dt.date(2024, 6, 30),
                reason="Feil i fagsystemet",
            ),
            at=at(dt.date(2024, 5, 15)),
        )
    token = create_api_client(kommune_number="0301", name="Leverandør", created_by="test").token
    return live_server.url, token


@pytest.mark.django_db(transaction=True)
def test_the_generated_python_client_runs_the_vendor_flow(register, tmp_path):
    base_url, token = register
    _run(
        BIN / "openapi-python-client",
        "generate",
        "--path",
        OPENAPI,
        "--meta",
        "none",
        "--output-path",
        tmp_path / "nir_api_client",
        "--config",
        CLIENTS / "python" / "openapi-python-client.yaml",
        cwd=tmp_path,
    )
    flow = shutil.copy(CLIENTS / "python" / "vendor_flow.py", tmp_path)
    _run(BIN / "mypy", "--strict", "--no-incremental", flow, cwd=tmp_path)

    out = _run(sys.executable, flow, base_url, token, cwd=tmp_path)

    assert out.rstrip().endswith("vendor flow: OK"), out
    assert "stale If-Match" in out and "412 version.stale" in out
    assert "cancelled the measure" in out
    assert "undid the termination of VF-" in out and ": active" in out
    assert "grants: 2 from IMDi (0 active)" in out


@pytest.mark.django_db(transaction=True)
def test_the_generated_typescript_client_runs_the_vendor_flow(register, tmp_path):
    base_url, token = register
    tools = CLIENTS / "node_modules" / ".bin"
    if not tools.exists():
        if os.environ.get("CI"):
            pytest.fail("clients/node_modules is missing: .ci/run runs npm ci in clients/")
        pytest.skip("run `npm ci` in clients/ for the TypeScript flow")
    # The client is generated and built in a copy of clients/, so two suites running side by
    # side (SQLite and PostgreSQL in CI) never write the same files.
    work = tmp_path / "clients"
    shutil.copytree(CLIENTS / "typescript", work / "typescript")
    shutil.copy(CLIENTS / "package.json", work)
    (work / "node_modules").symlink_to(CLIENTS / "node_modules")
    _run(
        tools / "openapi-typescript",
        OPENAPI,
        "--default-non-nullable",
        "false",
        "-o",
        work / "typescript" / "nir-api.d.ts",
        cwd=work,
    )
    _run(tools / "tsc", "-p", "typescript", cwd=work)

    out = _run("node", work / "build" / "vendor-flow.js", base_url, token, cwd=work)

    assert out.rstrip().endswith("vendor flow: OK"), out
    assert "412 version.stale" in out and "cancelled the measure" in out
    assert "undid the termination of VT-" in out and ": active" in out
    assert "grants: 2 from IMDi (0 active)" in out


def test_the_contract_lints_clean():
    tools = CLIENTS / "node_modules" / ".bin"
    if not tools.exists():
        if os.environ.get("CI"):
            pytest.fail("clients/node_modules is missing: .ci/run runs npm ci in clients/")
        pytest.skip("run `npm ci` in clients/ for the lint")
    out = _run(
        tools / "redocly",
        "lint",
        OPENAPI,
        "--config",
        CLIENTS / "redocly.yaml",
        "--format",
        "stylish",
        cwd=CLIENTS,
        env={"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    assert "warning" not in out.lower() and "error" not in out.lower(), out
