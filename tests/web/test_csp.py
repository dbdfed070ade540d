"""The strict Content-Security-Policy holds: no inline script, style or event handler."""

from __future__ import annotations

import re

import pytest

from nir.web.registrations import KINDS

pytestmark = pytest.mark.django_db

INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # a script without src
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"<style", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick=, onload= ...
    re.compile(r"\bhx-on", re.I),  # htmx's inline handlers need eval
    re.compile(r"javascript:", re.I),
]


def _check(response, url: str) -> None:
    assert response.status_code == 200, url
    assert "script-src 'self'" in response["Content-Security-Policy"], url
    body = response.content.decode()
    for pattern in INLINE:
        assert not pattern.search(body), (url, pattern.pattern)


def test_no_page_has_inline_script_or_style(register, client_a, client):
    _check(client.get("/logg-inn/"), "/logg-inn/")
    p = register.overdue_a
    urls = [
        "/",
        "/deltakere/?status=aktiv",
        f"/person/{p.person_id}/",
        f"/person/{p.person_id}/endre/",
        "/person/ny/",
        f"/person/{p.person_id}/ny-deltakelse/",
        "/etterregistrering/",
        "/rapporter/avsluttede/",
        "/rapporter/personliste/",
        "/rapporter/kommuneoversikt/",
        *(f"/deltakelse/{p.pk}/registrer/{slug}/" for slug in KINDS),
    ]
    for url in urls:
        _check(client_a.get(url), url)
