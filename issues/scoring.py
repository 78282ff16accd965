"""Scoring published outlooks against what happened.

What is scored is what readers could read when the meeting began: the latest published
revision of each scenario and outlook assessment before the meeting's first day (frozen
then; a later edit changes nothing). Two kinds of forecast are scored:

- a scenario's likelihood, as a probability (the mapping below), by its Brier score
  (p − o)², where o is 1 if the scenario came true and 0 if not. Always answering "about
  even" (0.5) scores 0.25, the chance line; skill against chance is 1 − Brier ÷ 0.25
  (1 is perfect, 0 no better than chance, below 0 worse);
- an issue's salience: "high" is a hit if the issue was raised, "low" a hit if it was not;
  "medium" says neither, so it is counted and not scored.

A forecast is left unscored, and listed with the reason, when its meeting was cancelled or
postponed (its scenarios are annulled), when its outcome is ambiguous, or when nothing was
published before the meeting began. Recording outcomes and scoring happen in one
transaction; scoring again after a correction logs what changed (`Rescore`).
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import (
    IssueOutcome,
    Likelihood,
    Meeting,
    MeetingOutcome,
    OutlookAssessment,
    PublicationStatus,
    Rescore,
    Resolution,
    Salience,
    Scenario,
    ScenarioOutcome,
    Score,
    ScoreKind,
    ScoreStatus,
    Source,
)

#: Likelihood words as probabilities, following the U.S. intelligence community's ICD 203
#: ranges folded into five steps, each scored at a round point inside its range. A new
#: mapping gets a new version; every score stores the version it was computed with.
MAPPINGS: dict[str, dict[int, Decimal]] = {
    "icd203-five-steps-v1": {
        Likelihood.VERY_UNLIKELY: Decimal("0.10"),
        Likelihood.UNLIKELY: Decimal("0.30"),
        Likelihood.EVEN: Decimal("0.50"),
        Likelihood.LIKELY: Decimal("0.70"),
        Likelihood.VERY_LIKELY: Decimal("0.90"),
    }
}
MAPPING_VERSION = "icd203-five-steps-v1"
#: The ranges each step stands for, shown with the mapping.
RANGES = {
    Likelihood.VERY_UNLIKELY: "1–20 %",
    Likelihood.UNLIKELY: "20–45 %",
    Likelihood.EVEN: "45–55 %",
    Likelihood.LIKELY: "55–80 %",
    Likelihood.VERY_LIKELY: "80–99 %",
}
#: The Brier score of always saying "about even".
CHANCE = 0.25

ANNULLED = "the meeting was {result}: its forecasts are annulled"
AMBIGUOUS = "the outcome is ambiguous"
NOTHING_PUBLISHED = "no forecast was published before the meeting began"


def probability(likelihood: int, version: str = MAPPING_VERSION) -> Decimal:
    return MAPPINGS[version][likelihood]


def brier(p: float | Decimal, happened: bool) -> float:
    """(p − o)²: 0 for a certain forecast that came true, 1 for one that did not."""
    return round((float(p) - (1.0 if happened else 0.0)) ** 2, 6)


def skill(mean_brier: float) -> float:
    """Skill against chance: 1 − Brier ÷ 0.25."""
    return 1 - mean_brier / CHANCE


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion: sensible for small samples."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - margin), min(1.0, centre + margin))


def meeting_began(meeting: Meeting) -> datetime:
    """The moment forecasts are frozen: the start of the meeting's first possible day."""
    return datetime.combine(meeting.dates.start, time.min, tzinfo=UTC)


def _frozen(history, record_id: int, moment: datetime):
    """The latest published revision of a record before `moment`, or None."""
    return (
        history.filter(id=record_id, history_date__lt=moment, status=PublicationStatus.PUBLISHED)
        .order_by("-history_date", "-history_id")
        .first()
    )


@dataclass(frozen=True)
class Computed:
    """A score as computed, before it is stored."""

    kind: str
    scenario_id: int | None
    issue_id: int | None
    forecast: int | None
    forecast_label: str
    forecast_published_at: datetime | None
    probability: Decimal | None
    outcome: str
    status: str
    reason: str = ""
    brier: float | None = None
    hit: bool | None = None
    mapping_version: str = ""

    @property
    def key(self) -> tuple:
        return (self.kind, self.scenario_id, self.issue_id)

    def line(self, label: str) -> str:
        if self.status == ScoreStatus.SCORED:
            value = f"Brier {self.brier:.4f}" if self.brier is not None else f"hit {self.hit}"
        else:
            value = self.status
        return f"{label}: {self.forecast_label or '—'}, outcome {self.outcome or '—'}, {value}"


def _scenario_score(scenario: Scenario, outcome: MeetingOutcome, moment: datetime) -> Computed:
    resolved = getattr(scenario, "outcome", None)
    frozen = _frozen(Scenario.history, scenario.pk, moment)
    base = {
        "kind": ScoreKind.SCENARIO,
        "scenario_id": scenario.pk,
        "issue_id": None,
        "forecast": frozen.likelihood if frozen else None,
        "forecast_label": Likelihood(frozen.likelihood).label if frozen else "",
        "forecast_published_at": frozen.history_date if frozen else None,
        "outcome": resolved.came_true if resolved else "",
    }
    if outcome.annuls_forecasts:
        reason = ANNULLED.format(result=outcome.get_result_display().lower())
        return Computed(**base, probability=None, status=ScoreStatus.UNSCORED, reason=reason)
    if frozen is None:
        return Computed(
            **base, probability=None, status=ScoreStatus.UNSCORED, reason=NOTHING_PUBLISHED
        )
    p = probability(frozen.likelihood)
    if resolved.came_true == Resolution.AMBIGUOUS:
        return Computed(**base, probability=p, status=ScoreStatus.UNSCORED, reason=AMBIGUOUS)
    return Computed(
        **base,
        probability=p,
        status=ScoreStatus.SCORED,
        brier=brier(p, resolved.came_true == Resolution.YES),
        mapping_version=MAPPING_VERSION,
    )


def _salience_score(
    issue_outcome: IssueOutcome, outcome: MeetingOutcome, moment: datetime
) -> Computed:
    assessment = OutlookAssessment.objects.filter(
        issue_id=issue_outcome.issue_id, meeting_id=issue_outcome.meeting_id
    ).first()
    frozen = _frozen(OutlookAssessment.history, assessment.pk, moment) if assessment else None
    base = {
        "kind": ScoreKind.SALIENCE,
        "scenario_id": None,
        "issue_id": issue_outcome.issue_id,
        "forecast": frozen.salience if frozen else None,
        "forecast_label": Salience(frozen.salience).label if frozen else "",
        "forecast_published_at": frozen.history_date if frozen else None,
        "probability": None,
        "outcome": issue_outcome.raised,
    }
    if outcome.annuls_forecasts:
        reason = ANNULLED.format(result=outcome.get_result_display().lower())
        return Computed(**base, status=ScoreStatus.UNSCORED, reason=reason)
    if frozen is None:
        return Computed(**base, status=ScoreStatus.UNSCORED, reason=NOTHING_PUBLISHED)
    if issue_outcome.raised == Resolution.AMBIGUOUS:
        return Computed(**base, status=ScoreStatus.UNSCORED, reason=AMBIGUOUS)
    if frozen.salience == Salience.MEDIUM:
        return Computed(
            **base, status=ScoreStatus.COUNTED, reason="“medium” salience forecasts neither way"
        )
    raised = issue_outcome.raised == Resolution.YES
    hit = raised if frozen.salience == Salience.HIGH else not raised
    return Computed(**base, status=ScoreStatus.SCORED, hit=hit)


def compute_scores(meeting: Meeting) -> list[Computed]:
    """Every resolved forecast of the meeting, scored or with the reason it is not."""
    outcome = MeetingOutcome.objects.filter(meeting=meeting).first()
    if outcome is None:
        return []
    moment = meeting_began(meeting)
    computed = []
    scenarios = Scenario.objects.filter(meeting=meeting).select_related("outcome")
    for scenario in scenarios:
        if outcome.annuls_forecasts or hasattr(scenario, "outcome"):
            computed.append(_scenario_score(scenario, outcome, moment))
    for issue_outcome in IssueOutcome.objects.filter(meeting=meeting):
        computed.append(_salience_score(issue_outcome, outcome, moment))
    return computed


def _as_computed(score: Score) -> Computed:
    return Computed(
        kind=score.kind,
        scenario_id=score.scenario_id,
        issue_id=score.issue_id,
        forecast=score.forecast,
        forecast_label=score.forecast_label,
        forecast_published_at=score.forecast_published_at,
        probability=score.probability,
        outcome=score.outcome,
        status=score.status,
        reason=score.reason,
        brier=score.brier,
        hit=score.hit,
        mapping_version=score.mapping_version,
    )


@transaction.atomic
def meeting_score(*, meeting: Meeting, reason: str = "") -> list[Score]:
    """Score the meeting again from its recorded outcomes. When scores existed and any
    changes, the change is logged (`Rescore`) with `reason`."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one scorer at a time
    now = timezone.now()
    existing = {(s.kind, s.scenario_id, s.issue_id): s for s in meeting.scores.all()}
    computed = {c.key: c for c in compute_scores(meeting)}
    before = {key: _as_computed(score) for key, score in existing.items()}
    labels = _labels(meeting)
    changes = [
        f"{labels[key]}: was “{before[key].line('')[2:]}”, now “{computed[key].line('')[2:]}”"
        if key in before and key in computed
        else (
            f"removed {before[key].line(labels[key])}"
            if key in before
            else f"added {computed[key].line(labels[key])}"
        )
        for key in sorted(set(before) | set(computed), key=str)
        if before.get(key) != computed.get(key)
    ]
    if not changes:
        return list(meeting.scores.all())
    if before:
        Rescore.objects.create(meeting=meeting, at=now, reason=reason, changes="\n".join(changes))
    meeting.scores.exclude(pk__in=[existing[k].pk for k in computed if k in existing]).delete()
    for values in computed.values():
        Score.objects.update_or_create(
            meeting=meeting,
            kind=values.kind,
            scenario_id=values.scenario_id,
            issue_id=values.issue_id,
            defaults={**values.__dict__, "scored_at": now},
        )
    return list(meeting.scores.all())


def _labels(meeting: Meeting) -> dict[tuple, str]:
    labels: dict[tuple, str] = {}
    for scenario in Scenario.objects.filter(meeting=meeting):
        labels[(ScoreKind.SCENARIO, scenario.pk, None)] = f"scenario “{scenario.title}”"
    for issue in meeting.issues.all():
        labels[(ScoreKind.SALIENCE, None, issue.pk)] = f"salience of “{issue.title}”"
    for score in meeting.scores.select_related("scenario", "issue"):
        labels.setdefault(
            (score.kind, score.scenario_id, score.issue_id), str(score.scenario or score.issue)
        )
    return labels


@dataclass(frozen=True)
class IssueResult:
    issue_id: int
    raised: str
    what_was_said: str = ""
    deliverable_reached: str = ""
    #: Where this issue's outcome is read, when not in the meeting outcome's source.
    source: Source | None = None
    locator: str | None = None


@dataclass(frozen=True)
class ScenarioResult:
    scenario_id: int
    came_true: str
    note: str = ""
    source: Source | None = None
    locator: str | None = None


@transaction.atomic
def outcome_record(
    *,
    meeting: Meeting,
    result: str,
    source: Source,
    locator: str = "",
    statement: str = "",
    issues: list[IssueResult] = (),
    scenarios: list[ScenarioResult] = (),
    reason: str = "",
    effective: datetime | None = None,
) -> list[Score]:
    """Record what happened at a meeting (the meeting, its issues, its scenarios), each
    with its source (the meeting's `source` and `locator` unless an item gives its own),
    and score it: one transaction, so a bad row saves nothing. Recording again corrects
    the outcome and re-scores with a logged change. `effective` dates the revisions when
    the outcome took effect, if not now (a dossier file's import)."""
    outcome = MeetingOutcome.objects.filter(meeting=meeting).first() or MeetingOutcome(
        meeting=meeting
    )
    dated = {"effective": effective}
    _save(outcome, result=result, statement=statement, source=source, locator=locator, **dated)
    for item in issues:
        row = IssueOutcome.objects.filter(meeting=meeting, issue_id=item.issue_id).first()
        _save(
            row or IssueOutcome(meeting=meeting, issue_id=item.issue_id),
            raised=item.raised,
            what_was_said=item.what_was_said,
            deliverable_reached=item.deliverable_reached,
            source=item.source or source,
            locator=locator if item.locator is None else item.locator,
            **dated,
        )
    for item in scenarios:
        scenario = Scenario.objects.get(pk=item.scenario_id, meeting=meeting)
        row = ScenarioOutcome.objects.filter(scenario=scenario).first()
        _save(
            row or ScenarioOutcome(scenario=scenario),
            came_true=item.came_true,
            note=item.note,
            source=item.source or source,
            locator=locator if item.locator is None else item.locator,
            **dated,
        )
    return meeting_score(meeting=meeting, reason=reason)


def _save(instance, *, effective: datetime | None = None, **values) -> None:
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    if effective is not None:
        instance._history_date = effective
    try:
        instance.save()
    finally:  # a later save of the same instance is a revision of its own time
        instance.__dict__.pop("_history_date", None)
