"""A withdrawal can be undone for a while: "Withdrawn. Undo", then the position as it was."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues import services
from issues.models import Position

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def position(editing_dossier) -> Position:
    """A live position of `tests/dossiers/editing.yaml`, taken by a leader."""
    return Position.objects.get(
        issue__slug="harbour-rights", leader__slug="ada-quillon", kind="rhetoric"
    )


def withdraw(client, position: Position, **headers):
    url = f"/issues/harbour-rights/positions/{position.pk}/withdraw/"
    return client.post(url, {"version": position.version, "note": "superseded"}, headers=headers)


def restore(client, position: Position, version: int, **headers):
    url = f"/issues/harbour-rights/positions/{position.pk}/restore/"
    return client.post(url, {"version": version}, headers=headers)


def test_withdrawn_offers_undo_and_updates_the_page(editor_client, position):
    response = withdraw(editor_client, position, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Withdrawn." in body and ">Undo</button>" in body
    assert f'action="/issues/harbour-rights/positions/{position.pk}/restore/"' in body
    assert 'data-announce="Position withdrawn.' in body
    assert 'id="sources-list" data-hx-swap-oob="true"' in body
    assert 'id="editor-bar" aria-label="Editing" data-hx-swap-oob="true"' in body


def test_undo_restores_the_position_as_it_was_in_a_new_revision(editor_client, editor, position):
    before = Position.objects.get(pk=position.pk)
    withdraw(editor_client, position, **HTMX)
    withdrawn = Position.objects.get(pk=position.pk)
    revisions = position.history.count()

    response = restore(editor_client, position, withdrawn.version, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="position-{position.pk}"' in body and 'data-announce="Withdrawal undone."' in body
    restored = Position.objects.get(pk=position.pk)
    assert restored.withdrawn_at is None
    assert (restored.summary, restored.posture, restored.source_id) == (
        before.summary,
        before.posture,
        before.source_id,
    )
    assert position.history.count() == revisions + 1
    latest = position.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("Withdrawal undone", editor)


def test_undo_is_refused_once_the_time_is_up(editor_client, position, settings):
    settings.WITHDRAW_UNDO_MINUTES = 5
    withdraw(editor_client, position, **HTMX)
    long_ago = timezone.now() - timedelta(minutes=6)
    Position.objects.filter(pk=position.pk).update(withdrawn_at=long_ago)
    version = Position.objects.get(pk=position.pk).version

    response = restore(editor_client, position, version, **HTMX)

    assert response.status_code == 422
    assert "can be undone for 5 minutes only" in response.content.decode()
    assert Position.objects.get(pk=position.pk).withdrawn_at == long_ago


def test_undo_over_a_changed_version_or_of_a_live_position_is_refused(editor_client, position):
    assert restore(editor_client, position, position.version, **HTMX).status_code == 422
    withdraw(editor_client, position, **HTMX)
    stale = position.version  # the version before the withdrawal
    assert restore(editor_client, position, stale, **HTMX).status_code == 409
    assert Position.objects.get(pk=position.pk).withdrawn_at is not None


def test_undo_works_without_javascript(editor_client, position):
    response = withdraw(editor_client, position)
    assert response.status_code == 200
    assert "<html" in response.content.decode() and ">Undo</button>" in response.content.decode()
    version = Position.objects.get(pk=position.pk).version
    response = restore(editor_client, position, version)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#position-{position.pk}")
    assert Position.objects.get(pk=position.pk).withdrawn_at is None


def test_the_service_is_one_transaction_with_the_version_check(editor, position):
    withdrawn = services.position_withdraw(
        position=position, editor=editor, note="", expected_version=position.version
    )
    with pytest.raises(services.EditConflict):
        services.position_restore(
            position=position, editor=editor, expected_version=withdrawn.version - 1
        )
    restored = services.position_restore(
        position=position, editor=editor, expected_version=withdrawn.version
    )
    assert restored.withdrawn_at is None and restored.version == withdrawn.version + 1
