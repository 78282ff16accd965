"""A resolved meeting made of test data (invented: no real meeting's outcome is claimed),
for the scoring tests and the screenshots of a resolved board and the track record.

Worked example. Forecasts published on 1 June 2025, before the meeting of 10 June 2025:

| scenario | likelihood (p)      | came true | Brier (p − o)²      |
| -------- | ------------------- | --------- | ------------------- |
| Thaw     | likely (0.70)       | yes       | (0.7 − 1)² = 0.09   |
| Rupture  | unlikely (0.30)     | no        | (0.3 − 0)² = 0.09   |
| Drift    | about even (0.50)   | yes       | (0.5 − 1)² = 0.25   |
| Surprise | very unlikely (0.10)| yes       | (0.1 − 1)² = 0.81   |

Mean Brier 1.24 ÷ 4 = 0.31; skill against chance 1 − 0.31 ÷ 0.25 = −0.24.
Salience: Trade (high) raised: hit; Borders (low) raised: miss; Water (medium): counted.
"""

from datetime import UTC, date, datetime

from issues.models import (
    Likelihood,
    MeetingResult,
    OutlookAssessment,
    Resolution,
    Salience,
    Scenario,
)
from issues.scoring import IssueResult, ScenarioResult, outcome_record
from tests import factories

PUBLISHED_ON = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
MEETING_DAY = date(2025, 6, 10)

SCENARIOS = [
    ("Thaw", Likelihood.LIKELY, Resolution.YES),
    ("Rupture", Likelihood.UNLIKELY, Resolution.NO),
    ("Drift", Likelihood.EVEN, Resolution.YES),
    ("Surprise", Likelihood.VERY_UNLIKELY, Resolution.YES),
]
ISSUES = [
    ("Trade", "trade", Salience.HIGH, Resolution.YES),
    ("Borders", "borders", Salience.LOW, Resolution.YES),
    ("Water", "water", Salience.MEDIUM, Resolution.NO),
]


def backdate(history, moment: datetime) -> None:
    """Date every revision so far as published at `moment`, before the meeting began."""
    history.update(history_date=moment)


def resolved_meeting(*, result: str = MeetingResult.HELD, resolve: bool = True):
    """The example meeting, its forecasts published before it, and (with `resolve`) its
    outcome recorded and scored. Returns the meeting."""
    summit = factories.SummitFactory(
        name="Example summit 2025",
        slug="example-summit-2025",
        starts_on=MEETING_DAY,
        ends_on=date(2025, 6, 11),
    )
    meeting = factories.MeetingFactory(
        summit=summit,
        title="Example bilateral",
        slug="example-bilateral",
        scheduled_on=MEETING_DAY,
        headline="Test data: an invented meeting, resolved",
    )
    topic = factories.TopicFactory(name="Example topic", slug="example-topic")
    for title, slug, salience, _ in ISSUES:
        issue = factories.IssueFactory(title=title, slug=slug)
        issue.topics.add(topic)
        issue.meetings.add(meeting)
        factories.AssessmentFactory(
            issue=issue, meeting=meeting, salience=salience, rationale=f"Why {title} matters."
        )
    for order, (title, likelihood, _) in enumerate(SCENARIOS, start=1):
        factories.ScenarioFactory(
            meeting=meeting,
            title=title,
            likelihood=likelihood,
            order=order,
            description=f"The {title.lower()} scenario.",
        )
    backdate(Scenario.history.filter(meeting_id=meeting.pk), PUBLISHED_ON)
    backdate(OutlookAssessment.history.filter(meeting_id=meeting.pk), PUBLISHED_ON)
    if resolve:
        record_outcome(meeting, result=result)
    return meeting


def record_outcome(meeting, *, result=MeetingResult.HELD, overrides=None, reason=""):
    """Record the worked example's outcome; `overrides` maps a scenario title to another
    resolution (a correction)."""
    overrides = overrides or {}
    source = factories.SourceFactory(title="Example joint statement (test data)")
    scenarios = {s.title: s for s in meeting.scenarios.all()}
    issues = {i.slug: i for i in meeting.issues.all()}
    return outcome_record(
        meeting=meeting,
        result=result,
        source=source,
        locator="para. 1",
        statement="Test data: the two sides met for an hour.",
        issues=[
            IssueResult(issues[slug].pk, raised, what_was_said=f"{title} came up.")
            for title, slug, _, raised in ISSUES
        ],
        scenarios=[
            ScenarioResult(scenarios[title].pk, overrides.get(title, came_true))
            for title, _, came_true in SCENARIOS
        ],
        reason=reason,
    )
