"""Compare, `/compare/?a=<slug>&b=<slug>`: two leaders or sides side by side, issue by issue.

Each of `a` and `b` is a leader's slug (`donald-trump`) or a side's country code (`US`); a
side stands for all its voices, named or not.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from issues import selectors
from issues.charts import latest_first
from issues.models import Country, Issue, Leader, Position


@dataclass(frozen=True)
class Party:
    """One column of the comparison: a leader, or a side (all its voices)."""

    key: str  # as in the address: a leader's slug or a country code
    name: str
    country: Country
    leader: Leader | None = None

    @property
    def is_side(self) -> bool:
        return self.leader is None


@dataclass(frozen=True)
class ComparisonRow:
    issue: Issue
    columns: list[tuple[Party, list[Position]]]  # a, then b; each party's positions newest first


@dataclass(frozen=True)
class Comparison:
    a: Party
    b: Party
    rows: list[ComparisonRow]


def compare_parties(a: Party, b: Party, user) -> Comparison:
    """Issue by issue (in the issues' order), the current positions of `a` and of `b` that
    `user` may see; an issue is listed when either has a position on it."""

    def positions_of(party: Party) -> dict[int, list[Position]]:
        found: dict[int, list[Position]] = {}
        for position in selectors.compare_positions(
            user, leader=party.leader, country=party.country
        ):
            found.setdefault(position.issue_id, []).append(position)
        return found

    a_positions, b_positions = positions_of(a), positions_of(b)
    issues = {
        position.issue_id: position.issue
        for positions in [*a_positions.values(), *b_positions.values()]
        for position in positions
    }
    rows = [
        ComparisonRow(
            issue,
            [
                (a, latest_first(a_positions.get(issue.pk, []))),
                (b, latest_first(b_positions.get(issue.pk, []))),
            ],
        )
        for issue in sorted(issues.values(), key=lambda issue: (issue.order, issue.title))
    ]
    return Comparison(a=a, b=b, rows=rows)


UNKNOWN = (
    "“%(value)s” is neither a leader nor a side. Use a leader’s slug (such as donald-trump) "
    "or a side’s country code (such as US), or choose from the list."
)


class CompareForm(forms.Form):
    """The two to compare, chosen from the sides and the leaders; kept in the query string."""

    a = forms.ChoiceField(
        label="First leader or side",
        error_messages={
            "required": "Choose the first leader or side (a).",
            "invalid_choice": UNKNOWN,
        },
    )
    b = forms.ChoiceField(
        label="Second leader or side",
        error_messages={
            "required": "Choose the second leader or side (b).",
            "invalid_choice": UNKNOWN,
        },
    )

    def __init__(self, data=None, *, sides: Iterable[Country], leaders: Iterable[Leader]) -> None:
        super().__init__(data)
        self.parties: dict[str, Party] = {}
        for country in sides:
            self.parties[country.code] = Party(country.code, country.name, country)
        for leader in leaders:
            self.parties[leader.slug] = Party(leader.slug, leader.name, leader.country, leader)
        choices = [
            ("", "Choose a leader or a side"),
            (
                "Sides (all their voices)",
                [(p.key, p.name) for p in self.parties.values() if p.is_side],
            ),
            (
                "Leaders",
                [
                    (p.key, f"{p.name} ({p.country.name})")
                    for p in self.parties.values()
                    if not p.is_side
                ],
            ),
        ]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise ValidationError(
                "Choose two different leaders or sides: both are %(name)s.",
                params={"name": self.parties[cleaned["a"]].name},
            )
        return cleaned


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    sides, leaders = selectors.compare_choices()
    asked = "a" in request.GET or "b" in request.GET
    form = CompareForm(request.GET if asked else None, sides=sides, leaders=leaders)
    comparison = None
    if asked and form.is_valid():
        comparison = compare_parties(
            form.parties[form.cleaned_data["a"]],
            form.parties[form.cleaned_data["b"]],
            request.user,
        )
    example = [p for p in form.parties.values() if p.is_side][:2]
    return render(
        request,
        "issues/compare.html",
        {"form": form, "comparison": comparison, "example": example if len(example) == 2 else []},
        status=400 if asked and comparison is None else 200,
    )
