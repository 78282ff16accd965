"""The pages that list records: home, a summit, the leaders and a leader, the sources and a
source. Each is bounded: a page of records, or a capped list with a count."""

from dataclasses import dataclass
from datetime import UTC, date

from django.core.paginator import Page, Paginator
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404

from issues import time_travel
from issues.models import (
    Event,
    Issue,
    Leader,
    Meeting,
    MeetingOutcome,
    OutlookAssessment,
    Position,
    Scenario,
    Source,
    Summit,
)
from issues.models.publishing import Viewer

from .changes import Change, recently_changed_issues
from .reading import AsOfReader

LIST_PAGE_SIZE = 50
CITED_LIMIT = 50  # of each kind of record on a source's page
HOME_MEETINGS = 10


@dataclass(frozen=True)
class MeetingCard:
    """A meeting at a glance: its issues and their published outlook."""

    meeting: Meeting
    issues: list[Issue]
    assessments: list[OutlookAssessment]


def _meeting_cards(meetings: QuerySet[Meeting], viewer: Viewer) -> list[MeetingCard]:
    meetings = (
        meetings.select_related("summit__host_country", "outcome")  # its state, on the card
        .prefetch_related(
            Prefetch("issues", queryset=Issue.objects.visible_to(viewer).order_by("order", "title"))
        )
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=OutlookAssessment.objects.visible_to(viewer).select_related("issue"),
            )
        )
    )
    return [
        MeetingCard(meeting, list(meeting.issues.all()), list(meeting.assessments.all()))
        for meeting in meetings
    ]


@dataclass(frozen=True)
class HomePage:
    meetings: list[MeetingCard]
    recent: list[Change]


def build_home_page(viewer: Viewer) -> HomePage:
    meetings = Meeting.objects.order_by("-summit__starts_on", "scheduled_on", "title")
    return HomePage(
        meetings=_meeting_cards(meetings[:HOME_MEETINGS], viewer),
        recent=recently_changed_issues(viewer),
    )


@dataclass(frozen=True)
class SummitPage:
    summit: Summit
    meetings: list[MeetingCard]
    as_of: date | None = None  # the page as it stood at the end of that day, or today's
    first_day: date | None = None  # the earliest day it can be shown as of


def build_summit_page(slug: str, viewer: Viewer, day: date | None = None) -> SummitPage:
    """A summit and its meetings at a glance: today, or (`day`) as they stood at the end of
    that day, read from the revision tables. Either way a bounded number of queries.
    Raises `AsOfError` for a day before the summit was recorded."""
    summit = Summit.objects.select_related("host_country").filter(slug=slug).first()
    if summit is None:
        raise Http404("No such summit.")
    first = time_travel.first_recorded(Summit.history.filter(id=summit.pk))
    first_day = first.astimezone(UTC).date() if first else None
    if day is None:
        return SummitPage(summit, _meeting_cards(summit.meetings.all(), viewer), None, first_day)
    reader = AsOfReader(viewer, day)
    then = reader.summit(summit)
    meetings = reader.summit_meetings(then)
    _attach_outcomes(meetings)
    issues = reader.issues_by_meeting(meetings)
    by_pk = {issue.pk: issue for linked in issues.values() for issue in linked}
    assessments: dict[int, list[OutlookAssessment]] = {meeting.pk: [] for meeting in meetings}
    meeting_by_pk = {meeting.pk: meeting for meeting in meetings}
    for assessment in reader.assessments(by_pk, cited=False):
        if assessment.meeting_id in assessments:
            assessment.meeting = meeting_by_pk[assessment.meeting_id]
            assessments[assessment.meeting_id].append(assessment)
    cards = [
        MeetingCard(meeting, issues[meeting.pk], assessments[meeting.pk]) for meeting in meetings
    ]
    return SummitPage(then, cards, day, first_day)


def _attach_outcomes(meetings: list[Meeting]) -> None:
    """Each meeting's recorded outcome (or none), read at once: a meeting's state, shown on
    its card, is today's, as on the meeting page as of a day."""
    outcomes = {
        outcome.meeting_id: outcome
        for outcome in MeetingOutcome.objects.filter(meeting__in=[m.pk for m in meetings])
    }
    relation = Meeting.outcome.related
    for meeting in meetings:
        relation.set_cached_value(meeting, outcomes.get(meeting.pk))


@dataclass(frozen=True)
class LeaderListPage:
    page: Page[Leader]


def build_leader_list(page_number: int | str | None = None) -> LeaderListPage:
    leaders = Leader.objects.select_related("country").prefetch_related("offices")
    return LeaderListPage(Paginator(leaders.order_by("name"), LIST_PAGE_SIZE).get_page(page_number))


@dataclass(frozen=True)
class LeaderPage:
    leader: Leader
    page: Page[Position]  # of the leader's positions the viewer may see, newest first


def build_leader_page(
    slug: str, viewer: Viewer, page_number: int | str | None = None
) -> LeaderPage:
    leader = (
        Leader.objects.select_related("country").prefetch_related("offices").filter(slug=slug)
    ).first()
    if leader is None:
        raise Http404("No such leader.")
    positions = (
        Position.objects.visible_to(viewer)
        .filter(leader=leader)
        .select_related("issue", "country", "source")
        .order_by("-stated_on", "pk")
    )
    return LeaderPage(leader, Paginator(positions, LIST_PAGE_SIZE).get_page(page_number))


@dataclass(frozen=True)
class SourceListPage:
    page: Page[Source]


def build_source_list(viewer: Viewer, page_number: int | str | None = None) -> SourceListPage:
    sources = Source.objects.visible_to(viewer).order_by("title", "pk")
    return SourceListPage(Paginator(sources, LIST_PAGE_SIZE).get_page(page_number))


@dataclass(frozen=True)
class Capped[T]:
    """Up to `CITED_LIMIT` records citing a source, and how many there are in all."""

    shown: list[T]
    total: int


@dataclass(frozen=True)
class SourcePage:
    source: Source
    positions: Capped[Position]
    events: Capped[Event]
    assessments: Capped[OutlookAssessment]
    scenarios: Capped[Scenario]


def _capped[M: Model](records: QuerySet[M]) -> Capped[M]:
    shown = list(records[: CITED_LIMIT + 1])
    if len(shown) <= CITED_LIMIT:
        return Capped(shown, len(shown))
    return Capped(shown[:CITED_LIMIT], records.count())


def build_source_page(pk: int, viewer: Viewer) -> SourcePage:
    source = Source.objects.visible_to(viewer).filter(pk=pk).first()
    if source is None:
        raise Http404("No such source.")
    return SourcePage(
        source=source,
        positions=_capped(
            Position.objects.visible_to(viewer)
            .filter(source=source)
            .select_related("issue", "country", "leader")
            .order_by("-stated_on", "pk")
        ),
        events=_capped(
            Event.objects.visible_to(viewer).filter(sources=source).order_by("occurred_on", "pk")
        ),
        assessments=_capped(
            OutlookAssessment.objects.visible_to(viewer)
            .filter(sources=source)
            .select_related("issue", "meeting")
            .order_by("pk")
        ),
        scenarios=_capped(
            Scenario.objects.visible_to(viewer)
            .filter(source=source)
            .select_related("meeting")
            .order_by("pk")
        ),
    )
