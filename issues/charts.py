"""Charts of a meeting's outlook, computed here and drawn by templates as inline SVG or HTML.

Every function takes records already read (see `issues.selectors`) and returns plain
dataclasses: numbers, words and geometry (x, y, width...) in the SVG's own units. Templates
only place what they are given, so tests can check the numbers without parsing SVG, and no
chart needs JavaScript or an inline style.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.urls import reverse

from .labels import scale_label
from .models import (
    Country,
    DatePrecision,
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
