"""The share images' layout: a 1200 × 630 card (the size OpenGraph and Twitter show large)
with the page's title, a chart drawn by the page's own SVG template placed in a box of the
card, and a panel beside it. Coordinates are the card's pixels."""

import textwrap
from dataclasses import dataclass

from .board import Board

WIDTH = 1200
HEIGHT = 630
MARGIN = 60
TITLE_CHARS = 40  # characters of a 44px serif title that fit on one line of the card
TITLE_LINE = 52
TITLE_LINES = 2
LEDE_CHARS = 80
LEDE_LINE = 30
LEDE_LINES = 2
CHART_TOP_GAP = 28  # between the last line of text and the chart
BOTTOM = HEIGHT - 56  # the chart stops here; the foot line is below it
PANEL_GAP = 48  # between the chart and the panel
PANEL_MIN_WIDTH = 380


@dataclass(frozen=True)
class Line:
    text: str
    y: int


@dataclass(frozen=True)
class Place:
    """Where a chart's own SVG sits on the card (it keeps its proportions)."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Card:
    title: list[Line]
    lede: list[Line]
    place: Place  # the chart's box
    panel_x: int  # where the panel beside the chart starts
    panel_y: int
    width: int = WIDTH
    height: int = HEIGHT
    margin: int = MARGIN
    rule_y: int = HEIGHT - 40
    foot_y: int = HEIGHT - 14

    @property
    def right(self) -> int:
        return self.width - self.margin


def wrap(text: str, width: int, lines: int) -> list[str]:
    """`text` in at most `lines` lines of about `width` characters; what does not fit ends
    in an ellipsis."""
    wrapped = textwrap.wrap(" ".join(text.split()), width, break_long_words=True)
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    last = kept[-1][: width - 1].rstrip()
    return [*kept[:-1], last + "…"]


def card(title: str, lede: str, board: Board) -> Card:
    """The card's lines of text, then the board as large as the room below them allows
    (its proportions kept, its width at most what leaves the panel its room)."""
    title_lines = [
        Line(text, 128 + n * TITLE_LINE)
        for n, text in enumerate(wrap(title, TITLE_CHARS, TITLE_LINES))
    ]
    below = title_lines[-1].y if title_lines else 100
    lede_lines = [
        Line(text, below + 42 + n * LEDE_LINE)
        for n, text in enumerate(wrap(lede, LEDE_CHARS, LEDE_LINES))
    ]
    if lede_lines:
        below = lede_lines[-1].y
    top = below + CHART_TOP_GAP
    room_height = BOTTOM - top
    room_width = WIDTH - 2 * MARGIN - PANEL_GAP - PANEL_MIN_WIDTH
    scale = min(room_width / board.width, room_height / max(board.height, 1))
    width, height = round(board.width * scale), round(board.height * scale)
    return Card(
        title=title_lines,
        lede=lede_lines,
        place=Place(MARGIN, top, width, height),
        panel_x=MARGIN + width + PANEL_GAP,
        panel_y=top + 30,
    )
