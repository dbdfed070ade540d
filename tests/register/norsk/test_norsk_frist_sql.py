"""The frist flagging's history made in SQL (one INSERT ... SELECT a chunk) is the history
the services write one ordning at a time through ``set_frist_flag``: same rows, same
content, on either database; and a second run the same day writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.db import transaction
from django.db.models import F

from nir.register.models import HistoryEvent
from nir.register.norsk_models import NorskParticipation
from nir.register.services import norsk_frist
from nir.register.services.context import SYSTEM, write_context
from nir.register.services.new_participants import PendingRows, write_rows
from nir.register.services.norsk import (
    NewNorskParticipation,
    set_frist_flag,
    start_norsk_participation,
)
from nir.register.services.norsk_frist import DayAfter, flag_norsk_frist_passed
from nir.rules.norsk.frist import frist_state
from nir.rules.norsk.rights import PermitList
from tests.conftest import at
from tests.norsk_fixtures import START

D = dt.date
AS_OF = D(2024, 1, 15)
FIELDS = (
    "occurred_at",
    "actor",
    "channel",
    "action",
    "kommune_id",
    "person_id",
    "participation_id",
    "norsk_participation_id",
    "entity",
    "entity_id",
    "before",
    "after",
    "legal_basis",
    "late_registration_grant_id",
)


def _flag_one_at_a_time(as_of: dt.date, moment: dt.datetime) -> int:
    """The flagging as the services write it, an ordning at a time (the reference)."""
    ctx = replace(write_context(SYSTEM, moment), as_of=as_of)
    history = PendingRows({}, {})
    changed = []
    for row in norsk_frist._due(as_of).select_related("person").order_by("pk"):
        state = frist_state(row.frist, as_of, ended=False, params=ctx.config.norsk.frist)
        set_frist_flag(
            replace(ctx, store=history), row, row.frist + dt.timedelta(days=1), [state.basis]
        )
        changed.append(row.pk)
    NorskParticipation.objects.filter(pk__in=changed).update(
        frist_flagged_on=DayAfter("frist"), version=F("version") + 1, updated_at=ctx.at
    )
    write_rows([history])
    return len(changed)


def _state() -> tuple[list[tuple], list[tuple]]:
    rows = list(
        NorskParticipation.objects.order_by("pk").values_list(
            "pk", "frist", "frist_flagged_on", "version", "updated_at", "end_date"
        )
    )
    events = list(
        HistoryEvent.objects.filter(action="norsk_frist_passed")
        .order_by("norsk_participation_id")
        .values_list(*FIELDS)
    )
    return rows, events


class _Undo(Exception):
    pass


@pytest.fixture
def ordninger(norsk_a, kommune_a, make_person):
    """Ordninger with frister before, on and after the day, in a chunk smaller than them."""
    made = []
    for months in (0, 3, 20, 26):
        start = START + dt.timedelta(days=30 * months)
        person = make_person(permit_date=start, has_upper_secondary=True)
        made.append(
            start_norsk_participation(
                actor=norsk_a,
                person_id=person.pk,
                kommune_id=kommune_a.pk,
                new=NewNorskParticipation(start_date=start, permit_list=PermitList.RETT_OG_PLIKT),
                at=at(start),
            )
        )
    return made


@pytest.mark.django_db
def test_the_flagging_in_sql_writes_what_the_services_write(ordninger, monkeypatch):
    monkeypatch.setattr(norsk_frist, "CHUNK", 1)  # several chunks
    moment = at(AS_OF)
    try:
        with transaction.atomic():
            expected_count = _flag_one_at_a_time(AS_OF, moment)
            expected = _state()
            raise _Undo
    except _Undo:
        pass
    assert 0 < expected_count < len(ordninger)  # some passed, some not
    assert flag_norsk_frist_passed(AS_OF, moment) == expected_count
    assert _state() == expected
    # Idempotent for the day: nothing more is flagged or written.
    assert flag_norsk_frist_passed(AS_OF, moment) == 0
    assert _state() == expected
