"""The timeline: events, positions and the meeting's recorded outcome, by period."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from issues.dates import FuzzyDate, fuzzy
from issues.models import (
    DatePrecision,
    Event,
    Issue,
    Position,
    Source,
)
from issues.outcome_board import RecordedOutcome

if TYPE_CHECKING:
    from issues.pages.citations import Cite

# Timeline: events and positions by period ------------------------------------------------


DATETIME_LENGTH = {
    DatePrecision.DAY: 10,
    DatePrecision.MONTH: 7,
    DatePrecision.YEAR: 4,
    DatePrecision.PERIOD: 7,
}


@dataclass(frozen=True)
class TimelineItem:
    kind: Literal["event", "position", "outcome"]
    on: date
    precision: str
    title: str
    text: str
    anchor: str  # the item's id on the page
    url: str  # where it is told in full, or ""
    issue: Issue | None = None
    posture: int | None = None
    when: FuzzyDate | None = None  # the date as its source gives it
    source: Source | None = None  # what an outcome is recorded from
    locator: str = ""
    # What the item rests on (source, locator), in the order cited: an event's citations, a
    # position's source, the outcome's record; a page that lists its sources numbers them
    # into `cites`.
    cited: tuple[tuple[Source, str], ...] = ()
    cites: tuple["Cite", ...] = ()

    @property
    def datetime(self) -> str:
        """The date in a `<time datetime>`, only as precise as its source."""
        if self.when is not None:
            return self.when.datetime
        return self.on.isoformat()[: DATETIME_LENGTH[self.precision]]

    @property
    def shown(self) -> FuzzyDate:
        return self.when or fuzzy(self.on, None, self.precision)


@dataclass
class TimelinePeriod:
    """The items of one month, or of one year when the sources give only the year."""

    on: date
    precision: str
    items: list[TimelineItem] = field(default_factory=list)

    @property
    def datetime(self) -> str:
        return self.on.isoformat()[: DATETIME_LENGTH[self.precision]]


def timeline(
    events: Iterable[Event],
    positions: Iterable[Position],
    *,
    outcome: RecordedOutcome | None = None,
    meeting_dates: FuzzyDate | None = None,
    event_sources: Mapping[int, list[tuple[Source, str]]] | None = None,
) -> list[TimelinePeriod]:
    """Events and positions in date order, grouped by month (or by year for items dated only
    to the year). Positions must carry their issue, country and leader. With `outcome`
    (what was recorded of a meeting, as the viewer may see it) and the meeting's dates, the
    outcome is an item at those dates, after the events and positions of the same days.
    `event_sources` (event id: its cited sources and locators) lets events carry what they
    cite, as positions and the outcome do."""
    event_sources = event_sources or {}
    items = [
        TimelineItem(
            kind="event",
            on=event.occurred_on,
            precision=event.occurred_on_precision,
            when=event.occurred,
            title=event.title,
            text=event.description,
            anchor=f"timeline-event-{event.pk}",
            url="",
            cited=tuple(event_sources.get(event.pk, ())),
        )
        for event in events
    ]
    items += [
        TimelineItem(
            kind="position",
            on=position.stated_on,
            precision=position.stated_on_precision,
            when=position.stated,
            title=f"{position.speaker} ({position.country.name})",
            text=position.summary,
            anchor=f"timeline-position-{position.pk}",
            url=position.get_absolute_url(),
            issue=position.issue,
            posture=position.posture,
            cited=((position.source, position.locator),),
        )
        for position in positions
    ]
    if outcome is not None and meeting_dates is not None:
        recorded = outcome.meeting
        items.append(
            TimelineItem(
                kind="outcome",
                on=meeting_dates.start,
                precision=meeting_dates.precision,
                when=meeting_dates,
                title=f"{recorded.meeting.title}: {recorded.get_result_display().lower()}",
                text=recorded.statement,
                anchor="timeline-outcome",
                url=recorded.source.get_absolute_url(),
                source=recorded.source,
                locator=recorded.locator,
                cited=((recorded.source, recorded.locator),),
            )
        )
    rank = {"event": 0, "position": 1, "outcome": 2}
    items.sort(key=lambda item: (*item.shown.sort_key, rank[item.kind], item.title))
    periods: dict[tuple[int, int], TimelinePeriod] = {}
    for item in items:
        shown = item.shown
        if (shown.start.year, shown.start.month) != (shown.end.year, shown.end.month):
            # A span longer than a month (a year, a long period) is filed under its year.
            year = shown.start.year
            key, start, precision = (year, 0), date(year, 1, 1), DatePrecision.YEAR
        else:
            key = (shown.start.year, shown.start.month)
            start, precision = shown.start.replace(day=1), DatePrecision.MONTH
        periods.setdefault(key, TimelinePeriod(start, precision)).items.append(item)
    return [periods[key] for key in sorted(periods)]
