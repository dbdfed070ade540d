"""Attacks on the access log, each found by `nir verify-access-log`, which says what broke:
an edit with the chain recomputed (without the key), a deleted tail with its head reset, a
truncation with the heads reset, and a forged checkpoint. On PostgreSQL the head cannot be
reset or deleted at all."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from nir.audit import access_log
from nir.audit.access_log import (
    GENESIS,
    Reader,
    _fields,
    log_access,
    verify_chain,
    write_checkpoint,
)
from nir.audit.models import AccessLogEntry, AccessLogHead, AccessLogPerson

pytestmark = pytest.mark.django_db


def _read(n: int = 1) -> None:
    for i in range(n):
        log_access(
            reader=Reader(actor="kari@oslo", organisation="0301", channel="web"),
            action="view_participant",
            what=f"/deltakelse/{i}/",
            person_ids=[i + 1],
        )


def _verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify-access-log", stdout=out)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue()
    return 0, out.getvalue()


def _sha256_chain(previous: str, entry: AccessLogEntry, persons: list[int]) -> str:
    """What an attacker without the key computes: the unkeyed hash of the old scheme."""
    content = json.dumps({**_fields(entry), "persons": persons}, sort_keys=True, default=str)
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def _rewrite(entries: list[AccessLogEntry]) -> None:
    """Recompute the whole chain after an edit, as an attacker with the tables would."""
    previous: dict[int, str] = {}
    for entry in entries:
        persons = list(
            AccessLogPerson.objects.filter(entry=entry).values_list("person_id", flat=True)
        )
        entry.previous_hash = previous.get(entry.chain, GENESIS)
        entry.entry_hash = _sha256_chain(entry.previous_hash, entry, persons)
        previous[entry.chain] = entry.entry_hash
    for entry in entries:
        AccessLogEntry.objects.filter(pk=entry.pk).update(
            actor=entry.actor, previous_hash=entry.previous_hash, entry_hash=entry.entry_hash
        )
    for chain, last in previous.items():
        AccessLogHead.objects.filter(pk=chain).update(last_hash=last)


def _without_triggers():
    """SQLite has no trigger on the log; on PostgreSQL the attacks below are what a role
    that owns the tables could still do, so the test drops the triggers first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER IF EXISTS audit_accesslogentry_append_only ON audit_accesslogentry;"
                "DROP TRIGGER IF EXISTS audit_accesslogperson_append_only ON audit_accesslogperson;"
                "DROP TRIGGER IF EXISTS audit_accessloghead_forward ON audit_accessloghead;"
            )


def test_an_edit_with_the_chain_recomputed_without_the_key_is_found():
    _read(3)
    assert _verify()[0] == 0
    _without_triggers()
    entries = list(AccessLogEntry.objects.order_by("id"))
    entries[1].actor = "noen-andre"
    _rewrite(entries)
    code, out = _verify()
    assert code == 1
    assert "the content does not match its hash" in out


def test_a_deleted_tail_with_its_head_reset_is_found_by_the_checkpoint(tmp_path):
    _read(6)
    write_checkpoint()
    assert _verify()[0] == 0
    _without_triggers()
    last = AccessLogEntry.objects.order_by("-id").first()
    assert last is not None
    chain = last.chain
    AccessLogPerson.objects.filter(entry=last).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [last.pk])
    remaining = AccessLogEntry.objects.filter(chain=chain).order_by("-id").first()
    head = AccessLogHead.objects.get(pk=chain)
    AccessLogHead.objects.filter(pk=chain).update(
        entries=head.entries - 1, last_hash=remaining.entry_hash if remaining else GENESIS
    )
    code, out = _verify()
    assert code == 1
    assert f"chain {chain} has" in out and "entries were deleted or the log was truncated" in out


@pytest.mark.django_db(transaction=True)  # TRUNCATE wants no pending constraint checks
def test_a_truncation_with_the_heads_reset_is_found_by_the_checkpoint():
    _read(4)
    write_checkpoint()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE audit_accesslogperson, audit_accesslogentry, audit_accessloghead"
            )
    else:
        AccessLogPerson.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry")
            cursor.execute("DELETE FROM audit_accessloghead")
    access_log._heads_checked = False
    _read(1)  # the register goes on, with fresh heads
    code, out = _verify()
    assert code == 1
    assert "the log was truncated" in out


def test_a_forged_checkpoint_is_refused():
    _read(2)
    path = write_checkpoint()
    forged = json.loads(path.read_text())
    for head in forged["heads"].values():
        head["entries"] = 0
    path.write_text(json.dumps(forged))
    code, out = _verify()
    assert code == 1
    assert "is not signed with the key" in out


def test_the_key_is_not_in_the_database(settings):
    _read(1)
    entry = AccessLogEntry.objects.get()
    settings.NIR_ACCESS_LOG_KEY = "en-annen-nokkel"
    assert verify_chain()[1], "a chain verified under another key"
    assert entry.entry_hash != _sha256_chain(GENESIS, entry, [1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_reset_or_delete_a_head():
    _read(2)
    head = AccessLogHead.objects.filter(entries__gt=0).first()
    assert head is not None
    for change in (
        lambda: AccessLogHead.objects.filter(pk=head.pk).update(entries=0, last_hash=GENESIS),
        lambda: connection.cursor().execute("DELETE FROM audit_accessloghead"),
    ):
        with (
            pytest.raises(DatabaseError, match="innsynsloggen kan ikke endres"),
            transaction.atomic(),
        ):
            change()
    assert _verify()[0] == 0
