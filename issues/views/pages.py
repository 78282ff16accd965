"""Reader pages: summits, meetings, issues, leaders and sources."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from issues import charts, selectors, time_travel
from issues.models import Meeting
from issues.outcome_board import after_the_meeting
from issues.views.as_of import as_of_refused, requested_day


@require_GET
def summit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    summit = get_object_or_404(selectors.summits(), slug=slug)
    meetings = selectors.summit_meetings(summit, request.user)
    return render(request, "issues/summit.html", {"summit": summit, "meetings": meetings})


@require_GET
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The outlook board: each issue's effect and salience, the overall outlook, scenarios,
    the outlook's trend, where each side and leader stands, and the timeline. Readers see
    published content only. With `?as_of=YYYY-MM-DD`, all of it as it stood at the end of
    that day (see `issues.time_travel`)."""
    try:
        day = requested_day(request)
    except time_travel.AsOfError as error:
        return as_of_refused(request, error, live_url=reverse("issues:meeting", args=[slug]))
    if day is None:
        meeting = get_object_or_404(selectors.meetings_with_issues(request.user), slug=slug)
        state = time_travel.MeetingState(
            meeting=meeting,
            participants=list(meeting.participants.all()),
            issues=list(meeting.issues.all()),
            assessments=list(meeting.assessments.all()),
            scenarios=list(meeting.scenarios.all()),
            positions=list(selectors.meeting_positions(meeting, request.user)),
            events=list(selectors.meeting_events(meeting, request.user)),
            moment=None,
        )
    else:
        meeting = get_object_or_404(Meeting, slug=slug)
        try:
            state = time_travel.meeting_as_of(meeting, day, user=request.user)
        except time_travel.AsOfError as error:
            return as_of_refused(request, error, live_url=meeting.get_absolute_url())
    board = charts.outlook_board(state.issues, state.assessments)
    board_issues = [row.issue for row in board.rows]
    trend = charts.trend_chart(
        board_issues,
        selectors.assessment_revisions(
            meeting, [issue.pk for issue in board_issues], request.user, until=state.moment
        ),
        state.scenarios,
        selectors.scenario_revisions(
            meeting, [s.pk for s in state.scenarios], request.user, until=state.moment
        ),
    )
    return render(
        request,
        "issues/meeting.html",
        {
            "meeting": state.meeting,
            "participants": state.participants,
            "assessments": state.assessments,
            "scenarios": state.scenarios,
            "board": board,
            "scenario_chart": charts.scenario_chart(state.scenarios),
            "trend": trend,
            "matrix": charts.stance_matrix(
                state.issues,
                state.positions,
                sides=selectors.sides_of([issue.pk for issue in state.issues]),
                leaders=state.participants,
            ),
            "events": state.events,
            "positions": state.positions,
            # Nothing is edited in the past: an as-of page has no edit controls.
            "can_edit": day is None and request.user.has_perm("issues.change_scenario"),
            "as_of": day,
            "live_url": meeting.get_absolute_url(),
            "first_day": selectors.first_revision_day(meeting),
            "today": time_travel.today_utc(),
            **after_the_meeting(meeting, state, request.user, day),
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
