"""A refused withdrawal or undo is shown where the position was, never a bare status: the
position as it is now (listed, or withdrawn), with what went wrong, announced and focused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues import services
from issues.models import Position
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def position() -> Position:
    issue = factories.IssueFactory(slug="tariffs")
    return factories.PositionFactory(issue=issue, summary="Tariffs stay.")


def withdraw(client, position: Position, data: dict, **headers):
    url = f"/issues/tariffs/positions/{position.pk}/withdraw/"
    return client.post(url, data, headers=headers)


def restore(client, position: Position, data: dict, **headers):
    url = f"/issues/tariffs/positions/{position.pk}/restore/"
    return client.post(url, data, headers=headers)


def test_a_stale_withdrawal_shows_the_position_as_it_is_now(editor_client, editor, position):
    stale = position.version
    services.record_update(
        record=position,
        editor=editor,
        edit=services.Edit(values={"summary": "Tariffs stay, for now."}),
        expected_version=stale,
    )

    response = withdraw(editor_client, position, {"version": stale}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert f'<article class="position" id="position-{position.pk}"' in body
    assert "Tariffs stay, for now." in body  # theirs, not the page's old text
    assert 'class="errors edit-refusal" data-focus' in body
    assert 'data-announce="Not withdrawn: someone else changed this position' in body
    current = Position.objects.get(pk=position.pk)
    assert f'name="version" value="{current.version}"' in body  # a retry can succeed
    assert current.withdrawn_at is None


def test_a_withdrawal_someone_else_made_shows_the_withdrawn_notice(editor_client, editor, position):
    stale = position.version
    services.position_withdraw(position=position, editor=editor, note="", expected_version=stale)

    response = withdraw(editor_client, position, {"version": stale}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert f'class="notice withdrawn" id="position-{position.pk}"' in body
    assert "Not withdrawn: someone else changed" in body
    assert ">Undo</button>" in body  # theirs can still be undone, from its new version


def test_a_withdrawal_not_understood_is_a_message_not_a_bare_400(editor_client, position):
    response = withdraw(editor_client, position, {"version": "many", "note": "x"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 400
    assert "The request was not understood (Enter a whole number.). Nothing was changed." in body
    assert f'id="position-{position.pk}"' in body
    assert Position.objects.get(pk=position.pk).withdrawn_at is None


def test_an_undo_too_late_says_so_and_focuses_the_message(
    editor_client, editor, position, settings
):
    settings.WITHDRAW_UNDO_MINUTES = 5
    services.position_withdraw(
        position=position, editor=editor, note="", expected_version=position.version
    )
    long_ago = timezone.now() - timedelta(minutes=6)
    Position.objects.filter(pk=position.pk).update(withdrawn_at=long_ago)

    response = restore(editor_client, position, {"version": position.version + 1}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 422
    assert 'class="errors edit-refusal" data-focus' in body
    assert "Not restored: A withdrawal can be undone for 5 minutes only." in body
    assert ">Undo</button>" not in body


def test_a_stale_undo_offers_undo_again_from_the_current_version(editor_client, editor, position):
    withdrawn = services.position_withdraw(
        position=position, editor=editor, note="", expected_version=position.version
    )

    response = restore(editor_client, position, {"version": withdrawn.version - 1}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert 'data-announce="Not restored: someone else changed this position' in body
    assert f'name="version" value="{withdrawn.version}"' in body
    assert '<button class="button" type="submit" data-focus>Undo</button>' in body
    assert Position.objects.get(pk=position.pk).withdrawn_at is not None


def test_an_undo_of_a_position_someone_restored_shows_it_listed(editor_client, editor, position):
    withdrawn = services.position_withdraw(
        position=position, editor=editor, note="", expected_version=position.version
    )
    services.position_restore(position=position, editor=editor, expected_version=withdrawn.version)

    response = restore(editor_client, position, {"version": withdrawn.version}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert f'<article class="position" id="position-{position.pk}"' in body
    assert "Not restored: someone else changed this position" in body
    assert ">Withdraw</button>" in body


def test_without_javascript_the_refusal_is_a_whole_page(editor_client, editor, position):
    stale = position.version
    services.position_withdraw(position=position, editor=editor, note="", expected_version=stale)

    response = withdraw(editor_client, position, {"version": stale})

    body = response.content.decode()
    assert response.status_code == 409
    assert "<html" in body and "Not withdrawn: someone else changed" in body
    assert 'href="/issues/tariffs/#positions"' in body
