"""Reads: the querysets behind each page, with their joins and prefetches decided here,
once, so that a page's query count does not grow with its content."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    Event,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    Scenario,
    Source,
    Summit,
)


def meetings_with_issues(user) -> QuerySet[Meeting]:
    return Meeting.objects.with_board().prefetch_related(
        Prefetch("issues", queryset=Issue.objects.visible_to(user)),
        Prefetch(
            "assessments",
            queryset=OutlookAssessment.objects.visible_to(user).select_related("issue"),
        ),
        "scenarios",
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
            .select_related("country", "leader", "source")
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
            queryset=Event.objects.prefetch_related("citations__source").order_by("occurred_on"),
        ),
    )


def related_issues(issue: Issue, user, limit: int = 5) -> QuerySet[Issue]:
    """Issues that share a topic or a meeting with `issue`, most shared first."""
    return (
        Issue.objects.visible_to(user)
        .exclude(pk=issue.pk)
        .filter(Q(topics__in=issue.topics.all()) | Q(meetings__in=issue.meetings.all()))
        .annotate(shared=Count("pk"))
        .order_by("-shared", "order", "title")[:limit]
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
