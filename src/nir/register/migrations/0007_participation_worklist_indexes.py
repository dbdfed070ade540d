"""A municipality's open participations by frist and by start: the worklist's pages, the
counts on top, tomorrow's reminders and the API's deadlines read these ranges directly."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0006_indexes_for_figures_and_reports"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                condition=models.Q(("end_date__isnull", True)),
                fields=["kommune", "frist"],
                name="participation_k_open_frist",
            ),
        ),
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                condition=models.Q(("end_date__isnull", True)),
                fields=["kommune", "start_date"],
                name="participation_k_open_start",
            ),
        ),
    ]
