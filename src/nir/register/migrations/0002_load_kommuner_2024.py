"""Load the 357 municipalities in force from 1 January 2024."""

from django.db import migrations

from nir.register.kommuner import VALID_FROM_2024, read_kommuner_2024


def load(apps, schema_editor):
    Kommune = apps.get_model("register", "Kommune")
    Kommune.objects.bulk_create(
        Kommune(
            number=row.number,
            name=row.name,
            display_name=row.display_name,
            county_number=row.county_number,
            county_name=row.county_name,
            valid_from=VALID_FROM_2024,
        )
        for row in read_kommuner_2024()
    )


def unload(apps, schema_editor):
    apps.get_model("register", "Kommune").objects.filter(valid_from=VALID_FROM_2024).delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
