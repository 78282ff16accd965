"""A summit, meeting or event that starts and ends on the same day is shown as that one day,
never as a range from the day to itself."""

import re
from datetime import date

import pytest

from issues.dates import FuzzyDate, span
from issues.models import DatePrecision
from tests import factories

pytestmark = pytest.mark.django_db

DAY = date(2018, 7, 16)
# "16 July – 16 July 2018", "16–16 July 2018", "16 July 2018 – 16 July 2018"
SELF_RANGE = re.compile(r"16(?:\s+July)?(?:\s+2018)?\s*–\s*16\b")


def test_a_one_day_interval_is_one_day():
    assert span(DAY, DAY) == "16 July 2018"
    assert str(FuzzyDate(DAY, DAY)) == "16 July 2018"
    assert FuzzyDate(DAY, DAY).datetime == "2018-07-16"


def test_a_one_day_period_is_placed_on_its_day():
    one_day = FuzzyDate(DAY, DAY, DatePrecision.PERIOD, "the day of the summit")
    assert str(one_day) == "the day of the summit (16 July 2018)"
    assert one_day.datetime == "2018-07-16"


def test_pages_show_a_one_day_summit_meeting_and_event_as_one_day(client):
    summit = factories.SummitFactory(starts_on=DAY, ends_on=DAY)
    meeting = factories.MeetingFactory(summit=summit, scheduled_on=DAY)
    issue = factories.IssueFactory()
    issue.meetings.add(meeting)
    one_day = factories.EventFactory(
        title="A one-day event",
        occurred_on=DAY,
        occurred_until=DAY,
        occurred_on_precision=DatePrecision.PERIOD,
        occurred_as="that Monday",
    )
    dated = factories.EventFactory(title="A dated event", occurred_on=DAY)
    for event in (one_day, dated):
        event.issues.add(issue)
    pages = {
        "home": "/",
        "summit": summit.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "issue": issue.get_absolute_url(),
    }
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert not SELF_RANGE.search(body), name
    assert (
        '<time datetime="2018-07-16">16 July 2018</time>'
        in client.get(pages["summit"]).content.decode()
    )
    meeting_page = client.get(pages["meeting"]).content.decode()
    assert '<time datetime="2018-07-16">16 July 2018</time>' in meeting_page
    issue_page = client.get(pages["issue"]).content.decode()
    assert '<time datetime="2018-07-16">that Monday (16 July 2018)</time>' in issue_page
    assert '<time datetime="2018-07-16">16 July 2018</time>' in issue_page
