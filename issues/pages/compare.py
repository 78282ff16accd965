"""Compare, `/compare/?a=<slug>&b=<slug>`: two leaders or sides side by side, issue by issue.

Each of `a` and `b` is a leader's slug (`donald-trump`) or a side's country code (`US`); a
side stands for all its voices, named or not. Work is bounded: per party, one query for the
latest position on each issue and one for the counts.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from issues.models import Country, Issue, Leader, Position
from issues.models.publishing import Viewer


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
class ComparisonCell:
    party: Party
    latest: Position | None  # the party's latest current position on the issue
    count: int  # how many current positions of the party stand behind it


@dataclass(frozen=True)
class ComparisonRow:
    issue: Issue
    cells: list[ComparisonCell]  # a, then b


@dataclass(frozen=True)
class Comparison:
    a: Party
    b: Party
    rows: list[ComparisonRow]


def _latest_by_issue(party: Party, viewer: Viewer) -> tuple[dict[int, Position], dict[int, int]]:
    """The party's latest current position on each issue, and how many it has there, in
    one query."""
    positions: QuerySet[Position] = Position.objects.visible_to(viewer).current()
    if party.leader is not None:
        positions = positions.filter(leader=party.leader)
    else:
        positions = positions.filter(country=party.country)
    by_issue = [F("issue_id")]
    latest = (
        positions.select_related("issue", "country", "leader")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=by_issue, order_by=[F("stated_on").desc(), F("pk")]
            ),
            issue_total=Window(Count("pk"), partition_by=by_issue),
        )
        .filter(rank=1)
    )
    found: dict[int, Position] = {position.issue_id: position for position in latest}
    return found, {row.issue_id: row.issue_total for row in latest}


def compare_parties(a: Party, b: Party, viewer: Viewer) -> Comparison:
    """Issue by issue (in the issues' order), the latest current position of `a` and of `b`
    that the viewer may see; an issue is listed when either has a position on it."""
    a_latest, a_counts = _latest_by_issue(a, viewer)
    b_latest, b_counts = _latest_by_issue(b, viewer)
    issues = {p.issue_id: p.issue for p in [*a_latest.values(), *b_latest.values()]}
    rows = [
        ComparisonRow(
            issue,
            [
                ComparisonCell(a, a_latest.get(issue.pk), a_counts.get(issue.pk, 0)),
                ComparisonCell(b, b_latest.get(issue.pk), b_counts.get(issue.pk, 0)),
            ],
        )
        for issue in sorted(issues.values(), key=lambda issue: (issue.order, issue.title))
    ]
    return Comparison(a=a, b=b, rows=rows)


def compare_choices() -> tuple[QuerySet[Country], QuerySet[Leader]]:
    """Who can be compared: the sides of any issue or position, and every leader."""
    sides = Country.objects.filter(
        Q(pk__in=Issue.sides.through.objects.values("country"))
        | Q(pk__in=Position.objects.values("country"))
    )
    return sides, Leader.objects.select_related("country")


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

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        sides: Iterable[Country],
        leaders: Iterable[Leader],
    ) -> None:
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
        for field in self.fields.values():  # a and b
            if isinstance(field, forms.ChoiceField):
                field.choices = choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise ValidationError(
                "Choose two different leaders or sides: both are %(name)s.",
                params={"name": self.parties[cleaned["a"]].name},
            )
        return cleaned
