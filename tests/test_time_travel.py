"""`?as_of=YYYY-MM-DD`: the issue and meeting pages as they stood at the end of a past day,
reconstructed from the revisions (`issues.time_travel`)."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from issues import services, time_travel
from issues.models import (
    Country,
    Issue,
    IssueOutcome,
    Meeting,
    MeetingOutcome,
    MeetingResult,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Resolution,
    Scenario,
    ScenarioOutcome,
    Source,
)
from issues.pages.issue import POSITIONS_PER_SIDE
from tests import factories
from tests.harbour_talks import (
    FIRST_ISSUE,
    FIRST_RECORDED,
    ISSUE_SLUGS,
    MEETING,
    MEETING_URL,
    OUTLOOK_RECORDED,
    SIDES,
)
from tests.harbour_talks import FIRST_ISSUE_URL as ISSUE_URL
from tests.resolved import resolved_meeting

pytestmark = pytest.mark.django_db

BANNER = "You are viewing this page as it stood at the end of"


def today() -> date:
    return datetime.now(UTC).date()


def backdate(record, days: int) -> None:
    """Move every revision of `record` written so far `days` days into the past."""
    when = timezone.now() - timedelta(days=days)
    type(record).history.filter(id=record.pk).update(history_date=when)


def edit(record, editor, note: str = "", citations=None, **values):
    return services.record_update(
        record=record,
        editor=editor,
        edit=services.Edit(values=values, note=note, citations=citations),
        expected_version=type(record).objects.get(pk=record.pk).version,
    )


def as_of(url: str, day: date) -> str:
    return f"{url}?as_of={day.isoformat()}"


def long_date(day: date) -> str:
    """A day as the pages write it: "4 April 2022"."""
    return f"{day.day} {day:%B %Y}"


# An edit, then the day before it -----------------------------------------------------------


def test_an_edited_assessment_reads_as_before_on_the_day_before(client, editor, harbour_talks):
    assessment = OutlookAssessment.objects.get(issue__slug=FIRST_ISSUE)
    old_rationale = "leaves the two sides <strong>no common ground</strong>"
    edit(assessment, editor, rationale="Talks on reopening the harbour look possible.", effect=-1)

    today_body = client.get(ISSUE_URL).content.decode()
    yesterday = client.get(as_of(ISSUE_URL, today() - timedelta(days=1)))
    then_body = yesterday.content.decode()

    assert "Talks on reopening the harbour look possible." in today_body
    assert old_rationale not in today_body
    assert yesterday.status_code == 200
    assert old_rationale in then_body
    assert "Talks on reopening" not in then_body
    assert "Strongly hinders" in then_body
    # Today's state, asked for by date, is the live one.
    assert "Talks on reopening" in client.get(as_of(ISSUE_URL, today())).content.decode()


def test_an_edit_through_the_edit_form_is_undone_on_the_day_before(editor_client, harbour_talks):
    issue = factories.IssueFactory(slug="trade", title="Trade", summary="Tariffs first.")
    meeting = Meeting.objects.get()
    issue.meetings.add(meeting)
    assessment = factories.AssessmentFactory(issue=issue, meeting=meeting, rationale="Old view.")
    backdate(issue, 3)
    backdate(assessment, 3)
    data = {
        "effect": "1",
        "salience": "2",
        "deliverable": "",
        "rationale": "New view.",
        "sources": [Source.objects.get().pk],
        "locator": "para. 2",
        "version": assessment.version,
        "note": "rethought",
        "action": "publish",
    }
    assert (
        editor_client.post(f"/issues/trade/outlook/{meeting.slug}/edit/", data).status_code == 302
    )

    before = Client().get(as_of("/issues/trade/", today() - timedelta(days=2))).content.decode()
    after = Client().get("/issues/trade/").content.decode()
    assert "Old view." in before and "New view." not in before
    assert "New view." in after and "Old view." not in after


def test_the_issues_own_fields_and_topics_are_those_of_the_day(client, editor, harbour_talks):
    issue = Issue.objects.get(slug=FIRST_ISSUE)
    summary_then = issue.summary
    topic = factories.TopicFactory(name="Lighthouses")
    issue.topics.add(topic)  # a revision of its own, today
    edit(issue, editor, summary="A summary written today.")

    body = client.get(as_of(ISSUE_URL, OUTLOOK_RECORDED)).content.decode()
    assert summary_then in body
    assert "A summary written today." not in body
    assert "Lighthouses" not in body
    live = client.get(ISSUE_URL).content.decode()
    assert "A summary written today." in live and "Lighthouses" in live


def test_cited_sources_are_those_the_revision_cited(client, editor, harbour_talks):
    assessment = OutlookAssessment.objects.get(issue__slug=FIRST_ISSUE)
    locator_then = assessment.citations.get().locator
    report = factories.SourceFactory(title="Harbour incident report")
    edit(
        assessment,
        editor,
        citations=services.Citations(sources=[report], locator="p. 2"),
        rationale="Now from the report.",
    )

    then = client.get(as_of(ISSUE_URL, OUTLOOK_RECORDED)).content.decode()
    now = client.get(ISSUE_URL).content.decode()
    then_outlook = then[then.index('class="card assessment"') : then.index("</section>")]
    now_outlook = now[now.index('class="card assessment"') : now.index("</section>")]
    assert locator_then in then_outlook and "p. 2" not in then_outlook
    assert "p. 2" in now_outlook
    then_sources = then[then.index('id="sources-list"') :]
    assert "Harbour incident report" not in then_sources.split("</ol>")[0]
    assert "Harbour incident report" in now


def test_positions_stand_as_they_did_withdrawn_ones_included(client, editor, harbour_talks):
    vale = Position.objects.get(issue__slug=FIRST_ISSUE, leader__slug="oren-vale")
    services.position_withdraw(
        position=vale, editor=editor, note="superseded", expected_version=vale.version
    )
    sudmark = Position.objects.get(issue__slug=FIRST_ISSUE, attribution="Sudmark")
    assert sudmark.posture == -2
    edit(sudmark, editor, posture=-1)

    then = client.get(as_of(ISSUE_URL, OUTLOOK_RECORDED)).content.decode()
    now = client.get(ISSUE_URL).content.decode()
    assert f'id="position-{vale.pk}"' in then  # not withdrawn yet then
    assert f'id="position-{vale.pk}"' not in now
    sudmark_then = then[then.index(f'id="position-{sudmark.pk}"') :].split("</article>")[0]
    assert "Hardline" in sudmark_then and "Leans hardline" not in sudmark_then


def test_a_position_withdrawn_before_the_day_is_not_shown(client, editor, harbour_talks):
    vale = Position.objects.get(issue__slug=FIRST_ISSUE, leader__slug="oren-vale")
    services.position_withdraw(
        position=vale, editor=editor, note="superseded", expected_version=vale.version
    )
    withdrawn_on = FIRST_RECORDED + timedelta(days=1)
    Position.history.filter(id=vale.pk, withdrawn_at__isnull=False).update(
        history_date=datetime.combine(withdrawn_on, time(9), tzinfo=UTC)
    )

    assert (
        f'id="position-{vale.pk}"' in client.get(as_of(ISSUE_URL, FIRST_RECORDED)).content.decode()
    )
    assert (
        f'id="position-{vale.pk}"'
        not in client.get(as_of(ISSUE_URL, withdrawn_on)).content.decode()
    )


def test_events_are_those_linked_to_the_issue_then(client, harbour_talks):
    then = client.get(as_of(ISSUE_URL, FIRST_RECORDED)).content.decode()
    later = client.get(as_of(ISSUE_URL, OUTLOOK_RECORDED)).content.decode()
    closed = "Northern harbour closed"
    assert closed not in then  # recorded with the outlook
    assert closed in later
    assert "Vale in the Sudmark capital" not in later  # an event of other issues


# Banner, form, history links, no editing ---------------------------------------------------


def test_banner_says_which_day_and_links_back_to_today(client, harbour_talks):
    day, words = FIRST_RECORDED.isoformat(), long_date(FIRST_RECORDED)
    body = client.get(as_of(ISSUE_URL, FIRST_RECORDED)).content.decode()
    assert f'{BANNER} <time datetime="{day}">{words}</time> (UTC)' in body
    assert f'<a href="{ISSUE_URL}">See it as it is today</a>' in body
    assert '<meta name="robots" content="noindex">' in body
    # The citation points at the shared address, and says which day it shows.
    assert f"as it stood at the end of {words}" in body
    assert f"http://testserver{ISSUE_URL}?as_of={day}" in body
    # The outlook board of the same day is one click away.
    assert f'href="{MEETING_URL}?as_of={day}"' in body
    live = client.get(ISSUE_URL).content.decode()
    assert BANNER not in live and "noindex" not in live


def test_the_live_page_has_a_plain_get_form_to_go_back_in_time(client, harbour_talks):
    body = client.get(ISSUE_URL).content.decode()
    form = re.search(
        r'<form class="as-of-form" method="get" action="([^"]+)".*?</form>', body, re.S
    )
    assert form and form.group(1) == ISSUE_URL
    assert '<label for="as-of-date">See this page as of</label>' in form.group(0)
    assert re.search(r'<input type="date" id="as-of-date" name="as_of" required', form.group(0))
    assert f'min="{FIRST_RECORDED.isoformat()}"' in form.group(0)
    assert f'max="{today().isoformat()}"' in form.group(0)
    assert '<button class="button button--quiet" type="submit">Go</button>' in form.group(0)


def test_an_empty_date_from_the_form_is_the_page_of_today(client, harbour_talks):
    response = client.get(ISSUE_URL, {"as_of": ""})
    assert response.status_code == 200
    assert BANNER not in response.content.decode()


def test_the_history_page_links_each_revision_to_its_day(client, harbour_talks):
    body = client.get(f"{ISSUE_URL}history/").content.decode()
    for day in (FIRST_RECORDED, OUTLOOK_RECORDED):
        assert f'href="{ISSUE_URL}?as_of={day.isoformat()}"' in body
    for link in set(re.findall(rf'href="({ISSUE_URL}\?as_of=[0-9-]+)"', body)):
        assert client.get(link).status_code == 200, link


def test_no_edit_controls_in_the_past(editor_client, harbour_talks):
    live = editor_client.get(ISSUE_URL).content.decode()
    assert "Edit outlook" in live and "Withdraw" in live and "You are editing" in live
    then = editor_client.get(as_of(ISSUE_URL, OUTLOOK_RECORDED)).content.decode()
    for control in ["Edit outlook", "Withdraw", "You are editing", "Add a position", "Edit event"]:
        assert control not in then, control
    meeting_live = editor_client.get(MEETING_URL).content.decode()
    meeting_then = editor_client.get(as_of(MEETING_URL, OUTLOOK_RECORDED)).content.decode()
    assert "Edit likelihood" in meeting_live
    assert "Edit likelihood" not in meeting_then
    assert BANNER in meeting_then


# Days that cannot be shown -----------------------------------------------------------------

BAD_DAYS = [
    ("2018-13-45", "is not a day of the calendar"),
    ("2018-02-30", "is not a day of the calendar"),
    ("0000-01-01", "is not a day of the calendar"),
    ("yesterday", "is not a date"),
    ("x" * 10_000, "is not a date"),
    ("2018-11-24T12:00", "is not a date"),
    ("20181124", "is not a date"),
    ("２０１８-１１-２４", "is not a date"),
    ("9999-12-31", "is in the future"),
    (
        (FIRST_RECORDED - timedelta(days=3)).isoformat(),
        f"was first recorded on {long_date(FIRST_RECORDED)}",
    ),
]


@pytest.mark.parametrize("url", [ISSUE_URL, MEETING_URL])
@pytest.mark.parametrize(("value", "message"), BAD_DAYS)
def test_a_day_that_cannot_be_shown_is_a_400_that_says_why(
    client, harbour_talks, url, value, message
):
    response = client.get(url, {"as_of": value})
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert 'class="site-header"' in body  # in the site's design
    assert "This date cannot be shown" in body
    assert f'<a class="button" href="{url}">See the page as it is today</a>' in body
    assert "x" * 40 not in body  # a long value is not echoed whole


def test_tomorrow_is_in_the_future_and_today_is_not(client, harbour_talks):
    tomorrow = client.get(as_of(ISSUE_URL, today() + timedelta(days=1)))
    assert tomorrow.status_code == 400
    assert "is in the future" in tomorrow.content.decode()
    assert client.get(as_of(ISSUE_URL, today())).status_code == 200


def test_a_bad_day_on_an_unknown_page_is_still_an_answer_not_a_crash(client, db):
    assert client.get("/issues/nothing-here/", {"as_of": "2018-11-24"}).status_code == 404
    assert client.get("/meetings/nothing-here/", {"as_of": "2018-11-24"}).status_code == 404
    assert client.get("/issues/nothing-here/", {"as_of": "nonsense"}).status_code == 400


def test_parse_day_refuses_what_is_not_a_past_day():
    assert time_travel.parse_day("2018-11-24", today=date(2018, 11, 24)) == date(2018, 11, 24)
    with pytest.raises(time_travel.AsOfError, match="in the future"):
        time_travel.parse_day("2018-11-25", today=date(2018, 11, 24))
    with pytest.raises(time_travel.AsOfError, match="not a date"):
        time_travel.parse_day(" 2018-11-24", today=date(2018, 11, 24))


def test_the_end_of_a_day_is_the_next_midnight_utc():
    assert time_travel.end_of_day(date(2018, 11, 24)) == datetime(2018, 11, 25, tzinfo=UTC)


def test_records_of_several_kinds_are_read_together_as_they_stood(django_assert_num_queries, db):
    """`time_travel.records_together`: each record's latest revision by the moment, of
    whatever kind, with its source, in one query (of two revisions at one instant, the one
    written last)."""
    meeting = resolved_meeting()
    rupture = ScenarioOutcome.objects.get(scenario__title="Rupture")
    for came_true in (Resolution.AMBIGUOUS, Resolution.YES):  # both at one instant, below
        rupture.came_true = came_true
        rupture.save()
    ScenarioOutcome.history.filter(id=rupture.pk).update(history_date=timezone.now())
    # Recorded after the moment: not read.
    later = factories.IssueFactory(title="Later")
    IssueOutcome.objects.create(
        meeting=meeting, issue=later, raised=Resolution.NO, source=rupture.source
    )
    IssueOutcome.history.filter(issue_id=later.pk).update(
        history_date=timezone.now() + timedelta(days=2)
    )
    moment = time_travel.end_of_day(today())

    def latest(model):
        return time_travel.latest_revisions(time_travel.history_of(model), moment)

    with django_assert_num_queries(1):
        found = time_travel.records_together(
            [
                (MeetingOutcome, latest(MeetingOutcome).filter(meeting_id=meeting.pk)),
                (IssueOutcome, latest(IssueOutcome).filter(meeting_id=meeting.pk)),
                (ScenarioOutcome, latest(ScenarioOutcome)),
            ],
            related="source",
        )
        [held] = found[MeetingOutcome]
        assert held.result == MeetingResult.HELD and held.meeting_id == meeting.pk
        assert held.source.title == "Example joint statement (test data)"
        issues = {row.issue_id: row for row in found[IssueOutcome]}
        scenarios = {row.scenario_id: row for row in found[ScenarioOutcome]}
    assert held.created_at == MeetingOutcome.objects.get().created_at  # typed as stored
    assert set(issues) == set(meeting.issues.values_list("pk", flat=True))
    assert {row.raised for row in issues.values()} == {Resolution.YES, Resolution.NO}
    assert len(scenarios) == 4 and scenarios[rupture.scenario_id].came_true == Resolution.YES
    assert all(row.source.pk == rupture.source_id for row in scenarios.values())


# Readers see what was published then ---------------------------------------------------------


def test_an_issue_that_was_a_draft_then_is_404_for_readers(client, editor, db):
    issue = factories.IssueFactory(slug="later", title="Later", status=PublicationStatus.DRAFT)
    backdate(issue, 3)
    services.record_publish(record=issue, editor=editor)
    two_days_ago = as_of("/issues/later/", today() - timedelta(days=2))

    assert client.get("/issues/later/").status_code == 200
    assert client.get(two_days_ago).status_code == 404
    client.force_login(editor)
    response = client.get(two_days_ago)
    assert response.status_code == 200
    assert "Draft: readers cannot see this" in response.content.decode()


def test_an_issue_that_is_a_draft_now_is_404_for_readers_on_any_day(client, editor, db):
    issue = factories.IssueFactory(slug="retracted", title="Retracted")
    backdate(issue, 3)
    edit(issue, editor, status=PublicationStatus.DRAFT)
    Issue.objects.filter(pk=issue.pk).update(status=PublicationStatus.DRAFT)

    assert client.get(as_of("/issues/retracted/", today() - timedelta(days=2))).status_code == 404


def test_records_that_were_drafts_then_are_hidden_from_readers(client, editor, harbour_talks):
    issue = Issue.objects.get(slug=FIRST_ISSUE)
    position = services.record_create(
        record=Position(issue=issue),
        editor=editor,
        edit=services.Edit(
            values={
                "country": Country.objects.get(code=SIDES[0]),
                "attribution": "Officials",
                "kind": "rhetoric",
                "posture": -1,
                "summary": "A stance drafted the day before.",
                "stated_on": OUTLOOK_RECORDED,
                "source": Source.objects.get(),
                "locator": "para. 3",
            },
            as_draft=True,
        ),
    )
    backdate(position, 1)
    services.record_publish(record=position, editor=editor)
    yesterday = as_of(ISSUE_URL, today() - timedelta(days=1))

    assert "A stance drafted the day before." in client.get(ISSUE_URL).content.decode()
    assert "A stance drafted the day before." not in client.get(yesterday).content.decode()
    client.force_login(editor)
    assert "A stance drafted the day before." in client.get(yesterday).content.decode()


def test_an_assessment_unpublished_since_is_shown_as_it_was_published(client, harbour_talks):
    assessment = OutlookAssessment.objects.get(issue__slug=FIRST_ISSUE)
    assert assessment.effect == -2  # "Strongly hinders"
    assessment.status = PublicationStatus.DRAFT
    assessment.save()

    assert "Strongly hinders" not in client.get(ISSUE_URL).content.decode()
    then = client.get(as_of(ISSUE_URL, OUTLOOK_RECORDED)).content.decode()
    assert "Strongly hinders" in then


def test_an_assessment_unpublished_before_the_day_is_not_shown_as_of_that_day(
    client, harbour_talks
):
    assessment = OutlookAssessment.objects.get(issue__slug=FIRST_ISSUE)
    assessment.status = PublicationStatus.DRAFT
    assessment.save()  # a revision of today: from now on, readers do not see it

    body = client.get(as_of(ISSUE_URL, today())).content.decode()
    assert "Strongly hinders" not in body
    assert f'id="outlook-{MEETING}"' not in body
    meeting = client.get(as_of(MEETING_URL, today())).content.decode()
    assert f'data-issue="{FIRST_ISSUE}" data-effect' not in meeting


# The meeting page ----------------------------------------------------------------------------


def overall(body: str) -> str:
    match = re.search(r'id="overall-outlook" data-value="([^"]+)"', body)
    return match.group(1) if match else ""


def test_the_meeting_board_and_overall_outlook_are_those_of_the_day(client, harbour_talks):
    headline = Meeting.objects.get().headline
    before = client.get(as_of(MEETING_URL, FIRST_RECORDED)).content.decode()
    after = client.get(as_of(MEETING_URL, OUTLOOK_RECORDED)).content.decode()

    assert BANNER in before
    # Before the outlook was written: the meeting, with no outlook yet.
    assert re.findall(r'data-issue="([^"]+)" data-effect', before) == []
    assert overall(before) == ""
    assert "No scenarios yet." in before
    assert headline and headline not in before  # the headline came with the outlook
    # After: the four issues, and the overall outlook of the day.
    assert re.findall(r'data-issue="([^"]+)" data-effect', after) == ISSUE_SLUGS
    assert overall(after) == "-1.3"
    assert headline in after


def test_scenario_likelihoods_are_those_of_the_day(client, editor, harbour_talks):
    scenario = Scenario.objects.get(title="A cold peace")
    assert scenario.likelihood == 3
    edit(scenario, editor, likelihood=5, note="talks cancelled")

    def likelihood(body: str) -> str:
        return re.search(
            r'<g class="scenario" data-likelihood="(\d)">\s*<text[^>]*>A cold peace<', body
        ).group(1)

    assert likelihood(client.get(MEETING_URL).content.decode()) == "5"
    yesterday = client.get(as_of(MEETING_URL, today() - timedelta(days=1))).content.decode()
    assert likelihood(yesterday) == "3"


def test_the_meeting_page_as_of_a_day_hides_what_was_a_draft_then(client, editor, harbour_talks):
    issue = factories.IssueFactory(title="Trade", slug="trade", status=PublicationStatus.DRAFT)
    issue.meetings.add(Meeting.objects.get())
    factories.AssessmentFactory(issue=issue, meeting=Meeting.objects.get())
    yesterday = as_of(MEETING_URL, today())

    assert 'data-issue="trade"' not in client.get(yesterday).content.decode()
    client.force_login(editor)
    assert 'data-issue="trade"' in client.get(yesterday).content.decode()


def test_the_meeting_page_stance_matrix_and_timeline_are_those_of_the_day(client, harbour_talks):
    early = Position.objects.get(issue__slug=FIRST_ISSUE, leader__slug="oren-vale")
    later = Position.objects.get(issue__slug=FIRST_ISSUE, attribution="Sudmark")
    body = client.get(as_of(MEETING_URL, FIRST_RECORDED)).content.decode()
    matrix = body[
        body.index('id="stance-matrix"') : body.index("</table>", body.index('id="stance-matrix"'))
    ]
    assert "Oren Vale" in matrix
    assert later.summary not in body  # recorded with the outlook
    timeline = body[body.index('id="meeting-timeline"') :]
    assert early.summary in timeline
    assert "Northern harbour closed" not in timeline


def test_the_meeting_page_as_of_a_day_sets_out_the_sides_of_the_issues_linked_then(client, editor):
    """Sides have no revisions: those of today, of the issues the reader sees linked then."""
    meeting = factories.MeetingFactory(slug="sides-meeting")
    published = factories.IssueFactory(title="Published then")
    draft = factories.IssueFactory(title="A draft then", status=PublicationStatus.DRAFT)
    later = factories.IssueFactory(title="Linked later")
    published.sides.set([factories.CountryFactory(code="US"), factories.CountryFactory(code="RU")])
    draft.sides.set([factories.CountryFactory(code="CN", name="China")])
    later.sides.set([factories.CountryFactory(code="FR", name="France")])
    published.meetings.add(meeting)
    draft.meetings.add(meeting)
    for record in (meeting, published, draft, later):
        backdate(record, 3)
    later.meetings.add(meeting)  # today: a revision of its own

    def matrix(day: date) -> str:
        body = client.get(as_of(meeting.get_absolute_url(), day)).content.decode()
        start = body.index('id="stance-matrix"')
        return body[start : body.index("</table>", start)]

    def sides(day: date) -> set[str]:
        return set(re.findall(r'>([^<>]+)</a> <span class="stances__all">', matrix(day)))

    assert sides(today() - timedelta(days=1)) == {"Russia", "United States"}
    assert sides(today()) == {"France", "Russia", "United States"}
    client.force_login(editor)
    assert sides(today() - timedelta(days=1)) == {"China", "Russia", "United States"}


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 100])
def test_an_issue_page_as_of_a_day_is_bounded_and_does_not_query_per_position(
    client, django_assert_max_num_queries, count
):
    issue = factories.dossier_with_positions(count)
    with django_assert_max_num_queries(17):  # the outcomes then of its meetings; What changed
        response = client.get(as_of(issue.get_absolute_url(), today()))
    assert response.status_code == 200
    # Bounded as the live page is: each side's latest positions, the rest a link away.
    html = response.content.decode()
    shown = min(count // 2, POSITIONS_PER_SIDE) + min(count - count // 2, POSITIONS_PER_SIDE)
    assert html.count('class="position"') == shown
    assert (f"All {count // 2} positions of" in html) == (count // 2 > POSITIONS_PER_SIDE)
    newest = issue.positions.order_by("-stated_on", "pk").first()
    assert f'id="position-{newest.pk}"' in html


@pytest.mark.parametrize("count", [5, 100])
def test_a_meeting_page_as_of_a_day_does_not_query_per_position(
    client, editor, django_assert_max_num_queries, count
):
    issue = factories.dossier_with_positions(count)
    meeting = issue.meetings.get()
    for user in (None, editor):
        if user:
            client.force_login(user)
        with django_assert_max_num_queries(22):  # the meeting's outcome, analyses; What changed
            response = client.get(as_of(meeting.get_absolute_url(), today()))
        assert response.status_code == 200
        body = response.content.decode()
        # The latest position of each of the two voices (one per side).
        assert body.count("timeline-axis__item--position") == 2


def test_links_from_the_past_use_todays_addresses(client, editor, harbour_talks):
    issue = Issue.objects.get(slug=FIRST_ISSUE)
    edit(issue, editor, slug="harbours-2022")
    day = {"as_of": OUTLOOK_RECORDED.isoformat()}
    then = client.get("/issues/harbours-2022/", day).content.decode()
    assert 'href="/issues/harbours-2022/feed/"' in then
    assert ISSUE_URL not in then
    board = client.get(MEETING_URL, day).content.decode()
    assert 'href="/issues/harbours-2022/"' in board
    assert f'href="{ISSUE_URL}"' not in board


def test_a_meeting_as_of_a_day_shows_events_on_issues_published_then(client):
    meeting = factories.MeetingFactory(slug="then-meeting")
    shown = factories.IssueFactory(title="Published all along")
    withdrawn = factories.IssueFactory(title="Published then, a draft now")
    never = factories.IssueFactory(title="Never published", status=PublicationStatus.DRAFT)
    events = {}
    for name, issues in (
        ("On the published issue", [shown]),
        ("On the issue published then", [withdrawn]),
        ("Only on the draft issue", [never]),
        ("On no issue", []),
    ):
        event = factories.EventFactory(title=name)
        event.meetings.add(meeting)
        event.issues.set(issues)
        events[name] = event
    for record in (meeting, shown, withdrawn, never, *events.values()):
        backdate(record, 3)
    withdrawn.status = PublicationStatus.DRAFT  # today: a revision of its own
    withdrawn.save()

    then = client.get(as_of(meeting.get_absolute_url(), today() - timedelta(days=1)))
    now = client.get(as_of(meeting.get_absolute_url(), today()))
    assert then.status_code == now.status_code == 200
    then_html, now_html = then.content.decode(), now.content.decode()
    for name in ("On the published issue", "On no issue"):
        assert name in then_html and name in now_html
    assert "On the issue published then" in then_html
    assert "On the issue published then" not in now_html
    assert "Only on the draft issue" not in then_html + now_html
