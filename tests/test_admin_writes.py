"""The back office never overwrites an edit silently, and its history page's revert form
writes only for those who may change the record."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from issues import services
from issues.models import Position, PublicationStatus
from tests import factories
from tests.test_admin import admin_url, form_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(editor):
    record = factories.PositionFactory(summary="First wording", posture=0)
    # Saved once through the services, as an in-place edit would be, so it has a revision.
    return services.record_update(
        record=record,
        editor=editor,
        edit=services.Edit(values={"summary": "Second wording"}),
        expected_version=record.version,
    )


def in_place_edit(position, editor, **values):
    return services.record_update(
        record=position,
        editor=editor,
        edit=services.Edit(values=values, note="In place"),
        expected_version=Position.objects.get(pk=position.pk).version,
    )


def test_a_fresh_admin_form_saves(editor_client, admin_form, position):
    url = admin_url(Position, "change", position.pk)
    data = admin_form(editor_client, url)
    data["posture"] = "2"

    assert editor_client.post(url, data).status_code == 302
    position.refresh_from_db()
    assert position.posture == 2


def test_a_stale_admin_form_is_refused_naming_what_changed(
    editor_client, editor, admin_form, position
):
    url = admin_url(Position, "change", position.pk)
    data = admin_form(editor_client, url)  # the editor opens the form...
    in_place_edit(position, editor, posture=-2)  # ...someone changes the posture meanwhile
    data["summary"] = "The admin's wording"

    response = editor_client.post(url, data)

    assert response.status_code == 200  # the form again, with the message
    [message] = form_errors(response)["__all__"]
    assert "changed this record after you opened it" in message
    assert "posture" in message
    position.refresh_from_db()
    assert (position.posture, position.summary) == (-2, "Second wording")


def _revert_url(position) -> str:
    oldest = position.history.order_by("history_date").first()
    return reverse("admin:issues_position_simple_history", args=[position.pk, oldest.history_id])


@pytest.fixture
def view_only_client(client):
    user = factories.UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="issues", codename__startswith="view_")
    )
    client.force_login(user)
    return client


@pytest.mark.ignore_template_errors  # simple-history's revert template, not ours
@pytest.mark.parametrize(
    ("who", "allowed"),
    [("view_only_client", False), ("staff_client", False), ("editor_client", True)],
)
def test_the_revert_form_writes_only_for_those_who_may_change(
    request, admin_form, position, editor_client, who, allowed
):
    url = _revert_url(position)
    data = admin_form(editor_client, url)  # the form as an editor sees it
    data["summary"] = "Written through the revert form"
    client = request.getfixturevalue(who)  # signs the same client in as `who`

    response = client.post(url, data)

    position.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert position.summary == "Written through the revert form"
    else:
        assert response.status_code == 403
        assert position.summary == "Second wording"
        assert position.status == PublicationStatus.PUBLISHED
