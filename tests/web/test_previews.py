"""The frist preview is a pure read that agrees with what the service then stores."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, Participation
from nir.register.previews import preview_extension, preview_leave, preview_sluttmaal
from nir.register.services.context import Actor, Channel
from nir.register.services.items import ExtensionItem, LeaveItem
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
    preview = preview_extension(p, months=6, decided_on=register.today, as_of=register.today)
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
    preview = preview_extension(p, months=1, decided_on=register.today, as_of=register.today)
    assert preview.new_frist > register.today
    later = preview_extension(
        p, months=1, decided_on=register.today, as_of=preview.new_frist + dt.timedelta(days=1)
    )
    assert later.keeps_automatic_termination and not later.lifts_automatic_termination


def test_an_extension_past_the_limit_is_refused_like_the_service_does(register):
    with pytest.raises(RuleViolation) as refused:
        preview_extension(
            register.overdue_a, months=7, decided_on=register.today, as_of=register.today
        )
    assert refused.value.field == "months"


def test_a_leave_preview_agrees_with_the_stored_result(register, kommune_a):
    p = register.soon_a
    start, end = p.frist - dt.timedelta(days=9), p.frist
    preview = preview_leave(
        p, leave_type="omsorgspermisjon", start_date=start, end_date=end, as_of=register.today
    )
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
    preview = preview_sluttmaal(p, sluttmaal="grunnskole", as_of=register.today)
    # § 14 others: 24 months from the start instead of 6.
    assert preview.new_frist.year == p.start_date.year + 2
    with pytest.raises(RuleViolation):
        preview_sluttmaal(p, sluttmaal="ukjent", as_of=register.today)
