"""The Norwegian-training scheme's journey in a real browser (issue 16, «Done when»).

A kommunenorskbruker signs in, registers a person's Norwegian training with a norskmaal, a
leave and a test result, sees the frist move and the scheme end as «norskmål nådd», and
cannot open the programme's forms; a kommuneintrobruker cannot open the Norwegian forms.
Axe on every page, and the forms usable at 320 px.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from nir.accounts.models import Role
from nir.register.norsk_models import NorskParticipation
from nir.register.services.context import Actor, Channel
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.rules.dates import add_months
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.browser.conftest import check_page, checked_page, sign_in
from tests.web.builders import add_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKILLS = ("Lytteforståelse", "Leseforståelse", "Skriftlig fremstilling", "Muntlig kommunikasjon")


@pytest.fixture
def nadia(web_register):
    make_user("norsk", web_register.kommune_a, Role.KOMMUNENORSKBRUKER)
    actor = Actor("kari@oslo", Channel.WEB, web_register.kommune_a.pk)
    return add_person(
        actor, "Nadia", "Norskvik", birth=dt.date(1990, 5, 17), registered=web_register.today
    )


def _levels(page: Page, level: str) -> None:
    for skill in SKILLS:
        page.get_by_label(skill).select_option(level)


def test_a_norwegian_training_user_registers_sees_the_frist_move_and_the_scheme_end(
    web_register, nadia, live_server, chromium
):
    today = web_register.today
    context, page = checked_page(chromium)
    sign_in(page, live_server.url, "norsk")
    expect(
        page.get_by_role("heading", name="Opplæring i norsk og samfunnskunnskap")
    ).to_be_visible()
    check_page(page, "n01-arbeidsliste-norsk")

    page.goto(f"{live_server.url}/person/{nadia.pk}/")
    page.get_by_role("link", name="Registrer opplæring i norsk").click()
    page.get_by_label("Oppstart (første vedtak om opplæring)").fill(today.isoformat())
    page.get_by_label("Tillatelse etter integreringsloven").select_option("ss27")
    page.get_by_label("Utdanningsbakgrunn").select_option("videregaende")
    check_page(page, "n02-start")
    page.get_by_role("button", name="Registrer opplæring").click()
    frist = add_months(nadia.permit_date, 18)  # with upper secondary, from the permit (N-1)
    expect(page.locator(".card [id$='-frist']")).to_have_text(f"{frist:%d.%m.%Y}")
    check_page(page, "n03-deltaker-norsk")

    page.get_by_role("link", name="Norskmål", exact=True).click()
    page.get_by_label("Gjelder fra").fill(today.isoformat())
    _levels(page, "B1")
    check_page(page, "n04-norskmaal")
    page.get_by_role("button", name="Registrer norskmål").click()
    expect(page.get_by_text("Registreringen er lagret.")).to_be_visible()

    page.get_by_role("link", name="Permisjon fra opplæringen").click()
    page.get_by_label("Type permisjon").select_option("foreldrepermisjon")
    page.get_by_label("Første dag med permisjon").fill((today - dt.timedelta(days=9)).isoformat())
    page.get_by_label("Siste dag med permisjon").fill(today.isoformat())
    page.get_by_label("Vedtaksdato").fill(today.isoformat())
    page.get_by_label("Vedtaksdato").blur()
    moved = frist + dt.timedelta(days=10)
    expect(page.locator("#forhandsvisning")).to_contain_text(f"{moved:%d.%m.%Y}")
    check_page(page, "n05-permisjon-forhandsvisning")
    page.get_by_role("button", name="Registrer permisjon").click()
    expect(page.get_by_text(f"Ny frist for gjennomføring: {moved:%d.%m.%Y}")).to_be_visible()
    expect(page.locator(".card [id$='-frist']")).to_have_text(f"{moved:%d.%m.%Y}")

    page.get_by_role("link", name="Prøveresultat").click()
    page.get_by_label("Prøve", exact=True).select_option("norskprove")
    page.get_by_label("Prøvedato").fill(today.isoformat())
    page.get_by_label("Dokumentreferanse").fill("Vitnemål 1")
    _levels(page, "B1")
    page.get_by_label("Dokumentreferanse").blur()
    expect(page.locator("#avsluttes")).to_contain_text("Norskmålet er nådd")
    check_page(page, "n06-prove-forhandsvisning")
    page.get_by_role("button", name="Registrer resultatet").click()
    expect(page.get_by_text(f"Opplæringen er avsluttet {today:%d.%m.%Y}: ")).to_be_visible()
    expect(page.locator(".card [id$='-status']")).to_contain_text("Norskmålet er nådd")
    check_page(page, "n07-avsluttet-norskmaal-naadd")
    row = NorskParticipation.objects.get(person=nadia)
    assert (row.end_reason, row.end_set_by, row.frist) == ("norskmal_nadd", "system", moved)

    # The report of ended Norwegian training gives the reason; the person list its scheme.
    page.goto(f"{live_server.url}/rapporter/norsk-avsluttede/")
    expect(page.locator("#norsk-etter-aarsak")).to_contain_text("Norskmålet er nådd")
    check_page(page, "n07b-rapport-avsluttet-norsk")
    page.goto(f"{live_server.url}/rapporter/norsk-personliste/?samfunnskunnskap=ny_75")
    expect(page.get_by_role("link", name="Norskvik, Nadia")).to_be_visible()
    check_page(page, "n07c-personliste-norsk")

    # The programme's forms are not this role's.
    response = page.goto(f"{live_server.url}/person/{nadia.pk}/ny-deltakelse/")
    assert response is not None and response.status == 403
    check_page(page, "n08-programskjema-nektet")
    context.close()

    # ...and the Norwegian forms are not the programme's caseworker's.
    context, page = checked_page(chromium)
    sign_in(page, live_server.url, "oslo")
    response = page.goto(f"{live_server.url}/norskopplaering/{row.pk}/registrer/permisjon/")
    assert response is not None and response.status == 403
    check_page(page, "n09-norskskjema-nektet")
    context.close()


def test_the_norwegian_forms_work_at_320_px(web_register, nadia, live_server, chromium):
    actor = Actor("nora@oslo", Channel.WEB, web_register.kommune_a.pk, frozenset({Scheme.NORSK}))
    row = start_norsk_participation(
        actor=actor,
        person_id=nadia.pk,
        kommune_id=web_register.kommune_a.pk,
        new=NewNorskParticipation(
            start_date=web_register.today, permit_list=PermitList.RETT_OG_PLIKT
        ),
    )
    context, page = checked_page(chromium, viewport={"width": 320, "height": 640})
    sign_in(page, live_server.url, "norsk")
    for path, name in (
        (f"/person/{nadia.pk}/", "n10-deltaker-320"),
        (f"/norskopplaering/{row.pk}/registrer/timer/", "n11-timer-320"),
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
        check_page(page, name)
    context.close()
