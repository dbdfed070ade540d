from django.db import migrations, models

# Every participation's flag from its decisions as they stand: one statement, the same on
# SQLite and PostgreSQL. New participations start without a decision (the field's default).
FROM_DECISIONS = """
UPDATE register_participation SET decision_missing = NOT EXISTS (
    SELECT 1 FROM register_decision d WHERE d.participation_id = register_participation.id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0025_person_registered_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="participation",
            name="decision_missing",
            field=models.BooleanField(default=True),
        ),
        migrations.RunSQL(FROM_DECISIONS, migrations.RunSQL.noop, elidable=False),
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                condition=models.Q(("decision_missing", True)),
                fields=["kommune", "start_date", "end_date"],
                name="participation_no_decision",
            ),
        ),
    ]
