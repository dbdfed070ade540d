"""Cancelling a registration made by mistake: gone from the participation, kept in history."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import Decision, Extension, HistoryEvent
from nir.register.services.context import Actor, Channel, OutOfScope, StaleVersion
from nir.register.services.corrections import Cancellation, cancel_registration, cancel_termination
from nir.register.services.items import DecisionItem, ExtensionItem, TerminationItem
from nir.register.services.participations import register_termination
from nir.register.services.registrations import register_item
from nir.rules.errors import RuleViolation
from tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def oslo(kommune_a) -> Actor:
    return Actor("kari@oslo", Channel.WEB, kommune_a.pk)


@pytest.fixture
def extended(register, oslo):
    """Haddad's automatic termination lifted by an extension registered today."""
    p = register_item(
        actor=oslo,
        participation_id=register.overdue_a.pk,
        item=ExtensionItem(months=6, decided_on=register.today),
    )
    assert p.end_date is None
    return p, Extension.objects.get(participation=p)


def test_cancelling_the_extension_ends_the_participation_again_and_keeps_history(extended, oslo):
    p, extension = extended
    p = cancel_registration(
        actor=oslo,
        participation_id=p.pk,
        cancellation=Cancellation(
            entity="extension", entity_id=extension.pk, reason="Registrert på feil deltaker"
        ),
        expected_version=p.version,
    )
    assert not Extension.objects.filter(pk=extension.pk).exists()
    assert (p.termination_reason, p.termination_source) == ("ikke_registrert", "system")
    event = HistoryEvent.objects.get(action="registration_cancelled")
    assert event.before["months"] == 6 and event.before["id"] == extension.pk
    assert event.after == {"reason": "Registrert på feil deltaker"}
    assert (event.actor, event.channel) == ("kari@oslo", "web")
    ended = HistoryEvent.objects.filter(participation=p, action="automatic_termination_end")
    assert ended.count() == 2  # by the sweep, then again when the extension went


def test_another_municipality_cannot_cancel(extended, kommune_b):
    p, extension = extended
    with pytest.raises(OutOfScope):
        cancel_registration(
            actor=Actor("ola@bergen", Channel.WEB, kommune_b.pk),
            participation_id=p.pk,
            cancellation=Cancellation(entity="extension", entity_id=extension.pk, reason="x"),
        )
    assert Extension.objects.filter(pk=extension.pk).exists()


def test_a_stale_cancel_is_refused(extended, oslo):
    p, extension = extended
    with pytest.raises(StaleVersion):
        cancel_registration(
            actor=oslo,
            participation_id=p.pk,
            cancellation=Cancellation(entity="extension", entity_id=extension.pk, reason="x"),
            expected_version=p.version - 1,
        )
    assert Extension.objects.filter(pk=extension.pk).exists()


def test_a_cancel_outside_the_window_is_refused(register, oslo):
    p = register.soon_a
    decision = Decision.objects.get(participation=p)  # decided on the start date, months ago
    with pytest.raises(RuleViolation) as refused:
        cancel_registration(
            actor=oslo,
            participation_id=p.pk,
            cancellation=Cancellation(entity="decision", entity_id=decision.pk, reason="x"),
        )
    assert refused.value.code == "registration_window.closed"
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_a_reason_is_required_and_the_row_must_belong_to_the_participation(
    extended, oslo, register
):
    p, extension = extended
    with pytest.raises(RuleViolation) as refused:
        cancel_registration(
            actor=oslo,
            participation_id=p.pk,
            cancellation=Cancellation(entity="extension", entity_id=extension.pk, reason=" "),
        )
    assert refused.value.field == "reason"
    with pytest.raises(RuleViolation):
        cancel_registration(
            actor=oslo,
            participation_id=register.soon_a.pk,
            cancellation=Cancellation(entity="extension", entity_id=extension.pk, reason="x"),
        )


def test_cancelling_through_the_page(register, oslo, client_a, client_b):
    p = register.soon_a
    decision = register_item(
        actor=oslo,
        participation_id=p.pk,
        item=DecisionItem(decision_type="klage", decided_on=register.today - dt.timedelta(days=1)),
        at=at(register.today),
    )
    row = Decision.objects.filter(participation=p, decision_type="klage").get()
    url = f"/deltakelse/{p.pk}/annuller/decision/{row.pk}/"
    assert client_b.get(url).status_code == 404
    assert (
        client_b.post(url, {"expected_version": decision.version, "reason": "x"}).status_code == 404
    )
    page = client_a.get(url)
    assert "Annuller registreringen" in page.content.decode()
    empty = client_a.post(url, {"expected_version": decision.version, "reason": ""})
    assert 'href="#id_reason"' in empty.content.decode()
    done = client_a.post(url, {"expected_version": decision.version, "reason": "Feil vedtak"})
    assert done.status_code == 302
    assert not Decision.objects.filter(pk=row.pk).exists()


@pytest.fixture
def terminated(register, oslo):
    """Karimi (frist in 20 days) ended today with a real reason."""
    return register_termination(
        actor=oslo,
        participation_id=register.soon_a.pk,
        termination=TerminationItem(end_date=register.today, reason="arbeid"),
    )


def test_undoing_a_termination_makes_the_participation_active_again(terminated, oslo):
    p = cancel_termination(
        actor=oslo,
        participation_id=terminated.pk,
        reason="Feil deltaker",
        expected_version=terminated.version,
    )
    assert (p.end_date, p.termination_reason, p.termination_source) == (None, "", "")
    event = HistoryEvent.objects.get(action="termination_cancelled")
    assert event.before["termination_reason"] == "arbeid"
    assert event.after["reason"] == "Feil deltaker"


def test_undoing_after_the_frist_ends_it_as_ikke_registrert(register, oslo):
    p = register.soon_a
    ended = register_termination(
        actor=oslo,
        participation_id=p.pk,
        termination=TerminationItem(end_date=register.today, reason="arbeid"),
    )
    later = at(p.frist + dt.timedelta(days=3))
    undone = cancel_termination(actor=oslo, participation_id=ended.pk, reason="x", at=later)
    assert (undone.termination_reason, undone.termination_source) == ("ikke_registrert", "system")
    assert undone.end_date == p.frist


def test_only_a_real_termination_can_be_undone(register, oslo, kommune_b):
    with pytest.raises(RuleViolation):
        cancel_termination(actor=oslo, participation_id=register.overdue_a.pk, reason="x")
    with pytest.raises(OutOfScope):
        cancel_termination(
            actor=Actor("ola@bergen", Channel.WEB, kommune_b.pk),
            participation_id=register.soon_a.pk,
            reason="x",
        )


def test_undoing_through_the_page(terminated, client_a, client_b):
    url = f"/deltakelse/{terminated.pk}/angre-avslutning/"
    assert client_b.get(url).status_code == 404
    person_page = client_a.get(f"/person/{terminated.person_id}/").content.decode()
    assert url in person_page
    assert "Angre avslutningen" in client_a.get(url).content.decode()
    done = client_a.post(
        url, {"expected_version": terminated.version, "reason": "Feil"}, follow=True
    )
    assert "deltakelsen er aktiv igjen" in done.content.decode()
    terminated.refresh_from_db()
    assert terminated.end_date is None
