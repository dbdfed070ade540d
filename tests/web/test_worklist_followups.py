"""The worklist's follow-up tasks as rows, not only counts: a start decision granting more
months than the sluttmål gives (register the extension before the frist), and a reason the
register left «ikke registrert» that IMDi's grant now admits (register it before the grant or
its 12 months run out). Each row names the participant, what to do, the date it matters by
and one action that succeeds; the count on top and the rows agree, however the pages fall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nir.register import triage
from nir.register.models import Participation
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.items import DecisionItem, ExtensionItem, TerminationItem
from nir.register.services.participations import register_termination
from nir.register.services.registrations import register_item
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from nir.web import worklist as worklist_module
from nir.web.worklist import worklist_page
from tests.conftest import at
from tests.web.builders import add_participation

# The page tests read the real clock (views do, and two identical reads of one frozen
# instant would be one access-log entry twice); the data is built relative to today.
pytestmark = pytest.mark.django_db

IMDI = Actor("ingrid@imdi", Channel.WEB, None)


@pytest.fixture
def followups(kommune_a, kommune_b):
    """In Oslo: two § 13 participants decided 12 months, three ends a grant admits (two
    grants, one covering a single end with a later expiry), one end needing a grant; in
    Bergen, one of each, which Oslo must never see."""
    today = timezone.localdate()
    oslo = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    bergen = Actor("ola@bergen", Channel.WEB, kommune_b.pk)

    def twelve_months(actor, kommune, name, days_ago):
        p = add_participation(
            actor, kommune, name, "Tolvmåneder", start=today - dt.timedelta(days=days_ago)
        )
        register_item(
            actor=actor,
            participation_id=p.pk,
            item=DecisionItem(
                decision_type="innvilget", decided_on=p.start_date, programme_months=12
            ),
            at=at(p.start_date),
        )
        return p

    def ended(actor, kommune, name, days_ago):
        end = today - dt.timedelta(days=days_ago)
        return add_participation(actor, kommune, name, "Avsluttet", start=add_months(end, -6))

    rows = {
        "sara": twelve_months(oslo, kommune_a, "Sara", 20),
        "sofie": twelve_months(oslo, kommune_a, "Sofie", 40),
        "g1": ended(oslo, kommune_a, "Gunn", 200),
        "g2": ended(oslo, kommune_a, "Geir", 205),
        "g3": ended(oslo, kommune_a, "Gro", 250),
        "needs": ended(oslo, kommune_a, "Nils", 100),
        "bergen_time": twelve_months(bergen, kommune_b, "Berit", 30),
        "bergen_end": ended(bergen, kommune_b, "Bjarne", 200),
    }
    run_sweep(as_of=today)
    for kommune, covers, expires in (
        (kommune_a, (210, 195), 20),  # Gunn and Geir
        (kommune_a, (251, 249), 40),  # Gro, until later
        (kommune_a, (201, 199), 60),  # Gunn again, the longest: hers is until day 60
        (kommune_b, (210, 190), 20),
    ):
        grant_late_registration(
            actor=IMDI,
            grant=NewGrant(
                kommune_id=kommune.pk,
                covers_from=today - dt.timedelta(days=covers[0]),
                covers_to=today - dt.timedelta(days=covers[1]),
                expires_on=today + dt.timedelta(days=expires),
                reason="Glemt registrering",
            ),
        )
    for p in rows.values():
        p.refresh_from_db()
    return today, rows, oslo


def _walk(kommune_id, today):
    tasks, after, number = [], None, 1
    while True:
        page = worklist_page(kommune_id, today, after, number)
        tasks += page.tasks
        if page.next_cursor is None:
            return tasks, page.counts
        after, number = page.next_cursor, number + 1


@pytest.mark.usefixtures("frozen_clock")
def test_each_follow_up_is_a_row_and_the_counts_agree(followups, kommune_a, monkeypatch):
    today, rows, _ = followups
    everything, counts = _walk(kommune_a.pk, today)
    assert counts["programme_time"] == 2 and counts["reason_granted"] == 3
    for size in (1, 2, 3):
        monkeypatch.setattr(worklist_module, "PAGE_SIZE", size)
        walked, counts = _walk(kommune_a.pk, today)
        assert [(t.kind, t.participation.pk) for t in walked] == [
            (t.kind, t.participation.pk) for t in everything
        ], size
        for kind in ("programme_time", "reason_granted"):
            assert len([t for t in walked if t.kind == kind]) == counts[kind], (kind, size)
    assert [t.sort_key for t in everything] == sorted(t.sort_key for t in everything)

    by_kind = {
        kind: [t for t in everything if t.kind == kind]
        for kind in ("programme_time", "reason_granted")
    }
    assert {t.participation.pk for t in by_kind["programme_time"]} == {
        rows["sara"].pk,
        rows["sofie"].pk,
    }
    for task in by_kind["programme_time"]:
        p = task.participation
        assert task.due == Participation.objects.get(pk=p.pk).frist
        assert task.fix == "utvidelse"
        assert task.text == (
            "Vedtaket gir 12 måneder, sluttmålet gir 6: registrer vedtak om utvidet "
            f"deltakelse, ellers avsluttes deltakeren {task.due:%d.%m.%Y}."
        )
    # The date each granted reason matters by is the rule's, grant by grant.
    granted = {t.participation.pk: t for t in by_kind["reason_granted"]}
    assert set(granted) == {rows["g1"].pk, rows["g2"].pk, rows["g3"].pk}
    for key, days in (("g1", 60), ("g2", 20), ("g3", 40)):
        p = rows[key]
        state = triage.state_of(p, today)
        assert state is not None and state.status.value == "granted"
        assert granted[p.pk].due == state.until == today + dt.timedelta(days=days), key
        assert granted[p.pk].fix == "avslutning"
        assert granted[p.pk].text == (
            f"Avsluttet av registeret {p.end_date:%d.%m.%Y} uten årsak. IMDi har gitt tilgang "
            f"til etterregistrering: registrer reell avslutningsårsak innen {state.until:%d.%m.%Y}."
        )
    # Bergen's are Bergen's alone; IMDi sees both municipalities'.
    assert rows["bergen_time"].pk not in {t.participation.pk for t in everything}
    national, counts = _walk(None, today)
    assert counts["programme_time"] == 3 and counts["reason_granted"] == 4
    assert len([t for t in national if t.kind == "reason_granted"]) == 4


@pytest.mark.usefixtures("frozen_clock")
def test_a_grant_reaching_only_part_of_its_time_is_due_when_its_12_months_end(
    kommune_a,
):
    """A grant outlasting the 12 months a grant can reach back: the task is due on the last
    day the event is within reach, not on the grant's expiry."""
    today = timezone.localdate()
    oslo = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    end = add_months(today, -12) + dt.timedelta(days=10)
    p = add_participation(oslo, kommune_a, "Rikke", "Rekkevidde", start=add_months(end, -6))
    run_sweep(as_of=today)
    grant_late_registration(
        actor=IMDI,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=end - dt.timedelta(days=3),
            covers_to=end + dt.timedelta(days=3),
            expires_on=today + dt.timedelta(days=60),
            reason="Glemt registrering",
        ),
    )
    p.refresh_from_db()
    state = triage.state_of(p, today)
    assert state is not None and state.until is not None
    assert state.until < today + dt.timedelta(days=60)
    [task] = [t for t in worklist_page(kommune_a.pk, today).tasks if t.kind == "reason_granted"]
    assert task.due == state.until


def test_the_rows_read_in_english_and_their_actions_succeed(followups, client_a):
    today, rows, oslo = followups
    body = client_a.get("/").content.decode()
    sara, gunn = rows["sara"], rows["g1"]
    assert f"/deltakelse/{sara.pk}/registrer/utvidelse/" in body
    assert "Registrer utvidet programtid" in body
    assert f"/deltakelse/{gunn.pk}/registrer/avslutning/" in body
    # The grant-less end is not offered a form that would refuse it.
    assert f"/deltakelse/{rows['needs'].pk}/registrer/avslutning/" not in body

    client_a.cookies["django_language"] = "en"
    english = client_a.get("/").content.decode()
    assert "The decision grants 12 months, the end goal gives 6" in english
    assert "Vedtaket gir" not in english
    assert "IMDi has granted late registration" in english
    assert "Register extension" in english

    # Following each action clears its row and its count.
    register_item(
        actor=oslo,
        participation_id=sara.pk,
        item=ExtensionItem(months=6, decided_on=today),
    )
    register_termination(
        actor=oslo,
        participation_id=gunn.pk,
        termination=TerminationItem(end_date=gunn.end_date, reason="arbeid"),
    )
    tasks, counts = _walk(sara.kommune_id, today)
    assert counts["programme_time"] == 1 and counts["reason_granted"] == 2
    shown = {(t.kind, t.participation.pk) for t in tasks}
    assert ("programme_time", sara.pk) not in shown
    assert ("reason_granted", gunn.pk) not in shown
