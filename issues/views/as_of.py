"""`?as_of=YYYY-MM-DD` on the issue, meeting and summit pages, and `?since=YYYY-MM-DD` for
their "What changed": reading the day asked for, and the 400 page for a day that cannot be
used (see `issues.time_travel` and `issues.pages.changed`)."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from issues import time_travel
from issues.pages import changed


def requested_day(request: HttpRequest) -> date | None:
    """The day of `?as_of=`, or None for the page as it is today (no value, or an empty one
    from the form). Raises `time_travel.AsOfError` for anything that is not a past day."""
    value = request.GET.get("as_of", "")
    if not value:
        return None
    return time_travel.parse_day(value, today=time_travel.today_utc())


def requested_since(request: HttpRequest, day: date | None) -> date | None:
    """The day of `?since=` (for "What changed"), or None for the default window. Raises
    `changed.SinceError` for anything that is not a day before the page's (`day`, or today)."""
    value = request.GET.get("since", "")
    if not value:
        return None
    return changed.parse_since(value, until=day or time_travel.today_utc())


def as_of_refused(
    request: HttpRequest, error: time_travel.AsOfError, *, live_url: str
) -> HttpResponse:
    """400, in the site's design: what is wrong with the day, and the way back to today."""
    return render(
        request,
        "issues/as_of_refused.html",
        {
            "message": str(error),
            "live_url": live_url,
            "since": isinstance(error, changed.SinceError),
        },
        status=400,
    )


def as_of_url(url: str, day: date) -> str:
    return f"{url}?as_of={day.isoformat()}"
