"""Two deliveries of the same batch at the same moment (a case system that retried while
the first request was still running): one copy of each participant, whatever the order."""

import threading

import pytest
from django.db import connection, connections

from nir.api.models import IdempotencyRecord
from nir.register.models import Participation, Person
from tests.api.helpers import ApiCaller, make_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="simultaneous transactions need a server database; SQLite serialises writers",
    ),
    pytest.mark.django_db(transaction=True),
]


def _simultaneously(caller: ApiCaller, records, headers) -> list:
    barrier = threading.Barrier(2)
    replies: list = []

    def send() -> None:
        try:
            barrier.wait()
            replies.append(caller.batch(records, **headers))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def test_the_same_key_twice_at_once_gives_one_copy_and_one_reply(fagsystem_a):
    records = [make_record(f"C-{n}") for n in range(5)]

    replies = _simultaneously(fagsystem_a, records, {"Idempotency-Key": "at-once"})

    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].json() == replies[1].json()
    assert [r["outcome"] for r in replies[0].json()["results"]] == ["created"] * 5
    assert Participation.objects.count() == 5 and Person.objects.count() == 5
    assert IdempotencyRecord.objects.count() == 1


def test_the_same_batch_twice_at_once_without_a_key_gives_one_copy(fagsystem_a):
    records = [make_record(f"N-{n}") for n in range(5)]

    replies = _simultaneously(fagsystem_a, records, {})

    assert [r.status_code for r in replies] == [200, 200]
    assert Participation.objects.count() == 5 and Person.objects.count() == 5
    outcomes = sorted(tuple(r["outcome"] for r in reply.json()["results"]) for reply in replies)
    # One delivery created them; the other either found them (after the first committed)
    # or was refused per record and may simply be sent again.
    assert ("created",) * 5 in outcomes
