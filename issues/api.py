"""The read-only JSON API under `/api/` (django-ninja): summits, meetings, issues,
positions, leaders, sources, events, assessments and scenarios.

Readers get published content only, through the publication policy (`visible_to`), as on
the pages; editors signed in to the site also get drafts. Lists are paginated and each
one's query count is fixed by its `select_related`/`prefetch_related`, whatever the page
holds. Issues and positions filter like the browse page; an issue or a meeting can be
read `?as_of=` a past day, as on its page. The OpenAPI 3.1 document is at
`/api/openapi.json` and a browsable page at `/api/docs`.
"""

from datetime import date, datetime

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError

from . import time_travel
from .models import (
    AssessmentCitation,
    Event,
    EventCitation,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    Scenario,
    Source,
    Summit,
)
from .pages.browse import browse_issues
from .pages.reading import AsOfReader, NotPublishedThen, key
from .research import FilterError, browse_filters, positions_matching

PAGE_SIZE = 50

api = NinjaAPI(
    title="Summit dossiers API",
    version="1",
    description=(
        "Read-only: summits, meetings, issues, positions, leaders, sources, events, outlook "
        "assessments and scenarios. Published content only, unless signed in as an editor."
    ),
    urls_namespace="api",
)


def paged(item: type[Schema]) -> type[Schema]:
    """The schema of one page of a list: how many in all, which page, and its items."""
    return type(
        f"{item.__name__.removesuffix('Out')}Page",
        (Schema,),
        {
            "__annotations__": {"count": int, "page": int, "pages": int, "items": list[item]},
            "__doc__": f"A page of {PAGE_SIZE} at most; ask for another with `?page=`.",
        },
    )


def _page(request: HttpRequest, queryset, convert) -> dict:
    """One page of `queryset`, each record written by `convert`; the query count is that
    of the queryset's own page, whatever the number of records."""
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "items": [convert(record) for record in page.object_list],
    }


# Schemas -----------------------------------------------------------------------------


class CitationOut(Schema):
    source: int
    locator: str


class SummitOut(Schema):
    slug: str
    name: str
    host_city: str
    host_country: str
    starts_on: date
    ends_on: date
    summary: str
    url: str


class MeetingOut(Schema):
    slug: str
    title: str
    summit: str
    scheduled_on: date | None
    status: str
    headline: str
    outlook_summary: str
    participants: list[str]
    url: str


class IssueOut(Schema):
    slug: str
    title: str
    summary: str
    background: str
    status: str
    topics: list[str]
    sides: list[str]
    meetings: list[str]
    url: str


class PositionOut(Schema):
    id: int
    issue: str
    side: str
    leader: str | None
    attribution: str
    kind: str
    posture: int
    summary: str
    quote: str
    stated_on: date
    stated_on_precision: str
    source: int
    locator: str
    withdrawn_at: datetime | None
    status: str
    url: str


class OfficeOut(Schema):
    title: str
    started_on: date | None
    ended_on: date | None


class LeaderOut(Schema):
    slug: str
    name: str
    native_name: str
    native_name_lang: str
    country: str
    bio: str
    offices: list[OfficeOut]
    url: str


class SourceOut(Schema):
    id: int
    title: str
    url: str
    author: str
    publisher: str
    kind: str
    published_on: date | None
    accessed_on: date | None
    archived_url: str
    licence: str
    notes: str
    page: str


class EventOut(Schema):
    id: int
    title: str
    occurred_on: date
    occurred_on_precision: str
    description: str
    issues: list[str]
    meetings: list[str]
    sources: list[CitationOut]
    status: str


class AssessmentOut(Schema):
    id: int
    issue: str
    meeting: str
    effect: int
    salience: int
    deliverable: str
    rationale: str
    sources: list[CitationOut]
    status: str


class ScenarioOut(Schema):
    id: int
    meeting: str
    title: str
    description: str
    likelihood: int
    source: int | None
    locator: str
    status: str


class IssueDetailOut(IssueOut):
    as_of: date | None
    positions: list[PositionOut]
    assessments: list[AssessmentOut]
    events: list[EventOut]


class MeetingDetailOut(MeetingOut):
    as_of: date | None
    assessments: list[AssessmentOut]
    scenarios: list[ScenarioOut]


class BrowseFilters(Schema):
    """The browse page's filters (`/issues/`), by slug or code."""

    q: str = ""
    topic: str = ""
    side: str = ""
    leader: str = ""
    posture: int | None = None
    meeting: str = ""
    date_from: date | None = None
    date_to: date | None = None


# Records as the API writes them ---------------------------------------------------------


def _summit(summit: Summit) -> dict:
    return {
        **{f: getattr(summit, f) for f in ("slug", "name", "host_city", "starts_on", "ends_on")},
        "summary": summit.summary,
        "host_country": summit.host_country.code,
        "url": summit.get_absolute_url(),
    }


def _meeting(meeting: Meeting, participants=None) -> dict:
    fields = ("slug", "title", "scheduled_on", "status", "headline", "outlook_summary")
    people = meeting.participants.all() if participants is None else participants
    return {
        **{f: getattr(meeting, f) for f in fields},
        "summit": meeting.summit.slug,
        "participants": [leader.slug for leader in people],
        "url": meeting.get_absolute_url(),
    }


def _issue(issue: Issue, *, topics=None, meetings=None) -> dict:
    return {
        **{f: getattr(issue, f) for f in ("slug", "title", "summary", "background", "status")},
        "topics": [t.slug for t in (issue.topics.all() if topics is None else topics)],
        "sides": [c.code for c in issue.sides.all()],
        "meetings": [m.slug for m in (issue.meetings.all() if meetings is None else meetings)],
        "url": issue.get_absolute_url(),
    }


def _position(position: Position) -> dict:
    fields = (
        "id", "attribution", "kind", "posture", "summary", "quote", "stated_on",
        "stated_on_precision", "locator", "withdrawn_at", "status",
    )  # fmt: skip
    return {
        **{f: getattr(position, f) for f in fields},
        "issue": position.issue.slug,
        "side": position.country.code,
        "leader": position.leader.slug if position.leader_id else None,
        "source": position.source_id,
        "url": f"{position.issue.get_absolute_url()}#position-{position.pk}",
    }


def _citations(cited) -> list[dict]:
    return [{"source": source.pk, "locator": locator} for source, locator in cited]


def _event(event: Event, *, issues, meetings, cited) -> dict:
    fields = ("id", "title", "occurred_on", "occurred_on_precision", "description", "status")
    return {
        **{f: getattr(event, f) for f in fields},
        "issues": [i.slug for i in issues],
        "meetings": [m.slug for m in meetings],
        "sources": _citations(cited),
    }


def _assessment(assessment: OutlookAssessment, cited) -> dict:
    fields = ("id", "effect", "salience", "deliverable", "rationale", "status")
    return {
        **{f: getattr(assessment, f) for f in fields},
        "issue": assessment.issue.slug,
        "meeting": assessment.meeting.slug,
        "sources": _citations(cited),
    }


def _scenario(scenario: Scenario) -> dict:
    fields = ("id", "title", "description", "likelihood", "locator", "status")
    return {
        **{f: getattr(scenario, f) for f in fields},
        "meeting": scenario.meeting.slug,
        "source": scenario.source_id,
    }


def _live_cited(record) -> list:
    return [(c.source, c.locator) for c in record.visible_citations]


def _live_event(event: Event) -> dict:
    return _event(
        event, issues=event.issues.all(), meetings=event.meetings.all(), cited=_live_cited(event)
    )


def _live_assessment(assessment: OutlookAssessment) -> dict:
    return _assessment(assessment, _live_cited(assessment))


def _cited_then(cited, user) -> list:
    """The sources a past revision cited (`Cited` items), less any the user may not see
    today."""
    visible = set(Source.objects.visible_to(user).values_list("pk", flat=True))
    return [(item.source, item.locator) for item in cited if item.source.pk in visible]


def _cited_sources(user, citation_model) -> Prefetch:
    """Citations of sources the user may see (a draft source stays hidden from readers)."""
    return Prefetch(
        "citations",
        queryset=citation_model.objects.filter(source__in=Source.objects.visible_to(user))
        .select_related("source")
        .order_by("pk"),
        to_attr="visible_citations",
    )


def _events_query(user):
    return Event.objects.visible_to(user).prefetch_related(
        Prefetch("issues", queryset=Issue.objects.visible_to(user).only("pk", "slug")),
        Prefetch("meetings", queryset=Meeting.objects.only("pk", "slug")),
        _cited_sources(user, EventCitation),
    )


def _assessments_query(user):
    return (
        OutlookAssessment.objects.visible_to(user)
        .select_related("issue", "meeting")
        .prefetch_related(_cited_sources(user, AssessmentCitation))
    )


def _issues_prefetched(issues):
    return issues.prefetch_related(
        "topics", "sides", Prefetch("meetings", queryset=Meeting.objects.only("pk", "slug"))
    )


def _day(request: HttpRequest) -> date | None:
    value = request.GET.get("as_of", "")
    if not value:
        return None
    try:
        return time_travel.parse_day(value, today=time_travel.today_utc())
    except time_travel.AsOfError as error:
        raise HttpError(400, str(error)) from None


def _filters(filters: BrowseFilters) -> dict:
    data = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    try:
        return browse_filters(data)
    except FilterError as error:
        raise HttpError(400, str(error)) from None


# Endpoints -------------------------------------------------------------------------------


@api.get("/summits", response=paged(SummitOut), tags=["summits"])
def summits(request, page: int = 1):
    return _page(request, Summit.objects.select_related("host_country"), _summit)


@api.get("/summits/{slug}", response=SummitOut, tags=["summits"])
def summit(request, slug: str):
    return _summit(get_object_or_404(Summit.objects.select_related("host_country"), slug=slug))


@api.get("/meetings", response=paged(MeetingOut), tags=["meetings"])
def meetings(request, page: int = 1):
    query = Meeting.objects.select_related("summit").prefetch_related("participants")
    return _page(request, query, _meeting)


@api.get("/meetings/{slug}", response=MeetingDetailOut, tags=["meetings"])
def meeting(request, slug: str):
    """A meeting with its outlook assessments and scenarios; `?as_of=YYYY-MM-DD` as it
    stood at the end of that day."""
    found = get_object_or_404(Meeting.objects.select_related("summit"), slug=slug)
    day = _day(request)
    if day is not None:
        reader = AsOfReader(request.user, day)
        try:
            then = reader.meeting(slug)
        except time_travel.AsOfError as error:
            raise HttpError(400, str(error)) from None
        issues_then = {i.pk: i for i in reader.meeting_issues(then.meeting)}
        assessments = reader.assessments(issues_then, then.meeting)
        cited = reader.citations(assessments)
        return {
            **_meeting(then.meeting, then.participants),
            "as_of": day,
            "assessments": [
                _assessment(a, _cited_then(cited[key(a)], request.user)) for a in assessments
            ],
            "scenarios": [_scenario(s) for s in reader.scenarios(then.meeting)],
        }
    assessments = _assessments_query(request.user).filter(meeting=found)
    return {
        **_meeting(found),
        "as_of": None,
        "assessments": [_live_assessment(a) for a in assessments],
        "scenarios": [
            _scenario(s)
            for s in Scenario.objects.visible_to(request.user)
            .filter(meeting=found)
            .select_related("meeting")
        ],
    }


@api.get("/issues", response=paged(IssueOut), tags=["issues"])
def issues(request, filters: Query[BrowseFilters], page: int = 1):
    """Issues matching every filter given, as on the browse page."""
    found, _positions = browse_issues(request.user, **_filters(filters))
    found = found.prefetch_related("sides")
    return _page(request, found, _issue)


@api.get("/issues/{slug}", response=IssueDetailOut, tags=["issues"])
def issue(request, slug: str):
    """An issue with its positions, assessments and events; `?as_of=YYYY-MM-DD` as it stood
    at the end of that day."""
    found = get_object_or_404(_issues_prefetched(Issue.objects.visible_to(request.user)), slug=slug)
    day = _day(request)
    if day is not None:
        reader = AsOfReader(request.user, day)
        try:
            then = reader.issue(slug)
        except time_travel.AsOfError as error:
            raise HttpError(400, str(error)) from None
        except NotPublishedThen:
            raise HttpError(404, "Not published on that day.") from None
        by_id = {then.issue.pk: then.issue}
        assessments = reader.assessments(by_id)
        events = reader.events(issue=then.issue)
        cited = reader.citations([*assessments, *events])
        return {
            **_issue(then.issue, topics=then.topics, meetings=then.meetings),
            "sides": [c.code for c in found.sides.all()],
            "as_of": day,
            "positions": [_position(p) for p in reader.positions(by_id)],
            "assessments": [
                _assessment(a, _cited_then(cited[key(a)], request.user)) for a in assessments
            ],
            # An event as it stood then, listed under the issue asked about.
            "events": [
                _event(
                    e,
                    issues=[then.issue],
                    meetings=[],
                    cited=_cited_then(cited[key(e)], request.user),
                )
                for e in events
            ],
        }
    user = request.user
    positions = Position.objects.visible_to(user).filter(issue=found)
    events = _events_query(user).filter(issues=found)
    return {
        **_issue(found),
        "as_of": None,
        "positions": [_position(p) for p in positions.select_related("issue", "country", "leader")],
        "assessments": [_live_assessment(a) for a in _assessments_query(user).filter(issue=found)],
        "events": [_live_event(e) for e in events],
    }


@api.get("/positions", response=paged(PositionOut), tags=["positions"])
def positions(request, filters: Query[BrowseFilters], page: int = 1):
    """Current positions matching every filter given, as on the browse page."""
    return _page(request, positions_matching(request.user, **_filters(filters)), _position)


@api.get("/leaders", response=paged(LeaderOut), tags=["leaders"])
def leaders(request, page: int = 1):
    return _page(request, _leaders(), _leader)


@api.get("/leaders/{slug}", response=LeaderOut, tags=["leaders"])
def leader(request, slug: str):
    return _leader(get_object_or_404(_leaders(), slug=slug))


def _leaders():
    return Leader.objects.select_related("country").prefetch_related("offices")


def _leader(leader: Leader) -> dict:
    return {
        **{
            field: getattr(leader, field)
            for field in ("slug", "name", "native_name", "native_name_lang", "bio")
        },
        "country": leader.country.code,
        "offices": [
            {"title": o.title, "started_on": o.started_on, "ended_on": o.ended_on}
            for o in leader.offices.all()
        ],
        "url": leader.get_absolute_url(),
    }


SOURCE_FIELDS = (
    "id", "title", "url", "author", "publisher", "kind", "published_on", "accessed_on",
    "archived_url", "licence", "notes",
)  # fmt: skip


def _source(source: Source) -> dict:
    return {**{f: getattr(source, f) for f in SOURCE_FIELDS}, "page": source.get_absolute_url()}


@api.get("/sources", response=paged(SourceOut), tags=["sources"])
def sources(request, page: int = 1):
    return _page(request, Source.objects.visible_to(request.user), _source)


@api.get("/sources/{source_id}", response=SourceOut, tags=["sources"])
def source(request, source_id: int):
    return _source(get_object_or_404(Source.objects.visible_to(request.user), pk=source_id))


@api.get("/events", response=paged(EventOut), tags=["events"])
def events(request, page: int = 1):
    return _page(request, _events_query(request.user), _live_event)


@api.get("/assessments", response=paged(AssessmentOut), tags=["assessments"])
def assessments(request, page: int = 1):
    return _page(request, _assessments_query(request.user), _live_assessment)


@api.get("/scenarios", response=paged(ScenarioOut), tags=["scenarios"])
def scenarios(request, page: int = 1):
    query = Scenario.objects.visible_to(request.user).select_related("meeting")
    return _page(request, query, _scenario)
