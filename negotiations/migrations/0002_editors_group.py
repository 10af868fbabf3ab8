"""The Editors group, with what editors need to enter and correct the knowledge base."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
# Editors add and change every record; they may delete only the rows that live inside a
# parent's form (a participant, an agenda item, a citation, a position), never a source,
# round, official, issue, quote or claim.
CHANGE_MODELS = [
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
DELETE_MODELS = ["position", "participant", "agendaitem", "citation"]


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; a fresh database needs them now.
    app_config = apps.get_app_config("negotiations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}" for model in CHANGE_MODELS for action in ("add", "change", "view")
    ] + [f"delete_{model}" for model in DELETE_MODELS]
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="negotiations", codename__in=codenames)
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("negotiations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
