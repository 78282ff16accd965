"""No edit lost: scenarios too answer a stale save with 409; drafts are editors' only."""

import pytest
from django.test import Client

from issues.models import Draft, Scenario
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def scenario_data(scenario: Scenario, **changes) -> dict:
    data = {
        "likelihood": "4",
        "description": scenario.description,
        "note": "",
        "version": scenario.version,
        "action": "publish",
    }
    return {**data, **changes}


def test_a_stale_scenario_edit_is_409_with_both_texts(editor_client):
    scenario = factories.ScenarioFactory(
        meeting=factories.MeetingFactory(slug="the-bilateral"), description="First reading"
    )
    url = f"/meetings/the-bilateral/scenarios/{scenario.pk}/edit/"
    stale = scenario_data(scenario, description="My reading")
    editor_client.post(url, scenario_data(scenario, description="Their reading"))

    response = editor_client.post(url, stale, headers=HTMX)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Their reading" in body and "My reading</textarea>" in body
    scenario.refresh_from_db()
    assert scenario.description == "Their reading"


@pytest.fixture
def draft(db):
    return factories.DraftFactory()


@pytest.mark.parametrize("action", ["publish", "discard"])
def test_draft_actions_are_for_editors_only(client, reader, editor, draft, action):
    url = f"/drafts/{draft.pk}/{action}/"
    assert client.post(url).status_code == 403
    client.force_login(reader)
    assert client.post(url).status_code == 403
    assert Draft.objects.filter(pk=draft.pk).exists()
    client.force_login(editor)
    assert client.post(url).status_code == 302
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_publishing_a_draft_applies_it(editor, draft):
    client = Client()
    client.force_login(editor)
    client.post(f"/drafts/{draft.pk}/publish/")
    draft.record.refresh_from_db()
    assert draft.record.summary == "Drafted summary"
    assert draft.author is None  # so the revision is credited to the editor who published
    assert draft.record.history.latest().history_user == editor


def test_publish_all_keeps_a_draft_that_no_longer_validates(client, editor):
    us, ru = factories.CountryFactory(code="US"), factories.CountryFactory(code="RU")
    issue = factories.IssueFactory(slug="fisheries")
    envoy = factories.PositionFactory(
        issue=issue, country=us, leader=factories.LeaderFactory(country=us), summary="His view"
    )
    factories.DraftFactory(record=envoy, data={"summary": "Still his view"})
    envoy.leader.country = ru  # now speaks for the other side
    envoy.leader.save()
    client.force_login(editor)

    response = client.post("/issues/fisheries/publish/", follow=True)

    assert response.status_code == 200
    assert "kept as drafts" in response.content.decode()
    assert Draft.objects.filter(object_id=envoy.pk).exists()
    envoy.refresh_from_db()
    assert envoy.summary == "His view"
