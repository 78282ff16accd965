"""Charts of a meeting's outlook, computed here and drawn by templates as inline SVG or HTML.

Every function takes records already read (see `issues.selectors`) and returns plain
dataclasses: numbers, words and geometry (x, y, width...) in the SVG's own units. Templates
only place what they are given, so tests can check the numbers without parsing SVG, and no
chart needs JavaScript or an inline style.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.urls import reverse

from .labels import scale_label
from .models import (
    Country,
    DatePrecision,
    Effect,
    Event,
    Issue,
    Leader,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scale,
    Scenario,
)
from .templatetags.dossier import scale_class

MINUS = "\u2212"  # a true minus sign, as wide as the plus sign
TITLE_LENGTH = 44  # characters of an issue or scenario title that fit on a chart's line


def signed(value: int | Decimal) -> str:
    """+2, −1.3, 0: a signed figure for people, with a true minus sign."""
    text = f"{value:+}" if value else f"{value}".lstrip("-")
    return text.replace("-", MINUS)


def shorten(text: str, length: int = TITLE_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# Overall outlook ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overall:
    """The meeting's overall outlook: the salience-weighted mean of its issues' effects,
    Σ(effect × salience) ÷ Σ(salience), shown to one decimal; its word is the Effect-scale
    step nearest to the figure shown (halves away from zero)."""

    weighted_sum: int
    total_salience: int
    count: int
    value: Decimal  # to one decimal
    effect: int  # the nearest step of the Effect scale
    label: str
    working: str  # the sum written out, for the page

    @property
    def shown(self) -> str:
        return signed(self.value)

    @property
    def effect_shown(self) -> str:
        return signed(self.effect)


def overall_outlook(assessments: Iterable[OutlookAssessment]) -> Overall | None:
    """None when nothing is assessed."""
    terms = [(a.effect, a.salience) for a in assessments]
    total_salience = sum(salience for _, salience in terms)
    if not terms or not total_salience:
        return None
    weighted_sum = sum(effect * salience for effect, salience in terms)
    value = (Decimal(weighted_sum) / Decimal(total_salience)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    effect = int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    products = " + ".join(f"({signed(e)} × {s})" for e, s in terms)
    saliences = " + ".join(str(s) for _, s in terms)
    working = (
        f"[{products}] ÷ ({saliences}) = {signed(weighted_sum)} ÷ {total_salience} = "
        f"{signed(value)}"
    )
    return Overall(
        weighted_sum=weighted_sum,
        total_salience=total_salience,
        count=len(terms),
        value=value,
        effect=effect,
        label=scale_label(Scale.EFFECT, effect),
        working=working,
    )


# Outlook board: a diverging bar per issue -------------------------------------------------

BOARD_WIDTH = 420
BOARD_MARGIN = 12
ZERO_X = BOARD_WIDTH // 2
STEP = (ZERO_X - BOARD_MARGIN) // 2  # the length of one step of the Effect scale
AXIS_HEIGHT = 40  # words and tick numbers above the first row
ROW_HEIGHT = 72
BAND = 20  # the height available to a bar; salience sets how much of it the bar fills
THICKNESS = {1: 8, 2: 14, 3: 20}  # bar thickness by salience (low, medium, high)
LABEL_GAP = 6


@dataclass(frozen=True)
class Tick:
    x: int
    label: str


@dataclass(frozen=True)
class BoardRow:
    """One issue: a bar from the zero line to its effect, as thick as its salience (the
    overall outlook's row has no issue)."""

    issue: Issue | None
    title: str  # shortened to fit; the full title is in `issue.title`
    effect: int | Decimal | None  # None when not assessed; the overall row's is a Decimal
    salience: int | None
    effect_label: str
    salience_label: str
    is_draft: bool
    css: str  # "m2" … "p2", or "none"
    y: int  # top of the row
    title_y: int
    bar_x: int
    bar_y: int
    bar_width: int
    bar_height: int
    label_x: int  # the effect's words, on the other side of the zero line from the bar
    label_y: int
    label_anchor: Literal["start", "end"]
    note_y: int  # the salience line
    grid_top: int  # the scale's lines run across the bar's band only, clear of the words
    grid_bottom: int

    @property
    def is_assessed(self) -> bool:
        return self.effect is not None

    @property
    def effect_text(self) -> str:
        return f"{self.effect_label} ({signed(self.effect)})" if self.is_assessed else ""


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    overall: Overall | None
    overall_row: BoardRow | None
    ticks: list[Tick]
    includes_drafts: bool
    width: int = BOARD_WIDTH
    height: int = 0
    margin: int = BOARD_MARGIN
    zero_x: int = ZERO_X
    description: str = ""

    @property
    def right(self) -> int:
        return self.width - self.margin


def _bar_row(
    *,
    issue: Issue | None,
    title: str,
    effect: int | Decimal | None,
    salience: int | None,
    effect_label: str,
    salience_label: str,
    is_draft: bool,
    y: int,
    css: str,
) -> BoardRow:
    bar_y = y + 26
    bar_x = width = height = 0
    label_x, anchor = BOARD_MARGIN, "start"
    if effect is not None:
        length = round(abs(effect) * STEP)
        height = THICKNESS.get(salience or 0, BAND)
        bar_y += (BAND - height) // 2
        if effect > 0:  # the bar to the right, its words to the left of the zero line
            bar_x, width = ZERO_X, length
            label_x, anchor = ZERO_X - LABEL_GAP, "end"
        else:
            bar_x, width = ZERO_X - length, length
            label_x = ZERO_X + LABEL_GAP
            if not effect:  # neutral: a short notch on the zero line
                bar_x, width = ZERO_X - 2, 4
    return BoardRow(
        issue=issue,
        title=title,
        effect=effect,
        salience=salience,
        effect_label=effect_label,
        salience_label=salience_label,
        is_draft=is_draft,
        css=css,
        y=y,
        title_y=y + 16,
        bar_x=bar_x,
        bar_y=bar_y,
        bar_width=width,
        bar_height=height,
        label_x=label_x,
        label_y=y + 41,
        label_anchor=anchor,
        note_y=y + 62,
        grid_top=y + 22,
        grid_bottom=y + 50,
    )


def outlook_board(issues: Iterable[Issue], assessments: Iterable[OutlookAssessment]) -> Board:
    """One row per issue of the meeting, in the issues' order (`Issue.order`, then title),
    then the overall outlook. An issue with no assessment the viewer may see gets a row that
    says so and counts for nothing in the overall outlook."""
    by_issue = {assessment.issue_id: assessment for assessment in assessments}
    ordered = {issue.pk: issue for issue in issues}
    for assessment in by_issue.values():
        ordered.setdefault(assessment.issue_id, assessment.issue)
    rows = []
    for n, issue in enumerate(sorted(ordered.values(), key=lambda i: (i.order, i.title))):
        assessment = by_issue.get(issue.pk)
        is_draft = assessment is not None and assessment.status == PublicationStatus.DRAFT
        rows.append(
            _bar_row(
                issue=issue,
                title=shorten(issue.title) + (" (draft)" if is_draft else ""),
                effect=assessment.effect if assessment else None,
                salience=assessment.salience if assessment else None,
                effect_label=scale_label(Scale.EFFECT, assessment.effect) if assessment else "",
                salience_label=(
                    scale_label(Scale.SALIENCE, assessment.salience) if assessment else ""
                ),
                is_draft=is_draft,
                y=AXIS_HEIGHT + n * ROW_HEIGHT,
                css=scale_class(assessment.effect if assessment else None),
            )
        )
    assessed = [by_issue[row.issue.pk] for row in rows if row.is_assessed]
    overall = overall_outlook(assessed)
    overall_row = None
    if overall is not None:
        overall_row = _bar_row(
            issue=None,
            title="Overall outlook",
            effect=overall.value,
            salience=None,
            effect_label=overall.label,
            salience_label=f"Salience-weighted mean of {overall.count} "
            f"issue{'s' if overall.count != 1 else ''}",
            is_draft=False,
            y=AXIS_HEIGHT + len(rows) * ROW_HEIGHT,
            css=scale_class(overall.effect),
        )
    height = AXIS_HEIGHT + (len(rows) + (overall_row is not None)) * ROW_HEIGHT + 4
    ticks = [Tick(ZERO_X + step * STEP, signed(step)) for step in range(-2, 3)]
    return Board(
        rows=rows,
        overall=overall,
        overall_row=overall_row,
        ticks=ticks,
        includes_drafts=any(row.is_draft for row in rows),
        height=height,
        description=_board_description(rows, overall),
    )


def _board_description(rows: Sequence[BoardRow], overall: Overall | None) -> str:
    if not rows:
        return "No issue bears on this meeting yet."
    parts = [
        f"{row.issue.title}: {row.effect_text}, salience {row.salience_label}"
        if row.is_assessed
        else f"{row.issue.title}: not assessed yet"
        for row in rows
    ]
    if overall is not None:
        parts.append(f"overall outlook {overall.label} ({overall.shown})")
    return "; ".join(parts) + "."


# Scenarios: dots and words ---------------------------------------------------------------

SCENARIO_ROW_HEIGHT = 44
DOT_RADIUS = 6
DOT_SPACING = 18
LIKELIHOOD_STEPS = 5


@dataclass(frozen=True)
class Dot:
    cx: int
    filled: bool


@dataclass(frozen=True)
class ScenarioRow:
    scenario: Scenario
    title: str
    likelihood: int
    label: str
    title_y: int
    dots_y: int
    dots: list[Dot]
    label_x: int
    label_y: int


@dataclass(frozen=True)
class ScenarioChart:
    rows: list[ScenarioRow]
    width: int = BOARD_WIDTH
    height: int = 0
    margin: int = BOARD_MARGIN
    dot_radius: int = DOT_RADIUS
    description: str = ""


def scenario_chart(scenarios: Iterable[Scenario]) -> ScenarioChart:
    """Each scenario's likelihood as five dots, as many filled as its step, and its word."""
    rows = []
    for n, scenario in enumerate(scenarios):
        y = n * SCENARIO_ROW_HEIGHT
        rows.append(
            ScenarioRow(
                scenario=scenario,
                title=shorten(scenario.title),
                likelihood=scenario.likelihood,
                label=scale_label(Scale.LIKELIHOOD, scenario.likelihood),
                title_y=y + 16,
                dots_y=y + 30,
                dots=[
                    Dot(BOARD_MARGIN + DOT_RADIUS + i * DOT_SPACING, i < scenario.likelihood)
                    for i in range(LIKELIHOOD_STEPS)
                ],
                label_x=BOARD_MARGIN + LIKELIHOOD_STEPS * DOT_SPACING + 4,
                label_y=y + 35,
            )
        )
    description = "; ".join(
        f"{row.scenario.title}: {row.label} ({row.likelihood} of {LIKELIHOOD_STEPS})"
        for row in rows
    )
    return ScenarioChart(
        rows=rows,
        height=len(rows) * SCENARIO_ROW_HEIGHT + 4,
        description=description + "." if rows else "",
    )


# Stance matrix: who stands where on each issue -------------------------------------------


@dataclass(frozen=True)
class StanceCell:
    issue: Issue
    latest: Position | None  # the latest current position of the row on the issue
    count: int  # how many current positions stand behind the cell

    @property
    def css(self) -> str:
        return scale_class(self.latest.posture if self.latest else None)

    @property
    def code(self) -> str:
        return signed(self.latest.posture) if self.latest else ""

    @property
    def label(self) -> str:
        return scale_label(Scale.POSTURE, self.latest.posture) if self.latest else ""


@dataclass(frozen=True)
class StanceRow:
    kind: Literal["side", "leader", "unattributed"]
    label: str
    country: Country
    leader: Leader | None
    url: str  # where the row's positions are listed, or ""
    cells: list[StanceCell]


@dataclass(frozen=True)
class StanceMatrix:
    issues: list[Issue]
    rows: list[StanceRow]


def latest_first(positions: Iterable[Position]) -> list[Position]:
    """The site's newest-first order: date stated, then the order they were recorded in."""
    return sorted(positions, key=lambda p: (-p.stated_on.toordinal(), p.pk))


def stance_matrix(
    issues: Sequence[Issue],
    positions: Iterable[Position],
    *,
    sides: Iterable[Country] = (),
    leaders: Iterable[Leader] = (),
) -> StanceMatrix:
    """Rows: each side (any of its voices), then its leaders (`leaders` first, such as the
    meeting's participants, then the others by name), then its unnamed voices ("Russian
    officials"); columns: `issues`. Each cell holds the latest of the row's current positions
    on the issue. `positions` must be current (not withdrawn) and carry their country and
    leader; `sides` and `leaders` add rows that have no position (yet); `leaders` must carry
    their country."""
    positions = latest_first(positions)
    named = {leader.pk: leader for leader in leaders}
    countries = {country.pk: country for country in sides}
    for leader in named.values():
        countries.setdefault(leader.country_id, leader.country)
    for position in positions:  # a leader speaks for their own country
        countries.setdefault(position.country_id, position.country)
    speakers = {p.leader_id: p.leader for p in positions if p.leader_id}
    for leader in sorted(speakers.values(), key=lambda leader: leader.name):
        named.setdefault(leader.pk, leader)

    def cells(matches) -> list[StanceCell]:
        found: dict[int, list[Position]] = {}
        for position in positions:
            if matches(position):
                found.setdefault(position.issue_id, []).append(position)
        return [
            StanceCell(
                issue,
                found[issue.pk][0] if issue.pk in found else None,
                len(found.get(issue.pk, [])),
            )
            for issue in issues
        ]

    browse = reverse("issues:browse")
    rows = []
    for country in sorted(countries.values(), key=lambda c: c.name):
        rows.append(
            StanceRow(
                kind="side",
                label=country.name,
                country=country,
                leader=None,
                url=f"{browse}?side={country.code}",
                cells=cells(lambda p, c=country: p.country_id == c.pk),
            )
        )
        for leader in named.values():
            if leader.country_id != country.pk:
                continue
            rows.append(
                StanceRow(
                    kind="leader",
                    label=leader.name,
                    country=country,
                    leader=leader,
                    url=leader.get_absolute_url(),
                    cells=cells(lambda p, ld=leader: p.leader_id == ld.pk),
                )
            )
        unnamed = cells(lambda p, c=country: p.country_id == c.pk and not p.leader_id)
        if any(cell.latest for cell in unnamed):
            rows.append(
                StanceRow(
                    kind="unattributed",
                    label=f"Unnamed officials and others ({country.name})",
                    country=country,
                    leader=None,
                    url="",
                    cells=unnamed,
                )
            )
    return StanceMatrix(issues=list(issues), rows=rows)


# Timeline: events and positions by period ------------------------------------------------


DATETIME_LENGTH = {DatePrecision.DAY: 10, DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}


@dataclass(frozen=True)
class TimelineItem:
    kind: Literal["event", "position"]
    on: date
    precision: str
    title: str
    text: str
    anchor: str  # the item's id on the page
    url: str  # where it is told in full, or ""
    issue: Issue | None = None
    posture: int | None = None

    @property
    def datetime(self) -> str:
        """The date in a `<time datetime>`, only as precise as its source."""
        return self.on.isoformat()[: DATETIME_LENGTH[self.precision]]


@dataclass
class TimelinePeriod:
    """The items of one month, or of one year when the sources give only the year."""

    on: date
    precision: str
    items: list[TimelineItem] = field(default_factory=list)

    @property
    def datetime(self) -> str:
        return self.on.isoformat()[: DATETIME_LENGTH[self.precision]]


def timeline(events: Iterable[Event], positions: Iterable[Position]) -> list[TimelinePeriod]:
    """Events and positions in date order, grouped by month (or by year for items dated only
    to the year). Positions must carry their issue, country and leader."""
    items = [
        TimelineItem(
            kind="event",
            on=event.occurred_on,
            precision=event.occurred_on_precision,
            title=event.title,
            text=event.description,
            anchor=f"timeline-event-{event.pk}",
            url="",
        )
        for event in events
    ]
    items += [
        TimelineItem(
            kind="position",
            on=position.stated_on,
            precision=position.stated_on_precision,
            title=f"{position.speaker} ({position.country.name})",
            text=position.summary,
            anchor=f"timeline-position-{position.pk}",
            url=position.get_absolute_url(),
            issue=position.issue,
            posture=position.posture,
        )
        for position in positions
    ]
    rank = {"event": 0, "position": 1}
    items.sort(key=lambda item: (item.on, rank[item.kind], item.title))
    periods: dict[tuple[int, int], TimelinePeriod] = {}
    for item in items:
        if item.precision == DatePrecision.YEAR:
            key, start, precision = (item.on.year, 0), date(item.on.year, 1, 1), item.precision
        else:
            key = (item.on.year, item.on.month)
            start, precision = item.on.replace(day=1), DatePrecision.MONTH
        periods.setdefault(key, TimelinePeriod(start, precision)).items.append(item)
    return [periods[key] for key in sorted(periods)]


# Outlook trend: each issue's effect and each scenario's likelihood over time -------------

TREND_WIDTH = 440
TREND_LEFT = 36  # room for the scale's figures left of the plot
TREND_RIGHT = TREND_WIDTH - 12
TREND_TITLE_GAP = 30  # from the top of a panel to the top of its plot
EFFECT_STEP = 26  # the height of one step of the Effect scale
LIKELIHOOD_STEP = 22  # the height of one step of the Likelihood scale
LANE = 3  # series at the same value are drawn this far apart, so that none hides another
LEGEND_ROW = 20
PANEL_GAP = 18
SERIES_STYLES = 6  # trend__series--1 … --6, then again from 1
MAX_TIME_TICKS = 4
MIN_PADDING = timedelta(hours=12)  # room before the first revision and after the last


@dataclass(frozen=True)
class TrendPoint:
    """One revision: where it is drawn, its value, and what it says in words."""

    x: float
    y: float
    value: int
    when: datetime
    text: str


@dataclass(frozen=True)
class TrendSeries:
    """One issue's effect (or one scenario's likelihood) through its revisions, drawn as
    steps: a value holds until the next revision, and the last one to the plot's end."""

    key: str  # the issue's slug, or "scenario-<pk>"
    title: str
    css: str  # trend__series--1 … --6
    points: list[TrendPoint]
    path: str  # SVG path data of the steps
    legend_y: int
    legend_text: str  # the title, shortened, and the latest value in words

    @property
    def swatch_y(self) -> int:
        return self.legend_y - 4


@dataclass(frozen=True)
class TrendLevel:
    """A step of the panel's scale: a grid line and its figure."""

    y: float
    label: str
    is_zero: bool = False

    @property
    def label_y(self) -> float:
        return self.y + 4


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
    plot_top: int
    plot_bottom: int
    tick_y: int  # the time axis' words, under the plot
    levels: list[TrendLevel]
    series: list[TrendSeries]
    height: int


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
    swatch_x1: int = 4  # the legend: a sample of the line, then the words
    swatch_x2: int = 26
    legend_x: int = 32
    title_x: int = 4


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
    first_day = start.astimezone(UTC).date() + timedelta(days=1)
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
        anchor = "start" if x < TREND_LEFT + 30 else "end" if x > TREND_RIGHT - 30 else "middle"
        ticks.append(TimeTick(x, _midnight(day), label.format(d=day), anchor))
    return ticks


def _series(
    *,
    key: str,
    title: str,
    n: int,
    count: int,
    revisions: list,
    value_of,
    y_of,
    x_of,
    text_of,
    words_of,
    legend_y: int,
) -> TrendSeries:
    lane = round((n - (count - 1) / 2) * LANE, 1)
    points = [
        TrendPoint(
            x=x_of(revision.history_date),
            y=round(y_of(value_of(revision)) + lane, 1),
            value=value_of(revision),
            when=revision.history_date,
            text=f"{title}, {_when_text(revision.history_date)}: {text_of(revision)}",
        )
        for revision in revisions
    ]
    path = f"M {points[0].x} {points[0].y}"
    for point in points[1:]:
        path += f" H {point.x} V {point.y}"
    path += f" H {TREND_RIGHT}"
    return TrendSeries(
        key=key,
        title=title,
        css=f"trend__series--{n % SERIES_STYLES + 1}",
        points=points,
        path=path,
        legend_y=legend_y,
        legend_text=f"{shorten(title, 28)}: {words_of(value_of(revisions[-1]))}",
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
    text_of,
    words_of,
    x_of,
) -> TrendPanel:
    plot_top = top + TREND_TITLE_GAP
    highest = max(levels)

    def y_of(value: int) -> float:
        return plot_top + (highest - value) * step

    plot_bottom = plot_top + (len(levels) - 1) * step
    tick_y = plot_bottom + 17
    legend_top = tick_y + 24
    series = [
        _series(
            key=key,
            title=name,
            n=n,
            count=len(grouped),
            revisions=revisions,
            value_of=value_of,
            y_of=y_of,
            x_of=x_of,
            text_of=text_of,
            words_of=words_of,
            legend_y=legend_top + n * LEGEND_ROW,
        )
        for n, (key, name, revisions) in enumerate(grouped)
    ]
    figures = signed if kind == "effect" else str
    return TrendPanel(
        kind=kind,
        title=title,
        top=top,
        title_y=top + 16,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        tick_y=tick_y,
        levels=[TrendLevel(y_of(v), figures(v), kind == "effect" and v == 0) for v in levels],
        series=series,
        height=legend_top + len(series) * LEGEND_ROW - 12 - top,
    )


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


def _trend_description(panels: list[TrendPanel]) -> str:
    parts = []
    for panel in panels:
        if panel.kind == "effect":
            words = [_values_in_words(s, _effect_words) for s in panel.series]
            parts.append("Effect on the meeting. " + "; ".join(words) + ".")
        else:
            words = [_values_in_words(s, _likelihood_words) for s in panel.series]
            parts.append("Likelihood of the scenarios. " + "; ".join(words) + ".")
    return " ".join(parts)


def trend_chart(
    issues: Sequence[Issue],
    assessment_revisions: Iterable,
    scenarios: Sequence[Scenario],
    scenario_revisions: Iterable,
) -> TrendChart | None:
    """The outlook's trend: a panel of one series per issue of `issues` (in their order) with
    a point per revision of its assessment, and a panel of one series per scenario of
    `scenarios` with a point per revision; a common time axis; the editors' notes on those
    revisions, oldest first. Revisions are historical rows (`history_date`,
    `history_change_reason`, and `issue_id`, `effect`, `salience` or `id`, `likelihood`),
    already limited to what the viewer may see. None when there is no revision to draw."""
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
    start, end = _time_axis(min(r.history_date for r in shown), max(r.history_date for r in shown))

    def x_of(when: datetime) -> float:
        share = (when - start) / (end - start)
        return round(TREND_LEFT + share * (TREND_RIGHT - TREND_LEFT), 1)

    panels, top = [], 0
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
                text_of=_effect_text,
                words_of=_effect_words,
                x_of=x_of,
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
                text_of=_likelihood_text,
                words_of=_likelihood_words,
                x_of=x_of,
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
        description=_trend_description(panels),
    )
