"""After the meeting, on the pages: the resolved board, the track record and its feed, the
feeds per meeting and per leader, the lifecycle of a meeting, and outcomes in the admin."""

from datetime import date
from xml.etree import ElementTree

import pytest

from issues.lifecycle import meeting_state
from issues.models import (
    MeetingResult,
    MeetingStatus,
    Rescore,
    Resolution,
    Scenario,
    ScenarioOutcome,
    Score,
    ScoreKind,
)
from tests import factories
from tests.resolved import resolved_meeting

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_track_record_page_shows_the_worked_example(client, django_assert_max_num_queries):
    resolved_meeting()

    with django_assert_max_num_queries(12):
        response = client.get("/track-record/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-brier="0.3100"' in body and 'data-skill="-0.2400"' in body
    assert "over <strong>4</strong> scored scenarios" in body
    assert "<strong>0.25</strong> for always saying" in body  # the chance line
    assert 'data-word="Likely" data-count="1" data-true="1"' in body
    assert 'data-word="Unlikely" data-count="1" data-true="0"' in body
    assert "Example bilateral: Thaw" in body and "Brier 0.09" in body
    assert "Example joint statement (test data)" in body  # each item's source
    assert "Why Trade matters." in body  # the rationale
    assert "<strong>1</strong> hit of <strong>2</strong> scored" in body
    assert "icd203-five-steps-v1" in body
    assert "No score has been corrected." in body


def test_the_track_records_queries_do_not_grow(client, django_assert_max_num_queries):
    resolved_meeting()
    meeting = factories.MeetingFactory()  # five more scored scenarios, on another meeting
    for order in range(5):
        scenario = factories.ScenarioFactory(meeting=meeting, order=order)
        Score.objects.create(
            meeting=meeting,
            kind=ScoreKind.SCENARIO,
            scenario=scenario,
            forecast=3,
            forecast_label="About even",
            status="scored",
            outcome=Resolution.YES,
            brier=0.25,
            scored_at=scenario.created_at,
        )

    with django_assert_max_num_queries(12):
        assert client.get("/track-record/").status_code == 200


def test_an_empty_track_record_says_so(client):
    body = client.get("/track-record/").content.decode()
    assert "No scenario has been resolved and scored yet." in body


def test_the_track_record_feed(client):
    resolved_meeting()

    response = client.get("/track-record/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 7
    assert "Example bilateral: Surprise: Brier 0.81" in titles
    assert "Example bilateral: Trade: hit" in titles


def test_the_resolved_board_shows_forecast_beside_outcome(client, django_assert_max_num_queries):
    meeting = resolved_meeting()

    body = client.get(meeting.get_absolute_url()).content.decode()

    assert 'id="outcome-board"' in body
    assert "Held" in body and "Test data: the two sides met for an hour." in body
    assert 'data-state="held"' in body
    board = body[body.index('id="outcome-scenarios"') :]
    assert "Likely (p = 0.70)" in board and "Came true" in board and "0.09" in board
    assert "Did not come true" in board
    issues = body[body.index('id="outcome-issues"') : body.index('id="outcome-scenarios"')]
    assert "High: certain to be raised" in issues and "Hit" in issues and "Miss" in issues
    assert "Trade came up." in issues


def test_an_unresolved_board_has_no_outcome_section(client):
    meeting = resolved_meeting(resolve=False)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="outcome-board"' not in body
    assert "Outcome not yet recorded" in body  # 10 June 2025 is past


def test_the_meeting_feed_carries_its_issues_changes(client):
    meeting = resolved_meeting()
    other = factories.IssueFactory(title="Elsewhere")

    response = client.get(f"/meetings/{meeting.slug}/feed/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Trade: dossier added" in body
    assert other.title not in body
    assert client.get("/meetings/no-such-meeting/feed/").status_code == 404


def test_the_leader_feed_shows_dates_as_the_source_gives_them(client):
    leader = factories.LeaderFactory(name="Leader Example")
    factories.PositionFactory(
        leader=leader,
        country=leader.country,
        stated_on=date(2018, 10, 21),
        stated_on_precision="period",
        stated_until=date(2018, 10, 31),
        stated_as="late October",
        summary="Said something.",
    )
    factories.PositionFactory(summary="Someone else's.")

    body = client.get(f"/leaders/{leader.slug}/feed/").content.decode()

    assert "late October (October 2018): Said something." in body
    assert "Someone else" not in body
    assert (
        f'href="/leaders/{leader.slug}/feed/"'
        in client.get(leader.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 6, 9), "upcoming"),
        (date(2025, 6, 10), "under_way"),
        (date(2025, 6, 11), "under_way"),  # within its summit's days
        (date(2025, 6, 12), "past"),
    ],
)
def test_a_meetings_state_follows_its_dates(today, expected):
    meeting = resolved_meeting(resolve=False)
    meeting.scheduled_on = None  # during the summit, 10–11 June 2025
    assert meeting_state(meeting, today).code == expected


@pytest.mark.parametrize(
    ("result", "label"),
    [
        (MeetingResult.HELD, "Held"),
        (MeetingResult.INFORMAL, "Held informally"),
        (MeetingResult.CANCELLED, "Cancelled"),
        (MeetingResult.POSTPONED, "Postponed"),
    ],
)
def test_a_recorded_outcome_decides_the_state(result, label):
    meeting = resolved_meeting(result=result)
    meeting.refresh_from_db()
    assert meeting_state(meeting, date(2025, 6, 1)).label == label


def test_a_past_meeting_never_reads_expected(client):
    meeting = factories.MeetingFactory(status=MeetingStatus.EXPECTED)  # summit 30 Nov 2018
    assert meeting_state(meeting, date(2026, 1, 1)).label == "Outcome not yet recorded"
    body = client.get("/").content.decode()
    assert "Outcome not yet recorded" in body and ">Expected<" not in body


def test_an_editor_records_a_scenario_outcome_in_the_admin_and_it_is_scored(admin_client):
    meeting = resolved_meeting()
    surprise = Scenario.objects.get(title="Surprise")
    outcome = ScenarioOutcome.objects.get(scenario=surprise)

    response = admin_client.post(
        f"/admin/issues/scenariooutcome/{outcome.pk}/change/",
        {
            "scenario": surprise.pk,
            "came_true": Resolution.NO,
            "note": "Corrected",
            "source": outcome.source_id,
            "locator": "para. 2",
        },
    )

    assert response.status_code == 302
    assert Score.objects.get(scenario=surprise).brier == pytest.approx(0.01)
    assert Rescore.objects.get(meeting=meeting).reason == "outcome recorded in the back office"


def test_an_invalid_outcome_in_the_admin_is_refused_with_a_message(admin_client):
    resolved_meeting()
    outcome = ScenarioOutcome.objects.get(scenario__title="Surprise")

    response = admin_client.post(
        f"/admin/issues/scenariooutcome/{outcome.pk}/change/",
        {"scenario": outcome.scenario_id, "came_true": "perhaps", "source": outcome.source_id},
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.came_true == Resolution.YES
