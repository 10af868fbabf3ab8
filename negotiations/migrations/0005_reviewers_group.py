"""The Reviewers group, and both roles brought up to date with the publish permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from negotiations.roles import REVIEWERS, sync_groups


def sync_roles(apps, schema_editor):
    app_config = apps.get_app_config("negotiations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_reviewers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("negotiations", "0004_history_versions_and_publish_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_reviewers)]
