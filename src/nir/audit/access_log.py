"""Writing, reading and verifying the access log."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from nir.audit.models import AccessLogEntry, AccessLogHead, AccessLogPerson, UnusualAccess
from nir.register.models import Participation

GENESIS = "0" * 64


def _key() -> bytes:
    """The chain's key (NIR_ACCESS_LOG_KEY), never stored in the database: without it an
    edited entry cannot be given a new valid hash, whoever can write the tables."""
    return str(settings.NIR_ACCESS_LOG_KEY).encode()


def _entry_hash(previous: str, fields: dict[str, object], person_ids: list[int]) -> str:
    content = json.dumps({**fields, "persons": person_ids}, sort_keys=True, default=str)
    return hmac.new(_key(), f"{previous}\n{content}".encode(), hashlib.sha256).hexdigest()


def _fields(entry: AccessLogEntry) -> dict[str, object]:
    return {
        # In UTC, as the database gives it back, whatever zone it was written in.
        "occurred_at": entry.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor": entry.actor,
        "organisation": entry.organisation,
        "channel": entry.channel,
        "action": entry.action,
        "what": entry.what,
        "person_count": entry.person_count,
    }


# Appends go to one of several chains, so concurrent reads do not queue behind one head
# row: each chain is linear (its head row is locked while an entry is appended) and verified
# on its own. Entries written before chains existed are chain 1, under the original head.
CHAINS = 8


_heads_checked = False


def _heads() -> None:
    """Create the chains' head rows that do not exist yet (idempotent; once a process)."""
    global _heads_checked  # a per-process memo of a fact about the database
    if AccessLogHead.objects.filter(pk__lte=CHAINS).count() < CHAINS:
        AccessLogHead.objects.bulk_create(
            [AccessLogHead(pk=chain, last_hash=GENESIS) for chain in range(1, CHAINS + 1)],
            ignore_conflicts=True,
        )
    _heads_checked = True


# Every page and API read appends an entry, so the append is a few plain statements rather
# than the ORM's, whose building costs several times the statements' own time. Table and
# column names only; every value is a parameter.
_HEADS = AccessLogHead._meta.db_table
_ENTRIES = AccessLogEntry._meta.db_table
_PERSONS = AccessLogPerson._meta.db_table
_ENTRY_COLUMNS = (
    "occurred_at",
    "actor",
    "organisation",
    "channel",
    "action",
    "what",
    "person_count",
    "chain",
    "previous_hash",
    "entry_hash",
)
# A free chain's head, from a given chain on (FOR UPDATE SKIP LOCKED added where the
# database has row locks); or one chain's, to wait for.
_FREE_HEAD = (
    f"SELECT id, last_hash FROM {_HEADS} WHERE id <= %s "  # noqa: S608
    "ORDER BY CASE WHEN id >= %s THEN 0 ELSE 1 END, id LIMIT 1"
)
_ONE_HEAD = f"SELECT id, last_hash FROM {_HEADS} WHERE id = %s"  # noqa: S608
_INSERT_ENTRY = (
    f"INSERT INTO {_ENTRIES} ({', '.join(_ENTRY_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_ENTRY_COLUMNS))})"
)
_INSERT_PERSON = f"INSERT INTO {_PERSONS} (entry_id, person_id) VALUES (%s, %s)"  # noqa: S608
_MOVE_HEAD = f"UPDATE {_HEADS} SET last_hash = %s, entries = entries + 1 WHERE id = %s"  # noqa: S608
# PostgreSQL: the entry, its persons (a page's, or an export's hundred thousand) and the
# head's move in one statement, so a read's entry costs one round trip after the head's
# lock, not three.
_APPEND = f"""
    WITH entry AS ({_INSERT_ENTRY} RETURNING id),
         persons AS (
             INSERT INTO {_PERSONS} (entry_id, person_id)
             SELECT entry.id, unnest(%s::bigint[]) FROM entry
         ),
         head AS ({_MOVE_HEAD})
    SELECT id FROM entry
"""  # noqa: S608


def _lock_a_head() -> AccessLogHead:
    """Lock the head of a chain no other append holds, or wait for one when all are held.

    On PostgreSQL, SKIP LOCKED hands concurrent appends different chains; SQLite has one
    writer at a time anyway and ignores row locks."""
    if not _heads_checked:
        _heads()
    start = secrets.randbelow(CHAINS) + 1
    locks = connection.features.has_select_for_update_skip_locked
    with connection.cursor() as cursor:
        # Start at a random chain so the chains grow alike.
        cursor.execute(_FREE_HEAD + (" FOR UPDATE SKIP LOCKED" if locks else ""), [CHAINS, start])
        row = cursor.fetchone()
        if row is None:  # every chain held: wait for one
            if not AccessLogHead.objects.filter(pk=start).exists():  # not created yet
                _heads()
            cursor.execute(_ONE_HEAD + (" FOR UPDATE" if locks else ""), [start])
            row = cursor.fetchone()
    return AccessLogHead(pk=row[0], last_hash=row[1])


def described(path: str, query_names: Iterable[str]) -> str:
    """What an entry says was read: the path and the names of the query's parameters, never
    their values (a search term may be a name or an identity number)."""
    names = sorted(set(query_names))
    return f"{path}?{'&'.join(names)}" if names else path


@dataclass(frozen=True, slots=True)
class Reader:
    """Who read: the user or client (``actor``), the organisation it reads for (a
    municipality's number or IMDi) and the channel (web, api, cli)."""

    actor: str
    organisation: str
    channel: str


def log_access(
    *,
    reader: Reader,
    action: str,
    what: str,
    person_ids: Iterable[int],
    at: dt.datetime | None = None,
) -> AccessLogEntry:
    """Append one entry for a read that showed these persons' records."""
    persons = sorted(set(person_ids))
    with transaction.atomic():
        head = _lock_a_head()
        entry = AccessLogEntry(
            occurred_at=at or timezone.now(),
            actor=reader.actor,
            organisation=reader.organisation,
            channel=reader.channel,
            action=action,
            what=what[:300],
            person_count=len(persons),
            chain=head.pk,
            previous_hash=head.last_hash,
        )
        entry.entry_hash = _entry_hash(head.last_hash, _fields(entry), persons)
        _append(entry, persons)
    return entry


def _append(entry: AccessLogEntry, persons: list[int]) -> None:
    """Insert the entry and its persons, and move the chain's head to it (in the caller's
    transaction, which holds the head's lock)."""
    values = [getattr(entry, column) for column in _ENTRY_COLUMNS]
    values[0] = connection.ops.adapt_datetimefield_value(entry.occurred_at)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_APPEND, [*values, persons, entry.entry_hash, entry.chain])
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(_INSERT_ENTRY, values)
            entry.pk = cursor.lastrowid
            cursor.executemany(_INSERT_PERSON, [(entry.pk, person) for person in persons])
            cursor.execute(_MOVE_HEAD, [entry.entry_hash, entry.chain])
    entry._state.adding = False
    entry._state.db = connection.alias


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    problem: str


def verify_chain() -> tuple[int, list[ChainProblem]]:
    """Recompute every keyed hash, each chain in order, and compare the chains with the
    last checkpoint kept outside the database; return the number checked and each break.

    An altered entry fails its own hash (and cannot be given a new one without the key);
    a removed or inserted one breaks the link of the next entry in its chain; entries
    removed from the end of a chain no longer match the chain's head, which counts and
    names the last entry; a truncation or a tail deleted together with a reset of its
    head no longer matches the checkpoint.
    """
    problems: list[ChainProblem] = []
    previous: dict[int, str] = {}
    counted: dict[int, int] = {}
    checked = 0
    persons: dict[int, list[int]] = {}
    hashes: dict[int, list[str]] = {}
    last_id = 0
    while True:
        chunk = list(AccessLogEntry.objects.filter(pk__gt=last_id).order_by("id")[:5000])
        if not chunk:
            break
        last_id = chunk[-1].pk
        persons.clear()
        for entry_id, person_id in (
            AccessLogPerson.objects.filter(entry_id__gte=chunk[0].pk, entry_id__lte=last_id)
            .order_by("entry_id", "person_id")
            .values_list("entry_id", "person_id")
        ):
            persons.setdefault(entry_id, []).append(person_id)
        for entry in chunk:
            checked += 1
            ids = persons.get(entry.pk, [])
            if entry.previous_hash != previous.get(entry.chain, GENESIS):
                problems.append(ChainProblem(entry.pk, "the link to the previous entry is broken"))
            expected = _entry_hash(entry.previous_hash, _fields(entry), ids)
            if expected != entry.entry_hash:
                problems.append(ChainProblem(entry.pk, "the content does not match its hash"))
            if len(ids) != entry.person_count:
                problems.append(ChainProblem(entry.pk, "persons were added or removed"))
            previous[entry.chain] = entry.entry_hash
            counted[entry.chain] = counted.get(entry.chain, 0) + 1
            hashes.setdefault(entry.chain, []).append(entry.entry_hash)
    heads = {head.pk: head for head in AccessLogHead.objects.all()}
    for chain in sorted(set(heads) | set(previous)):
        head = heads.get(chain)
        if head is None:
            problems.append(ChainProblem(0, f"chain {chain} has entries but no head"))
        elif head.last_hash != previous.get(chain, GENESIS) or head.entries != counted.get(
            chain, 0
        ):
            problems.append(ChainProblem(0, f"entries are missing at the end of chain {chain}"))
    problems += verify_checkpoint(hashes)
    return checked, problems


# --- checkpoints outside the database -------------------------------------------------------

CHECKPOINT_GLOB = "innsynslogg-*.json"


def _signature(body: dict[str, object]) -> str:
    content = json.dumps(body, sort_keys=True)
    return hmac.new(_key(), f"checkpoint\n{content}".encode(), hashlib.sha256).hexdigest()


def write_checkpoint(folder: Path | None = None, at: dt.datetime | None = None) -> Path:
    """Write every chain's head (entries, last hash), signed with the key, to a file in
    ``folder`` (NIR_ACCESS_LOG_CHECKPOINT_DIR): a truncation, a deleted tail or a reset head
    in the database no longer matches the last checkpoint kept outside it."""
    folder = Path(folder or settings.NIR_ACCESS_LOG_CHECKPOINT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    written_at = (at or timezone.now()).astimezone(dt.UTC)
    body: dict[str, object] = {
        "written_at": written_at.isoformat(),
        "heads": {
            str(head.pk): {"entries": head.entries, "last_hash": head.last_hash}
            for head in AccessLogHead.objects.order_by("pk")
        },
    }
    path = folder / f"innsynslogg-{written_at:%Y%m%dT%H%M%S%fZ}.json"
    path.write_text(json.dumps({**body, "signature": _signature(body)}, indent=1, sort_keys=True))
    return path


def checkpoint_job(as_of: dt.date) -> dict[str, int]:
    """The scheduler's daily checkpoint (the day is the run's; the heads are as they stand)."""
    write_checkpoint()
    return {"chains": AccessLogHead.objects.count()}


def _latest_checkpoint(folder: Path) -> tuple[Path, dict[str, object]] | None:
    files = sorted(folder.glob(CHECKPOINT_GLOB)) if folder.is_dir() else []
    if not files:
        return None
    return files[-1], json.loads(files[-1].read_text())


def verify_checkpoint(
    hashes_by_chain: dict[int, list[str]], folder: Path | None = None
) -> list[ChainProblem]:
    """Compare the chains as they stand with the latest signed checkpoint: each chain must
    still hold at least the checkpoint's entries, its entry at that position must carry the
    checkpoint's hash, and the checkpoint's signature must be the key's."""
    found = _latest_checkpoint(Path(folder or settings.NIR_ACCESS_LOG_CHECKPOINT_DIR))
    if found is None:
        return []
    path, checkpoint = found
    body = {k: v for k, v in checkpoint.items() if k != "signature"}
    if not hmac.compare_digest(str(checkpoint.get("signature", "")), _signature(body)):
        return [ChainProblem(0, f"the checkpoint {path.name} is not signed with the key")]
    problems = []
    heads = checkpoint.get("heads")
    assert isinstance(heads, dict)
    for chain, head in sorted(heads.items()):
        hashes = hashes_by_chain.get(int(chain), [])
        kept, last = int(head["entries"]), str(head["last_hash"])
        if kept == 0:
            continue
        if len(hashes) < kept:
            problems.append(
                ChainProblem(
                    0,
                    f"chain {chain} has {len(hashes)} entries, but the checkpoint {path.name} "
                    f"recorded {kept}: entries were deleted or the log was truncated",
                )
            )
        elif hashes[kept - 1] != last:
            problems.append(
                ChainProblem(
                    0,
                    f"chain {chain} differs from the checkpoint {path.name} at entry {kept}: "
                    "the chain was rewritten",
                )
            )
    return problems


def person_access_log(person_id: int) -> Iterator[AccessLogEntry]:
    """Every read of one person's records, oldest first: for the person's right of access."""
    return AccessLogEntry.objects.filter(persons__person_id=person_id).order_by("id").iterator()


def review_day(as_of: dt.date) -> dict[str, int]:
    """Flag unusual reading on ``day``: many persons read by one actor, and reads of persons
    outside the reader's municipality."""
    start = timezone.make_aware(dt.datetime.combine(as_of, dt.time()))
    end = start + dt.timedelta(days=1)
    entries = AccessLogEntry.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    limit = settings.NIR_ACCESS_ALERT_PERSONS_PER_DAY
    findings = []
    per_actor = (
        AccessLogPerson.objects.filter(entry__in=entries)
        .values("entry__actor", "entry__organisation")
        .annotate(persons=Count("person_id", distinct=True))
        .filter(persons__gt=limit)
    )
    for item in per_actor:
        findings.append(
            UnusualAccess(
                day=as_of,
                actor=item["entry__actor"],
                organisation=item["entry__organisation"],
                kind="many_persons",
                persons=item["persons"],
                detail=f"Leste {item['persons']} personer på én dag (grense {limit}).",
            )
        )
    municipal = entries.exclude(organisation__in=["IMDi", ""]).filter(
        organisation__regex=r"^\d{4}$"
    )
    outside: dict[tuple[str, str], set[int]] = {}
    kommuner_of: dict[int, set[str]] = {}
    for person_id, number in Participation.objects.filter(
        person_id__in=AccessLogPerson.objects.filter(entry__in=municipal).values("person_id")
    ).values_list("person_id", "kommune__number"):
        kommuner_of.setdefault(person_id, set()).add(number)
    for actor, organisation, person_id in AccessLogPerson.objects.filter(
        entry__in=municipal
    ).values_list("entry__actor", "entry__organisation", "person_id"):
        if person_id in kommuner_of and organisation not in kommuner_of[person_id]:
            outside.setdefault((actor, organisation), set()).add(person_id)
    for (actor, organisation), persons in outside.items():
        findings.append(
            UnusualAccess(
                day=as_of,
                actor=actor,
                organisation=organisation,
                kind="outside_kommune",
                persons=len(persons),
                detail=f"Leste {len(persons)} personer med deltakelse i en annen kommune.",
            )
        )
    UnusualAccess.objects.bulk_create(findings, ignore_conflicts=True)
    return {"findings": len(findings)}
