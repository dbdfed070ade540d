"""Drop the single-column indexes of four foreign keys that a composite index already leads
with (each index is paid for on every write, and the history is written most).

Written by hand: Django's own AlterField would rebuild the foreign keys (a table rewrite on
SQLite, a long lock on PostgreSQL) and, on PostgreSQL, would also drop the partial unique
index ``norsk_one_open_per_person``, which is on the same single column.
"""

import django.db.models.deletion
from django.db import migrations, models

# (the index Django made for the foreign key, its table, its column)
_DROPPED = (
    ("register_historyevent_kommune_id_006a526e", "register_historyevent", "kommune_id"),
    (
        "register_historyevent_participation_id_cec638df",
        "register_historyevent",
        "participation_id",
    ),
    (
        "register_norskparticipation_person_id_44886560",
        "register_norskparticipation",
        "person_id",
    ),
    ("register_participation_person_id_170262f2", "register_participation", "person_id"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0020_change_feed_covering_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in _DROPPED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="historyevent",
                    name="kommune",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="register.kommune",
                    ),
                ),
                migrations.AlterField(
                    model_name="historyevent",
                    name="participation",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="history",
                        to="register.participation",
                    ),
                ),
                migrations.AlterField(
                    model_name="norskparticipation",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="norsk_participations",
                        to="register.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="participation",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="participations",
                        to="register.person",
                    ),
                ),
            ],
        ),
    ]
