"""The overall outlook: the salience-weighted mean of the issues' effects."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from issues.labels import scale_label
from issues.models import (
    OutlookAssessment,
    Scale,
)

from .text import signed

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
