"""Dossier files in the back office: upload (checked, previewed, applied) and download."""

from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from issues.dossier.write import dossier_import
from issues.models import Issue

pytestmark = pytest.mark.django_db

SYNTHETIC = Path(__file__).with_name("dossiers") / "synthetic.yaml"
IMPORT = "/admin/issues/issue/import-dossier/"


def upload(client, data: bytes, name: str = "dossier.yaml"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def test_upload_previews_without_writing_then_applies(client, superuser):
    client.force_login(superuser)
    preview = upload(client, SYNTHETIC.read_bytes())
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview of dossier.yaml" in page and "Apply this import" in page
    assert Issue.objects.count() == 0  # nothing written by the preview
    digest = preview.context["digest"]
    applied = client.post(IMPORT, {"apply": "1", "digest": digest}, follow=True)
    assert "Dossier imported" in applied.content.decode()
    assert Issue.objects.count() == 2


def test_a_bad_upload_lists_its_problems_and_writes_nothing(client, superuser):
    client.force_login(superuser)
    bad = SYNTHETIC.read_text().replace("posture: -1", "posture: 7")
    page = upload(client, bad.encode()).content.decode()
    assert "issues[0].positions[0].posture: 7 is not between -2 and 2" in page
    assert "Nothing was imported" in page
    assert Issue.objects.count() == 0


def test_apply_needs_the_previewed_file(client, superuser):
    client.force_login(superuser)
    response = client.post(IMPORT, {"apply": "1", "digest": "forged"}, follow=True)
    assert "upload the file again" in response.content.decode()
    assert Issue.objects.count() == 0


def test_importing_needs_the_right_to_publish(client, editor):
    client.force_login(editor)
    assert editor.has_perm("issues.publish_drafts")
    assert client.get(IMPORT).status_code == 200
    editor.groups.clear()
    editor.user_permissions.add(Permission.objects.get(codename="view_issue"))
    client.force_login(User.objects.get(pk=editor.pk))
    assert client.get(IMPORT).status_code == 403


def test_download_the_selected_issues(client, superuser):
    dossier_import(SYNTHETIC.read_bytes())
    client.force_login(superuser)
    issue = Issue.objects.get(slug="synthetic-water-rights")
    response = client.post(
        "/admin/issues/issue/",
        {"action": "download_dossier", "_selected_action": [issue.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="dossier.yaml"'
    document = yaml.safe_load(response.content)
    assert [i["slug"] for i in document["issues"]] == ["synthetic-water-rights"]
    page = client.get("/admin/issues/issue/").content.decode()
    assert "Import a dossier file" in page
