"""The Reviewers group, and both roles brought up to date with the publish permissions.

The permission lists are written out as they stood when this migration was made: a migration
must not import live code, or a later change to ``roles.py`` would change what an old migration
does. Later changes to the roles reach the database through ``roles.sync_groups`` on
``post_migrate`` (see ``apps.py``).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "outlet",
    "source",
    "official",
    "position",
    "stickingpoint",
    "round",
    "participant",
    "agendaitem",
    "statement",
    "quote",
    "claim",
    "citation",
]
INLINE_ROWS = ["position", "participant", "agendaitem", "citation"]
PUBLISHABLE = ["source", "official", "stickingpoint", "round", "statement", "quote", "claim"]
EDITORS = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")] + [
    f"delete_{model}" for model in INLINE_ROWS
]
GROUPS = {"Editors": EDITORS, "Reviewers": EDITORS + [f"publish_{m}" for m in PUBLISHABLE]}


def sync_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; a fresh database needs them now.
    app_config = apps.get_app_config("negotiations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="negotiations", codename__in=codenames
            )
        )


def remove_reviewers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Reviewers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("negotiations", "0004_history_versions_and_publish_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_reviewers)]
