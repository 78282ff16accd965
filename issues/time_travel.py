"""Time travel: an issue page or a meeting page as it stood at the end of a past day (UTC).

Why: researchers cite what a dossier said on a given day and readers follow links shared
then, so `?as_of=YYYY-MM-DD` shows the page as it was, not as it is. Every dossier record
keeps its revisions (django-simple-history, see `issues.history`): the state at a moment is,
for each record, its latest revision before that moment, with the links of that revision's
many-to-many snapshot (an assessment's cited sources, an issue's topics and meetings, an
event's issues and meetings, a meeting's participants).

How: each kind of record is read from its historical table in one query (the latest
revision of each record, found with simple-history's `latest_of_each`), so that a page's
query count does not grow with its content; simple-history's own `as_of()` would build
each record with one more query for its excluded fields. Historical rows are turned into
model instances (`as_record`) that templates and charts take exactly as live records.

Who sees what: readers see what was published then. A record counts when its latest
revision up to the moment is published; a later publication does not reach back, and an
issue that was a draft then is not found. Editors also see what was a draft then. Records
without revisions are shown as they are now: sources, countries, an issue's sides.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, Subquery

from .models import (
    Event,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scenario,
    Source,
    Topic,
    can_see_drafts,
)

DAY_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
EXAMPLE = "2018-11-26"
QUOTED_LENGTH = 30  # characters of a rejected value quoted back to the reader
PUBLISHED = PublicationStatus.PUBLISHED


class AsOfError(ValueError):
    """A day that cannot be shown. The message is written for the reader."""


class NotPublishedThen(LookupError):
    """The record was not published on that day: readers get a 404, as for a draft today."""


def long_date(day: date | datetime) -> str:
    """26 November 2018."""
    return f"{day.day} {day:%B %Y}"


def _quoted(value: str) -> str:
    shown = value if len(value) <= QUOTED_LENGTH else value[: QUOTED_LENGTH - 1] + "…"
    return f"“{shown}”"


def parse_day(value: str, *, today: date) -> date:
    """The day of an `as_of` parameter; `AsOfError` when it is not a date, or in the future."""
    if not DAY_FORMAT.fullmatch(value):
        raise AsOfError(f"{_quoted(value)} is not a date: give one as YYYY-MM-DD, e.g. {EXAMPLE}.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise AsOfError(
            f"{_quoted(value)} is not a day of the calendar: give one as YYYY-MM-DD, "
            f"e.g. {EXAMPLE}."
        ) from None
    if day > today:
        raise AsOfError(
            f"{long_date(day)} is in the future: a page can be shown as it stood on a past "
            "day or today."
        )
    return day


def end_of_day(day: date) -> datetime:
    """The moment a day ends in UTC; revisions strictly before it belong to the day's state."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def today_utc() -> date:
    return datetime.now(UTC).date()


# Reading the historical tables ------------------------------------------------------------


def latest_revisions(history: models.QuerySet, moment: datetime) -> models.QuerySet:
    """The latest revision before `moment` of each record in `history`, deletions left out.

    Filter `history` only on what never changes (the record's id); filter the result on
    anything else (status, issue), or an older revision could stand in for a newer one.
    """
    return history.filter(history_date__lt=moment).latest_of_each().exclude(history_type="-")


def _one_each(rows: Iterable[models.Model]) -> list[models.Model]:
    """One revision per record, should two share the same instant: the one written last."""
    chosen: dict[int, models.Model] = {}
    for row in rows:
        kept = chosen.get(row.id)
        if kept is None or (row.history_date, row.history_id) > (
            kept.history_date,
            kept.history_id,
        ):
            chosen[row.id] = row
    return list(chosen.values())


def as_record[M: models.Model](row: models.Model) -> M:
    """A historical row as an instance of its model: the fields the revision holds, the
    related records it was read with, and `revised_at`, the time of the revision."""
    model = row.instance_type
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    names = [f.attname for f in fields]
    record = model.from_db(row._state.db, names, [getattr(row, name) for name in names])
    for field in fields:
        if field.is_relation:
            historical = row._meta.get_field(field.name)
            if historical.is_cached(row):
                field.set_cached_value(record, historical.get_cached_value(row))
    record.revised_at = row.history_date
    return record


def snapshot_model(model: type[models.Model], field_name: str) -> type[models.Model]:
    """The table of a many-to-many field's snapshots, one set of rows per revision."""
    through = model._meta.get_field(field_name).remote_field.through
    return apps.get_model(through._meta.app_label, f"Historical{through.__name__}")


def _linked(
    model: type[models.Model],
    field_name: str,
    target: str,
    rows: Iterable[models.Model],
    *,
    with_related: tuple[str, ...] = (),
) -> dict[int, list[models.Model]]:
    """For each revision (by history id), the records its snapshot of `field_name` links."""
    by_revision: dict[int, list[models.Model]] = {row.history_id: [] for row in rows}
    snapshots = (
        snapshot_model(model, field_name)
        .objects.filter(history_id__in=list(by_revision))
        .select_related(target, *with_related)
        .order_by("id")
    )
    for snapshot in snapshots:
        by_revision[snapshot.history_id].append(getattr(snapshot, target))
    return by_revision


def _attach_citations(
    records: list[models.Model], rows: list[models.Model], model: type[models.Model]
) -> None:
    """Give each record `cited`: (source, locator) pairs as its revision cited them."""
    by_revision: dict[int, list[tuple[Source, str]]] = {row.history_id: [] for row in rows}
    snapshots = (
        snapshot_model(model, "sources")
        .objects.filter(history_id__in=list(by_revision))
        .select_related("source")
        .order_by("id")
    )
    for snapshot in snapshots:
        by_revision[snapshot.history_id].append((snapshot.source, snapshot.locator))
    for record, row in zip(records, rows, strict=True):
        record.cited = by_revision[row.history_id]


def _first_recorded(history: models.QuerySet) -> datetime | None:
    return history.order_by("history_date").values_list("history_date", flat=True).first()


def _record_as_of(history: models.QuerySet, moment: datetime, what: str) -> models.Model:
    """The latest revision of one record before `moment`; `AsOfError` if there is none."""
    rows = _one_each(latest_revisions(history, moment))
    if rows:
        return rows[0]
    first = _first_recorded(history)
    if first is None:
        raise AsOfError(f"{what} has no recorded history to go back to.")
    raise AsOfError(
        f"{what} was first recorded on {long_date(first)}: choose that day or a later one."
    )


# The records of a page -------------------------------------------------------------------


def positions_as_of(
    issues: dict[int, Issue], moment: datetime, *, include_drafts: bool
) -> list[Position]:
    """The positions on `issues` that stood (not withdrawn) at `moment`, newest first."""
    rows = latest_revisions(Position.history.all(), moment).filter(
        issue_id__in=list(issues), withdrawn_at__isnull=True
    )
    if not include_drafts:
        rows = rows.filter(status=PUBLISHED)
    rows = rows.select_related("country", "leader", "source")
    positions = [as_record(row) for row in _one_each(rows)]
    for position in positions:
        position.issue = issues[position.issue_id]
    return sorted(positions, key=lambda p: (-p.stated_on.toordinal(), p.pk))


def assessments_as_of(
    issues: dict[int, Issue],
    moment: datetime,
    *,
    include_drafts: bool,
    meeting: Meeting | None = None,
) -> list[OutlookAssessment]:
    """The outlook assessments of `issues` (for one meeting, if given) at `moment`, each with
    the sources its revision cited (`cited`)."""
    rows = latest_revisions(OutlookAssessment.history.all(), moment).filter(
        issue_id__in=list(issues)
    )
    if meeting is not None:
        rows = rows.filter(meeting_id=meeting.pk)
    if not include_drafts:
        rows = rows.filter(status=PUBLISHED)
    rows = sorted(
        _one_each(rows.select_related("meeting")),
        key=lambda r: (r.meeting_id, issues[r.issue_id].order, issues[r.issue_id].title),
    )
    assessments = [as_record(row) for row in rows]
    for assessment in assessments:
        assessment.issue = issues[assessment.issue_id]
        if meeting is not None:
            assessment.meeting = meeting
    _attach_citations(assessments, rows, OutlookAssessment)
    return assessments


def _published_issue_ids(ids: set[int], moment: datetime) -> set[int]:
    rows = latest_revisions(Issue.history.filter(id__in=ids), moment).filter(status=PUBLISHED)
    return set(rows.values_list("id", flat=True))


def events_as_of(
    moment: datetime,
    *,
    include_drafts: bool,
    issue: Issue | None = None,
    meeting: Meeting | None = None,
) -> list[Event]:
    """The events linked then to `issue` (or to `meeting`), in date order, with `cited`.
    Readers see an event published then and tied to no issue or to one published then."""
    rows = latest_revisions(Event.history.all(), moment)
    if issue is not None:
        rows = rows.filter(historicalevent_issues__issue_id=issue.pk)
    if meeting is not None:
        rows = rows.filter(historicalevent_meetings__meeting_id=meeting.pk)
    if not include_drafts:
        rows = rows.filter(status=PUBLISHED)
    rows = _one_each(rows)
    if not include_drafts and issue is None:
        links: dict[int, set[int]] = {row.history_id: set() for row in rows}
        snapshots = snapshot_model(Event, "issues").objects.filter(history_id__in=list(links))
        for history_id, issue_id in snapshots.values_list("history_id", "issue_id"):
            links[history_id].add(issue_id)
        published = _published_issue_ids(set().union(*links.values()), moment)
        rows = [
            row for row in rows if not links[row.history_id] or links[row.history_id] & published
        ]
    rows.sort(key=lambda row: (row.occurred_on, row.title))
    events = [as_record(row) for row in rows]
    _attach_citations(events, rows, Event)
    return events


# An issue page ---------------------------------------------------------------------------


@dataclass
class IssueState:
    """What an issue page shows, as it stood at `moment`."""

    issue: Issue
    topics: list[Topic]
    meetings: list[Meeting]
    positions: list[Position]
    assessments: list[OutlookAssessment]
    events: list[Event]
    moment: datetime

    @property
    def last_changed(self) -> datetime:
        records = [self.issue, *self.positions, *self.assessments, *self.events]
        return max(record.revised_at for record in records)


def issue_as_of(issue: Issue, day: date, *, user) -> IssueState:
    """The issue page's records at the end of `day`.

    Raises `AsOfError` before the issue's first revision and `NotPublishedThen` when a
    reader asks for a day on which the issue was a draft."""
    moment = end_of_day(day)
    include_drafts = can_see_drafts(user)
    row = _record_as_of(Issue.history.filter(id=issue.pk), moment, f"The dossier “{issue.title}”")
    if not include_drafts and row.status != PUBLISHED:
        raise NotPublishedThen(issue)
    then = as_record(row)
    then.slug = issue.slug  # addresses are today's
    topics = _linked(Issue, "topics", "topic", [row])[row.history_id]
    meetings = _linked(Issue, "meetings", "meeting", [row], with_related=("meeting__summit",))[
        row.history_id
    ]
    by_id = {then.pk: then}
    return IssueState(
        issue=then,
        topics=sorted(topics, key=lambda topic: topic.name),
        meetings=meetings,
        positions=positions_as_of(by_id, moment, include_drafts=include_drafts),
        assessments=assessments_as_of(by_id, moment, include_drafts=include_drafts),
        events=events_as_of(moment, include_drafts=include_drafts, issue=then),
        moment=moment,
    )


# A meeting page --------------------------------------------------------------------------


@dataclass
class MeetingState:
    """What a meeting page shows, as it stood at `moment` (None: as it is now)."""

    meeting: Meeting
    participants: list[Leader]
    issues: list[Issue]
    assessments: list[OutlookAssessment]
    scenarios: list[Scenario]
    positions: list[Position]
    events: list[Event]
    moment: datetime | None


def _issues_of_meeting(meeting: Meeting, moment: datetime, *, include_drafts: bool) -> list[Issue]:
    """The issues linked to the meeting then, with today's addresses (slugs): a link from
    the past leads to the issue's page as it is now."""
    rows = (
        latest_revisions(Issue.history.all(), moment)
        .filter(historicalissue_meetings__meeting_id=meeting.pk)
        .annotate(slug_now=Subquery(Issue.objects.filter(pk=OuterRef("id")).values("slug")))
    )
    if not include_drafts:
        rows = rows.filter(status=PUBLISHED)
    issues = []
    for row in _one_each(rows):
        issue = as_record(row)
        issue.slug = row.slug_now or issue.slug
        issues.append(issue)
    return sorted(issues, key=lambda issue: (issue.order, issue.title))


def _scenarios_of_meeting(
    meeting: Meeting, moment: datetime, *, include_drafts: bool
) -> list[Scenario]:
    rows = latest_revisions(Scenario.history.all(), moment).filter(meeting_id=meeting.pk)
    if not include_drafts:
        rows = rows.filter(status=PUBLISHED)
    scenarios = [as_record(row) for row in _one_each(rows)]
    for scenario in scenarios:
        scenario.meeting = meeting
    return sorted(scenarios, key=lambda scenario: (scenario.order, scenario.pk))


def meeting_as_of(meeting: Meeting, day: date, *, user) -> MeetingState:
    """The meeting page's records at the end of `day`: the meeting, its participants, the
    issues that bore on it then, their assessments, the scenarios, positions and events.
    Raises `AsOfError` before the meeting's first revision."""
    moment = end_of_day(day)
    include_drafts = can_see_drafts(user)
    row = _record_as_of(
        Meeting.history.filter(id=meeting.pk).select_related("summit__host_country"),
        moment,
        f"The meeting “{meeting.title}”",
    )
    then = as_record(row)
    then.slug = meeting.slug  # addresses are today's
    participants = _linked(
        Meeting, "participants", "leader", [row], with_related=("leader__country",)
    )[row.history_id]
    issues = _issues_of_meeting(then, moment, include_drafts=include_drafts)
    by_id = {issue.pk: issue for issue in issues}
    return MeetingState(
        meeting=then,
        participants=sorted(participants, key=lambda leader: leader.name),
        issues=issues,
        assessments=assessments_as_of(by_id, moment, include_drafts=include_drafts, meeting=then),
        scenarios=_scenarios_of_meeting(then, moment, include_drafts=include_drafts),
        positions=positions_as_of(by_id, moment, include_drafts=include_drafts),
        events=events_as_of(moment, include_drafts=include_drafts, meeting=then),
        moment=moment,
    )
