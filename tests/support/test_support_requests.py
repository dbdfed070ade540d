"""A municipality asks IMDi for help or for late registration; IMDi answers and decides."""

import datetime as dt

import pytest

from nir.register.models import LateRegistrationGrant
from nir.register.services.context import OutOfScope
from nir.register.services.participations import NewParticipation, create_participation
from nir.rules.errors import RuleViolation
from nir.support.models import SupportMessage, SupportRequest
from nir.support.services import (
    LateRegistrationDecision,
    NewSupportRequest,
    add_message,
    close_request,
    decide_late_registration,
    file_request,
)
from tests.conftest import at

D = dt.date


@pytest.fixture
def participation(make_person, caseworker_a, kommune_a):
    person = make_person(registered_on=D(2024, 1, 10))
    return create_participation(
        actor=caseworker_a,
        person_id=person.pk,
        new=NewParticipation(start_date=D(2024, 1, 10), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2024, 1, 10)),
    )


@pytest.mark.django_db
def test_late_registration_is_asked_for_answered_and_granted(
    participation, caseworker_a, imdi_adviser
):
    request = file_request(
        actor=caseworker_a,
        request=NewSupportRequest(
            kind="late_registration",
            subject="Årsak mangler for juli",
            body="Fagsystemet var nede i juli; vi trenger å registrere avslutningsårsaker.",
            participation_ids=[participation.pk],
            period_from=D(2024, 7, 1),
            period_to=D(2024, 7, 31),
        ),
        at=at(D(2024, 11, 1)),
    )
    assert request.status == "open"
    assert list(request.participations.all()) == [participation]
    add_message(
        actor=imdi_adviser, request_id=request.pk, body="Vi ser på saken.", at=at(D(2024, 11, 2))
    )
    assert SupportRequest.objects.get(pk=request.pk).status == "answered"
    decided = decide_late_registration(
        actor=imdi_adviser,
        request_id=request.pk,
        decision=LateRegistrationDecision(
            grant=True, reason="Innvilget for juli.", expires_on=D(2024, 12, 31)
        ),
        at=at(D(2024, 11, 3)),
    )
    assert decided.status == "granted"
    grant = LateRegistrationGrant.objects.get(pk=decided.grant_id)
    assert (grant.covers_from, grant.covers_to, grant.expires_on) == (
        D(2024, 7, 1),
        D(2024, 7, 31),
        D(2024, 12, 31),
    )
    assert [m.from_imdi for m in SupportMessage.objects.filter(request=request)] == [
        False,
        True,
        True,
    ]


@pytest.mark.django_db
def test_identity_numbers_are_refused_in_the_text(participation, caseworker_a):
    number = participation.person.identity_number
    with pytest.raises(RuleViolation) as refused:
        file_request(
            actor=caseworker_a,
            request=NewSupportRequest(
                kind="question", subject="Spørsmål", body=f"Gjelder {number[:6]} {number[6:]}"
            ),
            at=at(D(2024, 2, 1)),
        )
    assert refused.value.field == "body"
    assert refused.value.code == "support.personal_data"
    assert not SupportRequest.objects.exists()
    # Other eleven-digit numbers (an account number, say) are fine.
    file_request(
        actor=caseworker_a,
        request=NewSupportRequest(
            kind="question", subject="Spørsmål", body="Kontonummer 12345678901 på fakturaen"
        ),
        at=at(D(2024, 2, 1)),
    )


@pytest.mark.django_db
def test_another_municipality_can_neither_point_to_nor_read_the_request(
    participation, caseworker_a, caseworker_b, imdi_adviser
):
    with pytest.raises(RuleViolation) as refused:
        file_request(
            actor=caseworker_b,
            request=NewSupportRequest(
                kind="question", subject="x", body="y", participation_ids=[participation.pk]
            ),
            at=at(D(2024, 2, 1)),
        )
    assert refused.value.code == "support.unknown_participation"
    request = file_request(
        actor=caseworker_a,
        request=NewSupportRequest(kind="question", subject="x", body="y"),
        at=at(D(2024, 2, 1)),
    )
    with pytest.raises(OutOfScope):
        add_message(actor=caseworker_b, request_id=request.pk, body="hei", at=at(D(2024, 2, 2)))
    with pytest.raises(OutOfScope):
        decide_late_registration(
            actor=caseworker_a,
            request_id=request.pk,
            decision=LateRegistrationDecision(grant=True, reason="x", expires_on=D(2024, 3, 1)),
            at=at(D(2024, 2, 2)),
        )
    close_request(actor=imdi_adviser, request_id=request.pk, at=at(D(2024, 2, 3)))
    with pytest.raises(RuleViolation) as closed:
        add_message(actor=caseworker_a, request_id=request.pk, body="hei", at=at(D(2024, 2, 4)))
    assert closed.value.code == "support.closed"


@pytest.mark.django_db
def test_a_request_is_decided_once(participation, caseworker_a, imdi_adviser):
    request = file_request(
        actor=caseworker_a,
        request=NewSupportRequest(
            kind="late_registration",
            subject="Juli",
            body="Trenger tilgang.",
            period_from=D(2024, 7, 1),
            period_to=D(2024, 7, 31),
        ),
        at=at(D(2024, 11, 1)),
    )
    decide_late_registration(
        actor=imdi_adviser,
        request_id=request.pk,
        decision=LateRegistrationDecision(
            grant=True, reason="Innvilget.", expires_on=D(2024, 12, 31)
        ),
        at=at(D(2024, 11, 2)),
    )
    with pytest.raises(RuleViolation) as twice:
        decide_late_registration(
            actor=imdi_adviser,
            request_id=request.pk,
            decision=LateRegistrationDecision(
                grant=True, reason="Igjen.", expires_on=D(2024, 12, 31)
            ),
            at=at(D(2024, 11, 3)),
        )
    assert twice.value.code == "support.already_decided"
    assert LateRegistrationGrant.objects.count() == 1
