"""An editor's issue page is built once per generation for each set of permissions
(issues/caching.py, `cached_for_editors`): never shared with a reader, a browser or a CDN,
fresh after any write, and carrying each viewer's own CSRF token."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from issues.models import Issue
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "synthetic-water-rights"  # of the synthetic dossier
ISSUE = f"/issues/{SLUG}/"
# A viewer's own part of a page from the cache: the session (read from the shared cache when
# it is Redis) and the user. Their permissions, which choose the page, are kept per generation.
VIEWERS_QUERIES = 2


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")  # the session's first use is not what is measured
    return client


def tokens(page: str) -> set[str]:
    """The CSRF tokens a page holds: in its forms and in the htmx header on `<body>`."""
    in_forms = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    in_header = re.findall(r'"x-csrftoken": "([^"]+)"', page)
    return set(in_forms) | set(in_header)


def without_tokens(page: str) -> str:
    for token in tokens(page):
        page = page.replace(token, "")
    return page


def test_the_second_request_takes_only_the_viewers_queries_and_shows_the_same_page(
    synthetic_dossier, editor
):
    client = signed_in(editor)
    first = client.get(ISSUE)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(ISSUE)
    assert len(queries) <= VIEWERS_QUERIES, [q["sql"][:120] for q in queries]
    assert second.status_code == 200 and "You are editing." in second.content.decode()
    assert without_tokens(first.content.decode()) == without_tokens(second.content.decode())
    assert "no-store" in second["Cache-Control"] and "private" in second["Cache-Control"]


def test_each_editor_gets_a_token_of_their_own_that_the_site_accepts(synthetic_dossier, editor):
    other = factories.UserFactory(username="other-editor", is_staff=True)
    other.groups.set(editor.groups.all())
    for user in (editor, other, editor):  # the second and third are served from the cache
        client = signed_in(user)
        page = client.get(ISSUE).content.decode()
        found = tokens(page)
        assert found, "no CSRF token on an editor's page"
        for token in found:
            response = client.post(f"/issues/{SLUG}/publish/", {"csrfmiddlewaretoken": token})
            assert response.status_code != 403, (user.username, token)


def test_a_token_from_another_editors_page_is_refused(synthetic_dossier, editor):
    other = factories.UserFactory(username="other-editor", is_staff=True)
    other.groups.set(editor.groups.all())
    theirs = tokens(signed_in(other).get(ISSUE).content.decode())
    client = signed_in(editor)
    client.get(ISSUE)
    response = client.post(f"/issues/{SLUG}/publish/", {"csrfmiddlewaretoken": theirs.pop()})
    assert response.status_code == 403


def test_a_draft_saved_by_anyone_shows_on_the_next_request(synthetic_dossier, editor):
    client = signed_in(editor)
    client.get(ISSUE)
    issue = Issue.objects.get(slug=SLUG)
    factories.DraftFactory(record=issue, data={"title": "Zqd a pending title"}, author=editor)
    assert "1 draft waiting to be published." in client.get(ISSUE).content.decode()


def test_a_viewer_with_other_permissions_does_not_get_an_editors_page(synthetic_dossier, editor):
    signed_in(editor).get(ISSUE)  # an editor's page is now cached
    drafts_only = factories.UserFactory(username="drafts-only")
    drafts_only.user_permissions.add(Permission.objects.get(codename="see_drafts"))
    page = signed_in(drafts_only).get(ISSUE).content.decode()
    assert "You are editing." not in page and "/edit/" not in page
    reader = signed_in(factories.UserFactory(username="a-reader")).get(ISSUE).content.decode()
    assert "You are editing." not in reader


def test_a_withdrawn_permission_is_seen_on_the_next_request(synthetic_dossier, editor):
    client = signed_in(editor)
    assert "You are editing." in client.get(ISSUE).content.decode()
    editor.groups.clear()
    assert "You are editing." not in client.get(ISSUE).content.decode()


def test_a_deleted_group_takes_its_permissions_with_it_on_the_next_request(
    synthetic_dossier, editor
):
    client = signed_in(editor)
    assert "You are editing." in client.get(ISSUE).content.decode()
    editor.groups.get().delete()
    assert "You are editing." not in client.get(ISSUE).content.decode()


def test_a_page_with_a_message_waiting_is_built_for_that_request(synthetic_dossier, editor):
    client = signed_in(editor)
    token = tokens(client.get(ISSUE).content.decode()).pop()  # the page is now cached
    response = client.post(f"/issues/{SLUG}/publish/", {"csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith(ISSUE)
    assert 'class="messages"' in response.content.decode()


def test_readers_are_never_served_an_editors_page(synthetic_dossier, editor):
    signed_in(editor).get(ISSUE)
    page = Client().get(ISSUE).content.decode()
    assert "You are editing." not in page and "x-csrftoken" not in page
