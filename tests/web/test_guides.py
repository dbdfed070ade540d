"""The user guides are served by the register in bokmål and English, linked from the pages
where their task is done, and show the screenshots the browser tests took."""

from __future__ import annotations

import pytest
from django.test import Client

from nir.web.guides import GUIDES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_guide_is_served_in_both_languages(language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    index = client.get("/veiledning/")
    assert index.status_code == 200
    for slug in GUIDES:
        assert f'href="/veiledning/{slug}/"' in index.content.decode()
        page = client.get(f"/veiledning/{slug}/")
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.content.decode()
    assert client.get("/veiledning/finnes-ikke/").status_code == 404


def test_the_english_guide_is_in_english_and_the_norwegian_in_norwegian():
    nb = Client(HTTP_ACCEPT_LANGUAGE="nb").get("/veiledning/etterregistrering/").content.decode()
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/veiledning/etterregistrering/").content.decode()
    assert "inntil 12 måneder tilbake" in nb
    assert "up to 12 months back" in en and "måneder" not in en


def test_a_guide_shows_the_screenshots_the_browser_tests_took():
    page = Client().get("/veiledning/avslutningsarsak/").content.decode()
    assert 'src="/static/web/guides/avslutningsarsak-1.png"' in page


def test_guides_are_linked_where_the_task_is_done(register, client_a):
    p = register.overdue_a
    links = {
        "/rapporter/avsluttede/": "ikke-registrert",
        f"/deltakelse/{p.pk}/registrer/avslutning/": "avslutningsarsak",
        f"/deltakelse/{p.pk}/registrer/utvidelse/": "utvidelse-og-permisjon",
        f"/deltakelse/{p.pk}/registrer/permisjon/": "utvidelse-og-permisjon",
        "/etterregistrering/": "etterregistrering",
        "/": "",  # the footer of every page links to the guides
    }
    for url, slug in links.items():
        body = client_a.get(url).content.decode()
        assert f'href="/veiledning/{slug + "/" if slug else ""}"' in body, url
