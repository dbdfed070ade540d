"""The participation services through the real database: what a caseworker notices.

Every refusal is a RuleViolation naming the field, a stable code and a Norwegian message,
and a refused write leaves the register exactly as it was.
"""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from nir.register.models import (
    Decision,
    Extension,
    HistoryEvent,
    LateRegistrationGrant,
    Leave,
    Measure,
    Participation,
    Person,
    SluttmaalVersion,
    Stop,
)
from nir.register.services.context import (
    Actor,
    Channel,
    OutOfScope,
    OversightOnly,
    StaleVersion,
)
from nir.register.services.items import (
    DecisionItem,
    ExtensionItem,
    LeaveItem,
    MeasureItem,
    SluttmaalItem,
    StopItem,
    TerminationItem,
)
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.persons import PersonData, register_person, update_person
from nir.register.services.registrations import (
    register_item,
)
from nir.register.services.sweep import run_sweep
from nir.rules.errors import RuleViolation
from nir.rules.identity import make_valid_identity_number
from tests.conftest import at

D = dt.date
START = D(2023, 1, 31)  # § 13 participants below: frist 2023-07-31
TODAY = D(2023, 3, 1)


# --- helpers -------------------------------------------------------------------------------


def _participation(
    make_person, actor, kommune, *, start=START, sluttmaal="arbeid", case_id="", **person
):
    person = make_person(registered_on=start, **person)
    return create_participation(
        actor=actor,
        person_id=person.pk,
        new=NewParticipation(start_date=start, sluttmaal=sluttmaal, case_id=case_id),
        kommune_id=kommune.pk,
        at=at(start),
    )


def _person_data(person: Person, **changes) -> PersonData:
    fields = {f.name: getattr(person, f.name) for f in dataclasses.fields(PersonData)}
    fields.update(changes)
    return PersonData(**fields)


def _snapshot(pk: int) -> dict:
    """Everything a refused write must leave as it was."""
    p = Participation.objects.get(pk=pk)
    person = p.person
    return {
        "participation": (
            p.version,
            p.frist,
            p.end_date,
            p.termination_reason,
            p.termination_source,
            p.programme_group,
            p.sluttmaal_missing,
        ),
        "person": (person.version, person.has_upper_secondary, person.family_name),
        "history": HistoryEvent.objects.count(),
        "extensions": Extension.objects.count(),
        "leaves": Leave.objects.count(),
        "stops": Stop.objects.count(),
        "measures": Measure.objects.count(),
        "decisions": Decision.objects.count(),
        "sluttmaal": SluttmaalVersion.objects.count(),
        "persons": Person.objects.count(),
    }


def _refused(call, *, field: str, code: str) -> RuleViolation:
    with pytest.raises(RuleViolation) as refused:
        call()
    error = refused.value
    assert (error.field, error.code) == (field, code)
    assert error.message.strip()
    return error


@pytest.fixture
def colleague_a(kommune_a) -> Actor:
    """A second caseworker in the same municipality as caseworker_a."""
    return Actor("per.saksbehandler@oslo", Channel.WEB, kommune_a.pk)


# --- optimistic locking ------------------------------------------------------------------

SECOND_WRITES = {
    "extension": lambda actor, pk, version: register_item(
        actor=actor,
        participation_id=pk,
        item=ExtensionItem(months=2, decided_on=TODAY),
        expected_version=version,
        at=at(TODAY),
    ),
    "leave": lambda actor, pk, version: register_item(
        actor=actor,
        participation_id=pk,
        item=LeaveItem(
            leave_type="sykdom", start_date=D(2023, 3, 2), end_date=D(2023, 3, 20), decided_on=TODAY
        ),
        expected_version=version,
        at=at(TODAY),
    ),
    "termination": lambda actor, pk, version: register_termination(
        actor=actor,
        participation_id=pk,
        termination=TerminationItem(end_date=TODAY, reason="arbeid"),
        expected_version=version,
        at=at(TODAY),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("second", sorted(SECOND_WRITES))
def test_a_stale_concurrent_update_is_refused_and_changes_nothing(
    second, make_person, caseworker_a, colleague_a, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    loaded_version = Participation.objects.get(pk=p.pk).version  # both load version N

    first = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=3, decided_on=TODAY),
        expected_version=loaded_version,
        at=at(TODAY),
    )
    assert first.frist == D(2023, 10, 31)
    assert first.version > loaded_version
    after_first = _snapshot(p.pk)

    with pytest.raises(StaleVersion) as refused:
        SECOND_WRITES[second](colleague_a, p.pk, loaded_version)
    error = refused.value
    assert isinstance(error, RuleViolation)
    assert (error.field, error.code) == ("version", "version.stale")
    assert "endret av noen andre" in error.message
    assert (error.params["expected"], error.params["current"]) == (loaded_version, first.version)

    assert _snapshot(p.pk) == after_first
    stored = Participation.objects.get(pk=p.pk)
    assert (stored.frist, stored.version, stored.end_date) == (D(2023, 10, 31), first.version, None)
    assert Extension.objects.filter(participation=p).count() == 1


@pytest.mark.django_db
def test_a_stale_person_update_is_refused_and_changes_nothing(
    make_person, caseworker_a, colleague_a, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    person = Person.objects.get(pk=p.person_id)
    loaded = person.version

    update_person(
        actor=caseworker_a,
        person_id=person.pk,
        expected_version=loaded,
        data=_person_data(person, family_name="Nyttnavn"),
        at=at(TODAY),
    )
    before = _snapshot(p.pk)

    with pytest.raises(StaleVersion) as refused:
        update_person(
            actor=colleague_a,
            person_id=person.pk,
            expected_version=loaded,
            data=_person_data(person, has_upper_secondary=False),
            at=at(TODAY),
        )
    assert (refused.value.field, refused.value.code) == ("version", "version.stale")
    assert "Last inn på nytt" in refused.value.message

    assert _snapshot(p.pk) == before
    stored = Person.objects.get(pk=person.pk)
    assert (stored.version, stored.family_name, stored.has_upper_secondary) == (
        loaded + 1,
        "Nyttnavn",
        True,
    )


# --- identity numbers --------------------------------------------------------------------


def _new_person_data(number: str, birth_date: dt.date = D(1990, 5, 17)) -> PersonData:
    return PersonData(
        identity_number=number,
        given_name="Amina",
        family_name="Testesen",
        birth_date=birth_date,
        permit_type="flyktning",
        permit_date=D(2022, 1, 10),
    )


def _assert_nothing_written(call, *, field: str, code: str) -> RuleViolation:
    persons, events = Person.objects.count(), HistoryEvent.objects.count()
    error = _refused(call, field=field, code=code)
    assert (Person.objects.count(), HistoryEvent.objects.count()) == (persons, events)
    return error


@pytest.mark.django_db
def test_an_identity_number_with_a_bad_check_digit_is_refused(caseworker_a):
    valid = make_valid_identity_number(D(1990, 5, 17), 500, synthetic=True)
    broken = valid[:10] + str((int(valid[10]) + 1) % 10)
    error = _assert_nothing_written(
        lambda: register_person(actor=caseworker_a, data=_new_person_data(broken), at=at(TODAY)),
        field="identity_number",
        code="identity_number.check_digit",
    )
    assert "kontrollsiffer" in error.message
    assert not Person.objects.filter(identity_number=broken).exists()


@pytest.mark.django_db
def test_a_synthetic_number_is_refused_where_test_data_is_not_allowed(caseworker_a, settings):
    settings.NIR_RULES = {**settings.NIR_RULES, "allow_synthetic_identity_numbers": False}
    synthetic = make_valid_identity_number(D(1990, 5, 17), 501, synthetic=True)
    error = _assert_nothing_written(
        lambda: register_person(actor=caseworker_a, data=_new_person_data(synthetic), at=at(TODAY)),
        field="identity_number",
        code="identity_number.synthetic_not_allowed",
    )
    assert "syntetisk" in error.message


@pytest.mark.django_db
def test_a_synthetic_number_is_accepted_where_test_data_is_allowed(caseworker_a, settings):
    settings.NIR_RULES = {**settings.NIR_RULES, "allow_synthetic_identity_numbers": True}
    synthetic = make_valid_identity_number(D(1990, 5, 17), 502, synthetic=True)
    person = register_person(actor=caseworker_a, data=_new_person_data(synthetic), at=at(TODAY))
    assert Person.objects.get(pk=person.pk).identity_number == synthetic


@pytest.mark.django_db
def test_a_birth_date_that_does_not_match_the_number_is_refused(caseworker_a):
    number = make_valid_identity_number(D(1990, 5, 17), 503, synthetic=True)
    _assert_nothing_written(
        lambda: register_person(
            actor=caseworker_a,
            data=_new_person_data(number, birth_date=D(1990, 5, 18)),
            at=at(TODAY),
        ),
        field="birth_date",
        code="birth_date.mismatch",
    )


@pytest.mark.django_db
def test_update_person_with_an_invalid_number_changes_nothing(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    person = Person.objects.get(pk=p.person_id)
    broken = person.identity_number[:10] + str((int(person.identity_number[10]) + 1) % 10)
    before = _snapshot(p.pk)
    _refused(
        lambda: update_person(
            actor=caseworker_a,
            person_id=person.pk,
            expected_version=person.version,
            data=_person_data(person, identity_number=broken),
            at=at(TODAY),
        ),
        field="identity_number",
        code="identity_number.check_digit",
    )
    assert _snapshot(p.pk) == before


# --- scope -------------------------------------------------------------------------------


def _update_person(actor, p):
    person = Person.objects.get(pk=p.person_id)
    return update_person(
        actor=actor,
        person_id=person.pk,
        expected_version=person.version,
        data=_person_data(person, family_name="Endret"),
        at=at(TODAY),
    )


SCOPED_WRITES = {
    "register_extension": lambda actor, p: register_item(
        actor=actor,
        participation_id=p.pk,
        item=ExtensionItem(months=2, decided_on=TODAY),
        at=at(TODAY),
    ),
    "register_leave": lambda actor, p: register_item(
        actor=actor,
        participation_id=p.pk,
        item=LeaveItem(
            leave_type="sykdom", start_date=D(2023, 3, 2), end_date=D(2023, 3, 10), decided_on=TODAY
        ),
        at=at(TODAY),
    ),
    "register_termination": lambda actor, p: register_termination(
        actor=actor,
        participation_id=p.pk,
        termination=TerminationItem(end_date=TODAY, reason="arbeid"),
        at=at(TODAY),
    ),
    "register_sluttmaal": lambda actor, p: register_item(
        actor=actor,
        participation_id=p.pk,
        item=SluttmaalItem(sluttmaal="hoyere_utdanning", valid_from=D(2023, 2, 15)),
        at=at(TODAY),
    ),
    "register_decision": lambda actor, p: register_item(
        actor=actor,
        participation_id=p.pk,
        item=DecisionItem(decision_type="innvilget", decided_on=D(2023, 1, 20)),
        at=at(TODAY),
    ),
    "register_measure": lambda actor, p: register_item(
        actor=actor,
        participation_id=p.pk,
        item=MeasureItem(
            measure_type="norskopplaering",
            start_date=D(2023, 2, 1),
            end_date=None,
            hours_per_week=Decimal("15"),
        ),
        at=at(TODAY),
    ),
    "register_stop_temporary": lambda actor, p: register_item(
        actor=actor,
        participation_id=p.pk,
        item=StopItem(
            kind="midlertidig", start_date=D(2023, 3, 2), end_date=D(2023, 4, 1), decided_on=TODAY
        ),
        at=at(TODAY),
    ),
    "register_stop_permanent": lambda actor, p: register_item(
        actor=actor,
        participation_id=p.pk,
        item=StopItem(kind="varig", start_date=TODAY, end_date=None, decided_on=TODAY),
        at=at(TODAY),
    ),
    "update_person": _update_person,
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", sorted(SCOPED_WRITES))
def test_another_municipality_can_neither_read_nor_change_a_participation(
    write, make_person, caseworker_a, caseworker_b, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    before = _snapshot(p.pk)
    with pytest.raises(OutOfScope) as refused:
        SCOPED_WRITES[write](caseworker_b, p)
    assert refused.value.code == "access.out_of_scope"
    assert refused.value.message == "Du har ikke tilgang til denne deltakeren."
    # The answer does not reveal that the participation exists.
    assert "frist" not in refused.value.params
    assert _snapshot(p.pk) == before
    assert not HistoryEvent.objects.filter(actor=caseworker_b.name).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("write", sorted(SCOPED_WRITES))
def test_imdi_sees_every_municipality_and_registers_for_none(
    write, make_person, caseworker_a, imdi_adviser, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    before = _snapshot(p.pk)
    with pytest.raises(OversightOnly) as refused:
        SCOPED_WRITES[write](imdi_adviser, p)
    assert refused.value.code == "access.municipal_write"
    assert "etterregistrering" in refused.value.message
    assert _snapshot(p.pk) == before
    assert not HistoryEvent.objects.filter(actor=imdi_adviser.name).exists()


@pytest.mark.django_db
def test_a_municipality_cannot_create_a_participation_in_another(
    make_person, caseworker_b, kommune_a
):
    person = make_person(registered_on=START)
    events = HistoryEvent.objects.count()
    with pytest.raises(OutOfScope):
        create_participation(
            actor=caseworker_b,
            person_id=person.pk,
            new=NewParticipation(start_date=START, sluttmaal="arbeid"),
            kommune_id=kommune_a.pk,
            at=at(START),
        )
    assert not Participation.objects.filter(person=person).exists()
    assert HistoryEvent.objects.count() == events


# --- registration window -----------------------------------------------------------------

LATE_DECISION = D(2023, 3, 1)  # ordinary window closes 2023-05-01
LATE_AT = D(2023, 5, 2)


def _late_leave(actor, p):
    return register_item(
        actor=actor,
        participation_id=p.pk,
        item=LeaveItem(
            leave_type="sykdom",
            start_date=D(2023, 3, 1),
            end_date=D(2023, 3, 10),
            decided_on=LATE_DECISION,
        ),
        at=at(LATE_AT),
    )


@pytest.mark.django_db
def test_a_leave_decided_more_than_two_months_ago_is_refused(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    # On the last day of the window it is still accepted ...
    assert (
        register_item(
            actor=caseworker_a,
            participation_id=p.pk,
            item=LeaveItem(
                leave_type="sykdom",
                start_date=D(2023, 2, 1),
                end_date=D(2023, 2, 2),
                decided_on=D(2023, 2, 28),
            ),
            at=at(D(2023, 4, 28)),
        ).pk
        == p.pk
    )
    before = _snapshot(p.pk)
    # ... the day after, it is not.
    error = _refused(
        lambda: _late_leave(caseworker_a, p), field="decided_on", code="registration_window.closed"
    )
    assert error.params["closed_on"] == D(2023, 5, 1)
    assert error.params["event_date"] == LATE_DECISION
    assert "01.05.2023" in error.message
    assert "etterregistrering" in error.message
    assert _snapshot(p.pk) == before


def _grant(kommune, **overrides) -> LateRegistrationGrant:
    values = {
        "covers_from": D(2023, 1, 1),
        "covers_to": D(2023, 4, 1),
        "granted_on": D(2023, 5, 1),
        "expires_on": D(2023, 6, 30),
        "granted_by": "ingrid.radgiver@imdi",
        "reason": "Brukerstøttesak 4711",
    }
    values.update(overrides)
    return LateRegistrationGrant.objects.create(kommune=kommune, **values)


@pytest.mark.django_db
def test_a_late_registration_grant_lets_a_late_leave_in_and_is_logged(
    make_person, caseworker_a, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    grant = _grant(kommune_a)
    updated = _late_leave(caseworker_a, p)
    assert updated.frist == D(2023, 8, 10)  # ten days of leave
    event = HistoryEvent.objects.get(participation=p, action="leave_registered")
    assert event.late_registration_grant_id == grant.pk
    assert event.legal_basis[0]["rule_id"] == "window.late_registration_grant"
    assert Leave.objects.get(participation=p).late_registration_grant_id == grant.pk
    assert list(grant.uses.values_list("action", flat=True)) == ["leave_registered"]


@pytest.mark.django_db
def test_a_grant_on_its_first_and_last_day_still_helps(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    _grant(kommune_a, granted_on=LATE_AT, expires_on=LATE_AT)
    assert _late_leave(caseworker_a, p).frist == D(2023, 8, 10)


GRANTS_THAT_DO_NOT_HELP = {
    "revoked": {"revoked_on": D(2023, 5, 2)},
    "revoked_earlier": {"revoked_on": D(2023, 5, 1)},
    "expired": {"expires_on": D(2023, 5, 1)},
    "not_yet_granted": {"granted_on": D(2023, 5, 3)},
    "covers_other_dates": {"covers_from": D(2023, 3, 2)},
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(GRANTS_THAT_DO_NOT_HELP))
def test_a_revoked_expired_or_unrelated_grant_does_not_help(
    kind, make_person, caseworker_a, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    _grant(kommune_a, **GRANTS_THAT_DO_NOT_HELP[kind])
    before = _snapshot(p.pk)
    _refused(
        lambda: _late_leave(caseworker_a, p), field="decided_on", code="registration_window.closed"
    )
    assert _snapshot(p.pk) == before


@pytest.mark.django_db
def test_another_municipalitys_grant_does_not_help(make_person, caseworker_a, kommune_a, kommune_b):
    p = _participation(make_person, caseworker_a, kommune_a)
    _grant(kommune_b)
    _refused(
        lambda: _late_leave(caseworker_a, p), field="decided_on", code="registration_window.closed"
    )


# --- extensions and leave types ----------------------------------------------------------


@pytest.mark.django_db
def test_extensions_past_the_groups_limit_are_refused(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a, has_upper_secondary=True)
    assert p.programme_group == "p13"
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=4, decided_on=TODAY),
        at=at(TODAY),
    )
    assert p.frist == D(2023, 11, 30)
    before = _snapshot(p.pk)

    error = _refused(
        lambda: register_item(
            actor=caseworker_a,
            participation_id=p.pk,
            item=ExtensionItem(months=3, decided_on=TODAY),
            at=at(TODAY),
        ),
        field="months",
        code="extension.limit_exceeded",
    )
    assert (error.params["limit_months"], error.params["granted_months"]) == (6, 4)
    assert "høyst 6 måneder" in error.message
    assert "4 måneder er allerede innvilget" in error.message
    assert _snapshot(p.pk) == before
    assert Participation.objects.get(pk=p.pk).frist == D(2023, 11, 30)

    # What is left may still be granted.
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=2, decided_on=TODAY),
        at=at(TODAY),
    )
    assert p.frist == D(2024, 1, 31)


@pytest.mark.django_db
def test_an_unknown_leave_type_is_refused(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    before = _snapshot(p.pk)
    error = _refused(
        lambda: register_item(
            actor=caseworker_a,
            participation_id=p.pk,
            item=LeaveItem(
                leave_type="ferie",
                start_date=D(2023, 3, 2),
                end_date=D(2023, 3, 10),
                decided_on=TODAY,
            ),
            at=at(TODAY),
        ),
        field="leave_type",
        code="leave_type.unknown",
    )
    assert "foreldrepermisjon" in error.params["choices"]
    assert _snapshot(p.pk) == before


# --- termination and stop ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_cannot_choose_ikke_registrert(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    before = _snapshot(p.pk)
    _refused(
        lambda: register_termination(
            actor=caseworker_a,
            participation_id=p.pk,
            termination=TerminationItem(end_date=TODAY, reason="ikke_registrert"),
            at=at(TODAY),
        ),
        field="reason",
        code="termination.reason_system_only",
    )
    assert _snapshot(p.pk) == before


@pytest.mark.django_db
def test_an_end_date_after_the_frist_is_refused(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    before = _snapshot(p.pk)
    error = _refused(
        lambda: register_termination(
            actor=caseworker_a,
            participation_id=p.pk,
            termination=TerminationItem(end_date=D(2023, 8, 1), reason="arbeid"),
            at=at(D(2023, 8, 1)),
        ),
        field="end_date",
        code="termination.after_frist",
    )
    assert error.params["frist"] == D(2023, 7, 31)
    assert "31.07.2023" in error.message
    assert _snapshot(p.pk) == before
    # On the frist itself it is accepted.
    ended = register_termination(
        actor=caseworker_a,
        participation_id=p.pk,
        termination=TerminationItem(end_date=D(2023, 7, 31), reason="arbeid"),
        at=at(D(2023, 8, 1)),
    )
    assert (ended.end_date, ended.termination_reason) == (D(2023, 7, 31), "arbeid")


@pytest.mark.django_db
def test_an_end_date_in_the_future_is_refused(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    before = _snapshot(p.pk)
    _refused(
        lambda: register_termination(
            actor=caseworker_a,
            participation_id=p.pk,
            termination=TerminationItem(end_date=TODAY + dt.timedelta(days=1), reason="arbeid"),
            at=at(TODAY),
        ),
        field="end_date",
        code="termination.future",
    )
    assert _snapshot(p.pk) == before


@pytest.mark.django_db
def test_a_permanent_stop_ends_the_participation_with_reason_stans(
    make_person, caseworker_a, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    ended = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=StopItem(
            kind="varig", start_date=D(2023, 2, 20), end_date=None, decided_on=D(2023, 2, 15)
        ),
        at=at(TODAY),
    )
    stored = Participation.objects.get(pk=p.pk)
    assert (stored.end_date, stored.termination_reason, stored.termination_source) == (
        D(2023, 2, 20),
        "stans",
        "user",
    )
    assert stored.version == ended.version
    stop = Stop.objects.get(participation=p)
    assert (stop.kind, stop.start_date, stop.end_date) == ("varig", D(2023, 2, 20), None)
    actions = set(HistoryEvent.objects.filter(participation=p).values_list("action", flat=True))
    assert {"termination_registered", "stop_registered"} <= actions


@pytest.mark.django_db
def test_a_temporary_stop_longer_than_three_months_is_refused(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    before = _snapshot(p.pk)
    error = _refused(
        lambda: register_item(
            actor=caseworker_a,
            participation_id=p.pk,
            item=StopItem(
                kind="midlertidig",
                start_date=D(2023, 3, 1),
                end_date=D(2023, 6, 2),
                decided_on=TODAY,
            ),
            at=at(TODAY),
        ),
        field="end_date",
        code="stop.temporary_too_long",
    )
    assert "tre måneder" in error.message
    assert _snapshot(p.pk) == before


@pytest.mark.django_db
def test_a_temporary_stop_does_not_move_the_frist(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    stopped = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=StopItem(
            kind="midlertidig", start_date=D(2023, 3, 1), end_date=D(2023, 6, 1), decided_on=TODAY
        ),
        at=at(TODAY),
    )
    stored = Participation.objects.get(pk=p.pk)
    assert stopped.frist == stored.frist == D(2023, 7, 31)
    assert stored.end_date is None
    assert stored.version == p.version + 1
    assert Stop.objects.get(participation=p).kind == "midlertidig"
    assert not HistoryEvent.objects.filter(participation=p, action="frist_recomputed").exists()


# --- sluttmål ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sluttmaal_moves_the_frist_and_clears_the_missing_flag(
    make_person, caseworker_a, kommune_a
):
    start = D(2023, 1, 15)
    p = _participation(
        make_person, caseworker_a, kommune_a, start=start, sluttmaal=None, has_upper_secondary=True
    )
    assert p.regime == "integreringsloven"
    assert (p.programme_group, p.sluttmaal_missing, p.frist) == ("p14_andre", True, D(2025, 1, 15))

    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=SluttmaalItem(sluttmaal="arbeid", valid_from=D(2023, 2, 1)),
        at=at(D(2023, 2, 1)),
    )
    stored = Participation.objects.get(pk=p.pk)
    assert (stored.programme_group, stored.sluttmaal_missing, stored.frist) == (
        "p13",
        False,
        D(2023, 7, 15),
    )
    assert stored.end_date is None
    event = HistoryEvent.objects.get(participation=p, action="frist_recomputed")
    assert event.before == {"frist": "2025-01-15"}
    assert event.after["frist"] == "2023-07-15"


@pytest.mark.django_db
def test_no_sluttmaal_for_an_introduksjonsloven_participant(make_person, caseworker_a, kommune_a):
    p = _participation(
        make_person,
        caseworker_a,
        kommune_a,
        start=D(2019, 10, 1),
        sluttmaal=None,
        permit_date=D(2019, 6, 1),
    )
    assert p.regime == "introduksjonsloven"
    before = _snapshot(p.pk)
    _refused(
        lambda: register_item(
            actor=caseworker_a,
            participation_id=p.pk,
            item=SluttmaalItem(sluttmaal="arbeid", valid_from=D(2019, 11, 1)),
            at=at(D(2019, 11, 1)),
        ),
        field="sluttmaal",
        code="sluttmaal.not_for_introduksjonsloven",
    )
    assert _snapshot(p.pk) == before


# --- automatic termination and real termination ------------------------------------------


@pytest.mark.django_db
def test_a_leave_that_moves_a_passed_frist_moves_the_automatic_end(
    make_person, caseworker_a, kommune_a
):
    p = _participation(make_person, caseworker_a, kommune_a)
    assert run_sweep(as_of=D(2023, 8, 1)).ended == 1
    swept = Participation.objects.get(pk=p.pk)
    assert (swept.end_date, swept.termination_reason) == (D(2023, 7, 31), "ikke_registrert")

    # Ten days of leave (decided inside the window) move the frist to 2023-08-10, which has
    # also passed on 2023-09-15: still ended by the system, on the new frist.
    moved = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=LeaveItem(
            leave_type="sykdom",
            start_date=D(2023, 3, 1),
            end_date=D(2023, 3, 10),
            decided_on=D(2023, 8, 1),
        ),
        at=at(D(2023, 9, 15)),
    )
    stored = Participation.objects.get(pk=p.pk)
    assert moved.frist == stored.frist == D(2023, 8, 10)
    assert (stored.end_date, stored.termination_reason, stored.termination_source) == (
        D(2023, 8, 10),
        "ikke_registrert",
        "system",
    )
    event = HistoryEvent.objects.get(participation=p, action="automatic_termination_move")
    assert event.before["end_date"] == "2023-07-31"
    assert event.after["end_date"] == "2023-08-10"
    assert event.legal_basis[0]["rule_id"] == "termination.automatic_moved"
    assert not HistoryEvent.objects.filter(
        participation=p, action="automatic_termination_lift"
    ).exists()


@pytest.mark.django_db
def test_a_real_termination_survives_later_recomputation(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a, has_upper_secondary=True)
    ended = register_termination(
        actor=caseworker_a,
        participation_id=p.pk,
        termination=TerminationItem(end_date=D(2023, 5, 1), reason="arbeid"),
        at=at(D(2023, 5, 2)),
    )
    person = Person.objects.get(pk=p.person_id)
    # No upper secondary after all: the frist becomes § 14's 24 months ...
    update_person(
        actor=caseworker_a,
        person_id=person.pk,
        expected_version=person.version,
        data=_person_data(person, has_upper_secondary=False),
        at=at(D(2023, 9, 1)),
    )
    stored = Participation.objects.get(pk=p.pk)
    assert stored.frist == D(2025, 1, 31)
    # ... but the registered termination stays as it was.
    assert (stored.end_date, stored.termination_reason, stored.termination_source) == (
        ended.end_date,
        "arbeid",
        "user",
    )
    # The sweep does not touch it either, long after the old and the new frist.
    assert run_sweep(as_of=D(2025, 6, 1)).ended == 0
    stored = Participation.objects.get(pk=p.pk)
    assert (stored.end_date, stored.termination_reason) == (D(2023, 5, 1), "arbeid")
    assert not HistoryEvent.objects.filter(
        participation=p, action__startswith="automatic_termination"
    ).exists()


@pytest.mark.django_db
def test_a_real_reason_replaces_ikke_registrert(make_person, caseworker_a, kommune_a):
    p = _participation(make_person, caseworker_a, kommune_a)
    run_sweep(as_of=D(2023, 8, 1))
    ended = register_termination(
        actor=caseworker_a,
        participation_id=p.pk,
        termination=TerminationItem(end_date=D(2023, 7, 1), reason="utdanning_hoyere"),
        at=at(D(2023, 8, 10)),
    )
    assert (ended.end_date, ended.termination_reason, ended.termination_source) == (
        D(2023, 7, 1),
        "utdanning_hoyere",
        "user",
    )
    event = HistoryEvent.objects.get(participation=p, action="termination_replaced_automatic")
    assert event.before["termination_reason"] == "ikke_registrert"


# --- history -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_write_appends_history_with_actor_channel_and_legal_basis(kommune_a):
    api = Actor("fagsystem@oslo", Channel.API, kommune_a.pk)
    number = make_valid_identity_number(D(1990, 5, 17), 600, synthetic=True)
    events = HistoryEvent.objects.count()
    person = register_person(actor=api, data=_new_person_data(number), at=at(D(2023, 1, 20)))
    registered = HistoryEvent.objects.get(person=person)
    assert HistoryEvent.objects.count() == events + 1
    assert (registered.action, registered.actor, registered.channel) == (
        "person_registered",
        "fagsystem@oslo",
        "api",
    )
    assert registered.legal_basis
    steps = [
        lambda: create_participation(
            actor=api,
            person_id=person.pk,
            new=NewParticipation(start_date=START, sluttmaal="arbeid"),
            kommune_id=kommune_a.pk,
            at=at(START),
        ),
        lambda: register_item(
            actor=api,
            participation_id=pid(),
            item=DecisionItem(decision_type="innvilget", decided_on=D(2023, 1, 20)),
            at=at(TODAY),
        ),
        lambda: register_item(
            actor=api,
            participation_id=pid(),
            item=MeasureItem(
                measure_type="norskopplaering",
                start_date=D(2023, 2, 1),
                end_date=None,
                hours_per_week=Decimal("20"),
            ),
            at=at(TODAY),
        ),
        lambda: register_item(
            actor=api,
            participation_id=pid(),
            item=LeaveItem(
                leave_type="sykdom",
                start_date=D(2023, 3, 2),
                end_date=D(2023, 3, 10),
                decided_on=TODAY,
            ),
            at=at(TODAY),
        ),
        lambda: register_item(
            actor=api,
            participation_id=pid(),
            item=ExtensionItem(months=2, decided_on=TODAY),
            at=at(TODAY),
        ),
        lambda: register_item(
            actor=api,
            participation_id=pid(),
            item=SluttmaalItem(sluttmaal="hoyere_utdanning", valid_from=TODAY),
            at=at(TODAY),
        ),
        lambda: register_item(
            actor=api,
            participation_id=pid(),
            item=StopItem(
                kind="midlertidig",
                start_date=D(2023, 4, 1),
                end_date=D(2023, 5, 1),
                decided_on=TODAY,
            ),
            at=at(TODAY),
        ),
        lambda: update_person(
            actor=api,
            person_id=person.pk,
            expected_version=Person.objects.get(pk=person.pk).version,
            data=_person_data(Person.objects.get(pk=person.pk), family_name="Endret"),
            at=at(TODAY),
        ),
        lambda: register_termination(
            actor=api,
            participation_id=pid(),
            termination=TerminationItem(end_date=D(2023, 6, 1), reason="arbeid"),
            at=at(D(2023, 6, 2)),
        ),
    ]

    def pid() -> int:
        return Participation.objects.get(person=person).pk

    without_basis = []
    for step in steps:
        seen = set(HistoryEvent.objects.values_list("id", flat=True))
        step()
        new = HistoryEvent.objects.exclude(id__in=seen)
        assert new.exists()
        for event in new:
            assert (event.actor, event.channel) == ("fagsystem@oslo", "api"), event.action
            if not event.legal_basis:
                without_basis.append(event.action)
            for basis in event.legal_basis:
                assert basis["rule_id"] and basis["reference"], event.action
            assert event.person_id == person.pk, event.action
            assert event.occurred_at is not None
    assert not without_basis, "events without a legal basis: " + ", ".join(without_basis)


# --- uniqueness --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_may_not_have_two_active_participations(
    make_person, caseworker_a, caseworker_b, kommune_a, kommune_b
):
    p = _participation(make_person, caseworker_a, kommune_a)
    count, events = Participation.objects.count(), HistoryEvent.objects.count()
    _refused(
        lambda: create_participation(
            actor=caseworker_b,
            person_id=p.person_id,
            new=NewParticipation(start_date=TODAY),
            kommune_id=kommune_b.pk,
            at=at(TODAY),
        ),
        field="person",
        code="participation.already_active",
    )
    assert (Participation.objects.count(), HistoryEvent.objects.count()) == (count, events)

    # Once the first has ended, a new one may start.
    register_termination(
        actor=caseworker_a,
        participation_id=p.pk,
        termination=TerminationItem(end_date=TODAY, reason="flyttet"),
        at=at(TODAY),
    )
    second = create_participation(
        actor=caseworker_b,
        person_id=p.person_id,
        new=NewParticipation(start_date=TODAY),
        kommune_id=kommune_b.pk,
        at=at(TODAY),
    )
    assert second.is_active


@pytest.mark.django_db
def test_a_case_id_is_unique_within_a_municipality(
    make_person, caseworker_a, caseworker_b, kommune_a, kommune_b
):
    _participation(make_person, caseworker_a, kommune_a, case_id="2023/17")
    other = make_person(registered_on=START, birth_date=D(1991, 6, 1))
    count, events = Participation.objects.count(), HistoryEvent.objects.count()
    error = _refused(
        lambda: create_participation(
            actor=caseworker_a,
            person_id=other.pk,
            new=NewParticipation(start_date=START, sluttmaal="arbeid", case_id="2023/17"),
            kommune_id=kommune_a.pk,
            at=at(START),
        ),
        field="case_id",
        code="case_id.exists",
    )
    assert "2023/17" in error.message
    assert (Participation.objects.count(), HistoryEvent.objects.count()) == (count, events)
    # Another municipality may use the same case id.
    p = create_participation(
        actor=caseworker_b,
        person_id=other.pk,
        new=NewParticipation(start_date=START, sluttmaal="arbeid", case_id="2023/17"),
        kommune_id=kommune_b.pk,
        at=at(START),
    )
    assert p.case_id == "2023/17"


@pytest.mark.django_db
def test_the_registering_municipality_may_correct_a_person_before_any_participation(
    make_person, caseworker_a, caseworker_b
):
    person = make_person(registered_on=START)  # registered by caseworker_a
    data = _person_data(person, has_upper_secondary=False)
    with pytest.raises(OutOfScope):
        update_person(
            actor=caseworker_b, person_id=person.pk, expected_version=1, data=data, at=at(START)
        )
    updated = update_person(
        actor=caseworker_a, person_id=person.pk, expected_version=1, data=data, at=at(START)
    )
    assert updated.has_upper_secondary is False
    assert updated.version == 2
