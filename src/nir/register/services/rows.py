"""New rows made the way ``Model(**values)`` makes them, at a fraction of its cost.

A registration makes a dozen rows (the registration, its history events, the frist's
derivation), and a seed or a February batch makes them by the hundred thousand: Django's
``Model.__init__`` walks every field of the model and every keyword for each, and took
about a fifth of the seed's time. ``new_row`` fills the instance's attributes from the
model's defaults, computed once a model, and then sets what it is given, related objects
the way the foreign key's descriptor sets them (the id, the cached object, the database);
where anything listens for a model's ``pre_init`` or ``post_init`` it is that model's own
``__init__`` that runs, so such a listener is never skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models, router
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


@dataclass(frozen=True, slots=True)
class _Shape:
    """A model's fields as a new row needs them."""

    constant: dict[str, Any]  # attname -> a default that is a value
    computed: tuple[tuple[str, Callable[[], Any]], ...]  # attname -> a default to call
    # field name -> its foreign key and the model a related row must be
    relations: dict[str, tuple[models.ForeignKey[Any, Any], type[models.Model]]]
    attnames: frozenset[str]


@cache
def _shape(model: type[models.Model]) -> _Shape:
    constant: dict[str, Any] = {}
    computed: list[tuple[str, Callable[[], Any]]] = []
    relations = {}
    for field in model._meta.concrete_fields:
        if field.generated:
            continue
        if field.has_default() and callable(field.default):
            computed.append((field.attname, field.get_default))
        else:
            constant[field.attname] = field.get_default()
        if isinstance(field, models.ForeignKey):
            target = field.remote_field.model._meta.concrete_model
            assert target is not None, f"{field} relates to no concrete model"
            relations[field.name] = (field, target)
    attnames = frozenset(constant) | {attname for attname, _ in computed}
    return _Shape(constant, tuple(computed), relations, attnames)


def new_row[M: models.Model](model: type[M], /, **values: Any) -> M:
    """``model(**values)``: every field at its default but those given, by attribute name
    (``kommune_id``) or, for a foreign key, by field name with the related row."""
    if _listened(model):
        return model(**values)
    shape = _shape(model)
    row = model.__new__(model)
    state = row._state = ModelState()
    attributes = row.__dict__
    attributes.update(shape.constant)
    for attname, default in shape.computed:
        attributes[attname] = default()
    for name, value in values.items():
        relation = shape.relations.get(name)
        if relation is not None:
            _relate(row, state, *relation, value)
        elif name in shape.attnames:
            attributes[name] = value
        else:
            raise TypeError(f"{model.__name__}() got an unexpected keyword argument {name!r}")
    return row


def _listened(model: type[models.Model]) -> bool:
    # The lists first: asking a signal for a sender's receivers costs more than the row.
    return bool(pre_init.receivers and pre_init.has_listeners(model)) or bool(
        post_init.receivers and post_init.has_listeners(model)
    )


def _relate(
    row: models.Model,
    state: ModelState,
    field: models.ForeignKey[Any, Any],
    target: type[models.Model],
    value: Any,
) -> None:
    """What the foreign key's descriptor does when ``row.<field> = value`` on a new row."""
    if value is not None:
        if not isinstance(value, target):
            raise ValueError(
                f'Cannot assign "{value!r}": "{type(row).__name__}.{field.name}" must be a '
                f'"{target._meta.object_name}" instance.'
            )
        if state.db is None:
            state.db = router.db_for_write(type(row), instance=value)
        if value._state.db is None:
            value._state.db = router.db_for_write(type(value), instance=row)
        if not router.allow_relation(value, row):
            raise ValueError(
                f'Cannot assign "{value!r}": the current database router prevents this relation.'
            )
    for local, remote in field.related_fields:
        row.__dict__[local.attname] = None if value is None else getattr(value, remote.attname)
    state.fields_cache[field.name] = value
    if value is not None and not field.remote_field.multiple:
        # A one-to-one key: the related row knows this one too.
        field.remote_field.set_cached_value(value, row)
