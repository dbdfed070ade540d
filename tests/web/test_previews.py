"""The frist preview is a pure read that agrees with what the service then stores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nir.register import previews
from nir.register.models import HistoryEvent, Participation
from nir.register.services.context import Actor, Channel
from nir.register.services.items import DecisionItem, ExtensionItem, LeaveItem, SluttmaalItem
from nir.register.services.registrations import register_item
from nir.rules.errors import RuleViolation

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple:
    return (
        HistoryEvent.objects.count(),
        list(Participation.objects.order_by("pk").values_list("version", "frist", "end_date")),
    )


def test_an_extension_preview_agrees_with_the_stored_result(register, kommune_a):
    p = register.overdue_a
    before = _snapshot()
    preview = previews.preview(
        p, ExtensionItem(months=6, decided_on=register.today), as_of=register.today
    )
    assert _snapshot() == before
    assert preview.lifts_automatic_termination and preview.frist_moves
    stored = register_item(
        actor=Actor("kari@oslo", Channel.WEB, kommune_a.pk),
        participation_id=p.pk,
        item=ExtensionItem(months=6, decided_on=register.today),
    )
    assert stored.frist == preview.new_frist
    assert stored.end_date is None


def test_a_short_extension_keeps_the_automatic_termination(register):
    p = register.overdue_a
    # Ten days overdue: one more month moves the frist past today, so it would lift; seen
    # from a day after that new frist, the automatic termination would stay.
    preview = previews.preview(
        p, ExtensionItem(months=1, decided_on=register.today), as_of=register.today
    )
    assert preview.new_frist > register.today
    later = previews.preview(
        p,
        ExtensionItem(months=1, decided_on=register.today),
        as_of=preview.new_frist + dt.timedelta(days=1),
    )
    assert later.keeps_automatic_termination and not later.lifts_automatic_termination


def test_an_extension_past_the_limit_is_refused_like_the_service_does(register):
    with pytest.raises(RuleViolation) as refused:
        previews.preview(
            register.overdue_a,
            ExtensionItem(months=7, decided_on=register.today),
            as_of=register.today,
        )
    assert refused.value.field == "months"


def test_a_leave_preview_agrees_with_the_stored_result(register, kommune_a):
    p = register.soon_a
    start, end = p.frist - dt.timedelta(days=9), p.frist
    leave = LeaveItem(
        leave_type="omsorgspermisjon", start_date=start, end_date=end, decided_on=register.today
    )
    preview = previews.preview(p, leave, as_of=register.today)
    assert preview.new_frist == p.frist + dt.timedelta(days=10)
    stored = register_item(
        actor=Actor("kari@oslo", Channel.WEB, kommune_a.pk),
        participation_id=p.pk,
        item=LeaveItem(
            leave_type="omsorgspermisjon", start_date=start, end_date=end, decided_on=register.today
        ),
    )
    assert stored.frist == preview.new_frist


def test_a_sluttmaal_preview_recomputes_from_the_start(register):
    p = register.soon_a
    preview = previews.preview(
        p, SluttmaalItem(sluttmaal="grunnskole", valid_from=register.today), as_of=register.today
    )
    # § 14 others: 24 months from the start instead of 6.
    assert preview.new_frist.year == p.start_date.year + 2
    with pytest.raises(RuleViolation):
        previews.preview(
            p, SluttmaalItem(sluttmaal="ukjent", valid_from=register.today), as_of=register.today
        )


def _refusal(call) -> tuple[str, str]:
    with pytest.raises(RuleViolation) as refused:
        call()
    return refused.value.field, refused.value.code


def test_a_preview_refuses_an_event_outside_the_window_as_the_save_does(register, kommune_a):
    p = register.soon_a
    # Decided more than two months ago, and no late-registration grant covers it.
    long_ago = register.today - dt.timedelta(days=100)
    extension = ExtensionItem(months=6, decided_on=long_ago)
    before = _snapshot()
    refused = _refusal(lambda: previews.preview(p, extension, as_of=register.today))
    assert _snapshot() == before
    saved = _refusal(
        lambda: register_item(
            actor=Actor("kari@oslo", Channel.WEB, kommune_a.pk),
            participation_id=p.pk,
            item=extension,
        )
    )
    assert refused == saved == ("decided_on", "registration_window.closed")


def test_a_preview_refuses_a_sluttmaal_valid_before_the_start_as_the_save_does(register, kommune_a):
    p = register.soon_a
    # Seen from just after the start, so the window is open for the day before it.
    as_of = p.start_date + dt.timedelta(days=10)
    goal = SluttmaalItem(sluttmaal="grunnskole", valid_from=p.start_date - dt.timedelta(days=1))
    refused = _refusal(lambda: previews.preview(p, goal, as_of=as_of))
    saved = _refusal(
        lambda: register_item(
            actor=Actor("kari@oslo", Channel.WEB, kommune_a.pk),
            participation_id=p.pk,
            item=goal,
            at=timezone.make_aware(dt.datetime.combine(as_of, dt.time(12))),
        )
    )
    assert refused == saved == ("valid_from", "sluttmaal.before_start")


def test_a_decision_preview_refuses_programme_time_on_a_decision_that_is_not_a_start(
    register, kommune_a
):
    decision = DecisionItem(decision_type="klage", decided_on=register.today, programme_months=6)
    refused = _refusal(lambda: previews.preview(register.soon_a, decision, as_of=register.today))
    assert refused == ("programme_months", "programme_months.not_start_decision")


def test_the_live_preview_refuses_in_the_readers_language(register, client_a):
    """The fragment under the form gives the refusal as the form does: in English on an
    English page, with the rule named in English too."""
    url = f"/deltakelse/{register.overdue_a.pk}/forhandsvis/utvidelse/"
    query = {"months": "7", "decided_on": register.today.isoformat(), "expected_version": "1"}
    english = client_a.get(url, query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Legal basis:" in english and "Hjemmel" not in english
    bokmaal = client_a.get(url, query, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Hjemmel:" in bokmaal
