"""The Norwegian-training scheme's items on the shared write path: the preview is the
save on ``MemoryRows`` (the same refusals, the same frist, nothing written), and hours are
dated rows, per module in the 75-hour social-studies scheme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nir.register.models import HistoryEvent
from nir.register.norsk_models import NorskHours, NorskLeave, NorskParticipation
from nir.register.norsk_previews import preview_norsk
from nir.register.services.items import (
    ExtendedNorwegianItem,
    FinalTestResultItem,
    LeaveItem,
    NorskHoursItem,
)
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.errors import RuleViolation
from nir.rules.norsk.hours import Subject
from nir.rules.norsk.rights import PermitList
from tests.conftest import at
from tests.norsk_fixtures import PASSED_ON, START

D = dt.date
LEAVE = LeaveItem("foreldrepermisjon", D(2022, 8, 1), D(2022, 9, 30), D(2022, 8, 1))


@pytest.mark.django_db
def test_a_leave_preview_shows_n1s_moved_frist_and_writes_nothing(ordning):
    events = HistoryEvent.objects.count()
    shown = preview_norsk(ordning, LEAVE, D(2022, 8, 1))
    assert (shown.current_frist, shown.new_frist, shown.frist_moves) == (
        D(2023, 9, 10),
        D(2023, 11, 10),
        True,
    )
    assert "Godkjent permisjon legger til 61 dager." in shown.derivation["explanation"]
    assert not NorskLeave.objects.exists()
    assert HistoryEvent.objects.count() == events
    assert NorskParticipation.objects.get(pk=ordning.pk).frist == D(2023, 9, 10)


@pytest.mark.django_db
def test_the_saved_leave_gives_the_frist_its_preview_showed(ordning, norsk_a):
    shown = preview_norsk(ordning, LEAVE, D(2022, 8, 1))
    saved = register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=LEAVE,
        expected_version=ordning.version,
        at=at(D(2022, 8, 1)),
    )
    assert saved.frist == shown.new_frist == D(2023, 11, 10)


@pytest.mark.django_db
def test_the_preview_refuses_what_the_save_refuses(ordning, norsk_a):
    """A § 43 g decision is for kap. 6A (N3-c); late leave is outside the window."""
    for item, day in (
        (ExtendedNorwegianItem(D(2023, 9, 1), 6), D(2023, 9, 1)),
        (LEAVE, D(2022, 12, 1)),
    ):
        with pytest.raises(RuleViolation) as previewed:
            preview_norsk(ordning, item, day)
        with pytest.raises(RuleViolation) as saved:
            register_norsk_item(
                actor=norsk_a, norsk_participation_id=ordning.pk, item=item, at=at(day)
            )
        assert previewed.value.code == saved.value.code


@pytest.mark.django_db
def test_a_preview_of_the_result_that_reaches_the_norskmaal_shows_the_end(
    ordning, norsk_a, passing_result
):
    day = PASSED_ON
    shown = preview_norsk(
        NorskParticipation.objects.get(pk=ordning.pk), FinalTestResultItem(passing_result), day
    )
    assert shown.end_reason == "norskmal_nadd"
    assert NorskParticipation.objects.get(pk=ordning.pk).end_date is None


def _hours(subject, module=None, hours="12.5"):
    return NorskHoursItem(subject, D(2022, 8, 1), D(2022, 9, 30), Decimal(hours), module)


@pytest.mark.django_db
def test_social_studies_hours_are_registered_per_module_in_the_75_hour_scheme(ordning, norsk_a):
    def register(item):
        return register_norsk_item(
            actor=norsk_a, norsk_participation_id=ordning.pk, item=item, at=at(D(2022, 10, 1))
        )

    with pytest.raises(RuleViolation) as refused:
        register(_hours(Subject.SAMFUNNSKUNNSKAP))
    assert (refused.value.field, refused.value.code) == ("module", "norsk.hours.module_required")
    with pytest.raises(RuleViolation) as refused:
        register(_hours(Subject.NORSK, module=1))
    assert refused.value.code == "norsk.hours.no_modules"
    with pytest.raises(RuleViolation) as refused:
        register(_hours(Subject.NORSK, hours="0"))
    assert refused.value.field == "hours"
    register(_hours(Subject.SAMFUNNSKUNNSKAP, module=2))
    register(_hours(Subject.NORSK, hours="40"))
    stored = list(NorskHours.objects.filter(norsk_participation=ordning).order_by("id"))
    assert [(h.subject, h.module, h.hours) for h in stored] == [
        ("samfunnskunnskap", 2, Decimal("12.5")),
        ("norsk", None, Decimal("40")),
    ]
    assert (
        HistoryEvent.objects.filter(
            norsk_participation=ordning, action="norsk_hours_registered"
        ).count()
        == 2
    )


def _duty_only(norsk_a, kommune_a, make_person, permit_list=PermitList.PLIKT):
    """A § 28 work immigrant with a permit in Norway from 2022: 225 hours of Norwegian and
    75 of social studies in three modules (N1); with ``ss27`` the same person has the right."""
    person = make_person(permit_type="annet", permit_date=START, has_upper_secondary=True)
    return start_norsk_participation(
        actor=norsk_a,
        person_id=person.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(start_date=START, permit_list=permit_list),
        at=at(START),
    )


# The hours of N1's duty-only targets: Norwegian by June, the three modules by September.
DUTY_HOURS = (
    NorskHoursItem(Subject.NORSK, D(2022, 3, 10), D(2022, 6, 30), Decimal(225)),
    NorskHoursItem(Subject.SAMFUNNSKUNNSKAP, D(2022, 4, 1), D(2022, 6, 30), Decimal(25), 1),
    NorskHoursItem(Subject.SAMFUNNSKUNNSKAP, D(2022, 7, 1), D(2022, 8, 31), Decimal(25), 2),
)
LAST_MODULE = NorskHoursItem(
    Subject.SAMFUNNSKUNNSKAP, D(2022, 9, 1), D(2022, 9, 30), Decimal(25), 3
)


def _register_hours(actor, ordning, items):
    """Each period's hours registered the day after it ends."""
    for item in items:
        day = item.end_date + dt.timedelta(days=1)
        register_norsk_item(actor=actor, norsk_participation_id=ordning.pk, item=item, at=at(day))
    return NorskParticipation.objects.get(pk=ordning.pk)


@pytest.mark.django_db
def test_the_hours_that_complete_a_duty_only_persons_targets_end_the_ordning_in_the_same_write(
    norsk_a, kommune_a, make_person
):
    """N6 «timer gjennomført», set by the system: the registration of the last module ends
    the ordning on that period's last day, and the preview shows the end before the save."""
    ordning = _register_hours(norsk_a, _duty_only(norsk_a, kommune_a, make_person), DUTY_HOURS)
    assert ordning.end_date is None  # 225 + 50 hours: the social studies are not done
    shown = preview_norsk(ordning, LAST_MODULE, D(2022, 10, 1))
    assert shown.end_reason == "timer_gjennomfort"
    assert NorskParticipation.objects.get(pk=ordning.pk).end_date is None
    ended = _register_hours(norsk_a, ordning, [LAST_MODULE])
    assert (ended.end_date, ended.end_reason, ended.end_set_by) == (
        D(2022, 9, 30),
        "timer_gjennomfort",
        "system",
    )
    event = HistoryEvent.objects.get(
        norsk_participation=ordning, action="norsk_participation_ended"
    )
    last_hours = HistoryEvent.objects.filter(
        norsk_participation=ordning, action="norsk_hours_registered"
    ).latest("pk")
    assert event.after["end_reason"] == "timer_gjennomfort" and event.pk > last_hours.pk
    assert event.occurred_at == last_hours.occurred_at  # one write


@pytest.mark.django_db
def test_with_the_right_the_hours_never_end_the_ordning(norsk_a, kommune_a, make_person):
    """Rett og plikt: the norskmaal is the goal (N2), however many hours are done."""
    ordning = _duty_only(norsk_a, kommune_a, make_person, PermitList.RETT_OG_PLIKT)
    ordning = _register_hours(norsk_a, ordning, (*DUTY_HOURS, LAST_MODULE))
    assert ordning.end_date is None
