"""``new_row`` makes the row ``Model(**values)`` makes: the same attributes, defaults, cached
related rows and database, for every model of the register; and a model that something
listens to as it is made is made by its own ``__init__``."""

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from nir.register.models import Decision, HistoryEvent, Kommune, Participation, Person
from nir.register.norsk_models import NorskmaalVersion
from nir.register.services.rows import new_row


def _made(row: models.Model) -> dict[str, Any]:
    attributes = {k: v for k, v in row.__dict__.items() if k != "_state"}
    state = row._state
    return {
        "attributes": attributes,
        "db": state.db,
        "adding": state.adding,
        "cached": dict(state.fields_cache),
    }


def _same(model: type[models.Model], **values: Any) -> None:
    assert _made(new_row(model, **values)) == _made(model(**values))


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label == "register"],
    ids=lambda m: m.__name__,
)
def test_every_register_model_starts_at_its_defaults(model):
    _same(model)


def test_a_related_row_given_by_object_is_cached_and_sets_the_id(db, make_person):
    person = make_person()
    kommune = Kommune.objects.get(number="0301")
    values = {
        "person": person,
        "kommune": kommune,
        "case_id": "S-1",
        "regime": "integreringsloven",
        "category": "plikt",
        "start_date": dt.date(2024, 1, 1),
        "version": 0,
    }
    _same(Participation, **values)
    made = new_row(Participation, **values)
    assert made.person_id == person.pk and made.kommune_id == kommune.pk
    with CaptureQueriesContext(connection) as queries:
        assert made.person is person
    assert len(queries) == 0


def test_a_pending_related_row_is_taken_as_it_is(db):
    pending = Participation(case_id="S-2")
    _same(Decision, participation=pending, decision_type="oppstart", decided_on=dt.date(2024, 1, 1))
    _same(Decision, participation=None, decision_type="oppstart")


def test_ids_and_callable_defaults(db):
    _same(HistoryEvent, person_id=7, participation_id=None, action="person_registered")
    first, second = new_row(NorskmaalVersion), new_row(NorskmaalVersion)
    assert first.levels == {} and first.levels is not second.levels


def test_what_is_not_a_field_is_refused_as_the_model_refuses_it(db):
    with pytest.raises(TypeError, match="kommune_number"):
        new_row(Participation, kommune_number="0301")
    with pytest.raises(ValueError, match='must be a "Person" instance'):
        new_row(Participation, person=Kommune.objects.get(number="0301"))


def test_a_model_something_listens_to_is_made_by_its_own_init(db):
    heard: list[models.Model] = []

    def listen(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        heard.append(instance)

    post_init.connect(listen, sender=Person)
    try:
        person = new_row(Person, given_name="Kari")
    finally:
        post_init.disconnect(listen, sender=Person)
    assert heard == [person]


def test_a_new_row_saves_and_reads_back(db, make_person):
    person = make_person()
    event = new_row(HistoryEvent, person=person, action="person_registered", actor="x")
    event.occurred_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    event.channel = "web"
    event.entity = "person"
    event.save()
    stored = HistoryEvent.objects.get(pk=event.pk)
    assert (stored.person_id, stored.action, stored.legal_basis) == (
        person.pk,
        "person_registered",
        [],
    )
