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
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import DateField, F, Func

from nir.register.norsk_models import NorskParticipation
from nir.register.services.context import SYSTEM, write_context
from nir.register.services.new_participants import PendingRows, write_rows
from nir.register.services.norsk import end_norsk_by_system, set_frist_flag
from nir.rules.norsk.frist import OrdningStatus, frist_state


@dataclass(frozen=True, slots=True)
class NorskFristRun:
    flagged: int
    ended: int


CHUNK = 2000


class DayAfter(Func):
    """The day after a date column, as a date, on either database: the flag is set the day
    after the frist (N3-d) in the one UPDATE of a chunk."""

    output_field = DateField()
    template = "(%(expressions)s + 1)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="date(%(expressions)s, '+1 day')")


def flag_norsk_frist_passed(as_of: dt.date, at: dt.datetime | None = None) -> int:
    """Flag every open ordning whose frist passed before ``as_of`` and is not flagged yet.

    Set-based, a chunk at a time in one transaction: each chunk's ordninger are updated in
    one statement and their history events written in another, as the programme's sweep
    does, instead of two statements an ordning."""
    ctx = replace(write_context(SYSTEM, at), as_of=as_of)
    flagged = 0
    due = NorskParticipation.objects.filter(
        end_date__isnull=True, frist__lt=as_of, frist_flagged_on__isnull=True
    )
    with transaction.atomic():
        last = 0
        locked = due.select_for_update(of=("self",)).select_related("person").order_by("pk")
        while chunk := list(locked.filter(pk__gt=last)[:CHUNK]):
            last = chunk[-1].pk
            history = PendingRows({}, {})
            changed = []
            for row in chunk:
                assert row.frist is not None  # the filter above
                state = frist_state(row.frist, as_of, ended=False, params=ctx.config.norsk.frist)
                if state.status is not OrdningStatus.FRIST_UTLOPT:
                    continue
                flag = row.frist + dt.timedelta(days=1)
                set_frist_flag(replace(ctx, store=history), row, flag, [state.basis])
                changed.append(row.pk)
            NorskParticipation.objects.filter(pk__in=changed).update(
                frist_flagged_on=DayAfter("frist"), version=F("version") + 1, updated_at=ctx.at
            )
            write_rows([history])
            flagged += len(changed)
    return flagged


def run_norsk_frist(as_of: dt.date, at: dt.datetime | None = None) -> NorskFristRun:
    """The daily job: flag the frister passed, then the system's ends (the frist's only
    behind its switch)."""
    flagged = flag_norsk_frist_passed(as_of, at)
    return NorskFristRun(flagged, end_norsk_by_system(as_of, at))
