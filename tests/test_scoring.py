"""Outcomes and scores: the worked example of `tests/resolved.py`, annulled and ambiguous
outcomes, forecasts frozen when the meeting began, and re-scores logged."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from issues import scoring
from issues.models import (
    IssueOutcome,
    Likelihood,
    MeetingOutcome,
    MeetingResult,
    Rescore,
    Resolution,
    Scenario,
    Score,
    ScoreKind,
    ScoreStatus,
)
from issues.track_record import build_track_record
from tests import factories
from tests.resolved import SCENARIOS, record_outcome, resolved_meeting

pytestmark = pytest.mark.django_db


def test_the_mapping_is_the_documented_one():
    assert [str(scoring.probability(code)) for code in Likelihood.values] == [
        "0.10",
        "0.30",
        "0.50",
        "0.70",
        "0.90",
    ]
    assert scoring.MAPPING_VERSION in scoring.MAPPINGS


@pytest.mark.parametrize(
    ("p", "happened", "expected"),
    [
        (0.7, True, 0.09),
        (0.3, False, 0.09),
        (0.5, True, 0.25),
        (0.1, True, 0.81),
        (0.9, False, 0.81),
    ],
)
def test_brier_score(p, happened, expected):
    assert scoring.brier(p, happened) == pytest.approx(expected)


def test_skill_against_chance():
    assert scoring.skill(0.25) == pytest.approx(0)
    assert scoring.skill(0) == pytest.approx(1)
    assert scoring.skill(0.31) == pytest.approx(-0.24)


def test_wilson_interval_of_one_in_one():
    low, high = scoring.wilson_interval(1, 1)
    assert (round(low, 3), high) == (0.207, 1.0)
    assert scoring.wilson_interval(0, 0) == (0.0, 1.0)


def test_the_worked_example_is_scored():
    meeting = resolved_meeting()

    scores = {s.scenario.title: s for s in Score.objects.filter(kind=ScoreKind.SCENARIO)}
    assert {title: scores[title].brier for title, _, _ in SCENARIOS} == {
        "Thaw": pytest.approx(0.09),
        "Rupture": pytest.approx(0.09),
        "Drift": pytest.approx(0.25),
        "Surprise": pytest.approx(0.81),
    }
    assert {s.mapping_version for s in scores.values()} == {scoring.MAPPING_VERSION}
    assert all(s.forecast_published_at < datetime(2025, 6, 10, tzinfo=UTC) for s in scores.values())
    salience = {s.issue.slug: s for s in Score.objects.filter(kind=ScoreKind.SALIENCE)}
    assert (salience["trade"].status, salience["trade"].hit) == (ScoreStatus.SCORED, True)
    assert (salience["borders"].status, salience["borders"].hit) == (ScoreStatus.SCORED, False)
    assert (salience["water"].status, salience["water"].hit) == (ScoreStatus.COUNTED, None)

    record = build_track_record()
    assert record.mean_brier == pytest.approx(0.31)
    assert record.skill == pytest.approx(-0.24)
    assert (record.salience_hits, len(record.salience_scored), record.salience_counted) == (1, 2, 1)
    calibration = {row.label: (row.count, row.came_true) for row in record.calibration}
    assert calibration == {
        "Very unlikely": (1, 1),
        "Unlikely": (1, 0),
        "About even": (1, 1),
        "Likely": (1, 1),
        "Very likely": (0, 0),
    }
    assert not Rescore.objects.exists()  # a first scoring is not a correction
    assert meeting.state.label == "Held"


def test_a_cancelled_meeting_annuls_its_forecasts():
    resolved_meeting(result=MeetingResult.CANCELLED)

    scores = Score.objects.all()
    assert scores.count() == 4 + 3
    assert set(scores.values_list("status", flat=True)) == {ScoreStatus.UNSCORED}
    assert not scores.filter(brier__isnull=False).exists()
    record = build_track_record()
    assert record.mean_brier is None
    assert len(record.unscored) == 7
    assert all("cancelled" in item.score.reason for item in record.unscored)


def test_an_ambiguous_outcome_is_listed_not_scored():
    meeting = resolved_meeting(resolve=False)
    record_outcome(meeting, overrides={"Thaw": Resolution.AMBIGUOUS})

    thaw = Score.objects.get(scenario__title="Thaw")
    assert (thaw.status, thaw.brier, thaw.reason) == (ScoreStatus.UNSCORED, None, scoring.AMBIGUOUS)
    record = build_track_record()
    assert len(record.scored_scenarios) == 3
    assert [item.title for item in record.unscored] == ["Example bilateral: Thaw"]


def test_scores_are_frozen_at_what_was_published_when_the_meeting_began():
    meeting = resolved_meeting(resolve=False)
    thaw = Scenario.objects.get(title="Thaw")
    thaw.likelihood = Likelihood.VERY_LIKELY  # an edit after the meeting: not what was read
    thaw.save()

    record_outcome(meeting)

    score = Score.objects.get(scenario=thaw)
    assert (score.forecast, score.brier) == (Likelihood.LIKELY, pytest.approx(0.09))


def test_nothing_published_before_the_meeting_is_not_scored():
    meeting = resolved_meeting(resolve=False)
    late = factories.ScenarioFactory(meeting=meeting, title="Late", likelihood=Likelihood.LIKELY)
    source = factories.SourceFactory()

    scoring.outcome_record(
        meeting=meeting,
        result=MeetingResult.HELD,
        source=source,
        scenarios=[scoring.ScenarioResult(late.pk, Resolution.YES)],
    )

    score = Score.objects.get(scenario=late)
    assert (score.status, score.reason) == (ScoreStatus.UNSCORED, scoring.NOTHING_PUBLISHED)


def test_a_corrected_outcome_rescores_with_a_visible_log(client):
    meeting = resolved_meeting()

    record_outcome(meeting, overrides={"Surprise": Resolution.NO}, reason="statement misread")

    surprise = Score.objects.get(scenario__title="Surprise")
    assert surprise.brier == pytest.approx(0.01)
    [rescore] = Rescore.objects.all()
    assert rescore.reason == "statement misread"
    assert "Surprise" in rescore.changes and "0.8100" in rescore.changes
    assert "0.0100" in rescore.changes
    body = client.get("/track-record/").content.decode()
    assert "statement misread" in body

    record_outcome(meeting, overrides={"Surprise": Resolution.NO})  # the same again
    assert Rescore.objects.count() == 1  # nothing changed, nothing logged


def test_a_bad_outcome_saves_nothing():
    meeting = resolved_meeting(resolve=False)
    source = factories.SourceFactory()
    issue = meeting.issues.first()

    with pytest.raises(ValidationError):
        scoring.outcome_record(
            meeting=meeting,
            result=MeetingResult.HELD,
            source=source,
            issues=[scoring.IssueResult(issue.pk, "perhaps")],
        )

    assert not MeetingOutcome.objects.exists()
    assert not IssueOutcome.objects.exists()
    assert not Score.objects.exists()
