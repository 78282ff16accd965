"""The outlook board: a diverging bar per issue, effect by position, salience by thickness."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from issues.labels import scale_label
from issues.models import (
    Issue,
    OutlookAssessment,
    PublicationStatus,
    Scale,
)
from issues.templatetags.dossier import scale_class

from .outlook import Overall, overall_outlook
from .text import shorten, signed

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


def issue_board(assessments: Sequence[OutlookAssessment]) -> Board:
    """One issue's outlook at each of its meetings, drawn like the outlook board: a row per
    assessment, titled with its meeting, and no overall outlook (that is the meeting's)."""
    rows = [
        _bar_row(
            issue=assessment.issue,
            title=shorten(assessment.meeting.title)
            + (" (draft)" if assessment.status == PublicationStatus.DRAFT else ""),
            effect=assessment.effect,
            salience=assessment.salience,
            effect_label=scale_label(Scale.EFFECT, assessment.effect),
            salience_label=scale_label(Scale.SALIENCE, assessment.salience),
            is_draft=assessment.status == PublicationStatus.DRAFT,
            y=AXIS_HEIGHT + n * ROW_HEIGHT,
            css=scale_class(assessment.effect),
        )
        for n, assessment in enumerate(assessments)
    ]
    description = "; ".join(
        f"{row.title}: {row.effect_text}, salience {row.salience_label}" for row in rows
    )
    return Board(
        rows=rows,
        overall=None,
        overall_row=None,
        ticks=[Tick(ZERO_X + step * STEP, signed(step)) for step in range(-2, 3)],
        includes_drafts=any(row.is_draft for row in rows),
        height=AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 4,
        description=(description + ".") if rows else "Not assessed for any meeting yet.",
    )
