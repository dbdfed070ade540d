"""The passing of a Norwegian-training frist (rules-norsk.md N3-d), the scheduler's job.

From the day after the frist an open ordning is flagged «frist utløpt» (``frist_flagged_on``,
with its history event) and stands on the worklist; the register invents no end reason. It
is ended with reason ``frist_utlopt`` only behind ``auto_end_norsk_at_frist`` (off by
default), by ``end_norsk_by_system`` with the other system's ends. Idempotent for a day: an
ordning flagged once is not flagged again, and a frist moved past the day lifts the flag
(``recompute_norsk_frist``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection, transaction
from django.db.models import DateField, F, Func, QuerySet

from nir.register.models import HistoryEvent
from nir.register.norsk_models import NorskParticipation
from nir.register.services import events
from nir.register.services.context import SYSTEM, write_context
from nir.register.services.history import basis_json
from nir.register.services.norsk import end_norsk_by_system
from nir.rules.norsk.frist import OrdningStatus, frist_state


@dataclass(frozen=True, slots=True)
class NorskFristRun:
    flagged: int
    ended: int


CHUNK = 2000
# The event the flagging writes, its shape from the catalogue (set_frist_flag writes the same).
_EVENT = events.NORSK_FRIST_PASSED


def _due(as_of: dt.date) -> QuerySet[NorskParticipation]:
    """The open ordninger whose frist passed before the day, not flagged yet."""
    return NorskParticipation.objects.filter(
        end_date__isnull=True, frist__lt=as_of, frist_flagged_on__isnull=True
    )


# The day after a date, in each database's SQL: the flag is set the day after the frist
# (N3-d), by the chunk's UPDATE (``DayAfter``) and in its history rows (``_flag_sql``).
_DAY_AFTER = {"postgresql": "({} + 1)", "sqlite": "date({}, '+1 day')"}


class DayAfter(Func):
    """The day after a date column, as a date, on either database."""

    output_field = DateField()
    template = _DAY_AFTER["postgresql"].format("%(expressions)s")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = _DAY_AFTER["sqlite"].format("%(expressions)s")
        return super().as_sql(compiler, connection, template=template)


def flag_norsk_frist_passed(as_of: dt.date, at: dt.datetime | None = None) -> int:
    """Flag every open ordning whose frist passed before ``as_of`` and is not flagged yet.

    Set-based, a chunk at a time in one transaction: each chunk's history events are made
    by one INSERT ... SELECT and its ordninger flagged by one UPDATE, as the programme's
    sweep does, with no row brought into Python but the chunk's last id."""
    ctx = replace(write_context(SYSTEM, at), as_of=as_of)
    # The rule decides what the day does to an ordning whose frist passed before it (every
    # row the filter finds is one: open, frist < as_of); its basis goes on every event.
    state = frist_state(
        as_of - dt.timedelta(days=1), as_of, ended=False, params=ctx.config.norsk.frist
    )
    if state.status is not OrdningStatus.FRIST_UTLOPT:
        return 0
    ops = connection.ops
    params: dict[str, Any] = {
        "as_of": ops.adapt_datefield_value(as_of),
        "now": ops.adapt_datetimefield_value(ctx.at),
        "actor": ctx.actor.name,
        "channel": ctx.actor.channel.value,
        "action": _EVENT.action,
        "entity": _EVENT.entity,
        "basis": json.dumps(basis_json([state.basis])),
    }
    tables = {"n": NorskParticipation._meta.db_table, "h": HistoryEvent._meta.db_table}
    history_sql = _flag_sql(connection.vendor).format(**tables)
    flagged = 0
    with transaction.atomic(), connection.cursor() as cursor:
        last = 0
        while ids := list(
            _due(as_of)
            .filter(pk__gt=last)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        ):
            first, last = last, ids[-1]
            cursor.execute(history_sql, {**params, "first": first, "last": last})
            written = cursor.rowcount
            updated = (
                _due(as_of)
                .filter(pk__gt=first, pk__lte=last)
                .update(
                    frist_flagged_on=DayAfter("frist"), version=F("version") + 1, updated_at=ctx.at
                )
            )
            if written != updated:
                raise RuntimeError("norsk frist: history and flag counts differ; rolled back")
            flagged += updated
    return flagged


def _flag_sql(vendor: str) -> str:
    """One chunk's history rows, one INSERT ... SELECT over the ordninger the UPDATE beside
    it flags, with the shape of NORSK_FRIST_PASSED from the catalogue: the same rows
    ``set_frist_flag`` writes, made by the database instead of a Python loop."""
    (key,) = _EVENT.after or ()
    flag = _DAY_AFTER[vendor].format("frist")
    if vendor == "postgresql":
        build, basis = "jsonb_build_object", "%(basis)s::jsonb"
    else:
        build, basis = "json_object", "json(%(basis)s)"
    return f"""
        INSERT INTO {{h}} (occurred_at, actor, channel, action, kommune_id, person_id,
                           norsk_participation_id, entity, entity_id, before, after,
                           legal_basis)
        SELECT %(now)s, %(actor)s, %(channel)s, %(action)s, kommune_id, person_id,
               id, %(entity)s, id, {build}('{key}', NULL), {build}('{key}', {flag}), {basis}
        FROM {{n}}
        WHERE id > %(first)s AND id <= %(last)s
          AND end_date IS NULL AND frist < %(as_of)s AND frist_flagged_on IS NULL
        ORDER BY id
    """  # noqa: S608 (table names and SQL functions only; every value is a parameter)


def run_norsk_frist(as_of: dt.date, at: dt.datetime | None = None) -> NorskFristRun:
    """The daily job: flag the frister passed, then the system's ends (the frist's only
    behind its switch)."""
    flagged = flag_norsk_frist_passed(as_of, at)
    return NorskFristRun(flagged, end_norsk_by_system(as_of, at))
