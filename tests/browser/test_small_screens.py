"""At 320 px and at 200 % zoom every action of the worklist is on screen: a caseworker on a
phone reaches «Registrer årsak» and «Utvid» without scrolling a table sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.items import DecisionItem
from nir.register.services.registrations import register_item
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from tests.browser.conftest import check_page, sign_in
from tests.conftest import at
from tests.web.builders import add_participation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _off_screen_actions(page, width: int) -> list[str]:
    actions = page.locator("table.table--stack a")
    assert actions.count() > 0
    off = []
    for index in range(actions.count()):
        action = actions.nth(index)
        box = action.bounding_box()
        assert box is not None
        if box["x"] < 0 or box["x"] + box["width"] > width:
            off.append(action.inner_text())
    return off


@pytest.fixture
def follow_ups(web_register):
    """The worklist's longest rows too: a 12-month start decision for a § 13 participant,
    and an end the register made that IMDi's grant admits."""
    today = web_register.today
    actor = Actor("kari@oslo", Channel.WEB, web_register.kommune_a.pk)
    p = web_register.soon_a
    register_item(
        actor=actor,
        participation_id=p.pk,
        item=DecisionItem(decision_type="innvilget", decided_on=p.start_date, programme_months=12),
        at=at(p.start_date),
    )
    end = today - dt.timedelta(days=100)
    add_participation(actor, web_register.kommune_a, "Omar", "Gammel", start=add_months(end, -6))
    run_sweep(as_of=today)
    grant_late_registration(
        actor=Actor("ingrid@imdi", Channel.WEB, None),
        grant=NewGrant(
            kommune_id=web_register.kommune_a.pk,
            covers_from=end,
            covers_to=end,
            expires_on=today + dt.timedelta(days=30),
            reason="Glemt registrering",
        ),
    )


@pytest.mark.parametrize("width", [320, 640])  # 640 CSS px: 1280 px at 200 % zoom
def test_every_worklist_action_is_on_screen(web_register, follow_ups, live_server, ui_page, width):
    page = ui_page
    sign_in(page, live_server.url)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/")
    assert page.get_by_text("Vedtaket gir 12 måneder").count() == 1
    assert page.get_by_text("IMDi har gitt tilgang til etterregistrering").count() == 1
    assert _off_screen_actions(page, width) == []
    # The task list does not scroll sideways inside its own region either.
    assert page.evaluate(
        "(() => { const w = document.querySelector('.table-wrap');"
        " return w.scrollWidth <= w.clientWidth; })()"
    )
    check_page(page, f"arbeidsliste-{width}px")
    # And the action works from there.
    page.locator("table.table--stack a.button").first.click()
    assert "/registrer/" in page.url
