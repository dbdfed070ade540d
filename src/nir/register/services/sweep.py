"""The daily sweep (rules.md §4): end every participation whose frist has passed.

One set-based statement per database, not a loop over rows: a history event for each
participation it ends, and the termination itself, in one transaction. Running it twice
for the same date changes nothing the second time, and it never touches a participation
that already has an end.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from nir.register.models import HistoryEvent, Participation, TerminationSource
from nir.register.rule_config import rule_config
from nir.register.services import events
from nir.register.services.context import SYSTEM
from nir.register.services.history import basis_json
from nir.rules.termination import BASIS_AUTOMATIC, IKKE_REGISTRERT, AutomaticAction


@dataclass(frozen=True, slots=True)
class SweepResult:
    as_of: dt.date
    ended: int
    dry_run: bool


def _due(as_of: dt.date):  # type: ignore[no-untyped-def]
    return Participation.objects.filter(end_date__isnull=True, frist__lt=as_of)


# The kind of event the sweep writes, and the state before and after it, from the catalogue.
_EVENT = events.AUTOMATIC_TERMINATION[AutomaticAction.END]
# An open participation: its frist, and no termination.
_BEFORE = {
    "frist": "frist",
    "end_date": "NULL",
    "termination_reason": "''",
    "termination_source": "''",
}
_AFTER = {
    "frist": "frist",
    "end_date": "{end_date}",
    "termination_reason": "%(reason)s",
    "termination_source": "%(source)s",
}


def _state(function: str, values: dict[str, str], end_date: str) -> str:
    """The SQL of a termination state (events.TERMINATION_STATE) as a JSON object."""
    pairs = ", ".join(
        f"'{key}', {values[key].format(end_date=end_date)}" for key in events.TERMINATION_STATE
    )
    return f"{function}({pairs})"


def _history_select(function: str, end_date: str) -> str:
    """The SELECT list of the history rows: who, when, what, and the state before and after."""
    return f"""
        SELECT %(now)s, %(actor)s, %(channel)s, %(action)s, kommune_id, person_id,
               id, %(entity)s, id,
               {_state(function, _BEFORE, "NULL")},
               {_state(function, _AFTER, end_date)},
               %(basis)s"""


_HISTORY_COLUMNS = """INSERT INTO {h} (occurred_at, actor, channel, action, kommune_id, person_id,
                     participation_id, entity, entity_id, before, after, legal_basis)"""

# PostgreSQL: the UPDATE and the history INSERT in one statement.
_ENDED = """
    WITH ended AS (
        UPDATE {p} SET end_date = frist + %(offset)s, termination_reason = %(reason)s,
            termination_source = %(source)s, version = version + 1, updated_at = %(now)s
        WHERE end_date IS NULL AND frist < %(as_of)s
        RETURNING id, person_id, kommune_id, frist, end_date
    )
"""
_POSTGRESQL = "".join(
    (
        _ENDED,
        _HISTORY_COLUMNS,
        _history_select("jsonb_build_object", "end_date").replace("%(basis)s", "%(basis)s::jsonb"),
        "\n    FROM ended ORDER BY id\n",
    )
)

# SQLite has no UPDATE in a CTE; its single writer lock makes the pair atomic instead.
# The history rows are written in participation order, not in the frist order the partial
# index yields them: the history indexes keyed by participation and person then grow at
# one end instead of at random pages, so the INSERT touches far fewer pages. (``+id``: the
# rows are still found through the open-frist index and sorted, not read in id order from
# the whole table.)
_SQLITE_HISTORY = "".join(
    (
        _HISTORY_COLUMNS,
        _history_select("json_object", "date(frist, %(offset_days)s)").replace(
            "%(basis)s", "json(%(basis)s)"
        ),
        "\n    FROM {p} WHERE end_date IS NULL AND frist < %(as_of)s ORDER BY +id\n",
    )
)
_SQLITE_UPDATE = """
    UPDATE {p} SET end_date = date(frist, %(offset_days)s), termination_reason = %(reason)s,
        termination_source = %(source)s, version = version + 1, updated_at = %(now)s
    WHERE end_date IS NULL AND frist < %(as_of)s
"""


def run_sweep(
    *, as_of: dt.date, dry_run: bool = False, at: dt.datetime | None = None
) -> SweepResult:
    """End, as «avslutningsårsak ikke registrert», every open participation with frist < as_of.

    ``at`` is the moment the history records for the change (now, unless a caller replays a
    past day)."""
    if dry_run:
        return SweepResult(as_of, _due(as_of).count(), True)
    offset = rule_config().automatic_end_offset_days
    ops = connection.ops
    params = {
        "as_of": ops.adapt_datefield_value(as_of),
        "now": ops.adapt_datetimefield_value(at or timezone.now()),
        "reason": IKKE_REGISTRERT,
        "source": TerminationSource.SYSTEM.value,
        "offset": offset,
        "offset_days": f"{offset:+d} days",
        "basis": json.dumps(basis_json([BASIS_AUTOMATIC])),
        "actor": SYSTEM.name,
        "channel": SYSTEM.channel.value,
        "action": _EVENT.action,
        "entity": _EVENT.entity,
    }
    tables = {"p": Participation._meta.db_table, "h": HistoryEvent._meta.db_table}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL.format(**tables), params)
            ended = cursor.rowcount
        else:
            cursor.execute(_SQLITE_HISTORY.format(**tables), params)
            ended = cursor.rowcount
            cursor.execute(_SQLITE_UPDATE.format(**tables), params)
            if cursor.rowcount != ended:
                raise RuntimeError("sweep: history and termination counts differ; rolled back")
    return SweepResult(as_of, ended, False)
