"""The Editors group: exactly what an editor needs, so making someone an editor is one click.

Editors add and change every dossier record. They may delete only links and details
(citations, offices, scenario and label rows), never a position (a superseded position is
withdrawn) and never a user: managing accounts is for superusers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"

EDITOR_PERMISSIONS = {
    "country": ["view", "add", "change"],
    "leader": ["view", "add", "change"],
    "office": ["view", "add", "change", "delete"],
    "topic": ["view", "add", "change"],
    "source": ["view", "add", "change"],
    "summit": ["view", "add", "change"],
    "meeting": ["view", "add", "change"],
    "scenario": ["view", "add", "change", "delete"],
    "issue": ["view", "add", "change"],
    "position": ["view", "add", "change"],
    "event": ["view", "add", "change"],
    "eventcitation": ["view", "add", "change", "delete"],
    "outlookassessment": ["view", "add", "change"],
    "assessmentcitation": ["view", "add", "change", "delete"],
    "scalelabel": ["view", "add", "change", "delete"],
}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to use them.
    app_config = apps.get_app_config("issues")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    codenames = [
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(content_type__app_label="issues", codename__in=codenames)
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
