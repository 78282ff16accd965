"""Reader pages: summits, meetings, leaders and sources, built in `issues.pages`."""

from dataclasses import fields

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from issues import time_travel
from issues.pages import listings
from issues.pages.meeting import build_meeting_page
from issues.pages.reading import reader_for
from issues.views.as_of import as_of_refused, requested_day, requested_since


@require_safe
def summit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The summit and its meetings, live or (`?as_of=YYYY-MM-DD`) as at the end of a day."""
    live_url = reverse("issues:summit", args=[slug])
    try:
        page = listings.build_summit_page(slug, request.user, requested_day(request))
    except time_travel.AsOfError as error:
        return as_of_refused(request, error, live_url=live_url)
    return render(
        request,
        "issues/summit.html",
        {
            "summit": page.summit,
            "page": page,
            "as_of": page.as_of,
            "first_day": page.first_day,
            "live_url": live_url,
            "today": time_travel.today_utc(),
        },
    )


@require_safe
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The outlook board, live or (`?as_of=YYYY-MM-DD`) as it stood at the end of a day."""
    live_url = reverse("issues:meeting", args=[slug])
    try:
        day = requested_day(request)
        since = requested_since(request, day)
        page = build_meeting_page(reader_for(request.user, day), slug, since=since)
    except time_travel.AsOfError as error:
        return as_of_refused(request, error, live_url=live_url)
    return render(
        request,
        "issues/meeting.html",
        {
            **{field.name: getattr(page, field.name) for field in fields(page)},
            "page": page,
            # Nothing is edited in the past: an as-of page has no edit controls.
            "can_edit": day is None and request.user.has_perm("issues.change_scenario"),
            "live_url": live_url,
            "today": time_travel.today_utc(),
            "canonical_url": request.build_absolute_uri(live_url),
            # Today's published board: a past day's page names no share image.
            "share_image_url": (
                request.build_absolute_uri(reverse("issues:meeting_share", args=[slug]))
                if day is None
                else ""
            ),
        },
    )


@require_safe
def leader_list(request: HttpRequest) -> HttpResponse:
    page = listings.build_leader_list(request.GET.get("page"))
    return render(request, "issues/leader_list.html", {"page": page.page})


@require_safe
def leader_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = listings.build_leader_page(slug, request.user, request.GET.get("page"))
    return render(request, "issues/leader.html", {"leader": page.leader, "page": page.page})


@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    page = listings.build_source_list(request.user, request.GET.get("page"))
    return render(request, "issues/source_list.html", {"page": page.page})


@require_safe
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = listings.build_source_page(pk, request.user)
    return render(request, "issues/source.html", {"source": page.source, "page": page})
