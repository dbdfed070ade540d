"""CI's second database runs the tests that reach a database, and only those: the selection
must keep every database test (a lost one would leave PostgreSQL untested) and leave out the
pure ones (the rules), which ran on the first."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _collected(only: str) -> set[str]:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "tests/rules/test_frist.py",
            "tests/web/test_smoke.py",
            "tests/browser/test_caseworker_journeys.py",
        ],
        cwd=ROOT,
        env={**os.environ, "NIR_DATABASE_TESTS_ONLY": only},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}


def test_the_second_database_runs_the_database_tests_and_leaves_out_the_rules():
    assert _collected("1") == {
        "tests/web/test_smoke.py",
        "tests/browser/test_caseworker_journeys.py",
    }
    assert "tests/rules/test_frist.py" in _collected("0")
