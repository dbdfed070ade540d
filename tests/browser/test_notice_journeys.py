"""IMDi's notice on «avslutningsårsak ikke registrert», walked in a real browser.

The story: find the ended participants, see which can be fixed, fix one in the window, ask
IMDi for a grant for an old one and get it, fix that one, and see the counts agree on the
worklist and the report. Then the notice's example of the second cause: a start decision of
12 months for a § 13 participant, and the register's advice to register the extension.
Every page on the way, the sign-in pages too, is checked with axe and kept as a screenshot
(``AxeOnEveryPage`` fails the journey if it passes a page unchecked). CI runs the journeys
on SQLite and on PostgreSQL, as the rest of the suite.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from nir.register.models import Decision, Participation
from nir.register.services.context import Actor, Channel
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from nir.support.models import SupportRequest
from tests.browser.conftest import AxeOnEveryPage
from tests.web.builders import add_participation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def old_end(web_register) -> Participation:
    """An Oslo participation the register ended 100 days ago: only a grant can admit it."""
    today = web_register.today
    actor = Actor("kari@oslo", Channel.WEB, web_register.kommune_a.pk)
    end = today - dt.timedelta(days=100)
    p = add_participation(
        actor, web_register.kommune_a, "Omar", "Gammel", start=add_months(end, -6)
    )
    run_sweep(as_of=today)
    p.refresh_from_db()
    assert p.termination_source == "system"
    return p


def _sign_out(axe: AxeOnEveryPage, name: str) -> None:
    axe.page.get_by_role("button", name="Logg ut").click()
    expect(axe.page.get_by_text("Du er logget ut.")).to_be_visible()
    axe.check(name)


def _csv_states(page: Page) -> dict[str, str]:
    """The report's CSV, downloaded as the user does: each row's name and its state."""
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (Excel, semikolon)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    return {f"{r['Etternavn']}, {r['Fornavn']}": r["Registrering av årsak"] for r in rows}


def _cards(page: Page) -> dict[str, str]:
    card = page.locator("#uten-aarsak")
    return {
        status: card.locator(f'a[href$="registrering={status}"] strong').inner_text()
        for status in ("open", "granted", "needs_grant", "too_old")
    }


def test_the_notice_end_to_end(web_register, old_end, live_server, ui_page):
    page, base = ui_page, live_server.url
    axe = AxeOnEveryPage(page)
    today = web_register.today
    axe.sign_in(base, "oslo", "notis-00")
    # The worklist sorts the register's ends: one can be registered, one needs a grant.
    assert _cards(page) == {"open": "1", "granted": "0", "needs_grant": "1", "too_old": "0"}
    axe.check("notis-01-arbeidsliste")

    # The report of ended participants finds them, with the same counts and a state per row.
    page.get_by_role("link", name="Avsluttede").click()
    axe.check("notis-01b-rapport-avsluttede-alle")
    page.get_by_label("Avslutningsårsak").select_option("ikke_registrert")
    page.get_by_role("button", name="Vis").click()
    triage = page.locator("#triage")
    expect(triage.locator('[data-status="open"]')).to_have_text("1")
    expect(triage.locator('[data-status="needs_grant"]')).to_have_text("1")
    old_row = page.get_by_role("row").filter(has_text="Gammel, Omar")
    until = add_months(old_end.end_date, 12)
    needs_grant = f"Krever etterregistrering, mulig til {until:%d.%m.%Y}"
    expect(old_row).to_contain_text(needs_grant)
    # No form is offered where it would be refused.
    expect(old_row.get_by_role("link", name="Registrer årsak")).to_have_count(0)
    axe.check("notis-02-rapport-avsluttede")
    # The download says the same, row by row.
    states = _csv_states(page)
    assert states["Gammel, Omar"] == needs_grant
    window_closes = add_months(web_register.overdue_a.end_date, 2)
    assert states["Haddad, Amina"] == f"Kan registreres til {window_closes:%d.%m.%Y}"

    # Fix the one in the window, straight from the report, and come back to it.
    page.get_by_role("row").filter(has_text="Haddad, Amina").get_by_role(
        "link", name="Registrer årsak"
    ).click()
    page.get_by_label("Avslutningsårsak").select_option("arbeid")
    page.get_by_label("Sluttdato").fill(web_register.overdue_a.end_date.isoformat())
    axe.check("notis-03-registrer-aarsak")
    page.get_by_role("button", name="Registrer avslutning").click()
    expect(page.get_by_text("Amina Haddad: Registreringen er lagret")).to_be_visible()
    expect(page.locator("#triage [data-status='open']")).to_have_text("0")
    axe.check("notis-03b-aarsak-registrert")

    # Ask IMDi for late registration for the old one: one click, filled in.
    page.get_by_role("row").filter(has_text="Gammel, Omar").get_by_role(
        "link", name="Be IMDi om etterregistrering"
    ).click()
    expect(page.get_by_role("heading", name="Be IMDi om etterregistrering")).to_be_visible()
    expect(page.get_by_label("Deltakelsesnummer")).to_have_value(str(old_end.pk))
    expect(page.get_by_label("Hendelser fra og med")).to_have_value(f"{old_end.end_date}")
    expect(page.get_by_label("Hendelser til og med")).to_have_value(f"{old_end.end_date}")
    page.get_by_label("Melding").fill("Årsaken ble ikke registrert før fristen gikk ut.")
    axe.check("notis-04-be-om-etterregistrering")
    page.get_by_role("button", name="Send henvendelsen").click()
    expect(page.get_by_text("Henvendelsen er sendt til IMDi.")).to_be_visible()
    axe.check("notis-05-henvendelse-sendt")
    request = SupportRequest.objects.get()
    assert list(request.participations.values_list("pk", flat=True)) == [old_end.pk]
    _sign_out(axe, "notis-05b-logget-ut")

    # IMDi sees Oslo's ends as Oslo does, then grants the request for the period asked.
    axe.sign_in(base, "imdi", "notis-imdi")
    axe.check("notis-05c-imdi-forside")
    oslo = web_register.kommune_a.pk
    page.goto(f"{base}/rapporter/avsluttede/?aarsak=ikke_registrert&kommune={oslo}")
    national = page.locator("#triage")
    expect(national.locator('[data-status="open"]')).to_have_text("0")
    expect(national.locator('[data-status="needs_grant"]')).to_have_text("1")
    expect(page.get_by_role("row").filter(has_text="Gammel, Omar")).to_contain_text(needs_grant)
    axe.check("notis-05d-imdi-rapport-oslo")
    page.goto(f"{base}/henvendelser/{request.pk}/")
    page.get_by_label("Innvilg etterregistrering").check()
    page.get_by_label("Tilgangen utløper").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Begrunnelse").fill("Innvilget.")
    axe.check("notis-06-imdi-innvilger")
    page.get_by_role("button", name="Lagre avgjørelsen").click()
    expect(page.get_by_text("Etterregistrering er innvilget")).to_be_visible()
    axe.check("notis-06b-imdi-innvilget")
    _sign_out(axe, "notis-06c-logget-ut")

    # The caseworker fixes it: the participant page now offers the form, which names the grant.
    axe.sign_in(base, "oslo", "notis-07")
    assert _cards(page) == {"open": "0", "granted": "1", "needs_grant": "0", "too_old": "0"}
    # The worklist's row for it: what to do, by the grant's last day, and the one action.
    grant_row = page.get_by_role("row").filter(has_text="Gammel, Omar")
    expect(grant_row).to_contain_text(
        f"IMDi har gitt tilgang til etterregistrering: registrer reell avslutningsårsak innen "
        f"{today + dt.timedelta(days=30):%d.%m.%Y}."
    )
    expect(grant_row.get_by_role("link", name="Registrer årsak")).to_have_count(1)
    axe.check("notis-07a-arbeidsliste-med-tilgang")
    page.goto(f"{base}/deltakelse/{old_end.pk}/")
    expect(page.locator(".participation-number").first).to_have_text(str(old_end.pk))
    axe.check("notis-07-deltaker-med-tilgang")
    page.locator(f"#deltakelse-{old_end.pk} .notice").get_by_role(
        "link", name="Registrer årsak"
    ).click()
    request.refresh_from_db()
    expect(page.locator("#etterregistrering")).to_contain_text(f"Tilgang nr. {request.grant_id}")
    page.get_by_label("Avslutningsårsak").select_option("arbeid")
    page.get_by_label("Sluttdato").fill(old_end.end_date.isoformat())
    axe.check("notis-08-registrer-med-tilgang")
    page.get_by_role("button", name="Registrer avslutning").click()
    expect(page.get_by_text("Omar Gammel: Registreringen er lagret")).to_be_visible()
    axe.check("notis-08b-registrert-med-tilgang")
    stored = Participation.objects.get(pk=old_end.pk)
    assert (stored.termination_reason, stored.termination_source) == ("arbeid", "user")

    # The counts agree everywhere: nothing left without a reason in Oslo.
    page.goto(f"{base}/")
    assert _cards(page) == {"open": "0", "granted": "0", "needs_grant": "0", "too_old": "0"}
    axe.check("notis-09-arbeidsliste-etter")
    page.goto(f"{base}/rapporter/avsluttede/?aarsak=ikke_registrert")
    expect(page.locator("#triage")).to_have_count(0)
    expect(page.get_by_text("Ingen avsluttede deltakelser med disse filtrene.")).to_be_visible()
    axe.check("notis-10-rapport-etter")
    assert _csv_states(page) == {}
    axe.assert_all_checked()


def test_a_twelve_month_start_decision_and_the_advice_to_extend(web_register, live_server, ui_page):
    page, base = ui_page, live_server.url
    axe = AxeOnEveryPage(page)
    p = web_register.soon_a  # § 13: upper secondary education, sluttmål arbeid, 6 months
    today = web_register.today
    axe.sign_in(base, "oslo", "programtid-00")
    axe.check("programtid-00-arbeidsliste")
    page.goto(f"{base}/deltakelse/{p.pk}/registrer/vedtak/")
    page.get_by_label("Type vedtak").select_option("innvilget")
    page.get_by_label("Vedtaksdato").fill(today.isoformat())
    page.get_by_label("Programtid i vedtaket").fill("12")
    page.get_by_label("Programtid i vedtaket").blur()
    warning = page.locator("#programtid-advarsel")
    expect(warning).to_contain_text(
        f"Vedtaket gir 12 måneder, sluttmålet gir 6: registrer vedtak om utvidet deltakelse, "
        f"ellers avsluttes deltakeren {p.frist:%d.%m.%Y}."
    )
    axe.check("programtid-01-vedtak-forhandsvisning")
    page.get_by_role("button", name="Registrer vedtak").click()
    expect(page.get_by_text("Registreringen er lagret")).to_be_visible()
    axe.check("programtid-01a-vedtak-registrert")
    assert Decision.objects.filter(participation=p, programme_months=12).exists()

    # The worklist lists it as a task row, due by the frist, with the action that fixes it.
    page.goto(f"{base}/")
    task = page.get_by_role("row").filter(has_text="Vedtaket gir 12 måneder")
    expect(task).to_contain_text("Karimi, Yusuf")
    expect(task).to_contain_text(f"{p.frist:%d.%m.%Y}")
    expect(task.get_by_role("link", name="Registrer utvidet programtid")).to_have_count(1)
    axe.check("programtid-01b-arbeidsliste-oppgave")
    # And the participant's missing registrations say what to do.
    page.locator("#programtid a").click()
    axe.check("programtid-01c-liste-programtid")
    page.get_by_role("link", name="Karimi, Yusuf").first.click()
    # The notice of what is missing (the related items' warnings have a notice of their own).
    missing = page.locator(f"#deltakelse-{p.pk} .notice").filter(has_text="Mangler")
    expect(missing).to_contain_text("Vedtaket gir 12 måneder, sluttmålet gir 6")
    axe.check("programtid-02-deltaker-mangler")

    # Following the advice: the extension moves the frist by the six months decided.
    missing.get_by_role("link", name="Registrer utvidet programtid").click()
    page.get_by_label("Antall måneder").fill("6")
    page.get_by_label("Vedtaksdato").fill(today.isoformat())
    page.get_by_label("Vedtaksdato").blur()
    axe.check("programtid-03-utvidelse")
    page.get_by_role("button", name="Registrer utvidet programtid").click()
    new_frist = add_months(p.start_date, 12)
    expect(page.get_by_text(f"Ny frist for gjennomføring: {new_frist:%d.%m.%Y}")).to_be_visible()
    expect(page.get_by_text("Vedtaket gir 12 måneder")).to_have_count(0)
    axe.check("programtid-03b-utvidelse-registrert")
    page.goto(f"{base}/")
    expect(page.locator("#programtid")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Vedtaket gir 12 måneder")).to_have_count(0)
    axe.check("programtid-04-arbeidsliste-etter")
    axe.assert_all_checked()
