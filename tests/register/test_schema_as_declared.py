"""The database holds every index and constraint the register's models declare, by name: a
migration that changes an index beside them (dropping a foreign key's own index, say) must
not take a rule's unique constraint with it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection


@pytest.mark.django_db
def test_every_declared_index_and_constraint_is_in_the_database():
    missing = []
    with connection.cursor() as cursor:
        for app in apps.get_app_configs():
            if not app.name.startswith("nir."):
                continue
            for model in app.get_models():
                opts = model._meta
                if not opts.managed or opts.proxy:
                    continue
                present = connection.introspection.get_constraints(cursor, opts.db_table)
                declared = [i.name for i in opts.indexes] + [c.name for c in opts.constraints]
                missing += [f"{opts.db_table}.{name}" for name in declared if name not in present]
    assert missing == []
