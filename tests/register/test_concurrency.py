"""Concurrent writers: the row lock serialises them, so a rule over the sum still holds."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from nir.register.models import Extension, HistoryEvent, Participation
from nir.register.services.items import ExtensionItem
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.registrations import register_item
from nir.rules.errors import RuleViolation
from tests.conftest import at

D = dt.date

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks between threads need a server database; SQLite serialises writers",
)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_extensions_past_the_limit_one_wins_one_is_refused(
    make_person, caseworker_a, kommune_a
):
    person = make_person(registered_on=D(2023, 1, 31))
    participation = create_participation(
        actor=caseworker_a,
        person_id=person.pk,
        new=NewParticipation(start_date=D(2023, 1, 31), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2023, 1, 31)),
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def extend() -> None:
        try:
            barrier.wait(timeout=10)
            register_item(
                actor=caseworker_a,
                participation_id=participation.pk,
                item=ExtensionItem(months=4, decided_on=D(2023, 6, 1)),
                at=at(D(2023, 6, 1)),
            )
            outcomes.append("accepted")
        except RuleViolation as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=extend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "extension.limit_exceeded"]
    assert Extension.objects.filter(participation=participation).count() == 1
    stored = Participation.objects.get(pk=participation.pk)
    assert stored.frist == D(2023, 11, 30)  # 2023-01-31 + 10 months, clamped
    assert (
        HistoryEvent.objects.filter(
            participation=participation, action="extension_registered"
        ).count()
        == 1
    )
