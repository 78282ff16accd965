""" "What changed" since a day (`?since=YYYY-MM-DD`) on the issue and meeting pages, the trend
arrows of a meeting's outlook table, and the home page's changes told in words
(`issues.pages.changed`, `issues.pages.changes`)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from issues.labels import all_labels
from issues.models import OutlookAssessment, Position, PublicationStatus
from issues.pages.changed import DEFAULT_WINDOW_DAYS, parse_since, what_changed
from issues.time_travel import AsOfError
from tests import factories

pytestmark = pytest.mark.django_db


def today() -> date:
    return datetime.now(UTC).date()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def backdate(record, days: int) -> None:
    """Move every revision of `record` written so far `days` days into the past."""
    when = timezone.now() - timedelta(days=days)
    type(record).history.filter(id=record.pk).update(history_date=when)


def section(body: str) -> str:
    """The "What changed" section as text, tags dropped and spaces folded."""
    match = re.search(r'<section class="what-changed card".*?</section>', body, re.S)
    assert match, "no What changed section"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def items(body: str) -> list[tuple[str, str]]:
    """Each line of the list: (its direction class, its words)."""
    listed = re.search(r'<ul class="changes" id="what-changed-list">(.*?)</ul>', body, re.S)
    if listed is None:
        return []
    return [
        (kind, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for kind, text in re.findall(
            r'<li class="change change--(\w+)"[^>]*>(.*?)</li>', listed.group(1), re.S
        )
    ]


@pytest.fixture
def dossier():
    """An issue on a meeting, assessed −1 ten days ago, with one position of each side then."""
    us = factories.CountryFactory(code="US", name="United States")
    ru = factories.CountryFactory(code="RU", name="Russia")
    putin = factories.LeaderFactory(country=ru, name="Vladimir Putin", slug="vladimir-putin")
    meeting = factories.MeetingFactory(title="Trump–Putin meeting", slug="trump-putin")
    issue = factories.IssueFactory(title="Ukraine", slug="ukraine")
    issue.sides.set([us, ru])
    issue.meetings.add(meeting)
    other = factories.IssueFactory(title="Arms control", slug="arms-control", order=2)
    other.meetings.add(meeting)
    assessment = factories.AssessmentFactory(issue=issue, meeting=meeting, effect=-1)
    steady = factories.AssessmentFactory(issue=other, meeting=meeting, effect=1)
    old = [
        factories.PositionFactory(issue=issue, country=us),
        factories.PositionFactory(issue=issue, country=ru, leader=putin),
    ]
    for record in [issue, other, meeting, assessment, steady, *old]:
        backdate(record, 10)
    return issue, meeting, assessment, old, putin


def edit(record, **values) -> None:
    for name, value in values.items():
        setattr(record, name, value)
    record.save()


# The issue page ----------------------------------------------------------------------------


def test_an_effect_that_fell_reads_deteriorated_with_a_down_arrow(client, dossier):
    issue, meeting, assessment, _old, putin = dossier
    edit(assessment, effect=-2)
    factories.PositionFactory(issue=issue, country=putin.country, leader=putin)
    factories.PositionFactory(issue=issue, country=putin.country)

    body = client.get("/issues/ukraine/", {"since": days_ago(5).isoformat()}).content.decode()

    text = section(body)
    assert f"Since the end of {days_ago(5).day} {days_ago(5):%B %Y}" in text
    assert items(body) == [
        ("deteriorated", "▼ Outlook for Trump–Putin meeting : effect −1 → −2 (deteriorated)"),
        ("positions", "+ 2 new positions"),
    ]
    # The arrow is decoration; its meaning is in the words.
    assert '<span class="change__arrow" aria-hidden="true">▼</span>' in body


def test_an_effect_that_rose_reads_improved_and_a_salience_change_is_told(client, dossier):
    _issue, _meeting, assessment, _old, _putin = dossier
    edit(assessment, effect=1, salience=1)
    body = client.get("/issues/ukraine/", {"since": days_ago(5).isoformat()}).content.decode()
    [(direction, words)] = items(body)
    assert direction == "improved"
    assert words.startswith("▲ ")
    assert "effect −1 → +1 (improved), salience high → low" in words


def test_a_day_before_everything_tells_what_was_first_assessed(client, dossier):
    body = client.get("/issues/ukraine/", {"since": days_ago(20).isoformat()}).content.decode()
    assert items(body) == [
        ("new", "+ Outlook for Trump–Putin meeting : first assessed, effect −1"),
        ("positions", "+ 2 new positions"),
    ]


def test_nothing_changed_says_so(client, dossier):
    body = client.get("/issues/ukraine/", {"since": days_ago(5).isoformat()}).content.decode()
    assert items(body) == []
    assert "No published change to the outlook or to the positions." in section(body)


def test_withdrawn_positions_are_counted(client, dossier):
    _issue, _meeting, _assessment, old, _putin = dossier
    edit(old[0], withdrawn_at=timezone.now())
    body = client.get("/issues/ukraine/", {"since": days_ago(5).isoformat()}).content.decode()
    assert items(body) == [("positions", "+ 1 position withdrawn")]


def test_drafts_never_count_even_for_editors(client, editor, dossier):
    issue, _meeting, assessment, _old, putin = dossier
    edit(assessment, effect=-2, status=PublicationStatus.DRAFT)
    factories.PositionFactory(
        issue=issue, country=putin.country, status=PublicationStatus.DRAFT, summary="Secret"
    )
    since = {"since": days_ago(5).isoformat()}
    for viewer in (None, editor):
        if viewer is not None:
            client.force_login(viewer)
        body = client.get("/issues/ukraine/", since).content.decode()
        # An assessment turned draft is, for readers, no longer published: it is removed,
        # and its draft effect is never told.
        assert items(body) == [
            ("removed", "− Outlook for Trump–Putin meeting : no longer assessed (effect was −1)")
        ]
        assert "−2" not in section(body)


def test_the_default_window_is_the_month_before_the_latest_change(client, dossier):
    _issue, _meeting, assessment, _old, _putin = dossier
    OutlookAssessment.history.filter(id=assessment.pk).update(
        history_date=datetime(2018, 11, 20, 12, tzinfo=UTC)
    )
    edit(assessment, effect=-2)
    latest = timezone.now() - timedelta(days=3)
    OutlookAssessment.history.filter(id=assessment.pk, effect=-2).update(history_date=latest)
    body = client.get("/issues/ukraine/").content.decode()
    default = latest.date() - timedelta(days=DEFAULT_WINDOW_DAYS)
    text = section(body)
    assert f"Since the end of {default.day} {default:%B %Y}" in text
    assert f"(the {DEFAULT_WINDOW_DAYS} days before the latest change)" in text
    assert f'name="since" required value="{default.isoformat()}"' in body
    assert (
        "deteriorated",
        "▼ Outlook for Trump–Putin meeting : effect −1 → −2 (deteriorated)",
    ) in items(body)


def test_an_as_of_page_tells_what_changed_up_to_its_day(client, dossier):
    _issue, _meeting, assessment, _old, _putin = dossier
    edit(assessment, effect=-2)
    backdate_latest = timezone.now() - timedelta(days=4)
    OutlookAssessment.history.filter(id=assessment.pk, effect=-2).update(
        history_date=backdate_latest
    )
    edit(assessment, effect=0)  # today: after the page's day
    params = {"as_of": days_ago(2).isoformat(), "since": days_ago(6).isoformat()}
    body = client.get("/issues/ukraine/", params).content.decode()
    assert (
        "deteriorated",
        "▼ Outlook for Trump–Putin meeting : effect −1 → −2 (deteriorated)",
    ) in items(body)
    assert f"up to the end of {days_ago(2).day} {days_ago(2):%B %Y}" in section(body)
    # The form keeps the page's day.
    assert f'<input type="hidden" name="as_of" value="{days_ago(2).isoformat()}">' in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "is not a date: give one as YYYY-MM-DD"),
        ({"since": "2018-02-30"}, "is not a day of the calendar"),
        ({"since": "2999-01-01"}, "Changes are shown since a day before"),
        ({"since": "TODAY"}, "choose"),
    ],
)
def test_a_bad_since_is_a_400_with_a_clear_message(client, dossier, params, message):
    if params["since"] == "TODAY":
        params = {"since": today().isoformat()}
    for url in ("/issues/ukraine/", "/meetings/trump-putin/"):
        response = client.get(url, params)
        assert response.status_code == 400
        body = response.content.decode()
        assert message in body
        assert "?since=YYYY-MM-DD" in body
        assert f'href="{url}"' in body


def test_a_since_on_or_after_the_as_of_day_is_refused(client, dossier):
    params = {"as_of": days_ago(3).isoformat(), "since": days_ago(3).isoformat()}
    response = client.get("/issues/ukraine/", params)
    assert response.status_code == 400
    assert "choose" in response.content.decode()


def test_parse_since():
    assert parse_since("2018-11-01", until=date(2018, 11, 30)) == date(2018, 11, 1)
    with pytest.raises(AsOfError, match="before 30 November 2018"):
        parse_since("2018-11-30", until=date(2018, 11, 30))


# The meeting page --------------------------------------------------------------------------


def test_the_meeting_page_tells_each_issue_and_puts_an_arrow_on_its_table(client, dossier):
    issue, _meeting, assessment, _old, putin = dossier
    edit(assessment, effect=-2)
    factories.PositionFactory(issue=issue, country=putin.country, leader=putin)
    body = client.get("/meetings/trump-putin/", {"since": days_ago(5).isoformat()}).content.decode()
    assert items(body) == [
        ("deteriorated", "▼ Ukraine : effect −1 → −2 (deteriorated)"),
        ("positions", "+ 1 new position"),
    ]
    table = re.search(r'<table class="outlook">(.*?)</table>', body, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ukraine = next(row for row in rows if "Ukraine" in row)
    arms = next(row for row in rows if "Arms control" in row)
    assert 'class="trend-arrow trend-arrow--deteriorated"' in ukraine
    words = " ".join(re.sub(r"<[^>]+>", " ", ukraine).split())
    assert f"▼ deteriorated: −1 → −2 since {days_ago(5).day} {days_ago(5):%B %Y}" in words
    assert "trend-arrow" not in arms  # its effect held


# Bounded work ------------------------------------------------------------------------------


def _long_history(issue, meeting, assessment, revisions: int) -> None:
    for n in range(revisions):
        edit(assessment, effect=(n % 5) - 2)
        factories.PositionFactory(issue=issue, country=factories.CountryFactory())
    edit(Position.objects.filter(issue=issue).first(), withdrawn_at=timezone.now())


@pytest.mark.parametrize("revisions", [2, 60])
def test_what_changed_costs_one_query_whatever_the_history(
    client, dossier, django_assert_max_num_queries, django_assert_num_queries, revisions
):
    issue, meeting, assessment, _old, _putin = dossier
    _long_history(issue, meeting, assessment, revisions)
    all_labels()
    with django_assert_num_queries(1):
        changed = what_changed([issue], [meeting], since=days_ago(5), until=None, last_change=None)
    assert changed.new_positions == revisions
    since = {"since": days_ago(5).isoformat()}
    # The pages' budget (tests/test_query_budget.py), "What changed" included.
    with django_assert_max_num_queries(10):
        response = client.get("/issues/ukraine/", since)
    assert response.status_code == 200
    assert f"{revisions} new positions" in section(response.content.decode())
    with django_assert_max_num_queries(10):
        response = client.get("/meetings/trump-putin/", since)
    assert response.status_code == 200
    assert "1 position withdrawn" in section(response.content.decode())


def test_a_page_with_no_meeting_counts_its_positions_in_one_query(
    dossier, django_assert_num_queries
):
    issue, _meeting, _assessment, _old, _putin = dossier
    with django_assert_num_queries(1):
        changed = what_changed([issue], [], since=days_ago(5), until=None, last_change=None)
    assert changed.outlooks == []


# The home page -----------------------------------------------------------------------------


def test_the_home_page_tells_the_latest_changes_in_words(client, dossier):
    issue, _meeting, assessment, _old, putin = dossier
    edit(assessment, effect=-2)
    body = client.get("/").content.decode()
    recent = re.search(r'<section aria-labelledby="recent">(.*?)</section>', body, re.S)
    assert recent
    lines = [
        " ".join(re.sub(r"<[^>]+>", " ", line).split())
        for line in re.findall(r'<li class="recent-change">(.*?)</li>', recent.group(1), re.S)
    ]
    assert lines[0].startswith(
        "Ukraine : effect −1 → −2 (deteriorated), outlook for Trump–Putin meeting"
    )
    factories.PositionFactory(issue=issue, country=putin.country, leader=putin)
    body = client.get("/").content.decode()
    assert "Ukraine</a>: new position of Vladimir Putin (Russia)" in body
