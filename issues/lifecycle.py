"""A meeting's state, from its dates and what the editors recorded of its outcome.

Before its first possible day a meeting is upcoming; during it, under way; after it, past
with no outcome until an editor records one (held, held informally, cancelled, postponed).
A past meeting never reads "expected": it reads "outcome not yet recorded".
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .models.scales import DatePrecision, MeetingStatus

# Dates whose days are all known: a day, or a run of days (a summit from first to last).
DAY_PRECISE = {DatePrecision.DAY}


@dataclass(frozen=True)
class MeetingState:
    code: str
    label: str

    @property
    def is_resolved(self) -> bool:
        return self.code in RECORDED


UPCOMING = MeetingState("upcoming", "Upcoming")
UNDER_WAY = MeetingState("under_way", "Under way")
PAST_NO_OUTCOME = MeetingState("past", "Outcome not yet recorded")
RECORDED = {
    MeetingStatus.HELD: "Held",
    MeetingStatus.INFORMAL: "Held informally",
    MeetingStatus.CANCELLED: "Cancelled",
    MeetingStatus.POSTPONED: "Postponed",
}


def meeting_state(meeting, today: date | None = None) -> MeetingState:
    """The state of `meeting` on `today` (the current date by default). A recorded outcome
    decides; without one, the legacy status an editor set (held, cancelled...) does; without
    either, the dates."""
    today = today or timezone.localdate()
    outcome = getattr(meeting, "outcome", None) if meeting.pk else None
    recorded = outcome.result if outcome is not None else meeting.status
    if recorded in RECORDED:
        return MeetingState(str(recorded), RECORDED[recorded])
    dates = meeting.dates
    if today > dates.end:
        return PAST_NO_OUTCOME
    # Only a meeting whose days are known is known to be under way; one the sources date
    # only to a month or a period is still upcoming until that period has passed.
    if today >= dates.start and dates.precision in DAY_PRECISE:
        return UNDER_WAY
    return UPCOMING
