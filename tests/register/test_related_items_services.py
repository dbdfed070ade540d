"""The intro participant's related items (rules-norsk.md N8) through the programme's item
path on the real database: dated records with a status, history through the catalogue, the
warnings of N8-b and N8-c, refusals that name the field and leave nothing half-written."""

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, Participation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.related_items import related_items_state
from nir.register.services.context import Actor, Channel, SchemeNotHeld
from nir.register.services.items import DecisionItem, RelatedItemStatusItem
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.registrations import register_item
from nir.rules.errors import RuleViolation
from nir.rules.norsk.related_items import ItemStatus, RelatedItemKind
from nir.rules.schemes import Scheme
from tests.conftest import at

D = dt.date
START = D(2026, 3, 2)
TODAY = D(2026, 4, 15)


def _participation(make_person, actor, kommune, *, start=START, sluttmaal="arbeid", **person):
    person_row = make_person(registered_on=start, **person)
    return create_participation(
        actor=actor,
        person_id=person_row.pk,
        new=NewParticipation(start_date=start, sluttmaal=sluttmaal),
        kommune_id=kommune.pk,
        at=at(start),
    )


def _register(actor, p, item, day=TODAY):
    return register_item(
        actor=actor,
        participation_id=p.pk,
        item=item,
        expected_version=Participation.objects.get(pk=p.pk).version,
        at=at(day),
    )


def _state(p, day=TODAY):
    p = Participation.objects.select_related("person").get(pk=p.pk)
    return related_items_state(p, list(p.related_items.all()), list(p.decisions.all()), day)


@pytest.fixture
def participation(make_person, caseworker_a, kommune_a):
    return _participation(
        make_person,
        caseworker_a,
        kommune_a,
        permit_date=D(2025, 11, 3),
        settlement_date=D(2025, 12, 1),
    )


def test_a_completed_mapping_is_a_dated_record_with_its_history(participation, caseworker_a):
    version = Participation.objects.get(pk=participation.pk).version
    frist = Participation.objects.get(pk=participation.pk).frist
    _register(
        caseworker_a,
        participation,
        RelatedItemStatusItem("kompetansekartlegging", "gjennomfort", D(2026, 2, 20)),
    )
    row = RelatedItemRecord.objects.get(participation=participation)
    assert (row.item_kind, row.status, row.date_completed) == (
        "kompetansekartlegging",
        "gjennomfort",
        D(2026, 2, 20),
    )
    assert row.registered_by == caseworker_a.name
    event = HistoryEvent.objects.filter(action="related_item_registered").get()
    assert event.entity_id == row.pk
    assert event.after["status"] == "gjennomfort"
    assert event.after["date_completed"] == "2026-02-20"
    after = Participation.objects.get(pk=participation.pk)
    assert after.version == version + 1
    assert after.frist == frist  # the items never move the frist


def test_the_newest_status_of_a_kind_holds(participation, caseworker_a):
    _register(caseworker_a, participation, RelatedItemStatusItem("livsmestring", "pabegynt"))
    _register(
        caseworker_a,
        participation,
        RelatedItemStatusItem("livsmestring", "gjennomfort", D(2026, 4, 10)),
    )
    lines = {line.kind: line for line in _state(participation).lines}
    assert lines[RelatedItemKind.LIVSMESTRING].status is ItemStatus.GJENNOMFORT
    assert lines[RelatedItemKind.KARRIEREVEILEDNING].status is ItemStatus.IKKE_STARTET
    assert RelatedItemRecord.objects.filter(participation=participation).count() == 2


def test_a_start_decision_without_completed_mapping_is_warned_not_refused(
    participation, caseworker_a
):
    """N8-b: the decision is registered; the participant page and API say the mapping is
    missing, and late (more than three months after settlement on 2025-12-01)."""
    _register(caseworker_a, participation, DecisionItem("innvilget", D(2026, 3, 20)))
    codes = [w.code for w in _state(participation).warnings]
    assert codes == ["norsk.related.kartlegging_missing", "norsk.related.kartlegging_late"]
    late = _state(participation).warnings[1]
    assert late.params == {"deadline": "2026-03-01"}
    _register(
        caseworker_a,
        participation,
        RelatedItemStatusItem("kompetansekartlegging", "gjennomfort", D(2026, 3, 10)),
    )
    assert _state(participation).warnings == []


def test_foreldreveiledning_is_not_applicable_unless_marked(participation, caseworker_a):
    """N8-c: the register holds no children, so the caseworker's mark decides."""
    _register(caseworker_a, participation, RelatedItemStatusItem("foreldreveiledning", "pabegynt"))
    state = _state(participation)
    line = next(x for x in state.lines if x.kind is RelatedItemKind.FORELDREVEILEDNING)
    assert line.status is ItemStatus.IKKE_AKTUELT
    assert [w.code for w in state.warnings] == ["norsk.related.foreldreveiledning_not_applicable"]
    _register(
        caseworker_a,
        participation,
        RelatedItemStatusItem("foreldreveiledning", "pabegynt", marked_applicable=True),
    )
    state = _state(participation)
    line = next(x for x in state.lines if x.kind is RelatedItemKind.FORELDREVEILEDNING)
    assert line.status is ItemStatus.PABEGYNT
    assert state.warnings == []


def _refused(call, field, code):
    before = (RelatedItemRecord.objects.count(), HistoryEvent.objects.count())
    with pytest.raises(RuleViolation) as refused:
        call()
    assert (refused.value.field, refused.value.code) == (field, code)
    assert (RelatedItemRecord.objects.count(), HistoryEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("item", "field", "code"),
    [
        (RelatedItemStatusItem("kurs", "pabegynt"), "item_kind", "item_kind.invalid"),
        (RelatedItemStatusItem("livsmestring", "ferdig"), "status", "status.invalid"),
        (
            RelatedItemStatusItem("livsmestring", "gjennomfort"),
            "date_completed",
            "norsk.related.completion_date",
        ),
        (
            RelatedItemStatusItem("livsmestring", "pabegynt", D(2026, 4, 1)),
            "date_completed",
            "norsk.related.completion_date",
        ),
        (
            RelatedItemStatusItem("livsmestring", "gjennomfort", D(2026, 4, 20)),
            "date_completed",
            "date_completed.future",
        ),
        (
            RelatedItemStatusItem(
                "livsmestring", "gjennomfort", D(2026, 4, 1), "imdinett_readonly"
            ),
            "source",
            "norsk.related.not_read_from_imdinett",
        ),
        (
            RelatedItemStatusItem("kompetansekartlegging", "gjennomfort", D(2025, 12, 1)),
            "date_completed",
            "registration_window.closed",
        ),
    ],
)
def test_a_record_that_cannot_be_true_is_refused_and_nothing_written(
    participation, caseworker_a, item, field, code
):
    _refused(lambda: _register(caseworker_a, participation, item), field, code)


def test_no_integreringskontrakt_under_introduksjonsloven(make_person, caseworker_a, kommune_a):
    start, day = D(2020, 9, 1), D(2020, 10, 1)
    p = _participation(
        make_person, caseworker_a, kommune_a, start=start, sluttmaal=None, permit_date=D(2020, 6, 1)
    )
    assert p.regime == "introduksjonsloven"
    item = RelatedItemStatusItem("integreringskontrakt", "gjennomfort", D(2020, 9, 20))
    _refused(
        lambda: _register(caseworker_a, p, item, day),
        "integreringskontrakt",
        "norsk.related.no_contract_for_regime",
    )
    kinds = [line.kind for line in _state(p, day).lines]
    assert RelatedItemKind.INTEGRERINGSKONTRAKT not in kinds


def test_a_norwegian_training_only_user_cannot_register_them(participation, kommune_a):
    norsk_only = Actor("nina@oslo", Channel.WEB, kommune_a.pk, frozenset({Scheme.NORSK}))
    with pytest.raises(SchemeNotHeld):
        _register(norsk_only, participation, RelatedItemStatusItem("livsmestring", "pabegynt"))
