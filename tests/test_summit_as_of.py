"""`?as_of=YYYY-MM-DD` on the summit page: the summit and its meetings' outlook as they
stood at the end of a past day, like the issue and meeting pages."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from issues.dossier.write import dossier_import
from issues.models import Meeting, OutlookAssessment, Summit
from tests import factories
from tests.test_time_travel import BAD_DAYS, BANNER, as_of, backdate, edit

pytestmark = pytest.mark.django_db

SYNTHETIC = Path(__file__).with_name("dossiers") / "synthetic.yaml"
SUMMIT_URL = "/summits/synthetic-summit/"
#: The synthetic summit was first recorded on 1 February 2020.
BEFORE_IT_WAS_RECORDED = ("2020-01-15", "on 1 February 2020")


@pytest.fixture
def dossier(db):
    """A summit with one meeting and an outlook (hindering), all dated 2020."""
    dossier_import(SYNTHETIC.read_bytes())


def yesterday() -> date:
    return datetime.now(UTC).date() - timedelta(days=1)


def test_a_change_made_after_the_day_is_not_shown_as_of_that_day(client, editor, dossier):
    summit = Summit.objects.get()
    old_summary = summit.summary
    summit.summary = "A summary written today."
    summit.save()
    meeting = Meeting.objects.get()
    meeting.title = "A meeting renamed today"
    meeting.save()
    assessment = OutlookAssessment.objects.get(issue__slug="synthetic-water-rights")
    edit(assessment, editor, effect=1)
    factories.MeetingFactory(summit=summit, title="A meeting added today")

    today_body = client.get(SUMMIT_URL).content.decode()
    response = client.get(as_of(SUMMIT_URL, yesterday()))
    then_body = response.content.decode()

    assert "A summary written today." in today_body
    assert "A meeting renamed today" in today_body
    assert "A meeting added today" in today_body
    assert "Favours" in today_body
    assert response.status_code == 200
    assert old_summary in then_body
    assert "A summary written today." not in then_body
    assert "Leader A–Leader B meeting (synthetic)" in then_body
    assert "A meeting renamed today" not in then_body
    assert "A meeting added today" not in then_body
    assert "Favours" not in then_body
    assert "Hinders" in then_body
    # The addresses are today's, and the page says which day it shows.
    assert f'href="{meeting.get_absolute_url()}"' in then_body
    assert BANNER in then_body
    assert '<meta name="robots" content="noindex">' in then_body
    assert BANNER not in today_body


def test_an_issue_that_was_a_draft_then_is_not_on_the_summit_page_of_that_day(client, dossier):
    meeting = Meeting.objects.get()
    issue = factories.IssueFactory(title="Trade tariffs", status="draft")
    issue.meetings.add(meeting)
    factories.AssessmentFactory(issue=issue, meeting=meeting, status="draft")
    backdate(issue, 3)
    issue.status = "published"
    issue.save()
    assessment = OutlookAssessment.objects.get(issue=issue)
    backdate(assessment, 3)
    assessment.status = "published"
    assessment.save()

    assert "Trade tariffs" in client.get(SUMMIT_URL).content.decode()
    then = client.get(as_of(SUMMIT_URL, datetime.now(UTC).date() - timedelta(days=2)))
    assert then.status_code == 200
    assert "Trade tariffs" not in then.content.decode()


def test_the_live_summit_page_has_the_form_to_go_back_in_time(client, dossier):
    body = client.get(SUMMIT_URL).content.decode()
    assert f'<form class="as-of-form" method="get" action="{SUMMIT_URL}"' in body
    first = Summit.history.order_by("history_date").first().history_date.date()
    assert f'min="{first.isoformat()}"' in body


@pytest.mark.parametrize(("value", "message"), [*BAD_DAYS[:-1], BEFORE_IT_WAS_RECORDED])
def test_a_day_that_cannot_be_shown_is_a_400_that_says_why(client, dossier, value, message):
    response = client.get(SUMMIT_URL, {"as_of": value})
    body = response.content.decode()
    assert response.status_code == 400
    assert message.replace("was first recorded", "") in body
    assert "This date cannot be shown" in body
    assert f'<a class="button" href="{SUMMIT_URL}">See the page as it is today</a>' in body


def test_an_unknown_summit_is_404_on_any_day_and_a_bad_day_still_400(client, db):
    assert client.get("/summits/nothing-here/", {"as_of": "2018-11-24"}).status_code == 404
    assert client.get("/summits/nothing-here/", {"as_of": "nonsense"}).status_code == 400


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("day", [None, "today"])
def test_the_summit_page_query_count_does_not_grow_with_its_meetings(
    client, django_assert_max_num_queries, count, day
):
    summit = factories.SummitFactory()
    for n in range(count):
        meeting = factories.MeetingFactory(summit=summit, title=f"Meeting number {n}")
        issue = factories.IssueFactory()
        issue.meetings.add(meeting)
        factories.AssessmentFactory(issue=issue, meeting=meeting)
    url = summit.get_absolute_url()
    if day:
        url = as_of(url, datetime.now(UTC).date())
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<section class="card" aria-labelledby="meeting-') == count
    assert body.count('<table class="outlook">') == count
    assert body.count("Hinders") >= count
