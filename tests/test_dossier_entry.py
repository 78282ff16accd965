"""Entering a dossier: events land on the issue's meetings, the meeting's back-office page
cites its assessments and describes its scenarios, and the issue picker says which meeting
an issue belongs to."""

import json

import pytest
from django.urls import reverse

from issues.models import Event, Issue, Meeting, OutlookAssessment, Scenario, Source
from tests import factories
from tests.test_admin import admin_url, form_errors

pytestmark = pytest.mark.django_db

# The issue and meeting of `tests/dossiers/editing.yaml` (the `editing_dossier` fixture).
ISSUE = "/issues/harbour-rights/"
MEETING = "lighthouse-talks"
NEW_EVENT = f"{ISSUE}events/new/"


def event_data(**changes) -> dict:
    data = {
        "title": "The talks are called off",
        "occurred_on": "2024-02-29",
        "occurred_on_precision": "day",
        "description": "",
        "sources": [Source.objects.get().pk],
        "locator": "para. 1",
        "note": "",
        "action": "publish",
    }
    return {**data, **changes}


def test_the_event_form_offers_the_issues_meetings_all_chosen(editor_client, editing_dossier):
    other = factories.MeetingFactory(title="Another meeting", slug="another-meeting")

    html = editor_client.get(NEW_EVENT).content.decode()

    meeting = Meeting.objects.get(slug=MEETING)
    assert f'value="{meeting.pk}"' in html and "checked" in html
    assert other.title not in html


def test_an_event_added_on_the_issue_page_is_on_its_meeting_timeline(
    editor_client, editing_dossier
):
    meeting = Meeting.objects.get(slug=MEETING)

    response = editor_client.post(NEW_EVENT, event_data(meetings=[meeting.pk]))

    assert response.status_code == 302
    event = Event.objects.get(title="The talks are called off")
    assert list(event.meetings.all()) == [meeting]
    page = editor_client.get(meeting.get_absolute_url()).content.decode()
    assert "The talks are called off" in page


def test_a_meeting_not_of_the_issue_is_refused(editor_client, editing_dossier):
    other = factories.MeetingFactory(title="Another meeting", slug="another-meeting")

    response = editor_client.post(NEW_EVENT, event_data(meetings=[other.pk]))

    assert response.status_code == 422
    assert not Event.objects.filter(title="The talks are called off").exists()


def test_editing_an_event_keeps_its_meetings_outside_the_issue(editor_client, editing_dossier):
    other = factories.MeetingFactory(title="Another meeting", slug="another-meeting")
    event = Event.objects.get(issues__slug="harbour-rights")
    event.meetings.add(other)
    meeting = Meeting.objects.get(slug=MEETING)

    response = editor_client.post(
        f"{ISSUE}events/{event.pk}/edit/",
        event_data(
            title=event.title,
            occurred_on=event.occurred_on.isoformat(),
            occurred_on_precision=event.occurred_on_precision,
            occurred_as=event.occurred_as,
            occurred_until=event.occurred_until.isoformat() if event.occurred_until else "",
            description=event.description,
            version=event.version,
            meetings=[meeting.pk],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(event.meetings.all()) == {meeting, other}


def _assessment_on_the_meeting_page(editor_client, admin_form, **citation):
    meeting = Meeting.objects.get()
    url = admin_url(Meeting, "change", meeting.pk)
    data = admin_form(editor_client, url)
    new = int(data["assessments-TOTAL_FORMS"])
    data["assessments-TOTAL_FORMS"] = str(new + 1)
    values = {
        "issue": str(factories.IssueFactory(title="Trade").pk),
        "effect": "0",
        "salience": "1",
        "rationale": "Not raised.",
        "status": "draft",
        **citation,
    }
    data.update({f"assessments-{new}-{name}": value for name, value in values.items()})
    return editor_client.post(url, data), new


def test_an_assessment_added_on_the_meeting_page_cites_its_source(
    editor_client, admin_form, editing_dossier
):
    source = Source.objects.get()

    response, _ = _assessment_on_the_meeting_page(
        editor_client, admin_form, citation_source=str(source.pk), citation_locator="para. 2"
    )

    assert response.status_code == 302, form_errors(response)
    assessment = OutlookAssessment.objects.get(issue__title="Trade")
    (citation,) = assessment.citations.all()
    assert (citation.source, citation.locator) == (source, "para. 2")


def test_an_assessment_on_the_meeting_page_without_a_citation_is_refused(
    editor_client, admin_form, editing_dossier
):
    response, new = _assessment_on_the_meeting_page(editor_client, admin_form)

    assert response.status_code == 200
    errors = form_errors(response)
    assert errors[f"assessments-{new}-citation_source"] == ["Cite the source of this assessment."]
    assert not OutlookAssessment.objects.filter(issue__title="Trade").exists()


def test_a_scenario_on_the_meeting_page_has_its_description(
    editor_client, admin_form, editing_dossier
):
    meeting = Meeting.objects.get()
    scenario = Scenario.objects.filter(meeting=meeting).first()
    url = admin_url(Meeting, "change", meeting.pk)
    data = admin_form(editor_client, url)
    index = next(
        i
        for i in range(int(data["scenarios-TOTAL_FORMS"]))
        if data.get(f"scenarios-{i}-id") == str(scenario.pk)
    )
    data[f"scenarios-{index}-description"] = "Described on the meeting's page."

    response = editor_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    scenario.refresh_from_db()
    assert scenario.description == "Described on the meeting's page."


def test_the_issue_picker_says_which_meeting_an_issue_belongs_to(
    editor_client, editing_dossier, django_assert_max_num_queries
):
    other = factories.MeetingFactory(title="Another meeting", slug="another-meeting")
    issue = Issue.objects.get(slug="harbour-rights")
    for n in range(5):
        factories.IssueFactory(title=f"{issue.title} {n}").meetings.add(other)
    url = (
        reverse("admin:autocomplete")
        + "?"
        + "&".join(
            [
                "term=harbour",
                "app_label=issues",
                "model_name=outlookassessment",
                "field_name=issue",
            ]
        )
    )

    editor_client.get(url)
    with django_assert_max_num_queries(8):
        response = editor_client.get(url)

    texts = {result["text"] for result in json.loads(response.content)["results"]}
    assert f"{issue.title} · {issue.meetings.get().title}" in texts
    assert f"{issue.title} 3 · {other.title}" in texts


def test_an_event_saved_in_place_reloads_the_page_at_the_event(editor_client, editing_dossier):
    """Going to the same page at another anchor would only scroll: the new event would not
    be on the timeline until a reload."""
    response = editor_client.post(NEW_EVENT, event_data(), headers={"HX-Request": "true"})

    event = Event.objects.get(title="The talks are called off")
    assert response["HX-Redirect"] == f"{ISSUE}#event-{event.pk}"
    assert response["HX-Refresh"] == "true"
