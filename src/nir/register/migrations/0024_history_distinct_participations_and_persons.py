"""How many participations and persons the history names, told to the planner.

ANALYZE reads a sample of 30,000 history rows and, each participation and person having a
dozen events or so, takes the sample's few repeats for many: at 12 million events it
counted 51,000 participations where there are a million, and planned the figures at a
cut-off for a twentieth of the participations they read. The count is given as a share of
the rows (a twentieth), which holds as the register grows. SQLite keeps no such statistic.
"""

from django.db import migrations

COLUMNS = ("participation_id", "person_id")


def set_distinct(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(
                f"ALTER TABLE register_historyevent ALTER COLUMN {column} SET (n_distinct = -0.05)"
            )
        schema_editor.execute("ANALYZE register_historyevent")


def reset_distinct(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(
                f"ALTER TABLE register_historyevent ALTER COLUMN {column} RESET (n_distinct)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0023_indexes_for_data_quality"),
    ]

    operations = [migrations.RunPython(set_distinct, reset_distinct)]
