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

MEETING = "trump-putin-g20-2018"


def event_data(**changes) -> dict:
    data = {
        "title": "Trump cancels the meeting",
        "occurred_on": "2018-11-29",
        "occurred_on_precision": "day",
        "description": "",
        "sources": [Source.objects.get().pk],
        "locator": "para. 1",
        "note": "",
        "action": "publish",
    }
    return {**data, **changes}


def test_the_event_form_offers_the_issues_meetings_all_chosen(editor_client, demo):
    other = factories.MeetingFactory(title="Helsinki summit", slug="helsinki-2018")

    html = editor_client.get("/issues/ukraine/events/new/").content.decode()

    meeting = Meeting.objects.get(slug=MEETING)
    assert f'value="{meeting.pk}"' in html and "checked" in html
    assert other.title not in html


def test_an_event_added_on_the_issue_page_is_on_its_meeting_timeline(editor_client, demo):
    meeting = Meeting.objects.get(slug=MEETING)

    response = editor_client.post("/issues/ukraine/events/new/", event_data(meetings=[meeting.pk]))

    assert response.status_code == 302
    event = Event.objects.get(title="Trump cancels the meeting")
    assert list(event.meetings.all()) == [meeting]
    page = editor_client.get(meeting.get_absolute_url()).content.decode()
    assert "Trump cancels the meeting" in page


def test_a_meeting_not_of_the_issue_is_refused(editor_client, demo):
    other = factories.MeetingFactory(title="Helsinki summit", slug="helsinki-2018")

    response = editor_client.post("/issues/ukraine/events/new/", event_data(meetings=[other.pk]))

    assert response.status_code == 422
    assert not Event.objects.filter(title="Trump cancels the meeting").exists()


def test_editing_an_event_keeps_its_meetings_outside_the_issue(editor_client, demo):
    other = factories.MeetingFactory(title="Helsinki summit", slug="helsinki-2018")
    event = Event.objects.get(title="Russian attacks on Ukrainian naval ships off Crimea")
    event.meetings.add(other)
    meeting = Meeting.objects.get(slug=MEETING)

    response = editor_client.post(
        f"/issues/ukraine/events/{event.pk}/edit/",
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


def test_an_assessment_added_on_the_meeting_page_cites_its_source(editor_client, admin_form, demo):
    source = Source.objects.get()

    response, _ = _assessment_on_the_meeting_page(
        editor_client, admin_form, citation_source=str(source.pk), citation_locator="para. 2"
    )

    assert response.status_code == 302, form_errors(response)
    assessment = OutlookAssessment.objects.get(issue__title="Trade")
    (citation,) = assessment.citations.all()
    assert (citation.source, citation.locator) == (source, "para. 2")


def test_an_assessment_on_the_meeting_page_without_a_citation_is_refused(
    editor_client, admin_form, demo
):
    response, new = _assessment_on_the_meeting_page(editor_client, admin_form)

    assert response.status_code == 200
    errors = form_errors(response)
    assert errors[f"assessments-{new}-citation_source"] == ["Cite the source of this assessment."]
    assert not OutlookAssessment.objects.filter(issue__title="Trade").exists()


def test_a_scenario_on_the_meeting_page_has_its_description(editor_client, admin_form, demo):
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
    editor_client, demo, django_assert_max_num_queries
):
    helsinki = factories.MeetingFactory(title="Helsinki summit", slug="helsinki-2018")
    for n in range(5):
        factories.IssueFactory(title=f"Ukraine {n}").meetings.add(helsinki)
    url = (
        reverse("admin:autocomplete")
        + "?"
        + "&".join(
            [
                "term=ukraine",
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
    g20 = Issue.objects.get(slug="ukraine").meetings.get().title
    assert f"Ukraine · {g20}" in texts
    assert "Ukraine 3 · Helsinki summit" in texts


def test_an_event_saved_in_place_reloads_the_page_at_the_event(editor_client, demo):
    """Going to the same page at another anchor would only scroll: the new event would not
    be on the timeline until a reload."""
    response = editor_client.post(
        "/issues/ukraine/events/new/", event_data(), headers={"HX-Request": "true"}
    )

    event = Event.objects.get(title="Trump cancels the meeting")
    assert response["HX-Redirect"] == f"/issues/ukraine/#event-{event.pk}"
    assert response["HX-Refresh"] == "true"
