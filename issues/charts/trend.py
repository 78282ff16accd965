"""The outlook trend: each issue's effect and each scenario's likelihood over time."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from issues.dates import FuzzyDate
from issues.labels import scale_label
from issues.models import (
    DatePrecision,
    Effect,
    Issue,
    IssueOutcome,
    Resolution,
    Scale,
    Scenario,
    ScenarioOutcome,
    Source,
)
from issues.outcome_board import RecordedOutcome

from .scenarios import LIKELIHOOD_STEPS
from .text import shorten, signed

# Outlook trend: each issue's effect and each scenario's likelihood over time -------------

# Small multiples: a row of its own for each issue (or scenario), on a common, true time axis
# (x in proportion to the date), so that a value reads as itself: nothing is nudged up or
# down to keep lines apart. Sized so that, shrunk to the width of a phone (about 358 CSS
# px), every word is still at least 12 px.
TREND_WIDTH = 360
TREND_LEFT = 34  # room for the scale's figures left of the plot
TREND_RIGHT = TREND_WIDTH - 10
TITLE_Y = 17  # the panel's title, from the panel's top
SALIENCE_KEY_Y = 42  # the key to the dots' sizes (issues' panel), from the panel's top
ROWS_TOP = {"effect": 54, "likelihood": 30}  # the first row, from the panel's top
ROW_LABEL = 14  # a row's words, from the row's top
ROW_PLOT = 24  # a row's plot, from the row's top
EFFECT_STEP = 9  # the height of one step of the Effect scale in a row's plot
LIKELIHOOD_STEP = 9  # the height of one step of the Likelihood scale
ROW_GAP = 16  # under a row's plot
LEGEND_ROW = 20
PANEL_GAP = 22
SERIES_STYLES = 6  # trend__series--1 … --6, then again from 1
MAX_TIME_TICKS = 3
MIN_PADDING = timedelta(hours=12)  # room before the first revision and after the last
MARK = 6  # half the height of an outcome's diamond
KEY_X = 15  # the middle of the legend's samples
# A dot's radius says the issue's salience at that revision (a scenario's dots are all alike).
SALIENCE_RADIUS = {1: 3.0, 2: 4.5, 3: 6.0}
LIKELIHOOD_RADIUS = 4.0
SALIENCE_KEY = [(1, "low", 150), (2, "medium", 204), (3, "high", 280)]  # and where each sits


@dataclass(frozen=True)
class SalienceKey:
    """A sample of a dot's size in the key: the salience it stands for, and where."""

    salience: int
    label: str
    x: int
    y: int
    r: float

    @property
    def label_x(self) -> float:
        return self.x + 10


@dataclass(frozen=True)
class TrendPoint:
    """One revision: where it is drawn, its value, and what it says in words."""

    x: float
    y: float
    value: int
    when: datetime
    text: str
    r: float = LIKELIHOOD_RADIUS  # the issue's salience then, for an issue


def _diamond(x: float, y: float, half: float = MARK) -> str:
    top, bottom = round(y - half, 1), round(y + half, 1)
    left, right = round(x - half, 1), round(x + half, 1)
    return f"M {x} {top} L {right} {y} L {x} {bottom} L {left} {y} Z"


@dataclass(frozen=True)
class TrendMark:
    """What became of an issue (was it raised?) or a scenario (did it come true?) at the
    meeting, drawn on its series at the meeting's date: a filled diamond for yes, a hollow
    one for no, a dashed one when the sources do not settle it."""

    x: float
    y: float
    state: str  # a `Resolution`: yes, no, ambiguous
    text: str  # in words, for its <title>
    value: int = 0  # the series' value at the meeting

    @property
    def path(self) -> str:
        return _diamond(self.x, self.y)


@dataclass(frozen=True)
class TrendKeyRow:
    """A row of a panel's legend under its series: the meeting's line, or a kind of mark."""

    kind: str  # "meeting", or a `Resolution`
    y: int
    text: str

    @property
    def glyph_y(self) -> int:
        return self.y - 4

    @property
    def path(self) -> str:
        return _diamond(KEY_X, self.glyph_y, MARK - 1)

    @property
    def line_top(self) -> int:
        return self.y - 12

    @property
    def line_bottom(self) -> int:
        return self.y + 3


@dataclass(frozen=True)
class TrendLevel:
    """A step of a row's scale: a grid line, and its figure for the top, middle and bottom."""

    y: float
    label: str
    is_zero: bool = False

    @property
    def label_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class TrendSeries:
    """One issue's effect (or one scenario's likelihood) through its revisions, in a row of
    its own, drawn as steps: a value holds until the next revision, and the last one to the
    plot's end."""

    key: str  # the issue's slug, or "scenario-<pk>"
    title: str
    css: str  # trend__series--1 … --6
    points: list[TrendPoint]
    path: str  # SVG path data of the steps
    legend_y: int  # the row's words: its title and latest value
    legend_text: str  # the title, shortened, and the latest value in words
    plot_top: int = 0
    plot_bottom: int = 0
    levels: list[TrendLevel] = field(default_factory=list)
    mark: TrendMark | None = None  # what became of it at the meeting, once recorded


@dataclass(frozen=True)
class TimeTick:
    x: float
    when: datetime
    label: str
    anchor: Literal["start", "middle", "end"] = "middle"  # so that no word leaves the chart


@dataclass(frozen=True)
class TrendPanel:
    kind: Literal["effect", "likelihood"]
    title: str
    top: int
    title_y: int
    plot_top: int  # the first row's plot: time ticks and the meeting's line run from here
    plot_bottom: int  # to the last row's
    tick_y: int  # the time axis' words, under the last row
    series: list[TrendSeries]
    height: int
    meeting_x: float | None = None  # the meeting's date, when the meeting's dates are known
    key_rows: list[TrendKeyRow] = field(default_factory=list)
    salience_key: list[SalienceKey] = field(default_factory=list)  # the issues' panel only
    salience_key_y: int = 0


@dataclass(frozen=True)
class TrendMeeting:
    """The meeting, as the trend marks it: its date and, once recorded, what happened."""

    when: FuzzyDate
    result: str = ""  # "Held", "Cancelled"..., or "" while no outcome is recorded
    statement: str = ""
    source: Source | None = None
    locator: str = ""
    items: list[str] = field(default_factory=list)  # "Trade: raised", "Thaw: came true"

    @property
    def recorded(self) -> bool:
        return bool(self.result)

    @property
    def key_text(self) -> str:
        """Short enough for the key's line; the date is on the axis and in `text`."""
        return f"The meeting: {self.result.lower()}" if self.recorded else "The meeting’s date"

    @property
    def text(self) -> str:
        if not self.recorded:
            return f"The meeting, {self.when}"
        return f"The meeting, {self.when}: {self.result.lower()}"


@dataclass(frozen=True)
class TrendNote:
    """An editor's note on a revision: "date — issue — note"."""

    when: datetime
    subject: str
    note: str


@dataclass(frozen=True)
class TrendChart:
    panels: list[TrendPanel]
    time_ticks: list[TimeTick]
    notes: list[TrendNote]
    start: datetime  # the time axis, padded around the first and last revisions
    end: datetime
    width: int = TREND_WIDTH
    height: int = 0
    left: int = TREND_LEFT
    right: int = TREND_RIGHT
    description: str = ""
    figure_x: int = TREND_LEFT - 6  # the scale's figures end here
    legend_x: int = 32  # the words of the keys, after their samples
    row_x: int = 4  # a row's words
    title_x: int = 4
    meeting: TrendMeeting | None = None  # the meeting's date, and its outcome once recorded
    key_x: int = KEY_X
    salience_key_x: int = 4


def _when_text(when: datetime) -> str:
    moment = when.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} UTC"


def _day_text(when: datetime) -> str:
    moment = when.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y}"


def _time_axis(first: datetime, last: datetime) -> tuple[datetime, datetime]:
    padding = max((last - first) * 0.06, MIN_PADDING)
    return first - padding, last + padding


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _time_ticks(start: datetime, end: datetime, x_of) -> list[TimeTick]:
    """At most `MAX_TIME_TICKS` dates at midnight UTC inside the axis, a round step apart:
    days, weeks, months or years, labelled as precisely as the step needs."""
    days = (end - start) / timedelta(days=1)
    first_day = start.astimezone(UTC).date()
    if start > _midnight(first_day):  # the first midnight inside the axis, its start included
        first_day += timedelta(days=1)
    last_day = end.astimezone(UTC).date()
    candidates: list[date] = []
    label = "{d.day} {d:%b %Y}"
    for step in (1, 2, 7, 14):
        if days / step <= MAX_TIME_TICKS:
            candidates = [
                first_day + timedelta(days=n)
                for n in range((last_day - first_day).days + 1)
                if (first_day.toordinal() + n) % step == 0
            ]
            break
    else:
        months = [
            date(year, month, 1)
            for year in range(first_day.year, last_day.year + 1)
            for month in range(1, 13)
            if first_day <= date(year, month, 1) <= last_day
        ]
        for step in (1, 3, 6):
            if days / (30.44 * step) <= MAX_TIME_TICKS:
                candidates = [d for d in months if (d.month - 1) % step == 0]
                label = "{d:%b %Y}"
                break
        else:
            years = [d for d in months if d.month == 1]
            step = 1
            while len(years) // step > MAX_TIME_TICKS:
                step *= 2
            candidates = [d for d in years if d.year % step == 0]
            label = "{d:%Y}"
    ticks = []
    for day in candidates:
        x = x_of(_midnight(day))
        anchor = "start" if x < TREND_LEFT + 40 else "end" if x > TREND_RIGHT - 40 else "middle"
        ticks.append(TimeTick(x, _midnight(day), label.format(d=day), anchor))
    return ticks


def _series(
    *,
    key: str,
    title: str,
    n: int,
    revisions: list,
    value_of,
    radius_of,
    y_of,
    x_of,
    text_of,
    words_of,
    legend_y: int,
    plot_top: int,
    plot_bottom: int,
    levels: list[TrendLevel],
    outcome: "Outcome | None" = None,
) -> TrendSeries:
    points = [
        TrendPoint(
            x=x_of(revision.history_date),
            y=y_of(value_of(revision)),
            value=value_of(revision),
            when=revision.history_date,
            text=f"{title}, {_when_text(revision.history_date)}: {text_of(revision)}",
            r=radius_of(revision),
        )
        for revision in revisions
    ]
    path = f"M {points[0].x} {points[0].y}"
    for point in points[1:]:
        path += f" H {point.x} V {point.y}"
    path += f" H {TREND_RIGHT}"
    mark = None
    if outcome is not None:
        # On the line where it stood at the meeting: the last value before it, or the first.
        before = [point for point in points if point.when <= outcome.moment]
        at = before[-1] if before else points[0]
        text = f"{title}, {outcome.text}"
        mark = TrendMark(x_of(outcome.moment), at.y, outcome.state, text, at.value)
    return TrendSeries(
        key=key,
        title=title,
        css=f"trend__series--{n % SERIES_STYLES + 1}",
        points=points,
        path=path,
        legend_y=legend_y,
        legend_text=f"{shorten(title, 24)}: {words_of(value_of(revisions[-1]))}",
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        levels=levels,
        mark=mark,
    )


def _panel(
    *,
    kind: Literal["effect", "likelihood"],
    title: str,
    top: int,
    grouped: list[tuple[str, str, list]],
    levels: range,
    step: int,
    value_of,
    radius_of,
    text_of,
    words_of,
    x_of,
    outcomes: "dict[str, Outcome]",
    meeting: "TrendMeeting | None",
    meeting_x: float | None,
    key: list[tuple[str, str]],
) -> TrendPanel:
    highest, lowest = max(levels), min(levels)
    middle = (highest + lowest) // 2
    plot_height = (len(levels) - 1) * step
    row_height = ROW_PLOT + plot_height + ROW_GAP
    figures = signed if kind == "effect" else str
    series = []
    for n, (series_key, name, revisions) in enumerate(grouped):
        row_top = top + ROWS_TOP[kind] + n * row_height
        plot_top = row_top + ROW_PLOT

        def y_of(value: int, plot_top: int = plot_top) -> float:
            return plot_top + (highest - value) * step

        row_levels = [
            TrendLevel(
                y_of(v),
                figures(v) if v in (highest, middle, lowest) else "",
                kind == "effect" and v == 0,
            )
            for v in levels
        ]
        series.append(
            _series(
                key=series_key,
                title=name,
                n=n,
                revisions=revisions,
                value_of=value_of,
                radius_of=radius_of,
                y_of=y_of,
                x_of=x_of,
                text_of=text_of,
                words_of=words_of,
                legend_y=row_top + ROW_LABEL,
                plot_top=plot_top,
                plot_bottom=plot_top + plot_height,
                levels=row_levels,
                outcome=outcomes.get(series_key),
            )
        )
    plot_top = series[0].plot_top
    plot_bottom = series[-1].plot_bottom
    tick_y = plot_bottom + 18
    # Under the rows, the key to the meeting's line and to the marks the panel shows.
    shown = {s.mark.state for s in series if s.mark is not None}
    wanted = [("meeting", meeting.key_text)] if meeting is not None else []
    wanted += [(state, words) for state, words in key if state in shown]
    key_top = tick_y + 26
    key_rows = [
        TrendKeyRow(kind, key_top + n * LEGEND_ROW, text) for n, (kind, text) in enumerate(wanted)
    ]
    salience_key_y = top + SALIENCE_KEY_Y
    salience_key = (
        [
            SalienceKey(salience, label, x, salience_key_y - 4, SALIENCE_RADIUS[salience])
            for salience, label, x in SALIENCE_KEY
        ]
        if kind == "effect"
        else []
    )
    bottom = key_top + (len(key_rows) - 1) * LEGEND_ROW + 6 if key_rows else tick_y + 4
    return TrendPanel(
        kind=kind,
        title=title,
        top=top,
        title_y=top + TITLE_Y,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        tick_y=tick_y,
        series=series,
        height=bottom - top,
        meeting_x=meeting_x,
        key_rows=key_rows,
        salience_key=salience_key,
        salience_key_y=salience_key_y,
    )


@dataclass(frozen=True)
class Outcome:
    """What became of one series' issue or scenario at the meeting, in words."""

    moment: datetime  # the meeting's first day, at midnight UTC
    state: str
    text: str  # "at the meeting, 10 June 2025: raised, deliverable reached"


RAISED = {
    Resolution.YES: "raised",
    Resolution.NO: "not raised",
    Resolution.AMBIGUOUS: "whether it was raised is ambiguous",
}
DELIVERABLE = {
    Resolution.YES: "deliverable reached",
    Resolution.NO: "deliverable not reached",
    Resolution.AMBIGUOUS: "whether the deliverable was reached is ambiguous",
}
CAME_TRUE = {
    Resolution.YES: "came true",
    Resolution.NO: "did not come true",
    Resolution.AMBIGUOUS: "whether it came true is ambiguous",
}
ISSUE_KEY = [
    (Resolution.YES, "Raised at the meeting"),
    (Resolution.NO, "Not raised at the meeting"),
    (Resolution.AMBIGUOUS, "Raised? The sources do not settle it"),
]
SCENARIO_KEY = [
    (Resolution.YES, "Came true"),
    (Resolution.NO, "Did not come true"),
    (Resolution.AMBIGUOUS, "Came true? The sources do not settle it"),
]


def issue_outcome_words(outcome: IssueOutcome) -> str:
    """ "raised, deliverable reached", "not raised"."""
    words = RAISED.get(outcome.raised, outcome.raised)
    if outcome.deliverable_reached:
        words += ", " + DELIVERABLE.get(outcome.deliverable_reached, outcome.deliverable_reached)
    return words


def scenario_outcome_words(outcome: ScenarioOutcome) -> str:
    return CAME_TRUE.get(outcome.came_true, outcome.came_true)


def _cited(outcome: IssueOutcome | ScenarioOutcome) -> str:
    locator = f", {outcome.locator}" if outcome.locator else ""
    return f" ({outcome.source.title}{locator})"


def _effect_words(effect: int) -> str:
    return f"{scale_label(Scale.EFFECT, effect)} ({signed(effect)})"


def _likelihood_words(likelihood: int) -> str:
    return f"{scale_label(Scale.LIKELIHOOD, likelihood)} ({likelihood} of {LIKELIHOOD_STEPS})"


def _effect_text(revision) -> str:
    salience = scale_label(Scale.SALIENCE, revision.salience)
    return f"{_effect_words(revision.effect)}, salience {salience}"


def _likelihood_text(revision) -> str:
    return _likelihood_words(revision.likelihood)


def _values_in_words(series: TrendSeries, words) -> str:
    """ "Hinders (−1) from 24 November 2018, Strongly hinders (−2) from 26 November 2018"."""
    changes, last = [], None
    for point in series.points:
        if point.value != last:
            changes.append(f"{words(point.value)} from {_day_text(point.when)}")
            last = point.value
    return f"{series.title}: {', '.join(changes)}"


def _trend_description(panels: list[TrendPanel], meeting: TrendMeeting | None) -> str:
    parts = []
    for panel in panels:
        if panel.kind == "effect":
            words = [_values_in_words(s, _effect_words) for s in panel.series]
            parts.append("Effect on the meeting. " + "; ".join(words) + ".")
        else:
            words = [_values_in_words(s, _likelihood_words) for s in panel.series]
            parts.append("Likelihood of the scenarios. " + "; ".join(words) + ".")
    if meeting is not None:
        parts.append(f"{meeting.text}" + "".join(f"; {item}" for item in meeting.items) + ".")
    return " ".join(parts)


def trend_chart(
    issues: Sequence[Issue],
    assessment_revisions: Iterable,
    scenarios: Sequence[Scenario],
    scenario_revisions: Iterable,
    *,
    outcome: RecordedOutcome | None = None,
    meeting_dates: FuzzyDate | None = None,
) -> TrendChart | None:
    """The outlook's trend: a panel of one series per issue of `issues` (in their order) with
    a point per revision of its assessment, and a panel of one series per scenario of
    `scenarios` with a point per revision; a common time axis; the editors' notes on those
    revisions, oldest first. Revisions are historical rows (`history_date`,
    `history_change_reason`, and `issue_id`, `effect`, `salience` or `id`, `likelihood`),
    already limited to what the viewer may see. None when there is no revision to draw.

    With the meeting's dates, the time axis reaches the meeting's first day and each panel
    marks it with a line; with `outcome` too (what was recorded of the meeting, as the viewer
    may see it), each series whose issue or scenario has a recorded outcome carries it there
    as a mark. Each issue's dots are sized by its salience at that revision."""
    by_issue: dict[int, list] = {}
    for revision in sorted(assessment_revisions, key=lambda r: r.history_date):
        by_issue.setdefault(revision.issue_id, []).append(revision)
    by_scenario: dict[int, list] = {}
    for revision in sorted(scenario_revisions, key=lambda r: r.history_date):
        by_scenario.setdefault(revision.id, []).append(revision)
    issue_groups = [
        (issue.slug, issue.title, by_issue[issue.pk]) for issue in issues if issue.pk in by_issue
    ]
    scenario_groups = [
        (f"scenario-{s.pk}", s.title, by_scenario[s.pk]) for s in scenarios if s.pk in by_scenario
    ]
    shown = [r for _, _, group in [*issue_groups, *scenario_groups] for r in group]
    if not shown:
        return None
    first, last = min(r.history_date for r in shown), max(r.history_date for r in shown)
    meeting: TrendMeeting | None = None
    if outcome is not None and meeting_dates is not None:
        moment = _midnight(meeting_dates.start)
        first, last = min(first, moment), max(last, moment)
        issue_outcomes = {
            issue.slug: Outcome(
                moment,
                row.raised,
                f"at the meeting, {meeting_dates}: " + issue_outcome_words(row) + _cited(row),
            )
            for issue in issues
            if (row := outcome.issues.get(issue.pk)) is not None
        }
        scenario_outcomes = {
            f"scenario-{s.pk}": Outcome(
                moment,
                row.came_true,
                f"at the meeting, {meeting_dates}: " + scenario_outcome_words(row) + _cited(row),
            )
            for s in scenarios
            if (row := outcome.scenarios.get(s.pk)) is not None
        }
        recorded = outcome.meeting
        meeting = TrendMeeting(
            when=meeting_dates,
            result=recorded.get_result_display(),
            statement=recorded.statement,
            source=recorded.source,
            locator=recorded.locator,
            items=[
                f"{i.title}: {issue_outcome_words(outcome.issues[i.pk])}"
                for i in issues
                if i.pk in outcome.issues and i.pk in by_issue
            ]
            + [
                f"{s.title}: {scenario_outcome_words(outcome.scenarios[s.pk])}"
                for s in scenarios
                if s.pk in outcome.scenarios and s.pk in by_scenario
            ],
        )
    else:
        issue_outcomes, scenario_outcomes = {}, {}
        if meeting_dates is not None and meeting_dates.precision == DatePrecision.DAY:
            # The meeting's date, before any outcome is recorded: where the forecasts lead.
            # Only a day the sources give: a month or a period has no one place on the axis.
            moment = _midnight(meeting_dates.start)
            first, last = min(first, moment), max(last, moment)
            meeting = TrendMeeting(when=meeting_dates)
    start, end = _time_axis(first, last)

    def x_of(when: datetime) -> float:
        share = (when - start) / (end - start)
        return round(TREND_LEFT + share * (TREND_RIGHT - TREND_LEFT), 1)

    meeting_x = x_of(_midnight(meeting.when.start)) if meeting is not None else None
    panels: list[TrendPanel] = []
    top = 0
    if issue_groups:
        panels.append(
            _panel(
                kind="effect",
                title="Each issue’s effect on the meeting",
                top=top,
                grouped=issue_groups,
                levels=range(Effect.STRONGLY_HINDERS, Effect.STRONGLY_FAVOURS + 1),
                step=EFFECT_STEP,
                value_of=lambda r: r.effect,
                radius_of=lambda r: SALIENCE_RADIUS.get(r.salience, SALIENCE_RADIUS[2]),
                text_of=_effect_text,
                words_of=_effect_words,
                x_of=x_of,
                outcomes=issue_outcomes,
                meeting=meeting,
                meeting_x=meeting_x,
                key=ISSUE_KEY,
            )
        )
        top += panels[-1].height + PANEL_GAP
    if scenario_groups:
        panels.append(
            _panel(
                kind="likelihood",
                title="How likely each scenario is",
                top=top,
                grouped=scenario_groups,
                levels=range(1, LIKELIHOOD_STEPS + 1),
                step=LIKELIHOOD_STEP,
                value_of=lambda r: r.likelihood,
                radius_of=lambda r: LIKELIHOOD_RADIUS,
                text_of=_likelihood_text,
                words_of=_likelihood_words,
                x_of=x_of,
                outcomes=scenario_outcomes,
                meeting=None if panels else meeting,
                meeting_x=meeting_x,
                key=SCENARIO_KEY,
            )
        )
    titles = {issue.pk: issue.title for issue in issues}
    notes = [
        TrendNote(r.history_date, titles[r.issue_id], r.history_change_reason)
        for _, _, group in issue_groups
        for r in group
        if r.history_change_reason
    ]
    scenario_titles = {s.pk: s.title for s in scenarios}
    notes += [
        TrendNote(r.history_date, scenario_titles[r.id], r.history_change_reason)
        for _, _, group in scenario_groups
        for r in group
        if r.history_change_reason
    ]
    return TrendChart(
        panels=panels,
        time_ticks=_time_ticks(start, end, x_of),
        notes=sorted(notes, key=lambda note: (note.when, note.subject)),
        start=start,
        end=end,
        height=panels[-1].top + panels[-1].height + 4,
        description=_trend_description(panels, meeting),
        meeting=meeting,
    )
