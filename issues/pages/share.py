"""What a share image shows (`/issues/<slug>/share.png`, `/meetings/<slug>/share.png`):
the outlook as an anonymous reader reads it, whoever asks. A share image is fetched by
whatever a link is pasted into, so it never shows a draft, not even to an editor: it is
read through the publication policy for an anonymous viewer, from the live tables.

Bounded: a handful of queries whatever the issue or meeting holds."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from issues import charts
from issues.charts.share import Card, card
from issues.charts.stance import StanceCell
from issues.models import Issue, Meeting

from .reading import LiveReader

STANCE_ROW = 64  # the height of a side's line in the issue card's panel
SIDES_SHOWN = 5


@dataclass(frozen=True)
class SideStance:
    """A side's latest posture on the issue, as the stance matrix reads it."""

    name: str
    cell: StanceCell
    y: int


@dataclass(frozen=True)
class IssueShare:
    issue: Issue
    board: charts.Board  # the issue's outlook at each of its meetings
    sides: list[SideStance]
    card: Card


@dataclass(frozen=True)
class MeetingShare:
    meeting: Meeting
    board: charts.Board  # the meeting's outlook board
    card: Card


def reader() -> LiveReader:
    return LiveReader(AnonymousUser())


def build_issue_share(slug: str) -> IssueShare:
    """The issue's published outlook at each meeting and where each side stands; a 404 when
    the issue is not published."""
    live = reader()
    record = live.issue(slug)
    issue = record.issue
    by_id = {issue.pk: issue}
    assessments = live.assessments(by_id, cited=False)
    positions = live.positions(by_id, latest_per_speaker=True)
    matrix = charts.stance_matrix(
        [issue], positions, sides=record.sides, counts=live.speaker_counts(by_id)
    )
    board = charts.issue_board(assessments)
    layout = card(issue.title, issue.summary, board)
    side_rows = [row for row in matrix.rows if row.kind == "side"][:SIDES_SHOWN]
    sides = [
        SideStance(row.label, row.cells[0], layout.panel_y + 24 + n * STANCE_ROW)
        for n, row in enumerate(side_rows)
    ]
    return IssueShare(issue=issue, board=board, sides=sides, card=layout)


def build_meeting_share(slug: str) -> MeetingShare:
    """The meeting's outlook board, its published assessments only, and the overall
    outlook."""
    live = reader()
    meeting = live.meeting(slug).meeting
    issues = live.meeting_issues(meeting)
    assessments = live.assessments({issue.pk: issue for issue in issues}, meeting, cited=False)
    board = charts.outlook_board(issues, assessments)
    lede = meeting.headline or meeting.summit.name
    return MeetingShare(meeting=meeting, board=board, card=card(meeting.title, lede, board))
