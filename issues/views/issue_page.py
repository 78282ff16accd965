"""The shareable issue page, `/issues/<slug>/`: a page that stands alone."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from issues import selectors
from issues.models import Country, Issue, Meeting, Position, PublicationStatus, Source


@dataclass
class SideColumn:
    country: Country
    positions: list[Position] = field(default_factory=list)


@dataclass
class IssuePage:
    issue: Issue
    columns: list[SideColumn]
    sources: list[Source]
    last_updated: datetime
    unassessed_meetings: list[Meeting] = field(default_factory=list)
    pending_count: int = 0


def number_citations(issue: Issue) -> list[Source]:
    """Number every source the page cites, in order of first citation, and give each cited
    record a `citation_number` (positions) or `citation_numbers` (assessments, events)."""
    numbers: dict[int, int] = {}
    sources: list[Source] = []

    def number(source: Source) -> int:
        if source.pk not in numbers:
            sources.append(source)
            numbers[source.pk] = len(sources)
        return numbers[source.pk]

    for assessment in issue.assessments.all():
        assessment.citation_numbers = [
            (number(c.source), c.locator) for c in assessment.citations.all()
        ]
    for position in issue.positions.all():
        position.citation_number = number(position.source)
    for event in issue.events.all():
        event.citation_numbers = [(number(c.source), c.locator) for c in event.citations.all()]
    for source in sources:
        source.citation_number = numbers[source.pk]
    return sources


def side_columns(issue: Issue) -> list[SideColumn]:
    """One column per side, in the issue's order of sides, plus any side with positions."""
    columns = {country.pk: SideColumn(country) for country in issue.sides.all()}
    for position in issue.positions.all():
        columns.setdefault(position.country_id, SideColumn(position.country))
        columns[position.country_id].positions.append(position)
    return list(columns.values())


def build_issue_page(issue: Issue) -> IssuePage:
    sources = number_citations(issue)
    stamps = [issue.updated_at]
    stamps += [p.updated_at for p in issue.positions.all()]
    stamps += [a.updated_at for a in issue.assessments.all()]
    stamps += [e.updated_at for e in issue.events.all()]
    assessed = {a.meeting_id for a in issue.assessments.all()}
    return IssuePage(
        issue=issue,
        columns=side_columns(issue),
        sources=sources,
        last_updated=max(stamps),
        unassessed_meetings=[m for m in issue.meetings.all() if m.pk not in assessed],
    )


def attach_drafts(page: IssuePage) -> None:
    """For editors: each record's pending draft edit, and how many wait to be published."""
    issue = page.issue
    records = [issue, *issue.positions.all(), *issue.events.all(), *issue.assessments.all()]
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
    issue = get_object_or_404(selectors.issue_for_page(viewer), slug=slug)
    page = build_issue_page(issue)
    can_edit = not as_reader and request.user.has_perm("issues.change_issue")
    if can_edit:
        attach_drafts(page)
    return render(
        request,
        "issues/issue.html",
        {
            "issue": issue,
            "page": page,
            "related_issues": selectors.related_issues(issue, request.user),
            "canonical_url": request.build_absolute_uri(issue.get_absolute_url()),
            "accessed_on": timezone.localdate(),
            "can_edit": can_edit,
            "as_reader": as_reader,
        },
    )
