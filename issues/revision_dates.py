"""When a revision took effect, as an editor correcting the record may give it.

A revision is normally in effect from the moment it is saved. A correction of the record
may say it took effect on an earlier day, so that `?as_of=` shows it from then; it is still
recorded now (`DatedRevision.history_recorded_at`). It cannot take effect in the future, nor
on or before the day of the record's latest revision: history is kept in order, and the
record as it is now stays its latest revision.
"""

from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.db import models


def today_utc() -> date:
    return datetime.now(UTC).date()


def start_of(day: date | None) -> datetime | None:
    """The first moment of `day` (UTC); None (now) for no day, or for today."""
    if day is None or day >= today_utc():
        return None
    return datetime.combine(day, time.min, tzinfo=UTC)


def latest_revision_date(record: models.Model | None) -> datetime | None:
    if record is None or record.pk is None or not hasattr(record, "history"):
        return None
    return (
        record.history.order_by("-history_date", "-history_id")
        .values_list("history_date", flat=True)
        .first()
    )


def check_effective_day(day: date | None, record: models.Model | None) -> date | None:
    if day is None:
        return None
    if day > today_utc():
        raise ValidationError("A change cannot take effect in the future.")
    latest = latest_revision_date(record)
    if latest is not None and day <= latest.date():
        raise ValidationError(
            f"The record’s latest revision took effect on {latest.day} {latest:%B %Y}: "
            "a correction takes effect on a later day."
        )
    return day
