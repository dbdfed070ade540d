"""A user may hold several roles (a municipality's two schemes): the single role becomes a
list, each existing user keeping exactly the role they had."""

from django.db import migrations, models

import nir.accounts.models


def role_to_roles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.all().only("pk", "role"):
        User.objects.filter(pk=user.pk).update(roles=[user.role])


def roles_to_role(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.all().only("pk", "roles"):
        User.objects.filter(pk=user.pk).update(role=user.roles[0])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_login_throttle_by_user_and_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="roles",
            field=models.JSONField(default=nir.accounts.models.default_roles),
        ),
        migrations.RunPython(role_to_roles, roles_to_role),
        migrations.RemoveConstraint(model_name="user", name="municipal_user_has_kommune"),
        migrations.RemoveField(model_name="user", name="role"),
        # Without constraints of its own the model takes AbstractUser's Meta.
        migrations.AlterModelOptions(
            name="user",
            options={"verbose_name": "user", "verbose_name_plural": "users"},
        ),
    ]
