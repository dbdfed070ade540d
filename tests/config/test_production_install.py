"""A lean production install: the runtime dependencies alone (`uv sync --no-dev`, as
docs/deployment.md prescribes) run the register, and no test or type-checking tool is in it;
and the README's bench line works as written on a fresh scratch register."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = ("pytest", "playwright", "schemathesis", "scipy", "mypy", "hypothesis")


def _uv() -> str:
    found = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv is missing: run python3 dev.py check once"
    return found


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NIR_", "DJANGO_", "DATABASE_", "VIRTUAL_ENV", "UV_"))
    }
    return {**env, **extra}


def test_the_production_environment_has_no_dev_tools_and_runs_the_register(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(
        [_uv(), "sync", "--frozen", "--no-dev", "--quiet"],
        cwd=ROOT,
        env=_clean_env(
            UV_PROJECT_ENVIRONMENT=str(venv),
            UV_PYTHON=sys.executable,
            UV_PYTHON_DOWNLOADS="never",
        ),
        check=True,
        timeout=600,
    )
    python = venv / "bin" / "python"
    for module in DEV_ONLY:
        probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
        assert probe.returncode != 0, f"{module} is in the production environment"
    check = subprocess.run(
        [venv / "bin" / "nir", "check"],
        cwd=tmp_path,
        env=_clean_env(NIR_SECRET_KEY="x" * 50, NIR_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout
    served = subprocess.run(
        [python, "-c", "import gunicorn, nir.register.management.commands.serve"],
        env=_clean_env(),
        capture_output=True,
        timeout=60,
    )
    assert served.returncode == 0, served.stderr


def _readme_bench_line() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^\| `([^`]*nir bench)[^`]*` \|", readme, re.M)
    assert match, "the README has no bench line"
    return shlex.split(match.group(1))


@pytest.mark.bench
@pytest.mark.parametrize("allowed", [True, False])
def test_the_readmes_bench_line_works_as_written(tmp_path, allowed):
    words = _readme_bench_line()
    settings = dict(w.split("=", 1) for w in words if "=" in w)
    if not allowed:
        settings.pop("NIR_ALLOW_SYNTHETIC_IDS")
    assert words[-2:] == ["nir", "bench"]
    small = ["--participants", "50", "--runs", "1", "--load-seconds", "0", "--ingest-records", "0"]
    result = subprocess.run(
        [sys.executable, "-m", "nir.cli", "bench", *small, "--output", str(tmp_path / "b.md")],
        cwd=tmp_path,
        env=_clean_env(NIR_DATA_DIR=str(tmp_path), **settings),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if allowed:
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Daglig kjøring (sweep)" in (tmp_path / "b.md").read_text(encoding="utf-8")
    else:
        assert result.returncode != 0
        assert "NIR_ALLOW_SYNTHETIC_IDS=true" in result.stderr
