"""The Editors group: exactly what an editor needs, and nothing of account management."""

import importlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from issues.models import Issue, Position
from tests import factories

pytestmark = pytest.mark.django_db

EDITOR_PERMISSIONS = importlib.import_module(
    "issues.migrations.0002_editors_group"
).EDITOR_PERMISSIONS
DRAFT_PERMISSIONS = importlib.import_module(
    "issues.migrations.0005_editors_manage_drafts"
).DRAFT_PERMISSIONS
PUBLICATION_PERMISSIONS = importlib.import_module(
    "issues.migrations.0007_editors_publish"
).EDITOR_PERMISSIONS
OUTCOME_PERMISSIONS = importlib.import_module(
    "issues.migrations.0009_editors_record_outcomes"
).EDITOR_PERMISSIONS
# Written only by the scoring code, from the outcomes editors record: editors read them.
COMPUTED = {"score", "rescore"}

User = get_user_model()


def dossier_models():
    return [
        model
        for model in apps.get_app_config("issues").get_models()
        if not model.__name__.startswith("Historical") and not model._meta.auto_created
    ]


def granted(group: Group) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


def test_the_group_has_exactly_the_permissions_its_migrations_list():
    expected = {
        f"issues.{action}_{model}"
        for model, actions in EDITOR_PERMISSIONS.items()
        for action in actions
    } | {
        f"issues.{codename}"
        for codename in [*DRAFT_PERMISSIONS, *PUBLICATION_PERMISSIONS, *OUTCOME_PERMISSIONS]
    }

    assert granted(Group.objects.get(name="Editors")) == expected


def test_editors_view_add_and_change_every_dossier_record(editor):
    for model in dossier_models():
        name = model._meta.model_name
        for action in ("view",) if name in COMPUTED else ("view", "add", "change"):
            permission = f"issues.{action}_{name}"
            assert editor.has_perm(permission), f"editors lack {permission}"
        if name in COMPUTED:
            assert not editor.has_perm(f"issues.change_{name}")


@pytest.mark.parametrize(
    "model", ["issue", "position", "event", "outlookassessment", "scenario", "source"]
)
def test_an_editor_adds_and_changes_the_dossier(editor, model):
    assert editor.has_perm(f"issues.add_{model}")
    assert editor.has_perm(f"issues.change_{model}")


def test_editors_delete_only_links_and_details(editor):
    deletable = {
        permission.removeprefix("issues.delete_")
        for permission in editor.get_all_permissions()
        if permission.startswith("issues.delete_")
    }

    assert deletable == {
        "office",
        "scenario",
        "eventcitation",
        "assessmentcitation",
        "scalelabel",
        "draft",  # discarding a draft edit; the published record stays
        "issueoutcome",  # an outcome detail; removing it re-scores the meeting
        "scenariooutcome",
    }
    assert not editor.has_perm("issues.delete_position")
    assert not editor.has_perm("issues.delete_issue")


def test_editors_have_no_permission_outside_the_dossier(editor):
    assert {permission.split(".")[0] for permission in editor.get_all_permissions()} == {"issues"}
    for action in ("view", "add", "change", "delete"):
        assert not editor.has_perm(f"auth.{action}_user")
        assert not editor.has_perm(f"auth.{action}_group")


@pytest.mark.parametrize("model", [Position, Issue])
def test_an_editor_cannot_delete_a_position_or_an_issue_in_the_admin(editor_client, model):
    obj = factories.PositionFactory() if model is Position else factories.IssueFactory()
    url = reverse(f"admin:issues_{model._meta.model_name}_delete", args=[obj.pk])

    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403

    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [Position, Issue])
def test_a_superuser_deletes_a_position_or_an_issue_in_the_admin(client, superuser, model):
    client.force_login(superuser)
    obj = factories.PositionFactory() if model is Position else factories.IssueFactory()
    url = reverse(f"admin:issues_{model._meta.model_name}_delete", args=[obj.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not model.objects.filter(pk=obj.pk).exists()


def _account_pages(user: User) -> list[str]:
    group = Group.objects.get(name="Editors")
    return [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[user.pk]),
        reverse("admin:auth_user_password_change", args=[user.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:auth_group_change", args=[group.pk]),
    ]


def test_an_editor_cannot_open_the_account_pages(editor_client, editor, reader):
    for user in (editor, reader):
        for url in _account_pages(user):
            assert editor_client.get(url).status_code == 403, url


def test_an_editor_cannot_make_themselves_a_superuser(editor_client, editor):
    url = reverse("admin:auth_user_change", args=[editor.pk])

    response = editor_client.post(url, {"username": "editor", "is_superuser": "on"})

    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_a_superuser_opens_the_account_pages(client, superuser, reader):
    client.force_login(superuser)
    for url in _account_pages(reader):
        assert client.get(url).status_code == 200, url


def test_a_superuser_has_every_permission(superuser):
    everything = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }

    assert everything  # the permissions exist, so the check below means something
    assert all(superuser.has_perm(permission) for permission in everything)


# `manage.py create_editor`


@pytest.fixture
def no_editor_env(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.delenv("EDITOR_USERNAME", raising=False)


def create_editor(**options) -> str:
    out = StringIO()
    call_command("create_editor", stdout=out, **options)
    return out.getvalue()


def test_create_editor_makes_a_staff_editor_and_prints_its_password(no_editor_env, client):
    output = create_editor()

    user = User.objects.get(username="editor")
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    match = re.search(r"Editor account: editor / (\S+)", output)
    assert match, output
    password = match[1]
    assert len(password) >= 12
    assert user.check_password(password)
    # Signed in through the sign-in page, as an editor would (throttling needs the request).
    signed_in = client.post("/admin/login/", {"username": "editor", "password": password})
    assert signed_in.status_code == 302
    assert client.get(reverse("admin:issues_issue_changelist")).status_code == 200


def test_create_editor_takes_the_password_from_the_environment(no_editor_env, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a chosen passphrase")

    output = create_editor(username="alice")

    user = User.objects.get(username="alice")
    assert user.check_password("a chosen passphrase")
    assert user.groups.filter(name="Editors").exists()
    assert "a chosen passphrase" not in output
    assert "(from EDITOR_PASSWORD)" in output


def test_create_editor_run_again_leaves_the_password_unchanged(no_editor_env):
    password = re.search(r"editor / (\S+)", create_editor())[1]
    stored = User.objects.get(username="editor").password

    output = create_editor()

    user = User.objects.get(username="editor")
    assert user.password == stored
    assert user.check_password(password)
    assert "password unchanged" in output
    assert password not in output
    assert User.objects.filter(username="editor").count() == 1
    assert user.groups.filter(name="Editors").count() == 1


def test_create_editor_run_again_keeps_the_environments_password(no_editor_env, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a chosen passphrase")
    create_editor()
    monkeypatch.delenv("EDITOR_PASSWORD")

    create_editor()

    assert User.objects.get(username="editor").check_password("a chosen passphrase")


def test_create_editor_makes_an_existing_account_an_editor(no_editor_env, reader):
    stored = reader.password

    create_editor(username="reader")

    reader.refresh_from_db()
    assert reader.is_staff
    assert reader.groups.filter(name="Editors").exists()
    assert reader.password == stored
