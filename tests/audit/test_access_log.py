"""The access log: every read is chained; on PostgreSQL it cannot be edited or deleted, and
an altered entry is found by the verify command."""

import datetime as dt
import io
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from nir.audit.access_log import (
    ChainProblem,
    Reader,
    _lock_a_head,
    log_access,
    person_access_log,
    review_day,
    verify_chain,
)
from nir.audit.models import AccessLogEntry, AccessLogPerson, UnusualAccess
from nir.register.services.participations import NewParticipation, create_participation
from tests.conftest import at

D = dt.date
OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def reads(make_person, caseworker_a, caseworker_b, kommune_a, kommune_b):
    amina = make_person(registered_on=D(2024, 1, 5), birth_date=D(1990, 1, 1))
    olena = make_person(registered_on=D(2024, 1, 5), birth_date=D(1991, 2, 2))
    create_participation(
        actor=caseworker_a,
        person_id=amina.pk,
        new=NewParticipation(start_date=D(2024, 1, 5), sluttmaal="arbeid"),
        kommune_id=kommune_a.pk,
        at=at(D(2024, 1, 5)),
    )
    create_participation(
        actor=caseworker_b,
        person_id=olena.pk,
        new=NewParticipation(start_date=D(2024, 1, 5), sluttmaal="arbeid"),
        kommune_id=kommune_b.pk,
        at=at(D(2024, 1, 5)),
    )
    moment = dt.datetime(2024, 2, 1, 9, tzinfo=OSLO)
    log_access(
        reader=Reader(actor="kari@oslo", organisation="0301", channel="web"),
        action="view_participant",
        what="/deltakelser/1/",
        person_ids=[amina.pk],
        at=moment,
    )
    log_access(
        reader=Reader(actor="kari@oslo", organisation="0301", channel="web"),
        action="list",
        what="Arbeidsliste",
        person_ids=[amina.pk, olena.pk],
        at=moment + dt.timedelta(minutes=5),
    )
    log_access(
        reader=Reader(actor="fagsystem@bergen", organisation="4601", channel="api"),
        action="reconciliation",
        what="GET /api/v1/reconciliation",
        person_ids=[olena.pk],
        at=moment + dt.timedelta(minutes=9),
    )
    return amina, olena


@pytest.mark.django_db
def test_the_chain_verifies_and_a_persons_log_lists_every_read(reads):
    amina, olena = reads
    assert verify_chain() == (3, [])
    out = io.StringIO()
    call_command("verify-access-log", stdout=out)
    assert "3 entries checked, chain intact" in out.getvalue()
    assert [e.action for e in person_access_log(olena.pk)] == ["list", "reconciliation"]
    out = io.StringIO()
    call_command("access-log", "--person", amina.identity_number, stdout=out)
    assert "view_participant" in out.getvalue() and "2 read(s)" in out.getvalue()


@pytest.mark.django_db
def test_an_altered_or_removed_entry_is_detected(reads):
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the trigger stops the change itself (tested below)")
    entry = AccessLogEntry.objects.get(action="list")
    AccessLogEntry.objects.filter(pk=entry.pk).update(actor="someone-else")
    checked, problems = verify_chain()
    assert checked == 3
    assert [p.entry_id for p in problems] == [entry.pk]
    AccessLogEntry.objects.filter(pk=entry.pk).update(actor="kari@oslo")
    AccessLogPerson.objects.filter(entry__action="view_participant").delete()
    assert verify_chain()[1]
    with pytest.raises(SystemExit):
        call_command("verify-access-log", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.django_db
def test_postgresql_refuses_to_edit_or_delete_the_log(reads):
    for change in (
        lambda: AccessLogEntry.objects.filter(action="list").update(actor="someone-else"),
        # Raw SQL: the ORM's own PROTECT would stop a delete before the database sees it.
        lambda: connection.cursor().execute("DELETE FROM audit_accesslogentry"),
        lambda: AccessLogPerson.objects.all().delete(),
    ):
        with (
            pytest.raises(DatabaseError, match="innsynsloggen kan ikke endres"),
            transaction.atomic(),
        ):
            change()
    assert verify_chain() == (3, [])


@pytest.mark.django_db
def test_the_daily_review_flags_heavy_reading_and_reading_outside_ones_municipality(
    reads, settings
):
    settings.NIR_ACCESS_ALERT_PERSONS_PER_DAY = 1
    assert review_day(D(2024, 2, 1)) == {"findings": 2}
    kinds = set(UnusualAccess.objects.values_list("actor", "kind"))
    assert kinds == {("kari@oslo", "many_persons"), ("kari@oslo", "outside_kommune")}
    review_day(D(2024, 2, 1))  # a second review of the day adds nothing
    assert UnusualAccess.objects.count() == 2


def _append(n: int) -> None:
    log_access(
        reader=Reader(actor="kari@oslo", organisation="0301", channel="web"),
        action="web_worklist",
        what=f"/?side={n}",
        person_ids=[n, n + 1],
    )


@pytest.mark.django_db
def test_appends_spread_over_chains_and_each_chain_is_verified(reads):
    for n in range(40):
        _append(n)
    chains = set(AccessLogEntry.objects.values_list("chain", flat=True))
    assert len(chains) > 1
    assert verify_chain() == (43, [])
    if connection.vendor == "postgresql":
        return  # the trigger refuses the removals below (tested above)
    # Removing the newest entry of a chain leaves the chain shorter than its head says.
    newest = AccessLogEntry.objects.order_by("-id").first()
    AccessLogPerson.objects.filter(entry=newest).delete()
    AccessLogEntry.objects.filter(pk=newest.pk).delete()
    assert [p.problem for p in verify_chain()[1]] == [
        f"entries are missing at the end of chain {newest.chain}"
    ]
    # Removing one in the middle breaks the link of the next entry in the same chain.
    longest = max(chains, key=lambda c: AccessLogEntry.objects.filter(chain=c).count())
    middle, following = AccessLogEntry.objects.filter(chain=longest).order_by("id")[1:3]
    AccessLogPerson.objects.filter(entry=middle).delete()
    AccessLogEntry.objects.filter(pk=middle.pk).delete()
    problems = verify_chain()[1]
    assert ChainProblem(following.pk, "the link to the previous entry is broken") in problems


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer anyway")
@pytest.mark.django_db(transaction=True)
def test_an_append_does_not_wait_for_another_in_progress():
    """While one append holds its chain's head, another takes a different chain at once."""
    _append(0)  # creates the heads
    started, release = threading.Event(), threading.Event()
    held: list[int] = []
    # Whether the head was still held when the append returned: the holder lets go only
    # when released, or gives up after 10 s (so that a regression fails instead of hanging).
    released_while_held: list[bool] = []

    def slow_append() -> None:
        try:
            with transaction.atomic():
                held.append(_lock_a_head().pk)
                started.set()
                released_while_held.append(release.wait(10))
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_append)
    thread.start()
    try:
        assert started.wait(10)
        entry = log_access(
            reader=Reader(actor="a", organisation="0301", channel="web"),
            action="x",
            what="/",
            person_ids=[1],
        )
        assert entry.chain != held[0]
    finally:
        release.set()
        thread.join(20)
    # An append that waited behind the held head returns only after the holder gave up.
    assert released_while_held == [True]
    assert verify_chain() == (2, [])
