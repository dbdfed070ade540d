"""What every session the register opens on PostgreSQL is set to (settings._postgresql_session):
JIT compilation off, unless an option the operator gives in DATABASE_URL turns it on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

SCRIPT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
)


def _options_of(tmp_path, url: str) -> dict[str, object]:
    """The default database's OPTIONS under the production settings with ``url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIR_", "DATABASE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nir.settings",
            "NIR_SECRET_KEY": "x",
            "NIR_DATA_DIR": str(tmp_path),
            "DATABASE_URL": url,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_sessions_run_without_jit_beside_the_urls_own_options(tmp_path):
    assert _options_of(tmp_path, "postgres://nir@db.example:5432/nir") == {"options": "-c jit=off"}
    given = "postgres://nir@db.example:5432/nir?options=-c%20work_mem%3D64MB"
    assert _options_of(tmp_path, given)["options"] == "-c jit=off -c work_mem=64MB"
    assert "options" not in _options_of(tmp_path, f"sqlite:///{tmp_path / 'nir.sqlite3'}")


@pytest.mark.django_db
def test_the_registers_own_postgresql_session_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
