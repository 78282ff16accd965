"""A meeting's outlook board, `/meetings/<slug>/`: each issue's effect and salience, the
overall outlook, scenarios, the outlook's trend, where each side and leader stands, and the
timeline; live or as of a past day, from one builder."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import F, IntegerField, Value

from issues import charts
from issues.analyses import analyses_for
from issues.models import (
    Analysis,
    Event,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    Scenario,
    revisions_visible_to,
)
from issues.models.publishing import History, Viewer
from issues.outcome_board import OutcomeBoard, outcome_board

from .changed import WhatChanged, what_changed
from .citations import CitationIndex, NumberedSource
from .reading import Reader, first_day


@dataclass
class MeetingPage:
    meeting: Meeting
    participants: list[Leader]
    issues: list[Issue]
    assessments: list[OutlookAssessment]
    scenarios: list[Scenario]
    positions: list[Position]  # the latest of each speaker on each issue, for the timeline
    events: list[Event]
    timeline: list[charts.TimelinePeriod]  # events, positions and the recorded outcome
    board: charts.Board
    scenario_chart: charts.ScenarioChart
    trend: charts.TrendChart | None
    matrix: charts.StanceMatrix
    last_updated: datetime | None
    first_day: date | None
    as_of: date | None
    outcome_board: OutcomeBoard | None  # what happened beside each forecast (live page)
    meeting_analyses: list[Analysis]  # the sources' judgements of the meeting as a whole
    sources: list[NumberedSource]  # what the timeline cites, numbered as it cites them
    changed: WhatChanged  # what changed since the reader's day, with each issue's arrow
    timeline_items: int = 0  # how many items the whole timeline holds
    timeline_shown: int = 0  # how many of them, the latest, the page shows
    trend_shown: int = 0  # issues the trend draws
    trend_hidden: int = 0  # issues of the board the trend leaves out
    matrix_hidden: int = 0  # rows of the stance matrix left out to keep the page bounded


# The page does bounded work and stays small whatever the meeting holds: the timeline shows
# its latest items, and the stance matrix at most this many cells (rows × issues), the
# participants and their sides first.
TIMELINE_ITEMS = 40
# The trend draws a panel per issue: past this many, the most salient (then the board's
# order), and the page says how many more have their trend on their own page.
TREND_ISSUES = 12
MATRIX_CELLS = 200
MATRIX_MIN_ROWS = 4


@dataclass(frozen=True)
class TrendRevision:
    """What the outlook's trend draws of one revision of an assessment (`issue_id`, `effect`,
    `salience`) or of a scenario (`id`, `likelihood`)."""

    history_date: datetime
    history_change_reason: str | None
    id: int
    issue_id: int | None = None
    effect: int | None = None
    salience: int | None = None
    likelihood: int | None = None


def trend_revisions(
    meeting: Meeting,
    issue_ids: list[int],
    scenario_ids: list[int],
    viewer: Viewer,
    until: datetime | None,
) -> tuple[list[TrendRevision], list[TrendRevision]]:
    """Every revision of the meeting's assessments of `issue_ids` and of its scenarios
    `scenario_ids` (before `until`) that the viewer may see, oldest first, for the outlook's
    trend: both in one query (a union of the two revision tables)."""
    none = Value(None, output_field=IntegerField())
    assessments: History = OutlookAssessment.history.filter(
        meeting_id=meeting.pk, issue_id__in=issue_ids
    )
    scenarios: History = Scenario.history.filter(meeting_id=meeting.pk, id__in=scenario_ids)
    columns = ("t_kind", "t_date", "t_order", "t_note", "t_id", "t_issue", "t_effect")
    parts = [
        _trend_rows(revisions_visible_to(assessments, viewer), until)
        .annotate(
            t_kind=Value(0, output_field=IntegerField()),
            t_date=F("history_date"),
            t_order=F("history_id"),
            t_note=F("history_change_reason"),
            t_id=F("id"),
            t_issue=F("issue_id"),
            t_effect=F("effect"),
            t_level=F("salience"),
        )
        .values_list(*columns, "t_level"),
        _trend_rows(revisions_visible_to(scenarios, viewer), until)
        .annotate(
            t_kind=Value(1, output_field=IntegerField()),
            t_date=F("history_date"),
            t_order=F("history_id"),
            t_note=F("history_change_reason"),
            t_id=F("id"),
            t_issue=none,
            t_effect=none,
            t_level=F("likelihood"),
        )
        .values_list(*columns, "t_level"),
    ]
    rows = parts[0].union(parts[1], all=True).order_by("t_date", "t_kind", "t_order")
    by_kind: tuple[list[TrendRevision], list[TrendRevision]] = ([], [])
    for kind, when, _order, note, pk, issue_id, effect, level in rows:
        if kind == 0:
            revision = TrendRevision(when, note, pk, issue_id, effect, salience=level)
        else:
            revision = TrendRevision(when, note, pk, likelihood=level)
        by_kind[kind].append(revision)
    return by_kind


def _trend_rows(rows: History, until: datetime | None) -> History:
    if until is not None:
        rows = rows.filter(history_date__lt=until)
    return rows.exclude(history_type="-").order_by()


def _first_of_each_speaker(positions: list[Position]) -> list[Position]:
    seen: set[tuple[int, int, int | None]] = set()
    first = []
    for position in positions:
        speaker = (position.issue_id, position.country_id, position.leader_id)
        if speaker not in seen:
            seen.add(speaker)
            first.append(position)
    return first


def latest_items(
    periods: list[charts.TimelinePeriod], limit: int
) -> tuple[list[charts.TimelinePeriod], int]:
    """The timeline cut to its latest `limit` items (empty periods dropped), and how many
    items it held."""
    total = sum(len(period.items) for period in periods)
    skip = max(0, total - limit)
    kept = []
    for period in periods:
        if skip >= len(period.items):
            skip -= len(period.items)
            continue
        period.items = period.items[skip:]
        skip = 0
        kept.append(period)
    return kept, total


def most_salient(board: charts.Board, limit: int) -> tuple[list[Issue], int]:
    """The board's issues the trend draws, in the board's order, and how many assessed
    issues it leaves out: all of them up to `limit`; past it, the `limit` most salient of
    the assessed ones (an issue with no assessment has no line to draw), ties in the
    board's order."""
    issues = [row.issue for row in board.rows if row.issue is not None]
    if len(issues) <= limit:
        return issues, 0
    assessed = [
        (n, row.issue, row.salience)
        for n, row in enumerate(board.rows)
        if row.issue is not None and row.salience is not None
    ]
    chosen = sorted(assessed, key=lambda item: (-item[2], item[0]))[:limit]
    return [issue for _, issue, _ in sorted(chosen, key=lambda item: item[0])], max(
        0, len(assessed) - limit
    )


def numbered_timeline(
    periods: list[charts.TimelinePeriod],
) -> tuple[list[charts.TimelinePeriod], list[NumberedSource]]:
    """The timeline with each item's sources numbered in the order the timeline cites them,
    and the numbered list of those sources."""
    index = CitationIndex()
    for period in periods:
        period.items = [
            replace(item, cites=tuple(index.cite(source, at) for source, at in item.cited))
            for item in period.items
        ]
    return periods, index.sources


def build_meeting_page(reader: Reader, slug: str, *, since: date | None = None) -> MeetingPage:
    """The meeting page, live or as of the reader's day; "What changed" is told since
    `since` (None: the default window, see `issues.pages.changed`)."""
    record = reader.meeting(slug)
    meeting = record.meeting
    issues = reader.meeting_issues(meeting)
    by_id = {issue.pk: issue for issue in issues}
    assessments = reader.assessments(by_id, meeting, cited=False)
    scenarios = reader.scenarios(meeting)
    recent = reader.positions(by_id, latest_per_speaker=True)
    positions = _first_of_each_speaker(recent)
    events = reader.events(meeting=meeting)
    event_sources = {
        record_key[1]: [(c.source, c.locator) for c in cited]
        for record_key, cited in reader.citations(events).items()
    }
    # What was recorded of the outcome, as the reader may see it (as of its day, if any).
    recorded = reader.outcome(meeting)
    board = charts.outlook_board(issues, assessments)
    board_issues, trend_hidden = most_salient(board, TREND_ISSUES)
    until = reader.moment
    assessment_revisions, scenario_revisions = trend_revisions(
        meeting, [i.pk for i in board_issues], [s.pk for s in scenarios], reader.viewer, until
    )
    trend = charts.trend_chart(
        board_issues,
        assessment_revisions,
        scenarios,
        scenario_revisions,
        outcome=recorded,
        meeting_dates=meeting.dates,
    )
    matrix = charts.stance_matrix(
        issues,
        recent,
        sides=reader.sides(issues),
        leaders=record.participants,
        counts=reader.speaker_counts(by_id),
        max_rows=max(MATRIX_MIN_ROWS, MATRIX_CELLS // max(1, len(issues))),
    )
    revised = reader.revised(meeting, [*issues, *assessments, *scenarios, *events])
    whole, timeline_items = latest_items(
        charts.timeline(
            events,
            positions,
            outcome=recorded,
            meeting_dates=meeting.dates,
            event_sources=event_sources,
        ),
        TIMELINE_ITEMS,
    )
    timeline, sources = numbered_timeline(whole)
    return MeetingPage(
        meeting=meeting,
        participants=record.participants,
        issues=issues,
        assessments=assessments,
        scenarios=scenarios,
        positions=positions,
        events=events,
        timeline=timeline,
        board=board,
        scenario_chart=charts.scenario_chart(scenarios),
        trend=trend,
        matrix=matrix,
        last_updated=revised.last,
        first_day=first_day(revised),
        as_of=reader.as_of,
        outcome_board=(
            None
            if reader.as_of
            else outcome_board(
                meeting, assessments, scenarios, recorded, scores=reader.scores(meeting)
            )
        ),
        meeting_analyses=analyses_for(reader.viewer, meeting=meeting, day=reader.as_of),
        sources=sources,
        changed=what_changed(
            issues, [meeting], since=since, until=reader.as_of, last_change=revised.last
        ),
        timeline_items=timeline_items,
        timeline_shown=min(timeline_items, TIMELINE_ITEMS),
        matrix_hidden=matrix.hidden,
        trend_shown=len(board_issues),
        trend_hidden=trend_hidden,
    )
