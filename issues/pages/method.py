"""The methodology page, read from the code's own definitions so that it cannot drift: the
scales and their labels (as editors have worded them), the likelihood words with the
probabilities scores use, the outlook formula's parts, and the date precisions."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from issues.charts.outlook import Overall, overall_outlook
from issues.charts.text import signed
from issues.labels import all_labels
from issues.models import DatePrecision, Effect, Likelihood, Posture, Salience, Scale
from issues.pages.changed import DEFAULT_WINDOW_DAYS
from issues.scoring import CHANCE, MAPPING_VERSION, MAPPINGS, RANGES

#: The charts the page explains, each with its anchor: pages link to `method#<anchor>`.
CHART_ANCHORS = {
    "board": "read-board",
    "scenarios": "read-scenarios",
    "trend": "read-trend",
    "stances": "read-stances",
    "timeline": "read-timeline",
    "changes": "read-changes",
}


#: What each step of the closed scales stands for, beside its label.
MEANINGS: dict[str, str] = {
    f"posture{Posture.HARDLINE}": "The side refuses to give ground on the issue.",
    f"posture{Posture.LEANS_HARDLINE}": "The side is firm, with some room left open.",
    f"posture{Posture.MIXED}": "The side's words or acts point both ways, or commit to neither.",
    f"posture{Posture.LEANS_COOPERATIVE}": "The side is open to agreement, with conditions.",
    f"posture{Posture.COOPERATIVE}": "The side seeks agreement on the issue.",
    f"effect{Effect.STRONGLY_HINDERS}": "The issue could stall the meeting or sour its result.",
    f"effect{Effect.HINDERS}": "The issue makes a good result harder.",
    f"effect{Effect.NEUTRAL}": "The issue bears on the meeting neither way.",
    f"effect{Effect.FAVOURS}": "The issue makes a good result easier.",
    f"effect{Effect.STRONGLY_FAVOURS}": "The issue is a likely ground for agreement.",
    f"salience{Salience.LOW}": "The thinnest bar on the board; a hit if the issue is not raised.",
    f"salience{Salience.MEDIUM}": "A bar of middle thickness; not scored, since it predicts "
    "neither.",
    f"salience{Salience.HIGH}": "The thickest bar on the board; a hit if the issue is raised.",
}


@dataclass(frozen=True)
class Step:
    code: int
    shown: str  # the code as pages show it: "+2", "0", "3"
    label: str
    meaning: str = ""


@dataclass(frozen=True)
class Chance:
    code: int
    label: str
    probability: Decimal
    percent: str  # "70 %"
    range: str  # "55–80 %"


@dataclass(frozen=True)
class MethodPage:
    posture: list[Step]
    effect: list[Step]
    salience: list[Step]
    likelihood: list[Chance]
    mapping_version: str
    chance_line: float
    effect_min: str
    effect_max: str
    salience_min: int
    salience_max: int
    precisions: list[tuple[str, str]]
    anchors: dict[str, str]
    example: Overall
    example_terms: str  # the example's issues in words
    changes_window: int = DEFAULT_WINDOW_DAYS  # "What changed" without a chosen day


@dataclass(frozen=True)
class _Assessed:
    """Two made-up assessments, to work the formula through with the code that computes it."""

    effect: int
    salience: int


def _steps(scale: str, choices: type[models.IntegerChoices], *, signed_codes: bool) -> list[Step]:
    labels = all_labels()[scale]
    return [
        Step(
            code,
            signed(code) if signed_codes else str(code),
            labels.get(code, str(code)),
            MEANINGS.get(f"{scale}{code}", ""),
        )
        for code in choices.values
    ]


EXAMPLE = [_Assessed(Effect.HINDERS, Salience.HIGH), _Assessed(Effect.FAVOURS, Salience.LOW)]


def _worked_example() -> tuple[Overall, str]:
    example = overall_outlook(EXAMPLE)  # type: ignore[arg-type]
    assert example is not None  # two assessed issues always make an outlook
    effects, saliences = all_labels()[Scale.EFFECT], all_labels()[Scale.SALIENCE]
    terms = " and ".join(
        f"an issue that {effects[a.effect].lower()} the meeting ({signed(a.effect)}) "
        f"at salience {a.salience} ({saliences[a.salience].split(':')[0].lower()})"
        for a in EXAMPLE
    )
    return example, terms


def build_method_page() -> MethodPage:
    labels = all_labels()[Scale.LIKELIHOOD]
    example, terms = _worked_example()
    mapping = MAPPINGS[MAPPING_VERSION]
    return MethodPage(
        posture=_steps(Scale.POSTURE, Posture, signed_codes=True),
        effect=_steps(Scale.EFFECT, Effect, signed_codes=True),
        salience=_steps(Scale.SALIENCE, Salience, signed_codes=False),
        likelihood=[
            Chance(
                code,
                labels.get(code, str(code)),
                mapping[code],
                f"{mapping[code] * 100:.0f} %",
                RANGES[Likelihood(code)],
            )
            for code in Likelihood.values
        ],
        mapping_version=MAPPING_VERSION,
        chance_line=CHANCE,
        effect_min=signed(min(Effect.values)),
        effect_max=signed(max(Effect.values)),
        salience_min=min(Salience.values),
        salience_max=max(Salience.values),
        precisions=[(str(value), str(label)) for value, label in DatePrecision.choices],
        anchors=CHART_ANCHORS,
        example=example,
        example_terms=terms,
    )
