"""The issue page, `/issues/<slug>/`, and the full list of an issue's positions.

One builder for the page as it is and as it stood on a past day: it asks a `Reader` for
records (see `issues.pages.reading`) and returns plain data for the template.
"""

import operator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.http import urlencode

from issues.analyses import analyses_for
from issues.charts.trend import issue_outcome_words
from issues.models import (
    Analysis,
    Country,
    Draft,
    Event,
    Issue,
    IssueOutcome,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    Topic,
)
from issues.models.publishing import Publishable, Viewer

from .changed import WhatChanged, what_changed
from .citations import CitationIndex, Cite, NumberedSource
from .drafts import pending_drafts
from .reading import Reader, first_day, key

POSITIONS_PER_SIDE = 12  # the issue page shows each side's latest; the rest are a link away
RELATED_ISSUES = 5
POSITIONS_PAGE_SIZE = 50


@dataclass(frozen=True)
class PositionEntry:
    position: Position
    cite: Cite
    draft: Draft | None = None


@dataclass(frozen=True)
class AssessmentEntry:
    assessment: OutlookAssessment
    cites: list[Cite]
    draft: Draft | None = None


@dataclass(frozen=True)
class EventEntry:
    event: Event
    cites: list[Cite]
    draft: Draft | None = None

    kind = "event"

    @property
    def on(self) -> date:
        return self.event.occurred_on


@dataclass(frozen=True)
class OutcomeEntry:
    """What became of the issue at a meeting whose outcome is recorded."""

    outcome: IssueOutcome  # with its meeting, and the meeting's outcome
    cite: Cite
    kind = "outcome"

    @property
    def meeting(self) -> Meeting:
        return self.outcome.meeting

    @property
    def on(self) -> date:
        return self.outcome.meeting.dates.start

    @property
    def words(self) -> str:
        """ "Held; raised, deliverable reached"."""
        result = self.outcome.meeting.outcome.get_result_display()
        return f"{result}; {issue_outcome_words(self.outcome)}"


@dataclass(frozen=True)
class SideColumn:
    country: Country
    positions: list[PositionEntry]
    total: int  # current positions of the side the viewer may see, shown or not

    @property
    def more(self) -> int:
        return self.total - len(self.positions)


@dataclass
class IssuePage:
    issue: Issue
    topics: list[Topic]
    meetings: list[Meeting]
    assessments: list[AssessmentEntry]
    columns: list[SideColumn]
    events: list[EventEntry]
    sources: list[NumberedSource]
    related: list[Issue]
    last_updated: datetime | None
    first_day: date | None
    as_of: date | None = None
    unassessed_meetings: list[Meeting] = field(default_factory=list)
    issue_draft: Draft | None = None
    pending_count: int = 0
    analyses: list[Analysis] = field(default_factory=list)  # the sources' own judgements
    outcomes: list[OutcomeEntry] = field(default_factory=list)  # at meetings since held
    changed: WhatChanged | None = None  # what changed since the reader's day

    @property
    def timeline(self) -> list[EventEntry | OutcomeEntry]:
        """Events and outcomes in date order; an outcome after the events of its day."""
        entries: list[EventEntry | OutcomeEntry] = [*self.events, *self.outcomes]
        return sorted(entries, key=lambda entry: (entry.on, entry.kind == "outcome"))

    def position(self, pk: int) -> PositionEntry | None:
        return next((e for c in self.columns for e in c.positions if e.position.pk == pk), None)

    def assessment_for(self, meeting_slug: str) -> AssessmentEntry | None:
        return next(
            (e for e in self.assessments if e.assessment.meeting.slug == meeting_slug), None
        )


# Related issues are ranked among at most this many issues of each topic and meeting shared
# (the latest recorded), so that a topic of thousands of issues costs what a small one does.
RELATED_CANDIDATES = 200


def related_issues(
    issue: Issue, viewer: Viewer, topics: list[Topic], meetings: list[Meeting]
) -> list[Issue]:
    """Issues that share a topic or a meeting with `issue`, most shared first."""
    shared: Any = Value(0)
    links: tuple[Any, ...] = (  # the through tables, whose annotations the stubs cannot see
        Issue.topics.through.objects.filter(topic_id__in=[t.pk for t in topics]),
        Issue.meetings.through.objects.filter(meeting_id__in=[m.pk for m in meetings]),
    )
    latest = []
    for link in links:
        ids = link.exclude(issue_id=issue.pk).order_by("-issue_id").values("issue_id")
        latest.append(ids[:RELATED_CANDIDATES])
        # How many of them the candidate shares: an index lookup each.
        mine = link.filter(issue_id=OuterRef("pk")).values("issue_id")
        shared += Coalesce(Subquery(mine.annotate(n=Count("*")).values("n")), 0)
    if connection.features.supports_slicing_ordering_in_compound:
        # One list of candidates, read by key: given two lists joined by OR, PostgreSQL read
        # every issue to test each against both (13 ms at 10,000 issues, against 3).
        candidates = Q(pk__in=latest[0].union(*latest[1:], all=True))
    else:  # SQLite cannot bound the parts of a union
        candidates = reduce(operator.or_, (Q(pk__in=ids) for ids in latest))
    return list(
        Issue.objects.visible_to(viewer)
        .filter(candidates)
        .annotate(shared=shared)
        .order_by("-shared", "order", "title")[:RELATED_ISSUES]
    )


def build_issue_page(
    reader: Reader,
    slug: str,
    *,
    with_drafts: bool = False,
    since: date | None = None,
    with_changes: bool = True,
) -> IssuePage:
    """The issue page as the reader's viewer may see it, live or as of the reader's day.
    `with_drafts` adds editors' pending draft edits (live pages only); "What changed" is
    told since `since` (None: the default window, see `issues.pages.changed`), unless
    `with_changes` is off (an edit's fragment, which does not show it)."""
    record = reader.issue(slug)
    issue = record.issue
    by_id = {issue.pk: issue}
    positions = reader.positions(by_id)
    assessments = reader.assessments(by_id)
    events = reader.events(issue=issue)
    cited = reader.citations([*assessments, *events])
    outcomes = reader.issue_outcomes(issue, record.meetings)
    drafts = pending_drafts([issue, *positions, *assessments, *events]) if with_drafts else {}

    index = CitationIndex()
    assessment_entries = [
        AssessmentEntry(a, index.cite_all(cited[key(a)]), drafts.get(key(a))) for a in assessments
    ]
    position_entries = [
        PositionEntry(p, index.cite(p.source, p.locator), drafts.get(key(p))) for p in positions
    ]
    event_entries = [
        EventEntry(e, index.cite_all(cited[key(e)]), drafts.get(key(e))) for e in events
    ]
    outcome_entries = [OutcomeEntry(o, index.cite(o.source, o.locator)) for o in outcomes]
    totals = reader.side_totals(positions)
    revised = reader.revised(issue, [*positions, *assessments, *events])
    assessed = {a.meeting_id for a in assessments}
    shown: list[Publishable] = [issue, *positions, *assessments, *events]
    unpublished = [record for record in shown if not record.is_published]
    return IssuePage(
        issue=issue,
        topics=record.topics,
        meetings=record.meetings,
        assessments=assessment_entries,
        columns=side_columns(record.sides, position_entries, totals),
        events=event_entries,
        sources=index.sources,
        related=related_issues(issue, reader.viewer, record.topics, record.meetings),
        last_updated=revised.last,
        first_day=first_day(revised),
        as_of=reader.as_of,
        unassessed_meetings=[m for m in record.meetings if m.pk not in assessed],
        issue_draft=drafts.get(key(issue)),
        pending_count=len(drafts) + len(unpublished) if with_drafts else 0,
        analyses=analyses_for(reader.viewer, issue=issue, day=reader.as_of),
        outcomes=outcome_entries,
        changed=(
            what_changed(
                [issue], record.meetings, since=since, until=reader.as_of, last_change=revised.last
            )
            if with_changes
            else None
        ),
    )


def side_columns(
    sides: list[Country], entries: list[PositionEntry], totals: dict[int, int]
) -> list[SideColumn]:
    """One column per side, in the issue's order of sides, plus any side with positions."""
    countries = {country.pk: country for country in sides}
    by_side: dict[int, list[PositionEntry]] = {pk: [] for pk in countries}
    for entry in entries:
        countries.setdefault(entry.position.country_id, entry.position.country)
        by_side.setdefault(entry.position.country_id, []).append(entry)
    return [
        SideColumn(countries[pk], shown, totals.get(pk, len(shown)))
        for pk, shown in by_side.items()
    ]


# Every position of an issue: `/issues/<slug>/positions/` ------------------------------------


@dataclass
class PositionListPage:
    issue: Issue
    sides: list[Country]
    leaders: list[Leader]
    side: Country | None
    leader: Leader | None
    page: Page[Position]

    @property
    def query_string(self) -> str:
        """The filters in use, for the links to other pages of the list."""
        chosen = {"side": self.side.code if self.side else "", "leader": ""}
        chosen["leader"] = self.leader.slug if self.leader else ""
        return urlencode({name: value for name, value in chosen.items() if value})


def build_position_list(
    issue: Issue,
    viewer: Viewer,
    *,
    side: str = "",
    leader: str = "",
    page_number: int | str | None = None,
) -> PositionListPage:
    """Every current position of `issue`, newest first, by side and leader, a page at a
    time."""
    positions = (
        Position.objects.visible_to(viewer)
        .current()
        .filter(issue=issue)
        .select_related("country", "leader", "source")
        .order_by("-stated_on", "pk")
    )
    sides = list(Country.objects.filter(positions__in=positions).distinct().order_by("name"))
    leaders = list(Leader.objects.filter(positions__in=positions).distinct().order_by("name"))
    chosen_side = next((c for c in sides if c.code == side), None)
    chosen_leader = next((lead for lead in leaders if lead.slug == leader), None)
    if chosen_side is not None:
        positions = positions.filter(country=chosen_side)
    if chosen_leader is not None:
        positions = positions.filter(leader=chosen_leader)
    page = Paginator(positions, POSITIONS_PAGE_SIZE).get_page(page_number)
    for position in page.object_list:
        position.issue = issue
    return PositionListPage(issue, sides, leaders, chosen_side, chosen_leader, page)
