"""The shareable issue page, `/issues/<slug>/`: a page that stands alone, as it is today or,
with `?as_of=YYYY-MM-DD`, as it stood at the end of a past day (see `issues.time_travel`)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from issues import selectors, time_travel
from issues.analyses import analyses_for
from issues.models import (
    Country,
    Event,
    Issue,
    Meeting,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Source,
    Topic,
)
from issues.views.as_of import as_of_refused, as_of_url, requested_day


@dataclass
class SideColumn:
    country: Country
    positions: list[Position] = field(default_factory=list)


@dataclass
class IssuePage:
    """Everything the issue page shows, as explicit lists: the live page reads them from the
    issue's prefetches, an as-of page from the revisions (`issues.time_travel`)."""

    issue: Issue
    topics: list[Topic]
    meetings: list[Meeting]
    positions: list[Position]
    assessments: list[OutlookAssessment]
    events: list[Event]
    columns: list[SideColumn]
    sources: list[Source]
    last_updated: datetime
    unassessed_meetings: list[Meeting] = field(default_factory=list)
    pending_count: int = 0
    as_of: date | None = None


def number_citations(
    assessments: list[OutlookAssessment], positions: list[Position], events: list[Event]
) -> list[Source]:
    """Number every source the page cites, in order of first citation, and give each cited
    record a `citation_number` (positions) or `citation_numbers` (assessments, events).
    Assessments and events carry what they cite as `cited`: (source, locator) pairs."""
    numbers: dict[int, int] = {}
    sources: list[Source] = []

    def number(source: Source) -> int:
        if source.pk not in numbers:
            sources.append(source)
            numbers[source.pk] = len(sources)
        return numbers[source.pk]

    for assessment in assessments:
        assessment.citation_numbers = [(number(s), locator) for s, locator in assessment.cited]
    for position in positions:
        position.citation_number = number(position.source)
    for event in events:
        event.citation_numbers = [(number(s), locator) for s, locator in event.cited]
    for source in sources:
        source.citation_number = numbers[source.pk]
    return sources


def side_columns(sides: list[Country], positions: list[Position]) -> list[SideColumn]:
    """One column per side, in the issue's order of sides, plus any side with positions."""
    columns = {country.pk: SideColumn(country) for country in sides}
    for position in positions:
        columns.setdefault(position.country_id, SideColumn(position.country))
        columns[position.country_id].positions.append(position)
    return list(columns.values())


def _cited(record: OutlookAssessment | Event) -> list[tuple[Source, str]]:
    return [(citation.source, citation.locator) for citation in record.citations.all()]


def build_issue_page(issue: Issue) -> IssuePage:
    """The live page, from an issue read with `selectors.issue_for_page`."""
    positions = list(issue.positions.all())
    assessments = list(issue.assessments.all())
    events = list(issue.events.all())
    meetings = list(issue.meetings.all())
    for record in [*assessments, *events]:
        record.cited = _cited(record)
    stamps = [issue.updated_at] + [r.updated_at for r in [*positions, *assessments, *events]]
    assessed = {a.meeting_id for a in assessments}
    return IssuePage(
        issue=issue,
        topics=list(issue.topics.all()),
        meetings=meetings,
        positions=positions,
        assessments=assessments,
        events=events,
        columns=side_columns(list(issue.sides.all()), positions),
        sources=number_citations(assessments, positions, events),
        last_updated=max(stamps),
        unassessed_meetings=[m for m in meetings if m.pk not in assessed],
    )


def build_issue_page_as_of(issue: Issue, day: date, *, user) -> IssuePage:
    """The page as it stood at the end of `day`. The sides are today's (they have no
    revisions). Raises `time_travel.AsOfError` and `time_travel.NotPublishedThen`."""
    state = time_travel.issue_as_of(issue, day, user=user)
    return IssuePage(
        issue=state.issue,
        topics=state.topics,
        meetings=state.meetings,
        positions=state.positions,
        assessments=state.assessments,
        events=state.events,
        columns=side_columns(list(issue.sides.all()), state.positions),
        sources=number_citations(state.assessments, state.positions, state.events),
        last_updated=state.last_changed,
        as_of=day,
    )


def attach_drafts(page: IssuePage) -> None:
    """For editors: each record's pending draft edit, and how many wait to be published."""
    records = [page.issue, *page.positions, *page.events, *page.assessments]
    drafts = selectors.pending_drafts(records)
    for record in records:
        record.pending_draft = drafts.get((type(record), record.pk))
    unpublished = [r for r in records if r.status != PublicationStatus.PUBLISHED]
    page.pending_count = len(drafts) + len(unpublished)


@require_GET
def issue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Editors can preview the page exactly as a reader sees it.
    as_reader = request.GET.get("view") == "reader"
    viewer = AnonymousUser() if as_reader else request.user
    try:
        day = requested_day(request)
    except time_travel.AsOfError as error:
        return as_of_refused(request, error, live_url=reverse("issues:issue", args=[slug]))
    if day is None:
        issue = get_object_or_404(selectors.issue_for_page(viewer), slug=slug)
        page = build_issue_page(issue)
    else:
        issue = get_object_or_404(Issue.objects.visible_to(viewer), slug=slug)
        try:
            page = build_issue_page_as_of(issue, day, user=viewer)
        except time_travel.AsOfError as error:
            return as_of_refused(request, error, live_url=issue.get_absolute_url())
        except time_travel.NotPublishedThen:
            raise Http404("The issue was not published on that day.") from None
    # Nothing is edited in the past: an as-of page has no edit controls.
    can_edit = day is None and not as_reader and request.user.has_perm("issues.change_issue")
    if can_edit:
        attach_drafts(page)
    live_url = issue.get_absolute_url()
    shared_url = live_url if day is None else as_of_url(live_url, day)
    return render(
        request,
        "issues/issue.html",
        {
            "issue": page.issue,
            "page": page,
            "related_issues": selectors.related_issues(issue, request.user),
            "canonical_url": request.build_absolute_uri(live_url),
            "shared_url": request.build_absolute_uri(shared_url),
            "live_url": live_url,
            "first_day": selectors.first_revision_day(issue),
            "today": time_travel.today_utc(),
            "accessed_on": timezone.localdate(),
            "can_edit": can_edit,
            "as_reader": as_reader,
            "analyses": analyses_for(viewer, issue=issue, day=day),
        },
    )
