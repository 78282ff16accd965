"""Reader pages: summits, meetings, issues, leaders and sources."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from issues import charts, selectors


@require_GET
def summit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    summit = get_object_or_404(selectors.summits(), slug=slug)
    meetings = selectors.summit_meetings(summit, request.user)
    return render(request, "issues/summit.html", {"summit": summit, "meetings": meetings})


@require_GET
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The outlook board: each issue's effect and salience, the overall outlook, scenarios,
    where each side and leader stands, and the timeline. Readers see published content only."""
    meeting = get_object_or_404(selectors.meetings_with_issues(request.user), slug=slug)
    issues = list(meeting.issues.all())
    positions = list(selectors.meeting_positions(meeting, request.user))
    return render(
        request,
        "issues/meeting.html",
        {
            "meeting": meeting,
            "board": charts.outlook_board(issues, meeting.assessments.all()),
            "scenario_chart": charts.scenario_chart(meeting.scenarios.all()),
            "matrix": charts.stance_matrix(
                issues,
                positions,
                sides=selectors.sides_of(issues),
                leaders=meeting.participants.all(),
            ),
            "events": selectors.meeting_events(meeting, request.user),
            "can_edit": request.user.has_perm("issues.change_scenario"),
            "positions": positions,
        },
    )


@require_GET
def leader_list(request: HttpRequest) -> HttpResponse:
    return render(request, "issues/leader_list.html", {"leaders": selectors.leaders()})


@require_GET
def leader_detail(request: HttpRequest, slug: str) -> HttpResponse:
    leader = get_object_or_404(selectors.leaders(), slug=slug)
    positions = selectors.leader_positions(leader, request.user)
    return render(request, "issues/leader.html", {"leader": leader, "positions": positions})


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "issues/source_list.html", {"sources": selectors.sources()})


@require_GET
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(selectors.sources(), pk=pk)
    citations = selectors.source_citations(source, request.user)
    return render(request, "issues/source.html", {"source": source, **citations})
