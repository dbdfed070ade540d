"""At 320 px and at 200 % zoom every action of the worklist is on screen: a caseworker on a
phone reaches «Registrer årsak» and «Utvid» without scrolling a table sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_page, sign_in

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


@pytest.mark.parametrize("width", [320, 640])  # 640 CSS px: 1280 px at 200 % zoom
def test_every_worklist_action_is_on_screen(web_register, live_server, ui_page, width):
    page = ui_page
    sign_in(page, live_server.url)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/")
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
