"""A municipality's registered persons indexed with their ids, in place of the foreign key's
own index on the municipality alone: the change feed reads them as ids from the index.

The foreign key's index is dropped by hand: Django's AlterField would rebuild the foreign
key itself (a table rewrite on SQLite).
"""

import django.db.models.deletion
from django.db import migrations, models

FOREIGN_KEY_INDEX = "register_person_registered_by_kommune_id_fe579d0e"


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0024_history_distinct_participations_and_persons"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["registered_by_kommune", "id"], name="person_registered_by"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{FOREIGN_KEY_INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{FOREIGN_KEY_INDEX}" '
                        'ON "register_person" ("registered_by_kommune_id")'
                    ),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="registered_by_kommune",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="register.kommune",
                    ),
                ),
            ],
        ),
    ]
