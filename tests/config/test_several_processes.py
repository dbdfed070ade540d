"""The register keeps no state of its own, so it can run as several processes behind a load
balancer: a session begun on one `nir serve` holds on another, and nothing a user or a job
makes is kept on a process's own disk or memory.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from nir.bench.load import served
from nir.register.models import Kommune
from tests.config.test_replica import _settings_of
from tests.conftest import ensure_kommuner
from tests.web.builders import PASSWORD, make_user


def _database_url_for_other_processes(tmp_path: Path) -> str:
    """A URL through which a server process reaches the data this test has committed."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: copy it to a file both servers
        # open, as two machines would open one PostgreSQL database.
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def _cookie(response: httpx.Response, name: str) -> str:
    # The cookies are Secure (outside NIR_DEBUG), which httpx will not send over plain http;
    # the test carries them by hand, as a browser behind the TLS proxy would.
    match = re.search(rf"{name}=([^;]+)", "\n".join(response.headers.get_list("set-cookie")))
    assert match, f"no {name} cookie"
    return match.group(1)


def _csrf(client: httpx.Client, base: str) -> tuple[str, str]:
    page = client.get(f"{base}/logg-inn/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    return _cookie(page, "csrftoken"), token.group(1)


@pytest.mark.django_db(transaction=True)
def test_a_session_begun_on_one_server_process_holds_on_another(tmp_path):
    ensure_kommuner()
    make_user("oslo", Kommune.objects.get(number="0301"))
    url = _database_url_for_other_processes(tmp_path)
    with (
        served({"DATABASE_URL": url}, threads=2) as first,
        served({"DATABASE_URL": url}, threads=2) as second,
        httpx.Client(follow_redirects=False, timeout=30) as client,
    ):
        assert first != second
        csrf_cookie, csrf_token = _csrf(client, first)
        signed_in = client.post(
            f"{first}/logg-inn/",
            data={"username": "oslo", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token},
            headers={"Cookie": f"csrftoken={csrf_cookie}"},
        )
        assert signed_in.status_code == 302, signed_in.text[:500]
        session = _cookie(signed_in, "sessionid")
        cookies = {"Cookie": f"sessionid={session}; csrftoken={csrf_cookie}"}

        # The other process knows the session: the worklist, not the sign-in page.
        worklist = client.get(f"{second}/", headers=cookies)
        assert worklist.status_code == 200
        assert 'action="/logg-ut/"' in worklist.text
        assert client.get(f"{second}/").status_code == 302  # and without it, nobody

        # Signing out on the second ends the session on the first too.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', worklist.text)
        assert token
        signed_out = client.post(
            f"{second}/logg-ut/", data={"csrfmiddlewaretoken": token.group(1)}, headers=cookies
        )
        assert signed_out.status_code in (200, 302)  # 403 would be a refused CSRF token
        after = client.get(f"{first}/", headers=cookies)
        assert after.status_code == 302
        assert "/logg-inn/" in after.headers["location"]


def test_nothing_a_user_or_a_job_makes_is_kept_on_a_process_of_its_own():
    # Sessions, the task queue and the sign-in lockout are in the database.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert settings.AUTHENTICATION_BACKENDS == ["nir.accounts.backends.LockoutBackend"]
    assert apps.get_model("accounts", "LoginThrottle")._meta.db_table
    # No model keeps a file on a machine's disk: stored reports are bytes in the database.
    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert file_fields == []
    assert settings.MEDIA_ROOT == ""


def test_the_cache_is_per_process_unless_the_database_is_chosen(tmp_path):
    # The API's rate limit counts in the cache: per process, N processes allow N times it.
    local = _settings_of(tmp_path, {})
    assert json.loads(local.stdout)["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    shared = _settings_of(tmp_path, {"NIR_CACHE": "database"})
    assert shared.returncode == 0, shared.stderr
    assert json.loads(shared.stdout)["cache"] == "django.core.cache.backends.db.DatabaseCache"
    bad = _settings_of(tmp_path, {"NIR_CACHE": "redis"})
    assert bad.returncode != 0
    assert "NIR_CACHE='redis' must be one of local, database" in bad.stderr
