"""The production set-up, for real: Debian's nginx terminates TLS with a self-signed
certificate in front of `nir serve` (gunicorn), as docs/deployment.md prescribes. A browser
signs in, registers a termination and downloads a report through it; the https-only parts
(HSTS, secure cookies, the CSRF origin check, the https redirect) hold, and a forwarded
header from anyone but the trusted proxy is ignored."""

from __future__ import annotations

import csv
import io
import os
import re

import httpx
import pytest
from playwright.sync_api import expect

from nir.bench.load import served
from nir.register.management.commands.serve import gunicorn_options
from tests.browser.conftest import wcag_violations
from tests.browser.tls_proxy import NGINX, free_port, nginx_tls_proxy
from tests.config.test_several_processes import _database_url_for_other_processes
from tests.web.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def behind_proxy(web_register, tmp_path):
    """`nir serve` trusting only 127.0.0.1, behind nginx on another free port."""
    assert os.path.exists(NGINX), "nginx is missing: install Debian's 'nginx' package"
    url = _database_url_for_other_processes(tmp_path)
    proxy_port = free_port()
    public = f"https://127.0.0.1:{proxy_port}"
    env = {
        "DATABASE_URL": url,
        "NIR_TRUSTED_PROXIES": "127.0.0.1",
        "NIR_SSL_REDIRECT": "true",
        "NIR_BASE_URL": public,
    }
    with (
        served(env, threads=4) as app,
        nginx_tls_proxy(tmp_path / "nginx", proxy_port, app) as base,
    ):
        assert base == public
        yield web_register, app, base


def test_a_caseworker_signs_in_registers_and_downloads_through_the_tls_proxy(
    behind_proxy, chromium
):
    web_register, _app, base = behind_proxy
    context = chromium.new_context(locale="nb-NO", accept_downloads=True, ignore_https_errors=True)
    page = context.new_page()
    first = page.goto(f"{base}/")
    assert first is not None
    expect(page).to_have_url(f"{base}/logg-inn/?next=/")
    # Over https the register tells the browser to stay on https.
    assert "max-age=31536000" in (first.header_value("strict-transport-security") or "")

    page.get_by_label("Brukernavn").fill("oslo")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    # The sign-in POST passed the CSRF origin check (a 403 would stay on the form).
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name="Arbeidsliste")).to_be_visible()
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
    assert cookies["csrftoken"]["secure"]

    row = page.get_by_role("row").filter(has_text="Haddad, Amina").filter(has_text="uten årsak")
    row.get_by_role("link", name="Registrer årsak").click()
    page.get_by_label("Avslutningsårsak").select_option("arbeid")
    page.get_by_label("Sluttdato").fill(web_register.overdue_a.frist.isoformat())
    page.get_by_role("button", name="Registrer avslutning").click()
    expect(page.get_by_text("Amina Haddad: Registreringen er lagret")).to_be_visible()
    assert wcag_violations(page) == []

    page.get_by_role("link", name="Avsluttede").click()
    page.get_by_label("Avslutningsårsak").select_option("registrert")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_text("Haddad, Amina")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV (Excel, semikolon)").click()
    rows = list(
        csv.reader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig")), delimiter=";")
    )
    assert [r[2] for r in rows[1:]] == ["Haddad"]
    # The server's database (a copy of the test's on SQLite) holds the registration.
    page.goto(f"{base}/deltakelse/{web_register.overdue_a.pk}/")
    expect(page.get_by_text("Arbeid (hel- eller deltid)").first).to_be_visible()
    context.close()


def _login_form(client: httpx.Client, base: str) -> str:
    page = client.get(f"{base}/logg-inn/")
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    return token.group(1)


def test_the_csrf_origin_check_and_the_https_redirect_behind_the_proxy(behind_proxy):
    _web_register, app, base = behind_proxy
    with httpx.Client(verify=False, follow_redirects=False, timeout=30) as client:
        form = {"username": "oslo", "password": PASSWORD}
        token = _login_form(client, base)
        forged = client.post(
            f"{base}/logg-inn/",
            data={**form, "csrfmiddlewaretoken": token},
            headers={"Origin": "https://angriper.example", "Referer": f"{base}/logg-inn/"},
        )
        assert forged.status_code == 403
        signed_in = client.post(
            f"{base}/logg-inn/",
            data={**form, "csrfmiddlewaretoken": token},
            headers={"Origin": base, "Referer": f"{base}/logg-inn/"},
        )
        assert signed_in.status_code == 302, signed_in.text[:300]
        assert signed_in.headers["location"] == "/"
        assert "Secure" in signed_in.headers["set-cookie"]
        # Over https, NIR_SSL_REDIRECT leaves the request alone (no redirect to itself).
        assert client.get(f"{base}/").status_code == 200

    # Straight to the application over plain http: redirected to https, and no HSTS.
    plain = httpx.get(f"{app}/logg-inn/", follow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["location"].startswith("https://")
    assert "strict-transport-security" not in plain.headers


def test_a_forwarded_scheme_from_an_untrusted_address_is_ignored(web_register, tmp_path):
    url = _database_url_for_other_processes(tmp_path)
    env = {"DATABASE_URL": url, "NIR_TRUSTED_PROXIES": "192.0.2.10"}
    with served(env, threads=2) as app:
        # A client claiming https is still on http: no HSTS, no secure session via a spoof.
        spoofed = httpx.get(f"{app}/logg-inn/", headers={"X-Forwarded-Proto": "https"})
        assert spoofed.status_code == 200
        assert "strict-transport-security" not in spoofed.headers
    assert gunicorn_options("127.0.0.1", 8000, 2, 8, [])["forwarded_allow_ips"] == ""
