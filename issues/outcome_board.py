"""A meeting's forecast beside its outcome, and the sources' judgements of the meeting."""

from dataclasses import dataclass, field
from datetime import date

from .analyses import analyses_for
from .models import (
    Analysis,
    IssueOutcome,
    Meeting,
    MeetingOutcome,
    OutlookAssessment,
    Scenario,
    ScenarioOutcome,
    Score,
    ScoreKind,
)


@dataclass(frozen=True)
class RecordedOutcome:
    """What the editors recorded of a meeting, as a reader may see it: live, or as it stood
    on a past day (`issues.pages.reading`). Issue outcomes by issue id, scenario outcomes by
    scenario id."""

    meeting: MeetingOutcome
    issues: dict[int, IssueOutcome] = field(default_factory=dict)
    scenarios: dict[int, ScenarioOutcome] = field(default_factory=dict)


@dataclass(frozen=True)
class IssueRow:
    assessment: OutlookAssessment
    outcome: IssueOutcome | None
    score: Score | None


@dataclass(frozen=True)
class ScenarioRow:
    scenario: Scenario
    outcome: ScenarioOutcome | None
    score: Score | None


@dataclass
class OutcomeBoard:
    outcome: MeetingOutcome
    issues: list[IssueRow] = field(default_factory=list)
    scenarios: list[ScenarioRow] = field(default_factory=list)


def outcome_board(
    meeting: Meeting,
    assessments: list[OutlookAssessment],
    scenarios: list[Scenario],
    recorded: RecordedOutcome | None = None,
    *,
    scores: list[Score] | None = None,
) -> OutcomeBoard | None:
    """The board with what happened beside each forecast; None until an outcome is
    recorded. `recorded` is the outcome a reader has already read (else it is read here).
    `scores`: the meeting's scores, if already read. A fixed number of queries."""
    if recorded is None:
        recorded = recorded_outcome(meeting)
    if recorded is None:
        return None
    if scores is None:
        scores = list(Score.objects.filter(meeting=meeting))
    by_issue = {s.issue_id: s for s in scores if s.kind == ScoreKind.SALIENCE}
    by_scenario = {s.scenario_id: s for s in scores if s.kind == ScoreKind.SCENARIO}
    return OutcomeBoard(
        outcome=recorded.meeting,
        issues=[
            IssueRow(a, recorded.issues.get(a.issue_id), by_issue.get(a.issue_id))
            for a in assessments
        ],
        scenarios=[
            ScenarioRow(s, recorded.scenarios.get(s.pk), by_scenario.get(s.pk)) for s in scenarios
        ],
    )


def recorded_outcome(meeting: Meeting) -> RecordedOutcome | None:
    """What is recorded now of `meeting`; None while nothing is. Two queries once an
    outcome is recorded, none before."""
    # Read with the meeting (`Meeting.objects.with_board`): no query while none is recorded.
    outcome: MeetingOutcome | None = getattr(meeting, "outcome", None)
    if outcome is None:
        return None
    issue_outcomes = {
        row.issue_id: row
        for row in IssueOutcome.objects.filter(meeting=meeting).select_related("source")
    }
    scenario_outcomes = {
        row.scenario_id: row
        for row in ScenarioOutcome.objects.filter(scenario__meeting=meeting).select_related(
            "source"
        )
    }
    return RecordedOutcome(outcome, issue_outcomes, scenario_outcomes)


def after_the_meeting(meeting: Meeting, state, user, day: date | None) -> dict:
    """What the meeting page adds to its board: the outcome beside the forecast (on the live
    page) and the sources' judgements of the meeting as a whole."""
    analyses: list[Analysis] = analyses_for(user, meeting=meeting, day=day)
    board = None if day is not None else outcome_board(meeting, state.assessments, state.scenarios)
    return {"outcome_board": board, "meeting_analyses": analyses}
