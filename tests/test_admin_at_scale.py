"""The back office stays usable for an issue with thousands of positions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from issues.admin import POSITION_INLINE_LIMIT
from issues.models import Position
from tests import factories

pytestmark = pytest.mark.django_db

MAX_PAGE_BYTES = 200_000


def issue_with(count: int):
    us = factories.CountryFactory(code="US")
    issue = factories.IssueFactory(slug=f"large-{count}")
    issue.sides.set([us])
    source = factories.SourceFactory()
    Position.objects.bulk_create(
        Position(
            issue=issue,
            country=us,
            attribution="U.S. officials",
            kind="rhetoric",
            posture=0,
            summary=f"Position number {n}, in a sentence of ordinary length for a summary.",
            stated_on=date(2018, 1, 1) + timedelta(days=n % 300),
            source=source,
            locator="para. 1",
        )
        for n in range(count)
    )
    return issue


def test_a_large_issue_opens_with_a_link_to_its_positions(
    editor_client, django_assert_max_num_queries
):
    issue = issue_with(2_500)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    with django_assert_max_num_queries(25):
        response = editor_client.get(url)
    assert response.status_code == 200
    assert len(response.content) < MAX_PAGE_BYTES
    body = response.content.decode()
    assert "2500 positions" in body
    assert f"{reverse('admin:issues_position_changelist')}?issue={issue.pk}" in body
    assert "Position number 17," not in body  # no inline forms


def test_a_small_issue_keeps_its_inline_positions(editor_client):
    issue = issue_with(3)
    response = editor_client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
    assert "Position number 2," in response.content.decode()
    assert POSITION_INLINE_LIMIT >= 3


def test_a_large_issue_can_still_be_saved(editor_client, admin_form):
    issue = issue_with(POSITION_INLINE_LIMIT + 1)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = admin_form(editor_client, url)
    data["summary"] = "Saved without its positions on the page."
    assert editor_client.post(url, data).status_code == 302
    issue.refresh_from_db()
    assert issue.summary == "Saved without its positions on the page."
    assert issue.positions.count() == POSITION_INLINE_LIMIT + 1


def test_the_positions_of_one_issue_are_listed_a_page_at_a_time(
    editor_client, django_assert_max_num_queries
):
    issue = issue_with(2_500)
    other = issue_with(5)
    url = reverse("admin:issues_position_changelist") + f"?issue={issue.pk}"
    with django_assert_max_num_queries(20):
        response = editor_client.get(url)
    assert response.status_code == 200
    assert len(response.content) < MAX_PAGE_BYTES
    assert response.context["cl"].result_count == 2_500
    assert len(response.context["cl"].result_list) == 100
    assert str(other) not in response.content.decode().split('id="changelist-filter"')[1]


def test_a_bad_issue_filter_lists_nothing(editor_client):
    issue_with(3)
    url = reverse("admin:issues_position_changelist") + "?issue=abc"
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
