"""Editors record outcomes and the sources' analyses; they read scores, which only the
scoring code writes. Like positions, an analysis or a meeting's outcome is corrected, not
deleted; an issue's or a scenario's outcome is a detail that may be removed."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ["analysis", "meetingoutcome", "issueoutcome", "scenariooutcome"]
    for action in ["add", "change", "view"]
] + ["delete_issueoutcome", "delete_scenariooutcome", "view_score", "view_rescore"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("issues")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="issues", codename__in=EDITOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="issues", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("issues", "0008_intervals_analysis_outcomes_scores")]

    operations = [migrations.RunPython(grant, revoke)]
