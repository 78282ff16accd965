"""Reading the records a page shows: as they are now, or as they stood at a past moment.

A page builder asks a `Reader` for records and never knows which kind it has: `LiveReader`
reads the live tables, `AsOfReader` the revision tables (django-simple-history, see
`issues.time_travel`). Both apply the publication policy for their viewer, both return
model instances with their related records loaded, and both keep what they know about each
record (what it cites, when it was last revised) in their own maps, never on the instances.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from django.db import models
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404

from issues import time_travel
from issues.models import (
    AssessmentCitation,
    Country,
    Event,
    EventCitation,
    Issue,
    IssueOutcome,
    Leader,
    Meeting,
    MeetingOutcome,
    OutlookAssessment,
    Position,
    Scenario,
    ScenarioOutcome,
    Score,
    ScoreKind,
    Source,
    Summit,
    Topic,
    can_see_drafts,
    revisions_visible_to,
)
from issues.models.publishing import History, Viewer
from issues.outcome_board import RecordedOutcome, recorded_outcome
from issues.time_travel import Revision, history_of

type RecordKey = tuple[type[models.Model], int]
type SpeakerKey = tuple[int, int, int | None]  # issue, country (side), leader or None

PER_SPEAKER = 3  # the latest positions of each speaker the stance matrix weighs for ties


def key(record: models.Model) -> RecordKey:
    return (type(record), record.pk)


@dataclass(frozen=True)
class Cited:
    """A source a record cites, and where in it."""

    source: Source
    locator: str


@dataclass(frozen=True)
class IssueRecord:
    issue: Issue
    topics: list[Topic]
    meetings: list[Meeting]
    sides: list[Country]


@dataclass(frozen=True)
class MeetingRecord:
    meeting: Meeting
    participants: list[Leader]


@dataclass(frozen=True)
class Revised:
    """When a record (or the records of a page) was first and last revised, as shown."""

    first: datetime | None
    last: datetime | None


class Reader(Protocol):
    @property
    def viewer(self) -> Viewer: ...
    @property
    def as_of(self) -> date | None: ...
    @property
    def moment(self) -> datetime | None: ...  # None: now

    def issue(self, slug: str) -> IssueRecord: ...
    def positions(
        self, issues: dict[int, Issue], *, latest_per_speaker: bool = False
    ) -> list[Position]: ...
    def speaker_counts(self, issues: dict[int, Issue]) -> dict[SpeakerKey, int]: ...
    def side_totals(self, positions: list[Position]) -> dict[int, int]: ...
    def assessments(
        self, issues: dict[int, Issue], meeting: Meeting | None = None, *, cited: bool = True
    ) -> list[OutlookAssessment]: ...
    def events(
        self, *, issue: Issue | None = None, meeting: Meeting | None = None, cited: bool = True
    ) -> list[Event]: ...
    def meeting(self, slug: str) -> MeetingRecord: ...
    def meeting_issues(self, meeting: Meeting) -> list[Issue]: ...
    def scenarios(self, meeting: Meeting) -> list[Scenario]: ...
    def outcome(self, meeting: Meeting) -> RecordedOutcome | None: ...
    def sides(self, issues: list[Issue]) -> list[Country]: ...
    def scores(self, meeting: Meeting) -> list[Score] | None: ...
    def issue_outcomes(self, issue: Issue, meetings: list[Meeting]) -> list[IssueOutcome]: ...
    def citations(
        self, records: Iterable[OutlookAssessment | Event]
    ) -> dict[RecordKey, list[Cited]]: ...
    def revised(self, anchor: models.Model, records: Iterable[models.Model]) -> Revised: ...


def _count_by_side(positions: Iterable[Position]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for position in positions:
        counts[position.country_id] += 1
    return dict(counts)


def _speaker(position: Position) -> SpeakerKey:
    return (position.issue_id, position.country_id, position.leader_id)


def _newest_first(positions: Iterable[Position]) -> list[Position]:
    return sorted(positions, key=lambda p: (-p.stated_on.toordinal(), p.pk))


# The live tables -------------------------------------------------------------------------


@dataclass
class LiveReader:
    """Records as they are now, as `viewer` may see them."""

    viewer: Viewer
    as_of: date | None = None
    per_side: int | None = None  # current positions shown per side; None: all of them
    moment: None = None  # now
    _issue_revised: Revised | None = field(default=None, repr=False)
    _side_totals: dict[int, int] = field(default_factory=dict, repr=False)
    _totals_of: int | None = field(default=None, repr=False)  # the issue they count
    _speaker_counts: dict[SpeakerKey, int] = field(default_factory=dict, repr=False)
    _meeting_revised: Revised | None = field(default=None, repr=False)
    # Read with the records they belong to, so that no query of their own is needed: the
    # issue's outcome at each of its meetings (by meeting), and on a meeting page the
    # outcomes and scores of its issues and scenarios, and its issues' sides.
    _outcomes_here: dict[int, IssueOutcome | None] | None = field(default=None, repr=False)
    _meeting_read: "_MeetingRead | None" = field(default=None, repr=False)

    def issue(self, slug: str) -> IssueRecord:
        revised = self._dossier_revised()
        issue = (
            Issue.objects.visible_to(self.viewer)
            .annotate(**revised)
            .prefetch_related("topics")
            .filter(slug=slug)
            .first()
        )
        if issue is None:
            raise Http404("No such issue.")
        self._issue_revised = _annotated_revised(issue, revised)
        sides, self._side_totals = self._sides_and_totals(issue)
        self._totals_of = issue.pk
        # The issue's meetings, each with what became of the issue there (if recorded).
        meetings_here = Meeting.objects.filter(issues=issue).annotate(
            outcome_here=FilteredRelation(
                "issue_outcomes", condition=Q(issue_outcomes__issue_id=issue.pk)
            )
        )
        meetings: list[Meeting] = list(
            _select_related(meetings_here, "summit", "outcome", "outcome_here__source")
        )
        self._outcomes_here = {m.pk: getattr(m, "outcome_here", None) for m in meetings}
        return IssueRecord(issue, list(issue.topics.all()), meetings, sides)

    def _sides_and_totals(self, issue: Issue) -> tuple[list[Country], dict[int, int]]:
        """The issue's sides, and how many current positions the viewer may see each side
        and any other country with positions on the issue has: counted a side at a time,
        so that the positions themselves are ranked on their ids and dates alone."""
        visible = Position.objects.visible_to(self.viewer).current().filter(issue_id=issue.pk)
        links = Issue.sides.through.objects.filter(issue_id=issue.pk)
        countries = Country.objects.filter(
            Q(pk__in=links.values("country_id")) | Q(pk__in=visible.values("country_id"))
        ).annotate(
            is_side=Exists(links.filter(country_id=OuterRef("pk"))),
            total=Subquery(_aggregate_count(visible.filter(country_id=OuterRef("pk")))),
        )
        totals: dict[int, int] = {}
        sides: list[Country] = []
        for country in countries:
            totals[country.pk] = country.total or 0
            if country.is_side:
                sides.append(country)
        return sides, totals

    def _dossier_revised(self) -> dict[str, Subquery]:
        """When an issue was first revised, and the latest revision the viewer may see of
        it, its positions, its assessments and its events: read with the issue itself."""

        def latest(history: History) -> Subquery:
            return Subquery(_aggregate(revisions_visible_to(history, self.viewer), Max))

        linked_events = Event.issues.through.objects.filter(issue_id=OuterRef(OuterRef("pk")))
        return {
            "first_revised": Subquery(_aggregate(Issue.history.filter(id=OuterRef("pk")), Min)),
            "last_issue": latest(Issue.history.filter(id=OuterRef("pk"))),
            "last_position": latest(Position.history.filter(issue_id=OuterRef("pk"))),
            "last_assessment": latest(OutlookAssessment.history.filter(issue_id=OuterRef("pk"))),
            "last_event": latest(Event.history.filter(id__in=linked_events.values("event_id"))),
        }

    def positions(
        self, issues: dict[int, Issue], *, latest_per_speaker: bool = False
    ) -> list[Position]:
        """Current positions on `issues`, newest first. Bounded: at most `per_side` per side
        and issue, or, for the stance matrix, the latest few of each speaker (leader, or
        unnamed officials of a side) on each issue: enough to see a tie between positions
        whose dates the sources do not order."""
        visible = Position.objects.visible_to(self.viewer).current()
        on_issues = visible.filter(issue_id__in=list(issues))
        order = [F("stated_on").desc(), F("pk").asc()]
        rows = on_issues
        if latest_per_speaker:
            # The latest of each speaker, and how many positions they have, in one query.
            partition = [F("issue_id"), F("country_id"), F("leader_id")]
            rows = rows.annotate(
                rank=Window(RowNumber(), partition_by=partition, order_by=order),
                speaker_total=Window(Count("pk"), partition_by=partition),
            ).filter(rank__lte=PER_SPEAKER)
        elif self.per_side is not None:
            # The latest of each side (how many each side has is read with the sides). The
            # ranking reads the positions' ids and dates alone, then the few rows kept are
            # read whole: ranking whole rows, their sources joined, sorted megabytes on disk
            # for an issue with thousands of positions.
            partition = [F("issue_id"), F("country_id")]
            ranked = (
                on_issues.annotate(rank=Window(RowNumber(), partition_by=partition, order_by=order))
                .filter(rank__lte=self.per_side)
                .values("pk")
            )
            if set(issues) == {self._totals_of}:
                # No more rows than that, whatever the planner guesses of a window's filter:
                # told so, it reads the rows kept by their keys, not the whole table.
                ranked = ranked[: self.per_side * len(self._side_totals)]
            rows = Position.objects.filter(pk__in=ranked)
        rows = rows.select_related("country", "leader", "source")
        positions = _newest_first(rows)
        self._speaker_counts = {_speaker(p): getattr(p, "speaker_total", 1) for p in positions}
        for position in positions:
            position.issue = issues[position.issue_id]
        return positions

    def side_totals(self, positions: list[Position]) -> dict[int, int]:
        """How many current positions each side of `positions` has, shown or not (read with
        the issue's sides, `issue()`)."""
        if self.per_side is None or not self._side_totals:
            return _count_by_side(positions)
        return self._side_totals

    def speaker_counts(self, issues: dict[int, Issue]) -> dict[SpeakerKey, int]:
        """How many current positions each speaker has on each of `issues` (read with their
        latest positions, `positions(..., latest_per_speaker=True)`)."""
        return self._speaker_counts

    def assessments(
        self, issues: dict[int, Issue], meeting: Meeting | None = None, *, cited: bool = True
    ) -> list[OutlookAssessment]:
        rows = OutlookAssessment.objects.visible_to(self.viewer).filter(issue_id__in=list(issues))
        if meeting is not None:
            rows = rows.filter(meeting=meeting)
        rows = rows.select_related("meeting__summit")
        assessments = _with_citations(rows, AssessmentCitation) if cited else list(rows)
        for assessment in assessments:
            assessment.issue = issues[assessment.issue_id]
        return sorted(assessments, key=lambda a: (a.meeting_id, a.issue.order, a.issue.title))

    def events(
        self, *, issue: Issue | None = None, meeting: Meeting | None = None, cited: bool = True
    ) -> list[Event]:
        # Judged event by event: the page's events are few, and judging them all at once
        # read every event and link of the archive (150 ms at 50,000 events).
        rows = Event.objects.visible_each_to(self.viewer)
        if issue is not None:
            rows = rows.filter(issues=issue)
        if meeting is not None:
            rows = rows.filter(meetings=meeting)
        rows = rows.order_by("occurred_on", "title", "pk")
        return _with_citations(rows, EventCitation) if cited else list(rows)

    def meeting(self, slug: str) -> MeetingRecord:
        revised = self._meeting_revised_expressions()
        meeting = (
            Meeting.objects.select_related("summit__host_country", "outcome__source")
            .annotate(**revised)
            .prefetch_related(
                Prefetch("participants", queryset=Leader.objects.select_related("country"))
            )
            .filter(slug=slug)
            .first()
        )
        if meeting is None:
            raise Http404("No such meeting.")
        self._meeting_revised = _annotated_revised(meeting, revised)
        return MeetingRecord(
            meeting, sorted(meeting.participants.all(), key=lambda leader: leader.name)
        )

    def _latest_visible(self, history: History) -> Subquery:
        return Subquery(_aggregate(revisions_visible_to(history, self.viewer), Max))

    def _meeting_revised_expressions(self) -> dict[str, Subquery]:
        """When a meeting was first revised, and the latest revision the viewer may see of
        it and of what its board shows: read with the meeting itself."""
        issue_links = Issue.meetings.through.objects.filter(meeting_id=OuterRef(OuterRef("pk")))
        event_links = Event.meetings.through.objects.filter(meeting_id=OuterRef(OuterRef("pk")))
        meeting_id = OuterRef("pk")
        return {
            "first_revised": Subquery(_aggregate(Meeting.history.filter(id=meeting_id), Min)),
            "last_meeting": self._latest_visible(Meeting.history.filter(id=meeting_id)),
            "last_issue": self._latest_visible(
                Issue.history.filter(id__in=issue_links.values("issue_id"))
            ),
            "last_assessment": self._latest_visible(
                OutlookAssessment.history.filter(meeting_id=meeting_id)
            ),
            "last_scenario": self._latest_visible(Scenario.history.filter(meeting_id=meeting_id)),
            "last_event": self._latest_visible(
                Event.history.filter(id__in=event_links.values("event_id"))
            ),
        }

    def meeting_issues(self, meeting: Meeting) -> list[Issue]:
        """The meeting's issues, each read with its outcome and salience score at the meeting
        (once recorded) and its sides: a row per side, folded here."""
        rows = (
            Issue.objects.visible_to(self.viewer)
            .filter(meetings=meeting)
            .annotate(
                outcome_here=FilteredRelation(
                    "outcomes", condition=Q(outcomes__meeting_id=meeting.pk)
                ),
                score_here=FilteredRelation(
                    "scores",
                    condition=Q(scores__meeting_id=meeting.pk, scores__kind=ScoreKind.SALIENCE),
                ),
                side_pk=F("sides__pk"),
                side_code=F("sides__code"),
                side_name=F("sides__name"),
            )
            .order_by("order", "title", "pk")
        )
        read = self._meeting_read = _MeetingRead(meeting.pk)
        issues: dict[int, Issue] = {}
        for row in _select_related(rows, "outcome_here__source", "score_here"):
            issue = issues.setdefault(row.pk, row)
            if row.side_pk is not None:
                read.sides[row.side_pk] = Country(
                    pk=row.side_pk, code=row.side_code, name=row.side_name
                )
            if issue is row:
                # Absent, not None, when nothing is recorded.
                if (outcome := getattr(row, "outcome_here", None)) is not None:
                    read.issue_outcomes[row.pk] = outcome
                if (score := getattr(row, "score_here", None)) is not None:
                    read.scores.append(score)
        read.issue_ids = set(issues)
        return list(issues.values())

    def scenarios(self, meeting: Meeting) -> list[Scenario]:
        """The meeting's scenarios, each read with its outcome and score (once recorded)."""
        rows = (
            Scenario.objects.visible_to(self.viewer)
            .filter(meeting=meeting)
            .annotate(
                score_here=FilteredRelation("scores", condition=Q(scores__meeting_id=meeting.pk))
            )
            .order_by("order", "pk")
        )
        scenarios: list[Scenario] = list(_select_related(rows, "outcome__source", "score_here"))
        read = self._meeting_read
        for scenario in scenarios:
            scenario.meeting = meeting
            if read is not None and read.meeting_id == meeting.pk:
                outcome = getattr(scenario, "outcome", None)
                if outcome is not None:
                    read.scenario_outcomes[scenario.pk] = outcome
                if (score := getattr(scenario, "score_here", None)) is not None:
                    read.scores.append(score)
        if read is not None and read.meeting_id == meeting.pk:
            read.scenarios_read = True
        return scenarios

    def _read_with(self, meeting: Meeting) -> "_MeetingRead | None":
        """What was read with the meeting's issues and scenarios, if both were."""
        read = self._meeting_read
        return (
            read
            if read is not None and read.meeting_id == meeting.pk and read.scenarios_read
            else None
        )

    def outcome(self, meeting: Meeting) -> RecordedOutcome | None:
        """What is recorded of the meeting's outcome. Outcomes have no drafts: an outcome is
        public once recorded, like the board that sets it beside the forecast."""
        recorded: MeetingOutcome | None = getattr(meeting, "outcome", None)
        read = self._read_with(meeting)
        if recorded is None or read is None:
            return recorded_outcome(meeting)
        return RecordedOutcome(recorded, dict(read.issue_outcomes), dict(read.scenario_outcomes))

    def sides(self, issues: list[Issue]) -> list[Country]:
        """The countries set side by side on any of `issues`, by name."""
        read = self._meeting_read
        if read is not None and {i.pk for i in issues} <= read.issue_ids:
            return sorted(read.sides.values(), key=lambda country: country.name)
        return list(sides_of(issues))

    def scores(self, meeting: Meeting) -> list[Score] | None:
        """The scores of the meeting's issues and scenarios shown (None: not read yet)."""
        read = self._read_with(meeting)
        return list(read.scores) if read is not None else None

    def issue_outcomes(self, issue: Issue, meetings: list[Meeting]) -> list[IssueOutcome]:
        """What became of `issue` at those of `meetings` whose outcome is recorded (read with
        the meetings by `issue()`: no query of its own), each with its meeting."""
        known = self._outcomes_here

        def read(ids: list[int]) -> Iterable[IssueOutcome]:
            if known is not None and set(ids) <= set(known):
                return [row for pk in ids if (row := known[pk]) is not None]
            return IssueOutcome.objects.filter(issue=issue, meeting_id__in=ids).select_related(
                "source"
            )

        return _issue_outcomes(meetings, read)

    def citations(
        self, records: Iterable[OutlookAssessment | Event]
    ) -> dict[RecordKey, list[Cited]]:
        """What assessments and events cite, read with them (`citations__source`)."""
        return {
            key(record): [Cited(c.source, c.locator) for c in record.citations.all()]
            for record in records
        }

    def revised(self, anchor: models.Model, records: Iterable[models.Model]) -> Revised:
        if isinstance(anchor, Issue) and self._issue_revised is not None:
            return self._issue_revised
        if isinstance(anchor, Meeting) and self._meeting_revised is not None:
            return self._meeting_revised
        return self._revised(anchor, records)

    def _revised(self, anchor: models.Model, records: Iterable[models.Model]) -> Revised:
        """The anchor's first revision and the latest revision of anything shown with it
        that the viewer may see, in one query of scalar subqueries."""
        by_model: dict[type[models.Model], set[int]] = defaultdict(set)
        for record in [anchor, *records]:
            by_model[type(record)].add(record.pk)
        expressions = {
            "first": Subquery(_aggregate(history_of(type(anchor)).filter(id=anchor.pk), Min))
        }
        for number, (model, ids) in enumerate(by_model.items()):
            history = revisions_visible_to(history_of(model).filter(id__in=ids), self.viewer)
            expressions[f"last{number}"] = Subquery(_aggregate(history, Max))
        row = type(anchor)._default_manager.filter(pk=anchor.pk).values(**expressions).first() or {}
        lasts = [value for name, value in row.items() if name.startswith("last") and value]
        return Revised(first=row.get("first"), last=max(lasts, default=None))


def _issue_outcomes(
    meetings: list[Meeting], read: Callable[[list[int]], Iterable[IssueOutcome]]
) -> list[IssueOutcome]:
    """The issue outcomes `read` returns for those of `meetings` with a recorded outcome (each
    set on its meeting), with their sources, in the meetings' date order."""
    resolved = {m.pk: m for m in meetings if getattr(m, "outcome", None) is not None}
    if not resolved:
        return []
    rows = list(read(list(resolved)))
    for row in rows:
        row.meeting = resolved[row.meeting_id]
    return sorted(rows, key=lambda row: (row.meeting.dates.start, row.meeting.title))


def _annotated_revised(record: models.Model, names: Iterable[str]) -> Revised:
    """The `Revised` of a record annotated with `names`: `first_revised` and `last_...`."""
    # Annotations named at run time are no attributes the type checker knows: read by name.
    values: dict[str, datetime | None] = {name: getattr(record, name) for name in names}
    lasts = [value for name, value in values.items() if name.startswith("last_")]
    return Revised(values["first_revised"], max(filter(None, lasts), default=None))


@dataclass
class _MeetingRead:
    """What a meeting page read with the meeting's issues and scenarios."""

    meeting_id: int
    sides: dict[int, Country] = field(default_factory=dict)
    issue_outcomes: dict[int, IssueOutcome] = field(default_factory=dict)
    scenario_outcomes: dict[int, ScenarioOutcome] = field(default_factory=dict)
    scores: list[Score] = field(default_factory=list)
    issue_ids: set[int] = field(default_factory=set)
    scenarios_read: bool = False


def sides_of(issues: list[Issue]) -> "QuerySet[Country]":
    """The countries set side by side on any of `issues`."""
    return Country.objects.filter(
        pk__in=Issue.sides.through.objects.filter(issue__in=issues).values("country")
    ).order_by("name")


def _select_related(rows: Any, *fields: str) -> Any:
    """`rows.select_related(*fields)`, `fields` naming relations filtered at run time
    (`FilteredRelation`), which the type checker cannot know."""
    return rows.select_related(*fields)


def _with_citations[R: OutlookAssessment | Event](
    rows: "QuerySet[R]", model: type[AssessmentCitation] | type[EventCitation]
) -> list[R]:
    """The records of `rows` (in their order), each with its citations and their sources,
    read in the same query: a row per citation (one for a record that cites nothing),
    folded here as `prefetch_related("citations")` would leave them."""
    ordering = [*rows.query.order_by, "cited__pk"] if rows.query.order_by else ["pk", "cited__pk"]
    joined = _select_related(
        rows.annotate(cited=FilteredRelation("citations")), "cited__source"
    ).order_by(*ordering)
    records: dict[int, R] = {}
    citations: dict[int, list[AssessmentCitation | EventCitation]] = {}
    for row in joined:
        record = records.setdefault(row.pk, row)
        found = citations.setdefault(record.pk, [])
        citation = getattr(row, "cited", None)  # absent when the record cites nothing
        if citation is not None:
            found.append(citation)
    for pk, record in records.items():
        cache: Any = model.objects.all()
        cache._result_cache = citations[pk]
        cache._prefetch_done = True
        record.__dict__["_prefetched_objects_cache"] = {"citations": cache}
    return list(records.values())


def _aggregate_count(rows: "QuerySet[Position]") -> Any:
    """How many `rows` there are, usable as a scalar subquery."""
    counted: Any = (
        rows.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    )
    return counted


def _aggregate(history: History, function: type[Aggregate]) -> History:
    """One value of `function` over the revisions' dates, usable as a scalar subquery."""
    values: History = (
        history.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(value=function("history_date"))
        .values("value")
    )
    return values


# The revision tables ---------------------------------------------------------------------

PUBLISHED = time_travel.PUBLISHED


@dataclass(frozen=True)
class Linked:
    """A many-to-many field whose snapshot is read with a revision: the field, the record
    each snapshot row links (`target`) and the relations to read with it, as paths from the
    snapshot row (e.g. "meeting__summit")."""

    field: str
    target: str
    related: tuple[str, ...] = ()


class NotPublishedThen(Http404):
    """The issue was not published on that day: readers get a 404, as for a draft today."""


@dataclass
class AsOfReader:
    """Records as they stood at the end of `as_of` (UTC), as `viewer` may see them: for
    readers, what was published then. A record counts when its latest revision up to that
    moment is published; a later publication does not reach back. Records without
    revisions (countries, sources, an issue's sides) are shown as they are now."""

    viewer: Viewer
    as_of: date
    per_side: int | None = None  # positions shown per side; None: all of them
    _side_totals: dict[int, int] = field(default_factory=dict, repr=False)
    _revisions: dict[RecordKey, Revision] = field(default_factory=dict)
    _first_revised: dict[RecordKey, datetime | None] = field(default_factory=dict)
    _cited: dict[RecordKey, list[Cited]] = field(default_factory=dict)  # by model, history id
    _speaker_counts: dict[SpeakerKey, int] | None = field(default=None, repr=False)
    # Read with the meeting and its issues, so that no query of their own is needed: what
    # was recorded of each meeting's outcome (by meeting), and each issue's sides (by issue).
    _outcomes: dict[int, RecordedOutcome | None] = field(default_factory=dict, repr=False)
    _sides: dict[int, dict[int, Country]] = field(default_factory=dict, repr=False)

    @property
    def moment(self) -> datetime:
        return time_travel.end_of_day(self.as_of)

    @property
    def include_drafts(self) -> bool:
        return can_see_drafts(self.viewer)

    def _latest(self, history: History) -> History:
        return time_travel.latest_revisions(history, self.moment)

    def _latest_of(self, model: type[models.Model], **where: Any) -> History:
        """The latest revision then of each record of `model`, those kept filtered by
        `where` (after the latest is chosen: see `time_travel.latest_revisions`)."""
        return self._latest(history_of(model)).filter(**where)

    def _records[M: models.Model](self, model: type[M], rows: Iterable[Revision]) -> list[M]:
        records = []
        for row in rows:
            record = time_travel.as_record(row, model)
            self._revisions[key(record)] = row
            records.append(record)
        return records

    def _policy(self, rows: History) -> History:
        return rows if self.include_drafts else rows.filter(status=PUBLISHED)

    def _revision_by_slug[M: models.Model](
        self,
        live: "QuerySet[M]",
        slug: str,
        what: Callable[[M], str],
        *,
        related: tuple[str, ...] = (),
        links: tuple[Linked, ...] = (),
    ) -> tuple[M, Revision, dict[str, list[Any]]]:
        """The record of `live` with that address as it stood then, with its revision, when
        it was first revised, and what the revision's snapshots of `links` linked (by field
        name): one query, a row per combination of links, folded here. `Http404` if there is
        no such record today, `AsOfError` if it was not recorded yet then (both told with
        queries of their own)."""
        model = live.model
        history = history_of(model)
        rows: Any = time_travel.latest_revisions(
            history.filter(id__in=live.filter(slug=slug).values("pk")), self.moment
        ).annotate(first_revised=Subquery(_aggregate(history.filter(id=OuterRef("id")), Min)))
        joins = [f"then_{link.field}" for link in links]
        for link, join in zip(links, joins, strict=True):
            snapshots = time_travel.snapshot_model(model, link.field)
            relation = snapshots._meta.get_field("history").related_query_name()
            rows = rows.annotate(**{join: FilteredRelation(relation)}).select_related(
                *(f"{join}__{path}" for path in (link.target, *link.related))
            )
        if related:  # (with no names, `select_related()` would follow every relation)
            rows = rows.select_related(*related)
        ordered = rows.order_by("history_id", *(f"{join}__id" for join in joins))
        found: dict[int, Revision] = {}
        linked: dict[tuple[int, str], dict[int, Any]] = defaultdict(dict)
        for row in ordered:
            found.setdefault(row.history_id, row)
            for link, join in zip(links, joins, strict=True):
                snapshot = getattr(row, join, None)  # absent when the revision links none
                if snapshot is not None:
                    by_id = linked[(row.history_id, link.field)]
                    by_id.setdefault(snapshot.id, getattr(snapshot, link.target))
        if not found:
            record = live.filter(slug=slug).first()
            if record is None:
                raise Http404(f"No such {model._meta.verbose_name}.")
            time_travel.record_as_of(history.filter(id=record.pk), self.moment, what(record))
        [row] = time_travel.one_each(found.values())
        [then] = self._records(model, [row])
        addressed: Any = then  # an issue or a meeting: both have a slug
        addressed.slug = slug  # addresses are today's
        self._first_revised[key(then)] = row.first_revised
        return (
            then,
            row,
            {link.field: list(linked[(row.history_id, link.field)].values()) for link in links},
        )

    def issue(self, slug: str) -> IssueRecord:
        # An issue a reader cannot see today is not found on any day either.
        then, row, linked = self._revision_by_slug(
            Issue.objects.visible_to(self.viewer),
            slug,
            lambda issue: f"The dossier “{issue.title}”",
            links=(Linked("topics", "topic"), Linked("meetings", "meeting", ("meeting__summit",))),
        )
        if not self.include_drafts and row.status != PUBLISHED:
            raise NotPublishedThen("The issue was not published on that day.")
        return IssueRecord(
            then,
            sorted(linked["topics"], key=lambda topic: topic.name),
            linked["meetings"],
            list(sides_of([then])),
        )

    def positions(
        self, issues: dict[int, Issue], *, latest_per_speaker: bool = False
    ) -> list[Position]:
        rows = self._policy(
            self._latest(Position.history.all()).filter(
                issue_id__in=list(issues), withdrawn_at__isnull=True
            )
        )
        # Bounded as the live page is: ranked and counted by the database, so that only the
        # rows shown are read, however many positions the issue had then.
        order = [F("stated_on").desc(), F("id").asc()]
        if latest_per_speaker:
            partition = [F("issue_id"), F("country_id"), F("leader_id")]
            rows = rows.annotate(
                rank=Window(RowNumber(), partition_by=partition, order_by=order),
                total=Window(Count("history_id"), partition_by=partition),
            ).filter(rank__lte=PER_SPEAKER)
        elif self.per_side is not None:
            partition = [F("issue_id"), F("country_id")]
            rows = rows.annotate(
                rank=Window(RowNumber(), partition_by=partition, order_by=order),
                total=Window(Count("history_id"), partition_by=partition),
            ).filter(rank__lte=self.per_side)
        found = list(rows.select_related("country", "leader", "source"))
        positions = _newest_first(self._records(Position, found))
        for position in positions:
            position.issue = issues[position.issue_id]
        if latest_per_speaker:
            self._speaker_counts = {(r.issue_id, r.country_id, r.leader_id): r.total for r in found}
        elif self.per_side is not None:
            self._side_totals = {row.country_id: row.total for row in found}
        return positions

    def side_totals(self, positions: list[Position]) -> dict[int, int]:
        return self._side_totals if self.per_side is not None else _count_by_side(positions)

    def speaker_counts(self, issues: dict[int, Issue]) -> dict[SpeakerKey, int]:
        """How many positions each speaker had then (counted when their latest were read,
        `positions(..., latest_per_speaker=True)`)."""
        if self._speaker_counts is None:
            self.positions(issues, latest_per_speaker=True)
        return dict(self._speaker_counts or {})

    def assessments(
        self, issues: dict[int, Issue], meeting: Meeting | None = None, *, cited: bool = True
    ) -> list[OutlookAssessment]:
        rows = self._latest(OutlookAssessment.history.all()).filter(issue_id__in=list(issues))
        if meeting is not None:
            rows = rows.filter(meeting_id=meeting.pk)
        rows = self._policy(rows).select_related("meeting__summit")
        found = self._with_cited(rows, OutlookAssessment) if cited else rows
        assessments = self._records(OutlookAssessment, time_travel.one_each(found))
        for assessment in assessments:
            assessment.issue = issues[assessment.issue_id]
            if meeting is not None:
                assessment.meeting = meeting
        return sorted(assessments, key=lambda a: (a.meeting_id, a.issue.order, a.issue.title))

    def events(
        self, *, issue: Issue | None = None, meeting: Meeting | None = None, cited: bool = True
    ) -> list[Event]:
        """The events linked then to `issue` (or `meeting`). Readers see an event published
        then and tied to no issue, or to one published then."""
        rows = self._latest(Event.history.all())
        if issue is not None:
            rows = rows.filter(historicalevent_issues__issue_id=issue.pk)
        if meeting is not None:
            rows = rows.filter(historicalevent_meetings__meeting_id=meeting.pk)
        rows = self._policy(rows)
        if not self.include_drafts and issue is None:
            rows = rows.filter(self._on_published_issues())
        revisions = time_travel.one_each(self._with_cited(rows, Event) if cited else rows)
        revisions.sort(key=lambda row: (row.occurred_on, row.title))
        return self._records(Event, revisions)

    def _with_cited(self, rows: History, model: type[models.Model]) -> list[Revision]:
        """The revisions of `rows`, each once, with what each cited then read in the same
        query (a row per citation, folded here) and kept for `citations()`."""
        snapshots = time_travel.snapshot_model(model, "sources")
        relation = snapshots._meta.get_field("history").related_query_name()
        joined: Any = rows.annotate(cited_then=FilteredRelation(relation))
        revisions: dict[int, Revision] = {}
        for row in joined.select_related("cited_then__source").order_by(
            "history_id", "cited_then__id"
        ):
            revisions.setdefault(row.history_id, row)  # its first row stands for it
            cited = self._cited.setdefault((model, row.history_id), [])
            snapshot = getattr(row, "cited_then", None)  # absent when nothing was cited
            if snapshot is not None:
                cited.append(Cited(snapshot.source, snapshot.locator))
        return list(revisions.values())

    def _on_published_issues(self) -> Q:
        """An event revision a reader sees: tied then to no issue, or to one published then
        (each link's issue judged by its latest revision then), in the events' own query."""
        links = time_travel.snapshot_model(Event, "issues").objects.filter(
            history_id=OuterRef("history_id")
        )
        issue_then = Issue.history.filter(
            id=OuterRef("issue_id"), history_date__lt=self.moment
        ).order_by("-history_date", "-history_id")
        published_then = (
            links.annotate(
                status_then=Subquery(issue_then.values("status")[:1]),
                type_then=Subquery(issue_then.values("history_type")[:1]),
            )
            .filter(status_then=PUBLISHED)
            .exclude(type_then="-")
        )
        return Exists(published_then) | ~Exists(links)

    def meeting(self, slug: str) -> MeetingRecord:
        then, row, linked = self._revision_by_slug(
            Meeting.objects.all(),
            slug,
            lambda meeting: f"The meeting “{meeting.title}”",
            related=("summit__host_country",),
            links=(Linked("participants", "leader", ("leader__country",)),),
        )

        # The outcome recorded by then, if any: a later one does not reach back, and the
        # meeting's state (`issues.lifecycle`) reads this one, not today's.
        recorded = self._outcomes[then.pk] = self._outcome_then(then)
        outcome = recorded.meeting if recorded is not None else None
        Meeting._meta.get_field("outcome").set_cached_value(then, outcome)
        return MeetingRecord(then, sorted(linked["participants"], key=lambda leader: leader.name))

    def summit(self, summit: Summit) -> Summit:
        """The summit as it stood then (`AsOfError` if it was not recorded yet)."""
        row = time_travel.record_as_of(
            Summit.history.filter(id=summit.pk).select_related("host_country"),
            self.moment,
            f"The summit “{summit.name}”",
        )
        [then] = self._records(Summit, [row])
        then.slug = summit.slug  # addresses are today's
        return then

    def summit_meetings(self, summit: Summit) -> list[Meeting]:
        """The meetings of `summit` then, in the order of the live page, with today's
        addresses: those recorded later, or moved to the summit later, are not among them."""
        rows = self._latest(Meeting.history.all()).filter(summit_id=summit.pk)
        slugs = dict(Meeting.objects.filter(summit=summit).values_list("pk", "slug"))
        meetings = self._records(Meeting, time_travel.one_each(rows))
        for meeting in meetings:
            meeting.summit = summit
            meeting.slug = slugs.get(meeting.pk, meeting.slug)
        return sorted(meetings, key=lambda m: (m.scheduled_on is None, m.scheduled_on, m.title))

    def issues_by_meeting(self, meetings: list[Meeting]) -> dict[int, list[Issue]]:
        """For each meeting (by id), the issues linked to it then that the viewer may see
        then, with today's addresses; read together, whatever the number of meetings."""
        ids = {meeting.pk for meeting in meetings}
        rows = time_travel.one_each(
            self._policy(
                self._latest(Issue.history.all())
                .filter(historicalissue_meetings__meeting_id__in=ids)
                .annotate(slug_now=Subquery(Issue.objects.filter(pk=OuterRef("id")).values("slug")))
            )
        )
        links = time_travel.linked(Issue, "meetings", "meeting", rows)
        by_meeting: dict[int, list[Issue]] = {pk: [] for pk in ids}
        for row in rows:
            [issue] = self._records(Issue, [row])
            issue.slug = row.slug_now or issue.slug
            for linked in links[row.history_id]:
                if linked.pk in by_meeting:
                    by_meeting[linked.pk].append(issue)
        return {
            pk: sorted(issues, key=lambda issue: (issue.order, issue.title))
            for pk, issues in by_meeting.items()
        }

    def meeting_issues(self, meeting: Meeting) -> list[Issue]:
        """The issues linked to the meeting then, with today's addresses (slugs), each read
        with its sides (as they are now: sides have no revisions), a row per side, folded
        here and kept for `sides()`."""
        # The link to the meeting names the live issue, whose sides are joined through it.
        side = "historicalissue_meetings__issue__sides"
        rows = (
            self._latest(Issue.history.all())
            .filter(historicalissue_meetings__meeting_id=meeting.pk)
            .annotate(
                slug_now=Subquery(Issue.objects.filter(pk=OuterRef("id")).values("slug")),
                side_pk=F(f"{side}__pk"),
                side_code=F(f"{side}__code"),
                side_name=F(f"{side}__name"),
            )
        )
        found = list(self._policy(rows))
        for row in found:
            sides = self._sides.setdefault(row.id, {})
            if row.side_pk is not None:
                sides[row.side_pk] = Country(pk=row.side_pk, code=row.side_code, name=row.side_name)
        issues = []
        for row in time_travel.one_each(found):
            [issue] = self._records(Issue, [row])
            issue.slug = row.slug_now or issue.slug
            issues.append(issue)
        return sorted(issues, key=lambda issue: (issue.order, issue.title))

    def scenarios(self, meeting: Meeting) -> list[Scenario]:
        rows = self._policy(self._latest(Scenario.history.all()).filter(meeting_id=meeting.pk))
        scenarios = self._records(Scenario, time_travel.one_each(rows))
        for scenario in scenarios:
            scenario.meeting = meeting
        return sorted(scenarios, key=lambda scenario: (scenario.order, scenario.pk))

    def outcome(self, meeting: Meeting) -> RecordedOutcome | None:
        """The outcome as recorded by the end of the day, with what was recorded by then of
        the meeting's issues and scenarios (read with the meeting, `meeting()`)."""
        if meeting.pk not in self._outcomes:
            self._outcomes[meeting.pk] = self._outcome_then(meeting)
        return self._outcomes[meeting.pk]

    def _outcome_then(self, meeting: Meeting) -> RecordedOutcome | None:
        """What was recorded by then of the meeting's outcome and of its issues' and its
        scenarios' (none of theirs without its own), with their sources: one query.
        Each kind is filtered after the latest revision of each record is chosen, as an
        outcome's meeting could be changed (`time_travel.latest_revisions`)."""
        scenario_ids = Scenario.objects.filter(meeting_id=meeting.pk).values("pk")
        found = time_travel.records_together(
            [
                (MeetingOutcome, self._latest_of(MeetingOutcome, meeting_id=meeting.pk)),
                (IssueOutcome, self._latest_of(IssueOutcome, meeting_id=meeting.pk)),
                (ScenarioOutcome, self._latest_of(ScenarioOutcome, scenario_id__in=scenario_ids)),
            ],
            related="source",
        )
        recorded: MeetingOutcome | None = next(iter(found[MeetingOutcome]), None)
        if recorded is None:
            return None
        recorded.meeting = meeting
        return RecordedOutcome(
            recorded,
            {row.issue_id: row for row in found[IssueOutcome]},
            {row.scenario_id: row for row in found[ScenarioOutcome]},
        )

    def sides(self, issues: list[Issue]) -> list[Country]:
        """The countries set side by side on any of `issues`, by name (read with them by
        `meeting_issues()`, if they were)."""
        if any(issue.pk not in self._sides for issue in issues):
            return list(sides_of(issues))
        countries = {pk: c for issue in issues for pk, c in self._sides[issue.pk].items()}
        return sorted(countries.values(), key=lambda country: country.name)

    def scores(self, meeting: Meeting) -> list[Score] | None:
        return None  # a past page shows no outcome board

    def issue_outcomes(self, issue: Issue, meetings: list[Meeting]) -> list[IssueOutcome]:
        """What became of `issue` at `meetings` (linked to it then), as recorded by the end
        of the day: only at meetings whose own outcome was recorded by then. Read with
        those outcomes, each set on its meeting: one query."""
        if not meetings:
            return []
        ids = [m.pk for m in meetings]
        found = time_travel.records_together(
            [
                (MeetingOutcome, self._latest_of(MeetingOutcome, meeting_id__in=ids)),
                (
                    IssueOutcome,
                    self._latest_of(IssueOutcome, issue_id=issue.pk, meeting_id__in=ids),
                ),
            ],
            related="source",
        )
        recorded = {row.meeting_id: row for row in found[MeetingOutcome]}
        outcome_field = Meeting._meta.get_field("outcome")
        for meeting in meetings:
            outcome_field.set_cached_value(meeting, recorded.get(meeting.pk))
        return _issue_outcomes(
            meetings, lambda resolved: [r for r in found[IssueOutcome] if r.meeting_id in resolved]
        )

    def citations(
        self, records: Iterable[OutlookAssessment | Event]
    ) -> dict[RecordKey, list[Cited]]:
        """What each record's revision cited then."""
        by_model: dict[type[models.Model], list[Revision]] = defaultdict(list)
        cited: dict[RecordKey, list[Cited]] = {}
        for record in records:
            revision = self._revisions[key(record)]
            if (type(record), revision.history_id) in self._cited:  # read with the record
                cited[key(record)] = self._cited[(type(record), revision.history_id)]
            else:
                by_model[type(record)].append(revision)
        for model, rows in by_model.items():
            by_revision = time_travel.cited_by_revision(rows, model)
            for row in rows:
                cited[(model, row.id)] = [Cited(s, loc) for s, loc in by_revision[row.history_id]]
        return cited

    def revised(self, anchor: models.Model, records: Iterable[models.Model]) -> Revised:
        dates = [
            self._revisions[key(record)].history_date
            for record in [anchor, *records]
            if key(record) in self._revisions
        ]
        if key(anchor) in self._first_revised:
            first = self._first_revised[key(anchor)]
        else:
            first = time_travel.first_recorded(history_of(type(anchor)).filter(id=anchor.pk))
        return Revised(first=first, last=max(dates, default=None))


def reader_for(viewer: Viewer, day: date | None, *, per_side: int | None = None) -> Reader:
    """The reader of the live tables, or of the revision tables as of `day`."""
    if day is None:
        return LiveReader(viewer, per_side=per_side)
    return AsOfReader(viewer, day, per_side=per_side)


def first_day(revised: Revised) -> date | None:
    """The earliest day a page can be shown as of (UTC)."""
    return revised.first.astimezone(UTC).date() if revised.first else None
