""" "What changed" on the issue and meeting pages: each outlook's effect and salience since a
day the reader picks (`?since=YYYY-MM-DD`), and how many positions were added or withdrawn,
with arrows that say which way the outlook moved, as CrisisWatch says "deteriorated" and
"improved".

What a reader is shown is what was published: both ends of the comparison are the published
state (a record counts when its latest revision up to that moment is published, as on an
`?as_of=` page), for editors too, so a draft never shows through. The start is the end of
the `since` day (UTC); the end is now, or the end of the page's `as_of` day.

Bounded whatever the history holds: one query, the union of the outlooks' revisions (at
most two of each assessment: its latest before each end) and one row of the positions added
and withdrawn, counted in the database.

When the reader picks no day, the window is the `DEFAULT_WINDOW_DAYS` before the day of the
page's latest change: an archived dossier still reads as its last month of change rather
than "nothing changed", and the default does not move with the clock.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value

from issues import time_travel
from issues.charts.text import signed
from issues.labels import scale_label
from issues.models import Issue, Meeting, OutlookAssessment, Position, Scale
from issues.models.publishing import History
from issues.time_travel import AsOfError, history_of, long_date

DEFAULT_WINDOW_DAYS = 30
PUBLISHED = time_travel.PUBLISHED

IMPROVED = "improved"
DETERIORATED = "deteriorated"
UNCHANGED = "unchanged"  # the effect held (the salience moved)
NEW = "new"  # first published in the window
REMOVED = "removed"  # no longer published
ARROWS = {IMPROVED: "▲", DETERIORATED: "▼", UNCHANGED: "▶", NEW: "+", REMOVED: "−"}


class SinceError(AsOfError):
    """A `since` day that cannot be used. The message is written for the reader."""


def parse_since(value: str, *, until: date) -> date:
    """The day of a `since` parameter: a day before `until` (the page's day, or today)."""
    try:
        day = time_travel.parse_day(value, today=date.max)  # the format; the range below
    except AsOfError as error:
        raise SinceError(str(error)) from None
    if day >= until:
        raise SinceError(
            f"Changes are shown since a day before {long_date(until)}, the day the page "
            f"shows: {long_date(day)} is not; choose {long_date(until - timedelta(days=1))} "
            "or earlier."
        )
    return day


def default_since(last_change: datetime | None, until: date) -> date:
    """`DEFAULT_WINDOW_DAYS` before the day of the page's latest change (or of `until`)."""
    anchor = min(last_change.astimezone(UTC).date(), until) if last_change else until
    return anchor - timedelta(days=DEFAULT_WINDOW_DAYS)


def _salience(code: int | None) -> str:
    """A salience in a word: its label up to the colon ("High: certain to be raised")."""
    return scale_label(Scale.SALIENCE, code).split(":")[0].lower()


@dataclass(frozen=True)
class OutlookChange:
    """How one issue's outlook for one meeting moved: None where it was not published."""

    issue: Issue
    meeting: Meeting
    effect_before: int | None
    effect_after: int | None
    salience_before: int | None
    salience_after: int | None

    @property
    def direction(self) -> str:
        """Improved (the effect favours the meeting more), deteriorated, or unchanged; or an
        outlook first published (new) or no longer published (removed) in the window."""
        before, after = self.effect_before, self.effect_after
        if before is None:
            return NEW
        if after is None:
            return REMOVED
        if before == after:
            return UNCHANGED
        return IMPROVED if after > before else DETERIORATED

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    @property
    def effect_moved(self) -> bool:
        """The effect went up or down (not: first assessed, or no longer)."""
        return self.direction in (IMPROVED, DETERIORATED)

    @property
    def words(self) -> str:
        """ "effect −1 → −2 (deteriorated)", "first assessed: effect −1", "salience 2 → 3"."""
        if self.effect_before is None and self.effect_after is not None:
            return f"first assessed, effect {signed(self.effect_after)}"
        if self.effect_after is None and self.effect_before is not None:
            return f"no longer assessed (effect was {signed(self.effect_before)})"
        parts = []
        if self.effect_moved:
            parts.append(
                f"effect {signed(self.effect_before or 0)} → {signed(self.effect_after or 0)}"
                f" ({self.direction})"
            )
        if self.salience_before != self.salience_after:
            parts.append(
                f"salience {_salience(self.salience_before)} → {_salience(self.salience_after)}"
            )
        return ", ".join(parts)

    @property
    def effect_words(self) -> str:
        """For a board's row: "deteriorated since 1 November 2018: −1 → −2"."""
        return (
            f"{self.direction}: {signed(self.effect_before or 0)} → "
            f"{signed(self.effect_after or 0)}"
        )


@dataclass(frozen=True)
class WhatChanged:
    since: date
    chosen: bool  # the reader picked the day; else the default window
    until: date | None  # the page's `as_of` day; None: now
    outlooks: list[OutlookChange]  # only those that changed, in the page's order
    new_positions: int
    withdrawn_positions: int

    window_days = DEFAULT_WINDOW_DAYS

    @property
    def latest_choice(self) -> date:
        """The latest day the form accepts: the day before the page's."""
        return (self.until or time_travel.today_utc()) - timedelta(days=1)

    @property
    def since_label(self) -> str:
        return long_date(self.since)

    @property
    def nothing(self) -> bool:
        return not (self.outlooks or self.new_positions or self.withdrawn_positions)

    @property
    def positions_words(self) -> str:
        parts = []
        if self.new_positions:
            parts.append(
                f"{self.new_positions} new position{'s' if self.new_positions > 1 else ''}"
            )
        if self.withdrawn_positions:
            count = self.withdrawn_positions
            parts.append(f"{count} position{'s' if count > 1 else ''} withdrawn")
        return ", ".join(parts)

    def for_issue(self, issue_id: int) -> OutlookChange | None:
        """The change of an issue's outlook (for a meeting's board), if its effect moved."""
        return next((o for o in self.outlooks if o.issue.pk == issue_id and o.effect_moved), None)

    @cached_property
    def by_issue(self) -> dict[int, OutlookChange]:
        return {o.issue.pk: o for o in self.outlooks if o.effect_moved}


def _latest_before(history: History, moment: datetime | None) -> Subquery:
    """The history id of each record's latest revision before `moment` (None: of all), a
    scalar subquery on the outer revision's record id."""
    rows = history.filter(id=OuterRef("id"))
    if moment is not None:
        rows = rows.filter(history_date__lt=moment)
    return Subquery(rows.order_by("-history_date", "-history_id").values("history_id")[:1])


def _shown(row: "_OutlookRevision") -> bool:
    """A revision a reader would have seen: published, not a deletion."""
    return row.history_type != "-" and row.status == PUBLISHED


@dataclass(frozen=True)
class _OutlookRevision:
    """The columns of an assessment's revision that "What changed" reads."""

    id: int
    history_id: int
    before_id: int | None
    after_id: int | None
    issue_id: int
    meeting_id: int
    effect: int
    salience: int
    status: str
    history_type: str


OUTLOOK_ROW, COUNT_ROW = 0, 1
_COLUMNS = [f.name for f in _OutlookRevision.__dataclass_fields__.values()]
TEXT = {"status", "history_type"}  # the columns of text; the others are numbers


def _outlook_rows(
    issue_ids: list[int], meeting_ids: list[int], start: datetime, end: datetime | None
) -> Any:
    """The latest revision of each of the page's assessments before `start` and before
    `end`: at most two rows an assessment, as `_COLUMNS` after a leading `OUTLOOK_ROW`."""
    every = history_of(OutlookAssessment)
    ids = every.filter(issue_id__in=issue_ids, meeting_id__in=meeting_ids).values("id")
    return (
        every.filter(id__in=ids)
        .annotate(before_id=_latest_before(every, start), after_id=_latest_before(every, end))
        .filter(Q(history_id=F("before_id")) | Q(history_id=F("after_id")))
        .annotate(row_kind=Value(OUTLOOK_ROW, IntegerField()))
        .order_by()
        .values_list("row_kind", *_COLUMNS)
    )


def _position_count_row(issue_ids: list[int], start: datetime, end: datetime | None) -> Any:
    """One row: how many positions readers saw at `end` and not at `start` (new), and at
    `start` and not at `end` (withdrawn, or unpublished), counted in the database; laid out
    like `_outlook_rows` (a leading `COUNT_ROW`, the two counts, then empty columns)."""
    every = history_of(Position)
    latest = every.filter(issue_id__in=issue_ids)
    if end is not None:
        latest = latest.filter(history_date__lt=end)
    visible = Q(status=PUBLISHED, withdrawn_at__isnull=True) & ~Q(history_type="-")
    seen_then = Exists(
        every.filter(visible, history_id=OuterRef("before_id"), issue_id=OuterRef("issue_id"))
    )
    empty = {
        f"empty_{name}": Value(None, output_field=CharField() if name in TEXT else IntegerField())
        for name in _COLUMNS[2:]
    }
    return (
        latest.annotate(
            before_id=_latest_before(every, start),
            after_id=_latest_before(every, end),
            seen_then=seen_then,
        )
        .filter(history_id=F("after_id"))
        .annotate(row_kind=Value(COUNT_ROW, IntegerField()), **empty)
        .order_by()
        .values("row_kind", *empty)
        .annotate(
            new=Count("history_id", filter=visible & Q(seen_then=False)),
            withdrawn=Count("history_id", filter=~visible & Q(seen_then=True)),
        )
        .values_list("row_kind", "new", "withdrawn", *empty)
    )


def _outlooks_and_counts(
    issues: dict[int, Issue],
    meetings: dict[int, Meeting],
    start: datetime,
    end: datetime | None,
) -> tuple[list[OutlookChange], int, int]:
    """One query, whatever the history holds: the outlooks' revisions then and now, and the
    positions added and withdrawn, as one union."""
    counts = _position_count_row(list(issues), start, end)
    query = (
        _outlook_rows(list(issues), list(meetings), start, end).union(counts, all=True).order_by()
        if meetings
        else counts
    )
    before: dict[int, _OutlookRevision] = {}
    after: dict[int, _OutlookRevision] = {}
    new = withdrawn = 0
    for kind, *values in query:
        if kind == COUNT_ROW:
            new, withdrawn = values[0] or 0, values[1] or 0
            continue
        row = _OutlookRevision(*values)
        if row.history_id == row.before_id:
            before[row.id] = row
        if row.history_id == row.after_id:
            after[row.id] = row
    return _outlook_changes(issues, meetings, before, after), new, withdrawn


def _outlook_changes(
    issues: dict[int, Issue],
    meetings: dict[int, Meeting],
    before: dict[int, _OutlookRevision],
    after: dict[int, _OutlookRevision],
) -> list[OutlookChange]:
    """How each assessment moved between its revision before the start and before the end."""
    changes = []
    for pk in before.keys() | after.keys():
        then = before[pk] if pk in before and _shown(before[pk]) else None
        now = after[pk] if pk in after and _shown(after[pk]) else None
        row = now or then
        if row is None or row.issue_id not in issues or row.meeting_id not in meetings:
            continue
        change = OutlookChange(
            issue=issues[row.issue_id],
            meeting=meetings[row.meeting_id],
            effect_before=then.effect if then else None,
            effect_after=now.effect if now else None,
            salience_before=then.salience if then else None,
            salience_after=now.salience if now else None,
        )
        if change.words:
            changes.append(change)
    return sorted(changes, key=lambda c: (c.meeting.pk, c.issue.order, c.issue.title, c.issue.pk))


def what_changed(
    issues: list[Issue],
    meetings: list[Meeting],
    *,
    since: date | None,
    until: date | None,
    last_change: datetime | None,
) -> WhatChanged:
    """What changed in the published outlooks of `issues` for `meetings`, and in their
    positions, between the end of `since` (None: the default window before `last_change`)
    and now (or the end of `until`). Unpublished issues are left out, for editors too."""
    chosen = since is not None
    if since is None:
        since = default_since(last_change, until or time_travel.today_utc())
    issues = [issue for issue in issues if issue.is_published]
    start = time_travel.end_of_day(since)
    end = time_travel.end_of_day(until) if until else None
    by_id = {issue.pk: issue for issue in issues}
    if not by_id:
        return WhatChanged(since, chosen, until, [], 0, 0)
    outlooks, new, withdrawn = _outlooks_and_counts(by_id, {m.pk: m for m in meetings}, start, end)
    return WhatChanged(since, chosen, until, outlooks, new, withdrawn)
