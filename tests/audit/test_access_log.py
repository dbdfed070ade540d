"""The access log: every read is chained; on PostgreSQL it cannot be edited or deleted, and
an altered entry is found by the verify command."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from nir.audit.access_log import log_access, person_access_log, review_day, verify_chain
from nir.audit.models import AccessLogEntry, AccessLogPerson, UnusualAccess
from nir.register.services.participations import create_participation
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
        kommune_id=kommune_a.pk,
        start_date=D(2024, 1, 5),
        sluttmaal="arbeid",
        at=at(D(2024, 1, 5)),
    )
    create_participation(
        actor=caseworker_b,
        person_id=olena.pk,
        kommune_id=kommune_b.pk,
        start_date=D(2024, 1, 5),
        sluttmaal="arbeid",
        at=at(D(2024, 1, 5)),
    )
    moment = dt.datetime(2024, 2, 1, 9, tzinfo=OSLO)
    log_access(
        actor="kari@oslo",
        organisation="0301",
        channel="web",
        action="view_participant",
        what="/deltakelser/1/",
        person_ids=[amina.pk],
        at=moment,
    )
    log_access(
        actor="kari@oslo",
        organisation="0301",
        channel="web",
        action="list",
        what="Arbeidsliste",
        person_ids=[amina.pk, olena.pk],
        at=moment + dt.timedelta(minutes=5),
    )
    log_access(
        actor="fagsystem@bergen",
        organisation="4601",
        channel="api",
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
