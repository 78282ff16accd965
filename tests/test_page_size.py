"""The HTML of a reader page stays under `LIMIT` whatever the archive holds: a meeting with
20 issues, 30 sides, 300 leaders, 6,000 positions and 200 events (written in bulk), its
meeting page and browse with two filters; and what the pages leave out, they say."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from issues.forms import BROWSE_CHOICES
from issues.labels import all_labels
from issues.models import Country, Event, Issue, Leader, Position, Source
from issues.pages.meeting import TIMELINE_ITEMS
from tests import factories
from tests.test_query_budget import BUDGET

LIMIT = 200_000  # bytes of HTML
ISSUES, SIDES, LEADERS, EVENTS = 20, 30, 300, 200
SUMMARY = (
    "The ministry called for tariffs on aluminium imports after a closed-door session, "
    "and senior diplomats endorsed a verification regime in a written statement; "
)


@pytest.fixture
def crowded(db):
    meeting = factories.MeetingFactory(slug="crowded")
    topic = factories.TopicFactory(slug="crowded-topic")
    sides = Country.objects.bulk_create(
        Country(code=f"{chr(81 + n // 26)}{chr(65 + n % 26)}", name=f"Side {n}")
        for n in range(SIDES)
    )
    leaders = Leader.objects.bulk_create(
        Leader(name=f"Leader {n}", slug=f"leader-{n}", country=sides[n % SIDES])
        for n in range(LEADERS)
    )
    meeting.participants.set(leaders[:2])
    issues = [factories.IssueFactory(slug=f"crowded-{n}") for n in range(ISSUES)]
    for issue in issues:
        issue.meetings.add(meeting)
        issue.topics.add(topic)
    sources = Source.objects.bulk_create(
        Source(title=f"A long source title, number {n}", publisher="Publisher", kind="article")
        for n in range(EVENTS)
    )
    Position.objects.bulk_create(
        Position(
            issue=issue,
            country=leader.country,
            leader=leader,
            attribution="Officials",
            kind="rhetoric",
            posture=(n % 5) - 2,
            summary=SUMMARY * 2,
            stated_on=date(2018, 1, 1) + timedelta(days=n % 1500),
            source=sources[n % EVENTS],
            locator="para. 1",
            status="published",
        )
        for n, (issue, leader) in enumerate((i, ld) for i in issues for ld in leaders)
    )
    Position.objects.sync_leader_names()
    events = Event.objects.bulk_create(
        Event(
            title=f"Event {n}",
            description=SUMMARY,
            occurred_on=date(2018, 1, 1) + timedelta(days=n * 5),
        )
        for n in range(EVENTS)
    )
    meeting.events.add(*events)
    for issue in issues:
        issue.events.add(*events)
    all_labels()  # cached in production, shared by every page
    return meeting


def measured(client, url: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= BUDGET, (url, len(queries))
    html = response.content.decode()
    assert len(response.content) < LIMIT, (url, len(response.content))
    return html


def test_the_crowded_meeting_page_stays_small_and_says_what_it_leaves_out(client, crowded):
    assert Issue.objects.filter(meetings=crowded).count() == ISSUES
    html = measured(client, crowded.get_absolute_url())
    # The timeline: its latest items, and of how many.
    assert html.count('class="timeline-axis__item ') == TIMELINE_ITEMS
    assert f"The latest {TIMELINE_ITEMS} of " in html
    assert f'id="timeline-position-{Position.objects.latest("stated_on", "pk").pk}"' in html
    # The stance matrix: the participants and their sides first, and how many rows are left.
    assert 'id="stances-more"' in html
    start = html.index('id="stance-matrix"')
    matrix = html[start : html.index("</table>", start)]
    assert ">Leader 0</a>" in matrix and ">Leader 1</a>" in matrix
    assert ">Side 0</a>" in matrix and ">Side 1</a>" in matrix
    assert ">Leader 299</a>" not in matrix


def test_browse_with_two_filters_stays_small(client, crowded):
    assert Leader.objects.count() > BROWSE_CHOICES
    html = measured(client, "/issues/?topic=crowded-topic&posture=2")
    # Past BROWSE_CHOICES leaders, the leader filter is a box for the address name ...
    assert '<input type="text" name="leader"' in html
    assert "Leader 150</option>" not in html
    # ... which still filters.
    filtered = measured(client, "/issues/?leader=leader-3&posture=1")
    assert 'value="leader-3"' in filtered
    assert 'href="/issues/crowded-0/"' in filtered


def test_a_small_meeting_shows_everything_and_no_notes(client, db):
    meeting = factories.MeetingFactory()
    issue = factories.IssueFactory()
    issue.meetings.add(meeting)
    factories.PositionFactory(issue=issue, status="published")
    event = factories.EventFactory()
    event.meetings.add(meeting)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="stance-matrix"' in html and 'id="stances-more"' not in html
    assert html.count('class="timeline-axis__item ') == 2 and 'id="timeline-more"' not in html


def test_the_trend_draws_the_most_salient_issues_and_says_how_many_it_leaves(client, db):
    from issues.models import Salience
    from issues.pages.meeting import TREND_ISSUES

    meeting = factories.MeetingFactory()
    count = TREND_ISSUES + 3
    issues = [factories.IssueFactory(title=f"Issue {n:02}", slug=f"i-{n:02}") for n in range(count)]
    for n, issue in enumerate(issues):
        issue.meetings.add(meeting)
        # Five issues of medium salience, in the middle of the board's order.
        salience = Salience.MEDIUM if 5 <= n < 10 else Salience.HIGH
        factories.AssessmentFactory(issue=issue, meeting=meeting, salience=salience)
    # Unassessed issues, first on the board: no line to draw, not counted as left out.
    for n in range(2):
        factories.IssueFactory(title=f"A not assessed {n}").meetings.add(meeting)
    html = client.get(meeting.get_absolute_url()).content.decode()
    drawn = re.findall(r'<g class="trend__series [^"]*" data-series="([^"]+)"', html)
    high = [f"i-{n:02}" for n in (*range(5), *range(10, count))]
    medium_first = [f"i-{n:02}" for n in range(5, 5 + TREND_ISSUES - len(high))]
    assert drawn == sorted(high + medium_first)  # in the board's order
    assert (
        f"The trend draws the {TREND_ISSUES} most salient of the meeting’s {count} assessed "
        "issues" in html
    )
