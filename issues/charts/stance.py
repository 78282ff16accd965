"""The stance matrix: who stands where on each issue."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from django.urls import reverse

from issues.dates import latest
from issues.labels import scale_label
from issues.models import (
    Country,
    Issue,
    Leader,
    Position,
    Scale,
)
from issues.templatetags.dossier import scale_class

from .text import signed

# Stance matrix: who stands where on each issue -------------------------------------------


@dataclass(frozen=True)
class StanceCell:
    issue: Issue
    latest: Position | None  # the latest current position of the row on the issue
    count: int  # how many current positions stand behind the cell
    # Positions whose dates the sources do not order against `latest` (their intervals
    # overlap): a tie is shown, never broken silently.
    tied: tuple[Position, ...] = ()

    @property
    def is_tie(self) -> bool:
        return bool(self.tied)

    @property
    def css(self) -> str:
        if self.is_tie and any(p.posture != self.latest.posture for p in self.tied):
            return "tie"
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
    hidden: int = 0  # rows left out to keep the matrix bounded (`max_rows`)


def latest_first(positions: Iterable[Position]) -> list[Position]:
    """The site's newest-first order: date stated, then the order they were recorded in."""
    return sorted(positions, key=newest_first_key)


def newest_first_key(position: Position) -> tuple[int, int, int]:
    """Newest first by the interval the date covers (its start, then its end), then the
    order the positions were recorded in."""
    stated = position.stated
    return (-stated.start.toordinal(), -stated.end.toordinal(), position.pk or 0)


@dataclass(frozen=True)
class _RowPlan:
    """A row before its cells are worked out: who it is and the positions behind it."""

    kind: Literal["side", "leader", "unattributed"]
    label: str
    country: Country
    leader: Leader | None
    positions: list[Position]
    first: bool  # a participant, or a participant's side: kept before any other row


def stance_matrix(
    issues: Sequence[Issue],
    positions: Iterable[Position],
    *,
    sides: Iterable[Country] = (),
    leaders: Iterable[Leader] = (),
    counts: Mapping[tuple[int, int, int | None], int] | None = None,
    max_rows: int | None = None,
) -> StanceMatrix:
    """Rows: each side (any of its voices), then its leaders (`leaders` first, such as the
    meeting's participants, then the others by name), then its unnamed voices ("Russian
    officials"); columns: `issues`. Each cell holds the latest of the row's current positions
    on the issue. `positions` must be current (not withdrawn) and carry their country and
    leader; `sides` and `leaders` add rows that have no position (yet); `leaders` must carry
    their country. When `positions` holds only the latest of each speaker (leader, or a
    side's unnamed voices) on each issue, `counts` gives how many positions each speaker
    has, keyed by (issue, country, leader), so a cell still says how many stand behind it.

    With `max_rows`, the matrix keeps at most that many rows: the rows of `leaders` and of
    their sides first, then the others in their order (the rows kept stay in the matrix's
    order); `hidden` says how many were left out. Cells are worked out for kept rows only,
    so the work is bounded by the rows shown, not by every voice on record."""
    plans = _row_plans(issues, latest_first(positions), sides, leaders)
    hidden = 0
    if max_rows is not None and len(plans) > max_rows:
        kept = sorted(sorted(enumerate(plans), key=lambda ip: (not ip[1].first, ip[0]))[:max_rows])
        hidden = len(plans) - len(kept)
        plans = [plan for _, plan in kept]

    def how_many(matched: list[Position]) -> int:
        """Positions behind a cell: those given, or each speaker's count when given only
        the latest few of each speaker."""
        if counts is None:
            return len(matched)
        speakers = {(p.issue_id, p.country_id, p.leader_id) for p in matched}
        return sum(counts.get(speaker, 1) for speaker in speakers)

    def cells(matched: list[Position]) -> list[StanceCell]:
        found: dict[int, list[Position]] = {}
        for position in matched:
            found.setdefault(position.issue_id, []).append(position)
        result = []
        for issue in issues:
            mine = found.get(issue.pk, [])
            contenders = latest(mine, lambda p: p.stated)
            first = contenders[0] if contenders else None
            result.append(StanceCell(issue, first, how_many(mine), tuple(contenders[1:])))
        return result

    browse = reverse("issues:browse")

    def url(plan: _RowPlan) -> str:  # where the row's positions are listed
        if plan.leader is not None:
            return plan.leader.get_absolute_url()
        return f"{browse}?side={plan.country.code}" if plan.kind == "side" else ""

    rows = [
        StanceRow(
            kind=plan.kind,
            label=plan.label,
            country=plan.country,
            leader=plan.leader,
            url=url(plan),
            cells=cells(plan.positions),
        )
        for plan in plans
    ]
    return StanceMatrix(issues=list(issues), rows=rows, hidden=hidden)


def _row_plans(
    issues: Sequence[Issue],
    positions: list[Position],
    sides: Iterable[Country],
    leaders: Iterable[Leader],
) -> list[_RowPlan]:
    """The matrix's rows in order, each with its positions (newest first)."""
    named = {leader.pk: leader for leader in leaders}
    participants = set(named)
    countries = {country.pk: country for country in sides}
    for leader in named.values():
        countries.setdefault(leader.country_id, leader.country)
    for position in positions:  # a leader speaks for their own country
        countries.setdefault(position.country_id, position.country)
    speakers = {p.leader_id: p.leader for p in positions if p.leader_id}
    for leader in sorted(speakers.values(), key=lambda leader: leader.name):
        named.setdefault(leader.pk, leader)
    their_sides = {named[pk].country_id for pk in participants}

    # Each row's positions, grouped once, so the work grows with the positions, not with
    # their product with the rows.
    by_side: dict[int, list[Position]] = {}
    by_leader: dict[int, list[Position]] = {}
    unnamed_by_side: dict[int, list[Position]] = {}
    for position in positions:
        by_side.setdefault(position.country_id, []).append(position)
        if position.leader_id:
            by_leader.setdefault(position.leader_id, []).append(position)
        else:
            unnamed_by_side.setdefault(position.country_id, []).append(position)

    shown = {issue.pk for issue in issues}
    plans = []
    for country in sorted(countries.values(), key=lambda c: c.name):
        plans.append(
            _RowPlan(
                kind="side",
                label=country.name,
                country=country,
                leader=None,
                positions=by_side.get(country.pk, []),
                first=country.pk in their_sides,
            )
        )
        for leader in named.values():
            if leader.country_id != country.pk:
                continue
            plans.append(
                _RowPlan(
                    kind="leader",
                    label=leader.name,
                    country=country,
                    leader=leader,
                    positions=by_leader.get(leader.pk, []),
                    first=leader.pk in participants,
                )
            )
        unnamed = unnamed_by_side.get(country.pk, [])
        if any(position.issue_id in shown for position in unnamed):
            plans.append(
                _RowPlan(
                    kind="unattributed",
                    label=f"Unnamed officials and others ({country.name})",
                    country=country,
                    leader=None,
                    positions=unnamed,
                    first=False,
                )
            )
    return plans
