"""How a dossier file writes dates and moments: the one place to change when the way the
dossiers store dates changes.

A day is `YYYY-MM-DD`. A moment (when a revision took effect, when a position was
withdrawn) is a day when it falls at midnight UTC, which is what people write by hand, and
otherwise an ISO 8601 date and time in UTC (`2018-11-24T23:00:00Z`).
"""

from datetime import UTC, date, datetime, time

DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MOMENT_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
)


class DateError(ValueError):
    """A date the file gives that is not one: the message is written for the editor."""


def dump_day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def load_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateError(f"{text!r} is not a day of the calendar (YYYY-MM-DD)") from None


def dump_moment(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    if moment.time() == time.min:
        return moment.date().isoformat()
    return moment.isoformat().replace("+00:00", "Z")


def load_moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    if len(text) == len("YYYY-MM-DD"):
        return datetime.combine(load_day(text), time.min, tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DateError(f"{text!r} is not a date and time (YYYY-MM-DDTHH:MM:SSZ)") from None
    if moment.tzinfo is None:
        raise DateError(f"{text!r} needs a time zone, e.g. Z for UTC")
    return moment.astimezone(UTC)
