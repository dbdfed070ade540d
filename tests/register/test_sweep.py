"""The daily sweep (rules.md §4) and its management command, through the real database."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from nir.register.models import HistoryEvent, Participation
from nir.register.services.items import TerminationItem
from nir.register.services.participations import (
    NewParticipation,
    create_participation,
    register_termination,
)
from nir.register.services.sweep import run_sweep
from tests.conftest import OSLO, at

D = dt.date
AS_OF = D(2023, 8, 1)


def _p13(make_person, actor, kommune, start: dt.date, born: dt.date) -> Participation:
    """A § 13 participation: frist = start + 6 months."""
    # Distinct birth dates: make_person's counter alone may repeat a number within a test.
    person = make_person(registered_on=start, birth_date=born)
    return create_participation(
        actor=actor,
        person_id=person.pk,
        new=NewParticipation(start_date=start, sluttmaal="arbeid"),
        kommune_id=kommune.pk,
        at=at(start),
    )


@pytest.fixture
def register(make_person, caseworker_a, caseworker_b, kommune_a, kommune_b):
    """Participations around AS_OF, in two municipalities, one with a real termination."""
    a, b = caseworker_a, caseworker_b
    overdue_a = _p13(make_person, a, kommune_a, D(2023, 1, 15), D(1990, 5, 11))  # frist 07-15
    overdue_b = _p13(make_person, b, kommune_b, D(2023, 1, 31), D(1990, 5, 12))  # frist 07-31
    on_frist = _p13(make_person, a, kommune_a, D(2023, 2, 1), D(1990, 5, 13))  # frist 08-01
    later = _p13(make_person, a, kommune_a, D(2023, 3, 15), D(1990, 5, 14))  # frist 09-15
    terminated = _p13(make_person, a, kommune_a, D(2023, 1, 15), D(1990, 5, 15))  # frist 07-15
    terminated = register_termination(
        actor=caseworker_a,
        participation_id=terminated.pk,
        termination=TerminationItem(end_date=D(2023, 5, 1), reason="arbeid"),
        at=at(D(2023, 5, 2)),
    )
    return {
        "overdue_a": overdue_a,
        "overdue_b": overdue_b,
        "on_frist": on_frist,
        "later": later,
        "terminated": terminated,
    }


def _rows() -> dict[int, tuple]:
    return {
        p.pk: (p.end_date, p.termination_reason, p.termination_source, p.version, p.updated_at)
        for p in Participation.objects.all()
    }


@pytest.mark.django_db
def test_the_sweep_ends_exactly_the_open_participations_whose_frist_has_passed(register):
    assert register["overdue_a"].frist == D(2023, 7, 15)
    assert register["on_frist"].frist == AS_OF
    versions = {p.pk: p.version for p in Participation.objects.all()}

    result = run_sweep(as_of=AS_OF)

    assert (result.as_of, result.ended, result.dry_run) == (AS_OF, 2, False)
    ended = Participation.objects.filter(termination_source="system")
    assert {p.pk for p in ended} == {register["overdue_a"].pk, register["overdue_b"].pk}
    for p in ended:
        assert (p.end_date, p.termination_reason) == (p.frist, "ikke_registrert")
        assert p.version == versions[p.pk] + 1
    for name in ("on_frist", "later"):
        p = Participation.objects.get(pk=register[name].pk)
        assert (p.end_date, p.termination_reason, p.termination_source) == (None, "", "")
        assert p.version == versions[p.pk]


@pytest.mark.django_db
def test_the_sweep_never_touches_a_real_termination(register):
    terminated = register["terminated"]
    before = _rows()[terminated.pk]
    events = HistoryEvent.objects.filter(participation=terminated).count()

    run_sweep(as_of=AS_OF)
    run_sweep(as_of=D(2030, 1, 1))

    assert _rows()[terminated.pk] == before
    stored = Participation.objects.get(pk=terminated.pk)
    assert (stored.end_date, stored.termination_reason, stored.termination_source) == (
        D(2023, 5, 1),
        "arbeid",
        "user",
    )
    assert HistoryEvent.objects.filter(participation=terminated).count() == events


@pytest.mark.django_db
def test_the_sweep_is_idempotent_for_a_date(register):
    assert run_sweep(as_of=AS_OF).ended == 2
    rows, events = _rows(), HistoryEvent.objects.count()

    again = run_sweep(as_of=AS_OF)

    assert again.ended == 0
    assert _rows() == rows
    assert HistoryEvent.objects.count() == events
    # The next day, the participation whose frist was AS_OF is due as well.
    assert run_sweep(as_of=AS_OF + dt.timedelta(days=1)).ended == 1
    assert Participation.objects.get(pk=register["on_frist"].pk).end_date == AS_OF


@pytest.mark.django_db
def test_a_dry_run_counts_without_writing(register):
    rows, events = _rows(), HistoryEvent.objects.count()

    result = run_sweep(as_of=AS_OF, dry_run=True)

    assert (result.ended, result.dry_run) == (2, True)
    assert _rows() == rows
    assert HistoryEvent.objects.count() == events
    assert run_sweep(as_of=AS_OF).ended == 2  # the real run ends what the dry run counted


@pytest.mark.django_db
def test_the_sweep_writes_one_history_event_per_ended_participation(register):
    events = set(HistoryEvent.objects.values_list("id", flat=True))

    run_sweep(as_of=AS_OF)

    new = HistoryEvent.objects.exclude(id__in=events)
    ended = {register["overdue_a"].pk, register["overdue_b"].pk}
    assert sorted(e.participation_id for e in new) == sorted(ended)
    for event in new:
        p = Participation.objects.get(pk=event.participation_id)
        assert event.action == "automatic_termination_end"
        assert (event.actor, event.channel) == ("system", "system")
        assert (event.entity, event.entity_id) == ("participation", p.pk)
        assert (event.person_id, event.kommune_id) == (p.person_id, p.kommune_id)
        assert event.before["end_date"] is None
        assert event.before["termination_reason"] == ""
        assert event.after == {
            "frist": p.frist.isoformat(),
            "end_date": p.frist.isoformat(),
            "termination_reason": "ikke_registrert",
            "termination_source": "system",
        }
        assert [b["rule_id"] for b in event.legal_basis] == ["termination.automatic"]
        assert event.occurred_at is not None
    # Each municipality sees its own participant's event.
    assert {e.kommune_id for e in new} == {
        register["overdue_a"].kommune_id,
        register["overdue_b"].kommune_id,
    }


@pytest.mark.django_db
def test_the_end_date_follows_the_configured_offset(register, settings):
    settings.NIR_RULES = {**settings.NIR_RULES, "automatic_end_offset_days": -1}

    assert run_sweep(as_of=AS_OF).ended == 2

    for name in ("overdue_a", "overdue_b"):
        p = Participation.objects.get(pk=register[name].pk)
        assert p.end_date == p.frist - dt.timedelta(days=1)
        assert p.termination_reason == "ikke_registrert"
        event = HistoryEvent.objects.get(participation=p, action="automatic_termination_end")
        assert event.after["end_date"] == (p.frist - dt.timedelta(days=1)).isoformat()
        assert event.after["frist"] == p.frist.isoformat()


@pytest.mark.django_db
def test_the_sweep_with_nothing_due_ends_nothing(db):
    events = HistoryEvent.objects.count()
    assert run_sweep(as_of=AS_OF).ended == 0
    assert HistoryEvent.objects.count() == events


# --- the management command --------------------------------------------------------------


def _call(*args: str) -> str:
    out = StringIO()
    call_command("sweep", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_how_many_it_ended(register):
    output = _call("--date", "2023-08-01")
    assert "2023-08-01" in output
    assert "ended 2 participation(s)" in output
    assert Participation.objects.filter(termination_reason="ikke_registrert").count() == 2
    assert "ended 0 participation(s)" in _call("--date", "2023-08-01")


@pytest.mark.django_db
def test_the_command_dry_run_says_would_end_and_writes_nothing(register):
    rows, events = _rows(), HistoryEvent.objects.count()
    output = _call("--date", "2023-08-01", "--dry-run")
    assert "would end 2 participation(s)" in output
    assert _rows() == rows
    assert HistoryEvent.objects.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["01.08.2023", "2023-02-30", "tomorrow", ""])
def test_the_command_refuses_a_bad_date_naming_the_option(bad, register):
    rows, events = _rows(), HistoryEvent.objects.count()
    with pytest.raises(CommandError, match="--date"):
        _call("--date", bad)
    assert _rows() == rows
    assert HistoryEvent.objects.count() == events


@pytest.mark.django_db
def test_the_command_defaults_to_today_in_oslo(register):
    # 23:30 UTC on 31 July is already 1 August in Oslo: the frist of 31 July has passed.
    with time_machine.travel(dt.datetime(2023, 7, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        output = _call()
    assert "sweep 2023-08-01: ended 2 participation(s)" in output
    assert dt.datetime(2023, 8, 1, 1, 30, tzinfo=OSLO).date() == AS_OF
