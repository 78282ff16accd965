"""Reads: the querysets behind each page, with their joins and prefetches decided here,
once, so that a page's query count does not grow with its content."""

from datetime import UTC, date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    Country,
    Draft,
    Event,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scenario,
    Source,
    Summit,
    can_see_drafts,
)


def meetings_with_issues(user) -> QuerySet[Meeting]:
    return Meeting.objects.with_board().prefetch_related(
        Prefetch("issues", queryset=Issue.objects.visible_to(user)),
        Prefetch(
            "assessments",
            queryset=OutlookAssessment.objects.visible_to(user).select_related("issue"),
        ),
        Prefetch("scenarios", queryset=Scenario.objects.visible_to(user)),
    )


def recently_changed_issues(user, limit: int = 5) -> QuerySet[Issue]:
    return Issue.objects.visible_to(user).order_by("-updated_at")[:limit]


def summits() -> QuerySet[Summit]:
    return Summit.objects.select_related("host_country")


def summit_meetings(summit: Summit, user) -> QuerySet[Meeting]:
    return meetings_with_issues(user).filter(summit=summit)


def issue_for_page(user) -> QuerySet[Issue]:
    return Issue.objects.visible_to(user).prefetch_related(
        "topics",
        "sides",
        Prefetch("meetings", queryset=Meeting.objects.select_related("summit")),
        Prefetch(
            "positions",
            queryset=Position.objects.current()
            .visible_to(user)
            .select_related("country", "leader", "source", "issue")
            .order_by("-stated_on", "pk"),
        ),
        Prefetch(
            "assessments",
            queryset=OutlookAssessment.objects.visible_to(user)
            .select_related("meeting")
            .prefetch_related("citations__source"),
        ),
        Prefetch(
            "events",
            queryset=Event.objects.visible_to(user)
            .prefetch_related("citations__source")
            .order_by("occurred_on"),
        ),
    )


def pending_drafts(records) -> dict[tuple[type, int], Draft]:
    """Draft edits of the given records (of one or more models), one query per model."""
    by_model: dict[type, list] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    drafts = {}
    for model, group in by_model.items():
        for draft in Draft.objects.for_records(group).select_related("author", "content_type"):
            drafts[(model, draft.object_id)] = draft
    return drafts


def related_issues(issue: Issue, user, limit: int = 5) -> QuerySet[Issue]:
    """Issues that share a topic or a meeting with `issue`, most shared first."""
    return (
        Issue.objects.visible_to(user)
        .exclude(pk=issue.pk)
        .filter(Q(topics__in=issue.topics.all()) | Q(meetings__in=issue.meetings.all()))
        .annotate(shared=Count("pk"))
        .order_by("-shared", "order", "title")[:limit]
    )


def browse_issues(
    user,
    *,
    q: str = "",
    topic=None,
    side=None,
    leader=None,
    posture: int | None = None,
    meeting=None,
    date_from=None,
    date_to=None,
) -> QuerySet[Issue]:
    """Issues matching every filter given. Position filters (side, leader, posture, dates)
    combine on one position: an issue matches when one of its current positions meets them
    all; those positions come along as `matched_positions`."""
    positions = Position.objects.current()
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

    issues = Issue.objects.visible_to(user)
    if topic is not None:
        issues = issues.filter(
            pk__in=Issue.topics.through.objects.filter(topic=topic).values("issue")
        )
    if meeting is not None:
        issues = issues.filter(
            pk__in=Issue.meetings.through.objects.filter(meeting=meeting).values("issue")
        )
    if any(value is not None for value in (side, leader, posture, date_from, date_to)):
        issues = issues.filter(pk__in=positions.values("issue"))
    if q:
        text = Q(title__icontains=q) | Q(summary__icontains=q) | Q(background__icontains=q)
        by_position = Position.objects.current().filter(
            Q(summary__icontains=q) | Q(quote__icontains=q) | Q(attribution__icontains=q)
        )
        issues = issues.filter(text | Q(pk__in=by_position.values("issue")))
    return issues.prefetch_related(
        "topics",
        Prefetch("meetings", queryset=Meeting.objects.only("pk", "slug", "title")),
        Prefetch(
            "positions",
            queryset=positions.select_related("country", "leader").order_by("-stated_on", "pk"),
            to_attr="matched_positions",
        ),
    )


def leaders() -> QuerySet[Leader]:
    return Leader.objects.select_related("country").prefetch_related("offices")


def leader_positions(leader: Leader, user) -> QuerySet[Position]:
    return (
        Position.objects.visible_to(user)
        .filter(leader=leader)
        .select_related("issue", "country", "source")
        .order_by("-stated_on", "pk")
    )


def sources_matching(query: str, limit: int = 50) -> QuerySet[Source]:
    matches = Source.objects.all()
    if query:
        matches = matches.filter(
            Q(title__icontains=query) | Q(publisher__icontains=query) | Q(url__icontains=query)
        )
    return matches.order_by("title")[:limit]


def sources() -> QuerySet[Source]:
    return Source.objects.all()


def source_citations(source: Source, user) -> dict[str, QuerySet]:
    """Everything that cites `source`, by kind."""
    return {
        "positions": Position.objects.visible_to(user)
        .filter(source=source)
        .select_related("issue", "country", "leader"),
        "events": Event.objects.visible_to(user).filter(sources=source),
        "assessments": OutlookAssessment.objects.visible_to(user)
        .filter(sources=source)
        .select_related("issue", "meeting"),
        "scenarios": Scenario.objects.filter(source=source).select_related("meeting"),
    }


# Charts of the meeting page and the comparison page (see `issues.charts`).


def meeting_positions(meeting: Meeting, user) -> QuerySet[Position]:
    """The current positions on the meeting's issues that `user` may see, newest first,
    with what the stance matrix and the timeline show of them."""
    return (
        Position.objects.current()
        .visible_to(user)
        .filter(issue__meetings=meeting)
        .select_related("issue", "country", "leader")
        .order_by("-stated_on", "pk")
    )


def meeting_events(meeting: Meeting, user) -> QuerySet[Event]:
    return Event.objects.visible_to(user).filter(meetings=meeting).order_by("occurred_on", "title")


def sides_of(issues) -> QuerySet[Country]:
    """The countries set side by side on any of `issues`."""
    return Country.objects.filter(
        pk__in=Issue.sides.through.objects.filter(issue__in=issues).values("country")
    )


def compare_positions(
    user, *, leader: Leader | None = None, country: Country | None = None
) -> QuerySet[Position]:
    """The current positions of one leader, or of one side (all its voices), that `user` may
    see, newest first, with their issue."""
    positions = Position.objects.current().visible_to(user)
    positions = positions.filter(leader=leader) if leader else positions.filter(country=country)
    return positions.select_related("issue", "country", "leader").order_by("-stated_on", "pk")


def compare_choices() -> tuple[QuerySet[Country], QuerySet[Leader]]:
    """Who can be compared: the sides of any issue or position, and every leader."""
    sides = Country.objects.filter(
        Q(pk__in=Issue.sides.through.objects.values("country"))
        | Q(pk__in=Position.objects.values("country"))
    )
    return sides, Leader.objects.select_related("country")


# Revisions: the first day of a record, and the outlook's trend (see `issues.charts`).


def first_revision_day(record) -> date | None:
    """The day (UTC) of a record's first revision: the earliest day it can be shown as of."""
    first = record.history.order_by("history_date").values_list("history_date", flat=True).first()
    return first.astimezone(UTC).date() if first else None


def assessment_revisions(
    meeting: Meeting, issue_ids: list[int], user, *, until: datetime | None = None
) -> QuerySet:
    """Every revision of the meeting's outlook assessments of `issue_ids` (before `until`),
    oldest first, for the outlook trend; readers get the published revisions only."""
    rows = OutlookAssessment.history.filter(meeting_id=meeting.pk, issue_id__in=issue_ids)
    if not can_see_drafts(user):
        rows = rows.filter(status=PublicationStatus.PUBLISHED)
    if until is not None:
        rows = rows.filter(history_date__lt=until)
    return rows.exclude(history_type="-").order_by("history_date", "history_id")


def scenario_revisions(
    meeting: Meeting, scenario_ids: list[int], user, *, until: datetime | None = None
) -> QuerySet:
    """Every revision of the meeting's scenarios `scenario_ids` (before `until`), oldest
    first; readers get the published revisions only."""
    rows = Scenario.history.filter(meeting_id=meeting.pk, id__in=scenario_ids)
    if not can_see_drafts(user):
        rows = rows.filter(status=PublicationStatus.PUBLISHED)
    if until is not None:
        rows = rows.filter(history_date__lt=until)
    return rows.exclude(history_type="-").order_by("history_date", "history_id")
