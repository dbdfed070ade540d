"""Late registration: IMDi's grant lets a municipality register a termination 10 months back;
13 months back, or after the grant expires or is revoked, it is refused."""

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, LateRegistrationGrant, Participation
from nir.register.services.context import OutOfScope
from nir.register.services.grants import NewGrant, grant_late_registration, revoke_grant
from nir.register.services.items import TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.sweep import run_sweep
from nir.rules.errors import RuleViolation
from tests.conftest import at

D = dt.date


@pytest.fixture
def ended_without_reason(make_person, caseworker_a, kommune_a):
    """§ 13 participant, frist 2023-07-31, ended by the sweep: window closed 2023-09-30."""
    person = make_person(registered_on=D(2023, 1, 31))
    p = create_participation(
        actor=caseworker_a,
        person_id=person.pk,
        new=NewParticipation(start_date=D(2023, 1, 31), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2023, 1, 31)),
    )
    run_sweep(as_of=D(2023, 8, 1))
    return p


def _terminate(actor, p, day):
    return register_termination(
        actor=actor,
        participation_id=p.pk,
        termination=TerminationItem(end_date=D(2023, 7, 31), reason="arbeid"),
        at=at(day),
    )


@pytest.mark.django_db
def test_a_grant_admits_a_termination_ten_months_back_and_is_logged(
    ended_without_reason, caseworker_a, imdi_adviser, kommune_a
):
    p = ended_without_reason
    grant = grant_late_registration(
        actor=imdi_adviser,
        grant=NewGrant(
            kommune_id=kommune_a.pk,
            covers_from=D(2023, 7, 1),
            covers_to=D(2023, 12, 31),
            expires_on=D(2024, 6, 30),
            reason="Feil i fagsystemet",
        ),
        at=at(D(2024, 5, 15)),
    )
    ended = _terminate(caseworker_a, p, D(2024, 5, 31))  # 10 months after the event
    assert ended.termination_reason == "arbeid"
    event = HistoryEvent.objects.get(participation=p, action="termination_replaced_automatic")
    assert event.late_registration_grant_id == grant.pk
    assert HistoryEvent.objects.filter(
        action="late_registration_granted", entity_id=grant.pk
    ).exists()


def _grant(imdi, kommune, granted, expires):
    return grant_late_registration(
        actor=imdi,
        grant=NewGrant(
            kommune_id=kommune.pk,
            covers_from=D(2023, 7, 31),
            covers_to=D(2023, 12, 31),
            expires_on=expires,
            reason="Feil i fagsystemet",
        ),
        at=at(granted),
    )


@pytest.mark.django_db
def test_thirteen_months_back_is_refused_even_with_a_valid_grant(
    ended_without_reason, caseworker_a, imdi_adviser, kommune_a
):
    _grant(imdi_adviser, kommune_a, D(2024, 7, 31), D(2024, 9, 30))
    with pytest.raises(RuleViolation) as refused:
        _terminate(caseworker_a, ended_without_reason, D(2024, 9, 1))
    assert refused.value.code == "registration_window.closed"
    assert refused.value.field == "end_date"


@pytest.mark.django_db
def test_an_expired_grant_is_refused(ended_without_reason, caseworker_a, imdi_adviser, kommune_a):
    _grant(imdi_adviser, kommune_a, D(2024, 3, 1), D(2024, 3, 31))
    with pytest.raises(RuleViolation):
        _terminate(caseworker_a, ended_without_reason, D(2024, 4, 1))  # 8 months back
    assert _terminate(caseworker_a, ended_without_reason, D(2024, 3, 31)).termination_reason


@pytest.mark.django_db
def test_a_revoked_grant_is_refused_from_the_day_it_is_revoked(
    ended_without_reason, caseworker_a, imdi_adviser, kommune_a
):
    grant = _grant(imdi_adviser, kommune_a, D(2024, 5, 1), D(2024, 6, 30))
    revoke_grant(actor=imdi_adviser, grant_id=grant.pk, at=at(D(2024, 5, 10)))
    with pytest.raises(RuleViolation):
        _terminate(caseworker_a, ended_without_reason, D(2024, 5, 10))
    assert Participation.objects.get(pk=ended_without_reason.pk).termination_reason == (
        "ikke_registrert"
    )
    with pytest.raises(RuleViolation) as twice:
        revoke_grant(actor=imdi_adviser, grant_id=grant.pk, at=at(D(2024, 5, 11)))
    assert twice.value.code == "grant.already_revoked"


@pytest.mark.django_db
def test_only_imdi_grants_and_a_grant_reaches_at_most_12_months_back(
    caseworker_a, imdi_adviser, kommune_a
):
    with pytest.raises(OutOfScope):
        grant_late_registration(
            actor=caseworker_a,
            grant=NewGrant(
                kommune_id=kommune_a.pk,
                covers_from=D(2024, 1, 1),
                covers_to=D(2024, 2, 1),
                expires_on=D(2024, 6, 1),
                reason="x",
            ),
            at=at(D(2024, 5, 1)),
        )
    with pytest.raises(RuleViolation) as too_far:
        grant_late_registration(
            actor=imdi_adviser,
            grant=NewGrant(
                kommune_id=kommune_a.pk,
                covers_from=D(2023, 4, 30),
                covers_to=D(2023, 12, 31),
                expires_on=D(2024, 6, 1),
                reason="x",
            ),
            at=at(D(2024, 5, 1)),
        )
    assert too_far.value.code == "grant.too_far_back"
    assert too_far.value.field == "covers_from"
    assert not LateRegistrationGrant.objects.exists()
