"""Compare, `/compare/?a=<slug>&b=<slug>&meeting=<slug>`: two leaders or sides side by side,
issue by issue, over every dossier or the issues of one meeting.

Each of `a` and `b` is a leader's slug (`donald-trump`) or a side's country code (`US`); a
side stands for all its voices, named or not. Every row names the meetings its issue bears
on. Where a leader has no position on an issue, the row says so and names the other voices of
the leader's side that have one, rather than leaving a blank; and where two leaders share no
issue at all, the page suggests comparing their sides. Work is bounded whatever the archive
holds: per party, one query for the latest position on each issue with the counts; one for
the rows' meetings; one for the other voices of a leader's side.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from issues.models import Country, Issue, Leader, Meeting, Position
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
    other_voices: list[str] = field(default_factory=list)  # of a leader's side, when silent

    @property
    def side_name(self) -> str:
        return self.party.country.name


@dataclass(frozen=True)
class ComparisonRow:
    issue: Issue
    cells: list[ComparisonCell]  # a, then b
    meetings: list[Meeting] = field(default_factory=list)  # the meetings the issue bears on

    @property
    def both(self) -> bool:
        return all(cell.latest is not None for cell in self.cells)


@dataclass(frozen=True)
class Comparison:
    a: Party
    b: Party
    rows: list[ComparisonRow]
    meeting: Meeting | None = None  # the rows are that meeting's issues

    @property
    def shared(self) -> int:
        """How many issues both have a position on."""
        return sum(row.both for row in self.rows)

    @property
    def sides_instead(self) -> tuple[Party, Party] | None:
        """The two sides to compare instead, when a comparison with a leader in it shares no
        issue and the two parties stand for different sides."""
        if self.shared or (self.a.is_side and self.b.is_side):
            return None
        if self.a.country.pk == self.b.country.pk:
            return None
        a, b = (Party(p.country.code, p.country.name, p.country) for p in (self.a, self.b))
        return a, b


def _latest_by_issue(
    party: Party, viewer: Viewer, meeting: Meeting | None
) -> tuple[dict[int, Position], dict[int, int]]:
    """The party's latest current position on each issue (of `meeting`, if any), and how
    many it has there, in one query."""
    positions: QuerySet[Position] = Position.objects.visible_to(viewer).current()
    if meeting is not None:
        positions = positions.filter(issue__meetings=meeting)
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


def _meetings_of(issue_ids: Iterable[int]) -> dict[int, list[Meeting]]:
    """The meetings each issue bears on, in one query."""
    links = (
        Issue.meetings.through.objects.filter(issue_id__in=list(issue_ids))
        .select_related("meeting")
        .order_by("meeting__scheduled_on", "meeting__title")
    )
    by_issue: dict[int, list[Meeting]] = defaultdict(list)
    for link in links:
        by_issue[link.issue_id].append(link.meeting)
    return by_issue


def _other_voices(
    silent: dict[Party, set[int]], viewer: Viewer
) -> dict[tuple[Party, int], list[str]]:
    """For each leader and issue where the leader has no current position, the other voices
    of the leader's side that have one (named leaders, then unnamed officials by their
    attribution), in one query for both parties."""
    wanted = Q(pk__in=[])
    for party, issue_ids in silent.items():
        wanted |= Q(country=party.country, issue_id__in=issue_ids)
    speakers = (
        Position.objects.visible_to(viewer)
        .current()
        .filter(wanted)
        .values_list("issue_id", "country_id", "leader__name", "attribution")
        .distinct()
        .order_by("issue_id", "country_id", F("leader__name").asc(nulls_last=True), "attribution")
    )
    voices: dict[tuple[Party, int], list[str]] = defaultdict(list)
    for issue_id, country_id, leader_name, attribution in speakers:
        name = leader_name or attribution
        for party, issue_ids in silent.items():
            if party.country.pk == country_id and issue_id in issue_ids:
                shown = voices[(party, issue_id)]
                if name not in shown:
                    shown.append(name)
    return voices


def compare_parties(
    a: Party, b: Party, viewer: Viewer, meeting: Meeting | None = None
) -> Comparison:
    """Issue by issue (in the issues' order), the latest current position of `a` and of `b`
    that the viewer may see: over every dossier, an issue is listed when either has a
    position on it; over a meeting's issues, every issue of the meeting is. A leader's empty
    cell names the other voices of the leader's side on that issue."""
    a_latest, a_counts = _latest_by_issue(a, viewer, meeting)
    b_latest, b_counts = _latest_by_issue(b, viewer, meeting)
    issues = {p.issue_id: p.issue for p in [*a_latest.values(), *b_latest.values()]}
    if meeting is not None:  # every issue of the meeting, said or not
        issues |= {i.pk: i for i in Issue.objects.visible_to(viewer).filter(meetings=meeting)}
    silent = {
        party: {pk for pk in issues if pk not in latest}
        for party, latest in ((a, a_latest), (b, b_latest))
        if not party.is_side
    }
    silent = {party: ids for party, ids in silent.items() if ids}
    voices = _other_voices(silent, viewer) if silent else {}
    meetings = _meetings_of(issues) if issues else {}
    rows = [
        ComparisonRow(
            issue,
            [
                ComparisonCell(
                    party,
                    latest.get(issue.pk),
                    counts.get(issue.pk, 0),
                    voices.get((party, issue.pk), []),
                )
                for party, latest, counts in ((a, a_latest, a_counts), (b, b_latest, b_counts))
            ],
            meetings.get(issue.pk, []),
        )
        for issue in sorted(issues.values(), key=lambda issue: (issue.order, issue.title))
    ]
    return Comparison(a=a, b=b, rows=rows, meeting=meeting)


def compare_choices() -> tuple[QuerySet[Country], QuerySet[Leader], QuerySet[Meeting]]:
    """Who can be compared: the sides of any issue or position, and every leader; and the
    meetings that have issues, to compare over one meeting's issues."""
    sides = Country.objects.filter(
        Q(pk__in=Issue.sides.through.objects.values("country"))
        | Q(pk__in=Position.objects.values("country"))
    )
    meetings = Meeting.objects.filter(
        pk__in=Issue.meetings.through.objects.values("meeting")
    ).select_related("summit")
    return sides, Leader.objects.select_related("country"), meetings


UNKNOWN_MEETING = (
    "“%(value)s” is not a meeting with issues: choose one from the list, or every meeting."
)
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

    meeting = forms.ChoiceField(
        label="Issues of",
        required=False,
        error_messages={"invalid_choice": UNKNOWN_MEETING},
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        sides: Iterable[Country],
        leaders: Iterable[Leader],
        meetings: Iterable[Meeting] = (),
    ) -> None:
        super().__init__(data)
        self.meetings = {meeting.slug: meeting for meeting in meetings}
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
        for name in ("a", "b"):
            party_field = self.fields[name]
            if isinstance(party_field, forms.ChoiceField):
                party_field.choices = choices
        meeting_field = self.fields["meeting"]
        if isinstance(meeting_field, forms.ChoiceField):
            meeting_field.choices = [
                ("", "Every meeting"),
                *((m.slug, f"{m.title} ({m.summit.name})") for m in self.meetings.values()),
            ]

    @property
    def chosen_meeting(self) -> Meeting | None:
        return self.meetings.get(self.cleaned_data.get("meeting") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise ValidationError(
                "Choose two different leaders or sides: both are %(name)s.",
                params={"name": self.parties[cleaned["a"]].name},
            )
        return cleaned
