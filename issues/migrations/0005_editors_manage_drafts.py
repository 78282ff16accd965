"""Editors save edits as drafts and publish or discard them: they manage drafts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DRAFT_PERMISSIONS = ["view_draft", "add_draft", "change_draft", "delete_draft"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("issues")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="issues", codename__in=DRAFT_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*Permission.objects.filter(codename__in=DRAFT_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("issues", "0004_drafts_and_status")]

    operations = [migrations.RunPython(grant, revoke)]
