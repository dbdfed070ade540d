"""Signing out ends on the register's own sign-in page, which says so, in the reader's
language; never on the logged-out page of Django's admin."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "said"), [("nb", "Du er logget ut."), ("en", "You are signed out.")]
)
def test_signing_out_lands_on_the_sign_in_page_saying_so(client_a, language, said):
    client_a.cookies["django_language"] = language
    response = client_a.post("/logg-ut/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    page = client_a.get("/logg-inn/").content.decode()
    assert said in page
    assert "Django" not in page and "/admin/" not in page
    # Signed out indeed: the worklist asks for signing in again.
    assert client_a.get("/")["Location"] == "/logg-inn/?next=/"
