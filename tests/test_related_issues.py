"""An issue page's related issues: those sharing a topic or a meeting, most shared first, as
the reader may see them, found among a bounded number of candidates."""

import pytest
from django.contrib.auth.models import AnonymousUser

from issues.models import PublicationStatus
from issues.pages import issue as issue_page
from issues.pages.issue import related_issues
from tests import factories

pytestmark = pytest.mark.django_db


def related_titles(issue, viewer=None) -> list[str]:
    topics, meetings = list(issue.topics.all()), list(issue.meetings.all())
    return [i.title for i in related_issues(issue, viewer or AnonymousUser(), topics, meetings)]


def test_most_shared_first_then_the_dossier_order_and_drafts_kept_from_readers(editor):
    water, fish = factories.TopicFactory(), factories.TopicFactory()
    meeting = factories.MeetingFactory()
    issue = factories.IssueFactory(title="Here")
    issue.topics.set([water, fish])
    issue.meetings.set([meeting])

    def sharing(title, topics=(), meetings=(), **fields):
        other = factories.IssueFactory(title=title, **fields)
        other.topics.set(topics)
        other.meetings.set(meetings)
        return other

    sharing("Beta: two topics and the meeting", [water, fish], [meeting])
    sharing("Delta: a topic", [fish])
    sharing("Alpha: the meeting", [], [meeting])
    sharing("Gamma: a topic and the meeting", [water], [meeting])
    sharing("Epsilon: a draft of two topics", [water, fish], status=PublicationStatus.DRAFT)
    sharing("Zeta: nothing shared", [factories.TopicFactory()], [factories.MeetingFactory()])

    assert related_titles(issue) == [
        "Beta: two topics and the meeting",
        "Gamma: a topic and the meeting",
        "Alpha: the meeting",
        "Delta: a topic",
    ]
    assert related_titles(issue, editor)[:2] == [
        "Beta: two topics and the meeting",
        "Epsilon: a draft of two topics",
    ]


def test_only_the_latest_candidates_of_a_large_topic_are_ranked(monkeypatch):
    monkeypatch.setattr(issue_page, "RELATED_CANDIDATES", 3)
    topic = factories.TopicFactory()
    issue = factories.IssueFactory()
    issue.topics.set([topic])
    others = [factories.IssueFactory(title=f"Other {n}") for n in range(6)]
    for other in others:
        other.topics.set([topic])
    assert sorted(related_titles(issue)) == ["Other 3", "Other 4", "Other 5"]


def test_an_issue_with_topics_and_no_meeting_or_the_reverse_finds_its_related_issues():
    topic, meeting = factories.TopicFactory(), factories.MeetingFactory()
    by_topic, by_meeting = factories.IssueFactory(), factories.IssueFactory()
    by_topic.topics.set([topic])
    by_meeting.meetings.set([meeting])
    factories.IssueFactory(title="Shares the topic").topics.set([topic])
    factories.IssueFactory(title="Shares the meeting").meetings.set([meeting])
    assert related_titles(by_topic) == ["Shares the topic"]
    assert related_titles(by_meeting) == ["Shares the meeting"]
    assert related_titles(factories.IssueFactory()) == []
