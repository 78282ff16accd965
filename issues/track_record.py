"""The track record: how well published outlooks held, built as data for its page and feed."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from .models import (
    IssueOutcome,
    Likelihood,
    OutlookAssessment,
    PublicationStatus,
    Rescore,
    Resolution,
    Score,
    ScoreKind,
    ScoreStatus,
    Source,
    Topic,
)
from .scoring import CHANCE, MAPPING_VERSION, MAPPINGS, RANGES, skill, wilson_interval

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class Item:
    """One resolved forecast: what was published, what happened, with what source."""

    score: Score
    title: str
    url: str
    forecast: str
    outcome: str
    source: Source | None
    locator: str
    rationale: str

    @property
    def shown_score(self) -> str:
        if self.score.status != ScoreStatus.SCORED:
            return self.score.reason
        if self.score.brier is not None:
            return f"Brier {self.score.brier:.2f}"
        return "hit" if self.score.hit else "miss"


@dataclass(frozen=True)
class CalibrationRow:
    label: str
    probability: Decimal
    range: str
    count: int
    came_true: int
    low: float
    high: float

    @property
    def rate(self) -> float | None:
        return self.came_true / self.count if self.count else None


@dataclass(frozen=True)
class Group:
    """A breakdown row: a topic or a year, with its sample and score."""

    label: str
    count: int
    mean_brier: float | None = None
    hits: int | None = None


@dataclass
class TrackRecord:
    scenarios: list[Item] = field(default_factory=list)
    salience: list[Item] = field(default_factory=list)
    unscored: list[Item] = field(default_factory=list)
    calibration: list[CalibrationRow] = field(default_factory=list)
    by_topic: list[Group] = field(default_factory=list)
    by_year: list[Group] = field(default_factory=list)
    rescores: list[Rescore] = field(default_factory=list)
    mapping: list[tuple[str, str, Decimal]] = field(default_factory=list)
    mapping_version: str = MAPPING_VERSION
    chance: float = CHANCE

    @property
    def scored_scenarios(self) -> list[Item]:
        return [i for i in self.scenarios if i.score.status == ScoreStatus.SCORED]

    @property
    def mean_brier(self) -> float | None:
        scored = self.scored_scenarios
        return sum(i.score.brier for i in scored) / len(scored) if scored else None

    @property
    def skill(self) -> float | None:
        return skill(self.mean_brier) if self.mean_brier is not None else None

    @property
    def salience_scored(self) -> list[Item]:
        return [i for i in self.salience if i.score.status == ScoreStatus.SCORED]

    @property
    def salience_hits(self) -> int:
        return sum(1 for i in self.salience_scored if i.score.hit)

    @property
    def salience_counted(self) -> int:
        return sum(1 for i in self.salience if i.score.status == ScoreStatus.COUNTED)

    @property
    def chart(self) -> dict[str, float] | None:
        """Where the headline and the chance line sit on a 0–0.5 Brier axis, in percent."""
        if self.mean_brier is None:
            return None
        return {
            "score": min(self.mean_brier / 0.5, 1) * 100,
            "chance": CHANCE / 0.5 * 100,
        }


def _published_scores():
    return (
        Score.objects.filter(
            Q(kind=ScoreKind.SCENARIO, scenario__status=PUBLISHED)
            | Q(kind=ScoreKind.SALIENCE, issue__status=PUBLISHED)
        )
        .select_related(
            "meeting__summit", "scenario__outcome__source", "issue", "meeting__outcome__source"
        )
        .prefetch_related(Prefetch("issue__topics", queryset=Topic.objects.all()))
        .order_by("meeting__summit__starts_on", "meeting__title", "kind", "pk")
    )


def build_track_record() -> TrackRecord:
    """Every published forecast that has been resolved, scored or listed with its reason.
    A fixed number of queries, whatever the number of meetings."""
    scores = list(_published_scores())
    issue_outcomes = {
        (o.meeting_id, o.issue_id): o
        for o in IssueOutcome.objects.select_related("source").filter(
            meeting_id__in={s.meeting_id for s in scores}
        )
    }
    rationales = dict(
        OutlookAssessment.objects.filter(meeting_id__in={s.meeting_id for s in scores}).values_list(
            "issue_id", "rationale"
        )
    )
    record = TrackRecord(
        rescores=list(Rescore.objects.select_related("meeting").order_by("-at")[:50]),
        mapping=[
            (Likelihood(code).label, RANGES[code], p)
            for code, p in MAPPINGS[MAPPING_VERSION].items()
        ],
    )
    for score in scores:
        item = _item(score, issue_outcomes, rationales)
        if score.status == ScoreStatus.UNSCORED:
            record.unscored.append(item)
        if score.kind == ScoreKind.SCENARIO:
            record.scenarios.append(item)
        else:
            record.salience.append(item)
    record.calibration = _calibration(record.scored_scenarios)
    record.by_topic = _by_topic(record.salience_scored)
    record.by_year = _by_year(record.scored_scenarios)
    return record


def _item(score: Score, issue_outcomes, rationales) -> Item:
    meeting = score.meeting
    if score.kind == ScoreKind.SCENARIO:
        resolved = getattr(score.scenario, "outcome", None)
        source, locator = (resolved.source, resolved.locator) if resolved else (None, "")
        if source is None and hasattr(meeting, "outcome"):
            source, locator = meeting.outcome.source, meeting.outcome.locator
        forecast = score.forecast_label
        if score.probability is not None:
            forecast = f"{forecast} ({score.probability:.2f})"
        return Item(
            score=score,
            title=f"{meeting.title}: {score.scenario.title}",
            url=meeting.get_absolute_url(),
            forecast=forecast or "—",
            outcome=_resolution(score.outcome, "came true", "did not come true"),
            source=source,
            locator=locator,
            rationale=score.scenario.description,
        )
    resolved = issue_outcomes.get((meeting.pk, score.issue_id))
    return Item(
        score=score,
        title=f"{meeting.title}: {score.issue.title}",
        url=score.issue.get_absolute_url(),
        forecast=f"Salience {score.forecast_label}" if score.forecast_label else "—",
        outcome=_resolution(score.outcome, "raised", "not raised"),
        source=resolved.source if resolved else None,
        locator=resolved.locator if resolved else "",
        rationale=rationales.get(score.issue_id, ""),
    )


def _resolution(value: str, yes: str, no: str) -> str:
    return {Resolution.YES: yes, Resolution.NO: no, Resolution.AMBIGUOUS: "ambiguous"}.get(
        value, "not recorded"
    )


def _calibration(scored: list[Item]) -> list[CalibrationRow]:
    """For each likelihood word: how many forecasts used it, how many came true, and the
    95 % interval of that rate, beside the probability the word stands for."""
    rows = []
    for code, p in MAPPINGS[MAPPING_VERSION].items():
        mine = [i for i in scored if i.score.forecast == code]
        true = sum(1 for i in mine if i.score.outcome == Resolution.YES)
        low, high = wilson_interval(true, len(mine))
        rows.append(
            CalibrationRow(Likelihood(code).label, p, RANGES[code], len(mine), true, low, high)
        )
    return rows


def _by_topic(scored: list[Item]) -> list[Group]:
    hits: dict[str, list[bool]] = defaultdict(list)
    for item in scored:
        for topic in item.score.issue.topics.all():
            hits[topic.name].append(bool(item.score.hit))
    return [Group(name, len(v), hits=sum(v)) for name, v in sorted(hits.items())]


def _by_year(scored: list[Item]) -> list[Group]:
    briers: dict[int, list[float]] = defaultdict(list)
    for item in scored:
        briers[item.score.meeting.dates.start.year].append(item.score.brier)
    return [
        Group(str(year), len(v), mean_brier=sum(v) / len(v)) for year, v in sorted(briers.items())
    ]
