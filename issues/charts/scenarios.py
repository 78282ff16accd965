"""Scenarios of a meeting's outcome: dots and words for each likelihood."""

from collections.abc import Iterable
from dataclasses import dataclass

from issues.labels import scale_label
from issues.models import (
    Scale,
    Scenario,
)

from .board import BOARD_MARGIN, BOARD_WIDTH
from .text import shorten

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
