"""The change feed's persons' parts without reading the history table.

A person's own events carry neither a municipality nor a participation. The partial index
of them now holds each event's person (PostgreSQL), and each scheme's participations are
indexed by person and municipality, so a part is two index-only reads. Extended statistics
count the history's two level columns together: taken as independent, their nulls made the
planner guess a seventh of the person-level events, and feed the part into a hash join
that read every later one from the table (0.35 s a page at 100,000 participants; 1 ms now).
SQLite has neither covering indexes nor such statistics, and plans by its indexes alone.
"""

from django.db import migrations, models

STATISTICS = "history_event_level"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) "
            "ON kommune_id, participation_id FROM register_historyevent"
        )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0019_history_indexes_for_the_change_feed"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="historyevent",
            name="history_feed_person_level",
        ),
        migrations.AddIndex(
            model_name="historyevent",
            index=models.Index(
                condition=models.Q(("kommune__isnull", True), ("participation__isnull", True)),
                fields=["id"],
                include=("person",),
                name="history_feed_person_level",
            ),
        ),
        migrations.AddIndex(
            model_name="norskparticipation",
            index=models.Index(fields=["person", "kommune"], name="norsk_person_kommune"),
        ),
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(fields=["person", "kommune"], name="participation_person_kommune"),
        ),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
