"""Revisions written by the back office: who made them, and the links they snapshot."""

import pytest
from django.urls import reverse

from issues.models import OutlookAssessment, Position, Source
from tests import factories

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    return reverse(f"admin:issues_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj) -> str:
    return reverse(f"admin:issues_{obj._meta.model_name}_history", args=[obj.pk])


@pytest.fixture
def position(db) -> Position:
    """A published position of a leader, written once."""
    us = factories.CountryFactory(code="US")
    issue = factories.IssueFactory()
    issue.sides.add(us)
    return factories.PositionFactory(
        issue=issue, country=us, leader=factories.LeaderFactory(country=us), attribution=""
    )


@pytest.fixture
def assessment(db) -> OutlookAssessment:
    """A published outlook citing one source."""
    assessment = factories.AssessmentFactory()
    factories.AssessmentCitationFactory(assessment=assessment, locator="para. 4")
    assessment.save()  # a revision that snapshots the citation, as an editor's save does
    return assessment


def test_an_admin_edit_of_a_position_is_a_revision_by_the_editor(
    editor_client, editor, admin_form, position
):
    revisions = position.history.count()
    data = admin_form(editor_client, change_url(position))
    data["posture"] = "2"

    response = editor_client.post(change_url(position), data)

    assert response.status_code == 302
    assert position.history.count() == revisions + 1
    latest = position.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    assert latest.posture == 2


def test_the_history_page_lists_the_editors_revision(editor_client, admin_form, position):
    data = admin_form(editor_client, change_url(position))
    data["posture"] = "2"
    editor_client.post(change_url(position), data)

    response = editor_client.get(history_url(position))

    assert response.status_code == 200
    listed = list(response.context["page_obj"].object_list)
    assert listed[0] == position.history.latest()
    assert listed[0].history_user.username == "editor"
    assert ">editor</a>" in response.content.decode()


def _cite_in_form(data: dict, source: Source, locator: str) -> None:
    new = int(data["citations-TOTAL_FORMS"])
    data["citations-TOTAL_FORMS"] = str(new + 1)
    data[f"citations-{new}-source"] = str(source.pk)
    data[f"citations-{new}-locator"] = locator


def test_an_assessment_edited_with_a_new_citation_is_one_revision_citing_it(
    editor_client, editor, admin_form, assessment
):
    article = assessment.sources.get()
    cited = factories.SourceFactory(title="New START fact sheet")
    revisions = assessment.history.count()
    data = admin_form(editor_client, change_url(assessment))
    data["deliverable"] = "Talks on strategic stability"
    _cite_in_form(data, cited, "p. 2")

    response = editor_client.post(change_url(assessment), data)

    assert response.status_code == 302
    assert assessment.history.count() == revisions + 1
    latest = assessment.history.latest()
    assert latest.history_user == editor
    assert latest.deliverable == "Talks on strategic stability"
    assert {(row.source, row.locator) for row in latest.sources.all()} == {
        (article, "para. 4"),
        (cited, "p. 2"),
    }
    # The revision before it still shows the sources as they were.
    previous = latest.prev_record
    assert {row.source for row in previous.sources.all()} == {article}


def test_a_new_assessment_with_its_citation_is_one_revision_citing_it(
    editor_client, editor, admin_form
):
    issue = factories.IssueFactory(title="Trade")
    meeting = factories.MeetingFactory(summit=factories.SummitFactory())
    cited = factories.SourceFactory()
    url = reverse("admin:issues_outlookassessment_add")
    data = admin_form(editor_client, url)
    data.update(
        issue=str(issue.pk),
        meeting=str(meeting.pk),
        effect="0",
        salience="2",
        rationale="Neither side raises it.",
        status="draft",
    )
    assert data["citations-TOTAL_FORMS"] == "1"  # one citation is required: fill it in
    data.update({"citations-0-source": str(cited.pk), "citations-0-locator": "para. 9"})

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assessment = OutlookAssessment.objects.get(issue=issue)
    assert assessment.author == editor
    [revision] = assessment.history.all()
    assert revision.history_type == "+"
    assert revision.history_user == editor
    assert [row.source for row in revision.sources.all()] == [cited]


def test_an_issue_edited_with_a_new_topic_is_one_revision_with_it(
    editor_client, editor, admin_form
):
    issue = factories.IssueFactory()
    issue.topics.add(factories.TopicFactory())
    topic = factories.TopicFactory()
    revisions = issue.history.count()
    data = admin_form(editor_client, change_url(issue))
    chosen = data["topics"]  # one value, or a list of them
    data["topics"] = [*([chosen] if isinstance(chosen, str) else chosen), str(topic.pk)]

    response = editor_client.post(change_url(issue), data)

    assert response.status_code == 302
    assert issue.history.count() == revisions + 1
    latest = issue.history.latest()
    assert latest.history_user == editor
    assert topic in {row.topic for row in latest.topics.all()}
    assert {row.topic for row in latest.topics.all()} == set(issue.topics.all())


@pytest.mark.ignore_template_errors  # simple-history's revert template, not ours
def test_reverting_from_the_history_page_is_a_revision(editor_client, editor, admin_form, position):
    first = position.history.earliest()
    data = admin_form(editor_client, change_url(position))
    data["posture"] = "2"
    editor_client.post(change_url(position), data)
    revisions = position.history.count()
    url = reverse("admin:issues_position_simple_history", args=[position.pk, first.history_id])

    response = editor_client.post(url, admin_form(editor_client, url))

    assert response.status_code == 302
    position.refresh_from_db()
    assert position.posture == first.posture
    assert position.history.count() == revisions + 1
    latest = position.history.latest()
    assert (latest.posture, latest.history_user) == (first.posture, editor)
