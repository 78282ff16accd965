"""Charts of a meeting's outlook, computed here and drawn by templates as inline SVG or HTML.

Every function takes records already read (see `issues.pages`) and returns plain
dataclasses: numbers, words and geometry (x, y, width...) in the SVG's own units. Templates
only place what they are given, so tests can check the numbers without parsing SVG, and no
chart needs JavaScript or an inline style.

One module a chart: `board` (the outlook board), `scenarios`, `stance` (the stance matrix),
`timeline`, `trend` (the outlook over time); `outlook` computes the overall outlook and
`text` the figures and words they share.
"""

from .board import Board, BoardRow, issue_board, outlook_board
from .outlook import Overall, overall_outlook
from .scenarios import ScenarioChart, scenario_chart
from .stance import StanceMatrix, latest_first, stance_matrix
from .text import MINUS, TITLE_LENGTH, shorten, signed
from .timeline import TimelinePeriod, timeline
from .trend import TrendChart, trend_chart

__all__ = [
    "MINUS",
    "TITLE_LENGTH",
    "Board",
    "BoardRow",
    "Overall",
    "ScenarioChart",
    "StanceMatrix",
    "TimelinePeriod",
    "TrendChart",
    "latest_first",
    "outlook_board",
    "overall_outlook",
    "scenario_chart",
    "shorten",
    "issue_board",
    "signed",
    "stance_matrix",
    "timeline",
    "trend_chart",
]
