"""rules.md's worked examples, through the services and the database, and the sweep."""

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, Participation
from nir.register.services.items import ExtensionItem, LeaveItem, TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.registrations import register_item
from nir.register.services.sweep import run_sweep
from tests.conftest import at

D = dt.date


def _start(make_person, actor, kommune, *, start, sluttmaal, **person):
    person = make_person(registered_on=start, **person)
    return create_participation(
        actor=actor,
        person_id=person.pk,
        new=NewParticipation(start_date=start, sluttmaal=sluttmaal),
        kommune_id=kommune.pk,
        at=at(start),
    )


def _sweep_and_read(as_of, pk):
    run_sweep(as_of=as_of)
    return Participation.objects.get(pk=pk)


@pytest.mark.django_db
def test_example_1_p13_ended_by_the_sweep_then_lifted_by_an_extension(
    make_person, caseworker_a, kommune_a
):
    p = _start(make_person, caseworker_a, kommune_a, start=D(2023, 1, 31), sluttmaal="arbeid")
    assert p.frist == D(2023, 7, 31)
    assert p.frist_derivation["rule_row"] == "integreringsloven.p13.2021"

    assert _sweep_and_read(D(2023, 7, 31), p.pk).end_date is None  # on the frist: still active
    ended = _sweep_and_read(D(2023, 8, 1), p.pk)
    assert (ended.end_date, ended.termination_reason, ended.termination_source) == (
        D(2023, 7, 31),
        "ikke_registrert",
        "system",
    )
    event = HistoryEvent.objects.get(participation=p, action="automatic_termination_end")
    assert event.actor == "system"
    assert event.legal_basis[0]["rule_id"] == "termination.automatic"

    # An extension registered 2023-08-15 (within the window) moves the frist to 2024-01-31,
    # which has not passed: the automatic termination is lifted.
    lifted = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=6, decided_on=D(2023, 8, 15)),
        at=at(D(2023, 8, 15)),
    )
    assert lifted.frist == D(2024, 1, 31)
    assert (lifted.end_date, lifted.termination_reason) == (None, "")
    assert HistoryEvent.objects.filter(
        participation=p, action="automatic_termination_lift"
    ).exists()


@pytest.mark.django_db
def test_example_2_month_end_clamp_and_extension(make_person, caseworker_a, kommune_a):
    p = _start(make_person, caseworker_a, kommune_a, start=D(2023, 8, 31), sluttmaal="arbeid")
    assert p.frist == D(2024, 2, 29)
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=6, decided_on=D(2024, 1, 10)),
        at=at(D(2024, 1, 10)),
    )
    assert p.frist == D(2024, 8, 31)
    assert p.frist_derivation["extension_months"] == 6


@pytest.mark.django_db
def test_example_3_p14_under_25_with_care_leave_and_extension(make_person, caseworker_a, kommune_a):
    p = _start(
        make_person,
        caseworker_a,
        kommune_a,
        start=D(2021, 3, 15),
        sluttmaal="fullfort_videregaende",
        birth_date=D(2000, 2, 1),
        permit_date=D(2021, 1, 20),
        has_upper_secondary=False,
    )
    assert p.frist == D(2024, 3, 15)
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=LeaveItem(
            leave_type="omsorgspermisjon",
            start_date=D(2022, 9, 1),
            end_date=D(2023, 6, 30),
            decided_on=D(2022, 8, 20),
        ),
        at=at(D(2022, 8, 20)),
    )
    assert p.frist == D(2025, 1, 12)
    stop = p.frist_derivation["clock_stops"][0]
    assert (stop["counted_days"], stop["label"]) == (303, "Omsorgspermisjon")
    assert "legger til 303 dager" in " ".join(p.frist_derivation["explanation"])
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=12, decided_on=D(2024, 11, 1)),
        at=at(D(2024, 11, 1)),
    )
    assert p.frist == D(2026, 1, 12)
    assert HistoryEvent.objects.filter(participation=p, action="frist_recomputed").count() == 2


@pytest.mark.django_db
def test_example_4_introduksjonsloven_with_leave_and_extension(
    make_person, caseworker_a, kommune_a
):
    p = _start(
        make_person,
        caseworker_a,
        kommune_a,
        start=D(2019, 10, 1),
        sluttmaal=None,
        permit_date=D(2019, 6, 1),
    )
    assert p.regime == "introduksjonsloven"
    assert p.frist == D(2021, 10, 1)
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=LeaveItem(
            leave_type="foreldrepermisjon",
            start_date=D(2020, 2, 1),
            end_date=D(2020, 7, 31),
            decided_on=D(2020, 1, 15),
        ),
        at=at(D(2020, 1, 15)),
    )
    assert p.frist == D(2022, 4, 1)
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=12, decided_on=D(2022, 3, 1)),
        at=at(D(2022, 3, 1)),
    )
    assert p.frist == D(2023, 4, 1)


@pytest.mark.django_db
def test_example_5_months_first_then_leave_days(make_person, caseworker_a, kommune_a):
    p = _start(make_person, caseworker_a, kommune_a, start=D(2023, 1, 31), sluttmaal="arbeid")
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=LeaveItem(
            leave_type="sykdom",
            start_date=D(2023, 3, 1),
            end_date=D(2023, 3, 30),
            decided_on=D(2023, 3, 1),
        ),
        at=at(D(2023, 3, 1)),
    )
    assert p.frist == D(2023, 8, 30)


@pytest.mark.django_db
def test_example_6_window_after_automatic_termination(make_person, caseworker_a, kommune_a):
    p = _start(make_person, caseworker_a, kommune_a, start=D(2023, 1, 31), sluttmaal="arbeid")
    run_sweep(as_of=D(2023, 8, 1))
    # 2023-10-01 is past the window that closed 2023-09-30: refused, nothing written.
    from nir.rules.errors import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        register_termination(
            actor=caseworker_a,
            participation_id=p.pk,
            termination=TerminationItem(end_date=D(2023, 7, 31), reason="arbeid"),
            at=at(D(2023, 10, 1)),
        )
    assert refused.value.params["closed_on"] == D(2023, 9, 30)
    assert Participation.objects.get(pk=p.pk).termination_reason == "ikke_registrert"
    # On the last day of the window, the real reason replaces ikke_registrert.
    ended = register_termination(
        actor=caseworker_a,
        participation_id=p.pk,
        termination=TerminationItem(end_date=D(2023, 7, 31), reason="arbeid"),
        at=at(D(2023, 9, 30)),
    )
    assert (ended.termination_reason, ended.termination_source) == ("arbeid", "user")
    assert HistoryEvent.objects.filter(
        participation=p, action="termination_replaced_automatic"
    ).exists()


@pytest.mark.django_db
def test_example_7_kap6a_upper_secondary(make_person, caseworker_a, kommune_a):
    p = _start(
        make_person,
        caseworker_a,
        kommune_a,
        start=D(2022, 11, 15),
        sluttmaal="arbeid",
        permit_type="kollektiv_beskyttelse",
        permit_date=D(2022, 4, 2),
    )
    assert (p.regime, p.category) == ("integreringsloven_kap6a", "rett")
    assert p.frist == D(2023, 5, 15)
    p = register_item(
        actor=caseworker_a,
        participation_id=p.pk,
        item=ExtensionItem(months=6, decided_on=D(2023, 5, 1)),
        at=at(D(2023, 5, 1)),
    )
    assert p.frist == D(2023, 11, 15)
