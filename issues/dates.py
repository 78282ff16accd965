"""Dates as precise as their source.

A source gives a day ("30 November 2018"), a month ("July 2018"), a year ("in 2021") or a
period in its own words ("late October", "this week", "last month"). Each is stored as the
interval of days it covers, from its first to its last day (both included), with its
precision and, for a period, the source's words. Records are sorted and compared by that
interval, and shown as the source gives them.

Two dated records are in order only when one interval ends before the other begins; when
their intervals overlap, the source does not say which came first, and neither is later.
"""

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from .models.scales import DatePrecision

# The parts of a month a source names ("early", "mid", "late"), as days of the month; the
# last part runs to the month's end.
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


def interval_end(start: date, precision: str) -> date:
    """The last day covered by a date given at `precision` and stored as its first day."""
    if precision == DatePrecision.YEAR:
        return date(start.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def interval_start(start: date, precision: str) -> date:
    """The first day of the month or year a month- or year-precise date names."""
    if precision == DatePrecision.YEAR:
        return date(start.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return start.replace(day=1)
    return start


def month_part(year: int, month: int, part: str) -> tuple[date, date]:
    """The interval of "early", "mid" or "late" in a month."""
    first, last = MONTH_PARTS[part]
    last = min(last, calendar.monthrange(year, month)[1])
    return date(year, month, first), date(year, month, last)


@dataclass(frozen=True)
class FuzzyDate:
    """A date as its source gives it: the interval it covers, its precision, and the
    source's own words for a period."""

    start: date
    end: date
    precision: str = DatePrecision.DAY
    words: str = ""

    def __str__(self) -> str:
        if self.precision == DatePrecision.PERIOD:
            if not self.words:
                return span(self.start, self.end)
            # The source's words, placed in the month or year they fall in, no closer.
            return f"{self.words} ({coarse(self.start, self.end)})"
        if self.precision == DatePrecision.YEAR:
            return f"{self.start:%Y}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.start:%B %Y}"
        return span(self.start, self.end)

    @property
    def datetime(self) -> str:
        """The value of a `<time datetime>`: as precise as the source, never more."""
        if self.precision == DatePrecision.YEAR or (
            self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)
        ):
            return f"{self.start:%Y}"
        if self.start == self.end:  # one day, whatever the source calls it
            return self.start.isoformat()
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y}" if self.start.year == self.end.year else ""

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.start, self.end)

    def before(self, other: "FuzzyDate") -> bool:
        """Whether this interval ends before `other` begins: the only sure "earlier"."""
        return self.end < other.start

    def overlaps(self, other: "FuzzyDate") -> bool:
        return not (self.before(other) or other.before(self))


def span(start: date, end: date) -> str:
    """An interval in words: "30 November 2018", "21–31 October 2018", "November 2018",
    "2018", "30 November – 1 December 2018"."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return f"{start:%Y}"
    if start.year == end.year and start.month == end.month:
        if start.day == 1 and end == interval_end(start, DatePrecision.MONTH):
            return f"{start:%B %Y}"
        return f"{start.day}–{end.day} {start:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def coarse(start: date, end: date) -> str:
    """The month or year an interval falls in: "October 2018", "2018", "2018–2021"; a
    one-day interval is its day, "16 July 2018", never a range from the day to itself."""
    if start == end:
        return span(start, end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%B %Y}"
    if start.year == end.year:
        return f"{start:%Y}"
    return f"{start:%Y}–{end:%Y}"


def fuzzy(start: date | None, end: date | None, precision: str, words: str = "") -> FuzzyDate:
    """The `FuzzyDate` of stored fields; an end left empty is the end the precision implies."""
    if start is None:
        raise ValueError("a dated record needs its first day")
    return FuzzyDate(start, end or interval_end(start, precision), precision, words)


def latest[T](items: Iterable[T], when: Callable[[T], FuzzyDate]) -> list[T]:
    """The items that may be the latest: none of them is surely earlier than another item.
    One item when the dates decide; several (a tie) when their intervals overlap the
    latest start, in the order given."""
    items = list(items)
    if not items:
        return []
    latest_start = max(when(item).start for item in items)
    return [item for item in items if when(item).end >= latest_start]
