"""Every page renders for a caseworker with data in the register."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_render(register, client_a):
    p = register.overdue_a
    urls = [
        "/",
        "/deltakere/?q=Haddad",
        f"/person/{p.person_id}/",
        f"/deltakelse/{p.pk}/registrer/utvidelse/",
        "/rapporter/avsluttede/",
        "/rapporter/personliste/",
        "/rapporter/kommuneoversikt/",
        "/person/ny/",
        f"/person/{p.person_id}/ny-deltakelse/",
        "/etterregistrering/",
    ]
    for url in urls:
        response = client_a.get(url)
        assert response.status_code == 200, url


def test_the_worklist_counts_what_is_missing_by_kind(register, client_a):
    body = client_a.get("/").content.decode()
    # Karimi is complete; Haddad is ended, so nothing active lacks a registration.
    assert "0 uten vedtak" in body
    assert "?status=aktiv&amp;mangler=tiltak" in body


def test_sign_in_offers_id_porten_only_where_configured(client, settings):
    assert "ID-porten" not in client.get("/logg-inn/").content.decode()
    settings.NIR_OIDC = {
        "issuer": "https://idporten.example",
        "client_id": "x",
        "client_secret": "y",
    }
    assert 'href="/innlogging/idporten/"' in client.get("/logg-inn/").content.decode()
