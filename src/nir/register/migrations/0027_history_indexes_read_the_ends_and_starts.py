"""The history's indexes of the termination changes and the creations hold the end date
before and after each change and the start each creation records, so the cut-off against
now tells the changes that bear on a year's figures from the index (cutoff_comparison).

PostgreSQL keeps no statistics for the expressions of a partial index, and without them
guessed a third of the changes after the cut-off to end by the year's last day (none did,
at a million participations), and planned a scan of every participation and person for
them. Extended statistics on the three expressions tell it, gathered at once by ANALYZE.
"""

from django.db import migrations, models

import nir.register.json_text
from nir.register.json_text import JSON_TEXT

# The end before and after a change and the creation's start, as the indexes spell them.
STATISTICS = {
    "history_end_before": ("before", "end_date"),
    "history_end_after": ("after", "end_date"),
    "history_start_created": ("after", "start_date"),
}


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (column, key) in STATISTICS.items():
            expression = JSON_TEXT["postgresql"].format(col=column, key=key)
            schema_editor.execute(
                f"CREATE STATISTICS IF NOT EXISTS {name} ON ({expression}) "
                "FROM register_historyevent"
            )
        schema_editor.execute("ANALYZE register_historyevent")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in STATISTICS:
            schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0026_participation_decision_missing"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="historyevent",
            name="history_created_at",
        ),
        migrations.RemoveIndex(
            model_name="historyevent",
            name="history_termination_changes",
        ),
        migrations.AddIndex(
            model_name="historyevent",
            index=models.Index(
                models.F("occurred_at"),
                nir.register.json_text.JsonText("before", "end_date"),
                nir.register.json_text.JsonText("after", "end_date"),
                condition=models.Q(
                    (
                        "action__in",
                        (
                            "automatic_termination_end",
                            "automatic_termination_lift",
                            "automatic_termination_move",
                            "termination_cancelled",
                            "termination_registered",
                            "termination_replaced_automatic",
                        ),
                    )
                ),
                name="history_termination_changes",
            ),
        ),
        migrations.AddIndex(
            model_name="historyevent",
            index=models.Index(
                models.F("occurred_at"),
                nir.register.json_text.JsonText("after", "start_date"),
                condition=models.Q(
                    ("action__in", ("participation_created", "participation_seeded"))
                ),
                name="history_created_at",
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
