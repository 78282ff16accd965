"""Browse, `/issues/`: issues matching filters that combine, a page at a time, each with the
positions that matched (the latest few, and how many in all)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, Unpack

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from issues.models import Country, Issue, Leader, Meeting, Position, Topic
from issues.models.publishing import Viewer

PAGE_SIZE = 20
MATCHES_SHOWN = 5  # positions shown under each issue; the count says how many matched


@dataclass(frozen=True)
class BrowseResult:
    issue: Issue
    topics: list[Topic]
    meetings: list[Meeting]
    matched: list[Position]
    matched_count: int


@dataclass(frozen=True)
class BrowsePage:
    page: Page[Issue]
    results: list[BrowseResult]


class PositionFilters(TypedDict, total=False):
    """The filters one position must meet together (see `matching_positions`)."""

    side: Country | None
    leader: Leader | None
    posture: int | None
    date_from: date | None
    date_to: date | None


def matching_positions(
    viewer: Viewer,
    *,
    side: Country | None = None,
    leader: Leader | None = None,
    posture: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Position]:
    """Current positions the viewer may see that meet every position filter given."""
    positions = Position.objects.visible_to(viewer).current()
    if side is not None:
        positions = positions.filter(country=side)
    if leader is not None:
        positions = positions.filter(leader=leader)
    if posture is not None:
        positions = positions.filter(posture=posture)
    if date_from is not None:
        positions = positions.filter(stated_until__gte=date_from)  # intervals that overlap
    if date_to is not None:
        positions = positions.filter(stated_on__lte=date_to)
    return positions


def browse_issues(
    viewer: Viewer,
    *,
    q: str = "",
    topic: Topic | None = None,
    meeting: Meeting | None = None,
    **position_filters: Unpack[PositionFilters],
) -> tuple[QuerySet[Issue], QuerySet[Position]]:
    """Issues matching every filter given. Position filters (side, leader, posture, dates)
    combine on one position: an issue matches when one of its current positions meets them
    all."""
    positions = matching_positions(viewer, **position_filters)
    issues = Issue.objects.visible_to(viewer)
    if topic is not None:
        issues = issues.filter(
            pk__in=Issue.topics.through.objects.filter(topic=topic).values("issue")
        )
    if meeting is not None:
        issues = issues.filter(
            pk__in=Issue.meetings.through.objects.filter(meeting=meeting).values("issue")
        )
    if any(value is not None for value in position_filters.values()):
        issues = issues.filter(pk__in=positions.values("issue"))
    if q:
        text = Q(title__icontains=q) | Q(summary__icontains=q) | Q(background__icontains=q)
        by_position = (
            Position.objects.visible_to(viewer)
            .current()
            .filter(Q(summary__icontains=q) | Q(quote__icontains=q) | Q(attribution__icontains=q))
        )
        issues = issues.filter(text | Q(pk__in=by_position.values("issue")))
    return issues.order_by("order", "title", "pk"), positions


def build_browse_page(
    viewer: Viewer, filters: dict[str, Any], page_number: int | str | None = None
) -> BrowsePage:
    issues, positions = browse_issues(viewer, **filters)
    page = Paginator(
        issues.prefetch_related(
            "topics", Prefetch("meetings", queryset=Meeting.objects.only("pk", "slug", "title"))
        ),
        PAGE_SIZE,
    ).get_page(page_number)
    shown = list(page.object_list)
    ids = [issue.pk for issue in shown]
    position_filters = any(filters.get(name) is not None for name in POSITION_FILTERS)
    matched, counts = _matches(positions, ids) if position_filters else ({}, {})
    results = [
        BrowseResult(
            issue,
            list(issue.topics.all()),
            list(issue.meetings.all()),
            matched.get(issue.pk, []),
            counts.get(issue.pk, 0),
        )
        for issue in shown
    ]
    return BrowsePage(page, results)


POSITION_FILTERS = ("side", "leader", "posture", "date_from", "date_to")


def _matches(
    positions: QuerySet[Position], issue_ids: list[int]
) -> tuple[dict[int, list[Position]], dict[int, int]]:
    """The latest few matching positions of each issue, and how many matched in all, in
    one query."""
    partition = [F("issue_id")]
    latest = (
        positions.filter(issue_id__in=issue_ids)
        .select_related("country", "leader")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=partition, order_by=[F("stated_on").desc(), F("pk")]
            ),
            matched_total=Window(Count("pk"), partition_by=partition),
        )
        .filter(rank__lte=MATCHES_SHOWN)
        .order_by("-stated_on", "pk")
    )
    matched: dict[int, list[Position]] = {}
    counts: dict[int, int] = {}
    for position in latest:
        matched.setdefault(position.issue_id, []).append(position)
        counts[position.issue_id] = position.matched_total
    return matched, counts
