"""The shareable issue page, `/issues/<slug>/`, as it is today or, with
`?as_of=YYYY-MM-DD`, as it stood at the end of a past day; and the list of all its positions.
The pages are built in `issues.pages.issue`."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from issues import time_travel
from issues.caching import cached_for_editors
from issues.models import Issue
from issues.pages.issue import POSITIONS_PER_SIDE, build_issue_page, build_position_list
from issues.pages.reading import reader_for
from issues.views.as_of import as_of_refused, as_of_url, requested_day, requested_since


def can_edit_issue(user) -> bool:
    return user.has_perm("issues.change_issue")


@require_safe
@cached_for_editors
def issue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Editors can preview the page exactly as a reader sees it.
    as_reader = request.GET.get("view") == "reader"
    viewer = AnonymousUser() if as_reader else request.user
    live_url = reverse("issues:issue", args=[slug])
    try:
        day = requested_day(request)
        # Nothing is edited in the past: an as-of page has no edit controls.
        can_edit = day is None and not as_reader and can_edit_issue(request.user)
        reader = reader_for(viewer, day, per_side=POSITIONS_PER_SIDE)
        since = requested_since(request, day)
        page = build_issue_page(reader, slug, with_drafts=can_edit, since=since)
    except time_travel.AsOfError as error:
        return as_of_refused(request, error, live_url=live_url)
    shared_url = live_url if day is None else as_of_url(live_url, day)
    return render(
        request,
        "issues/issue.html",
        {
            "issue": page.issue,
            "page": page,
            "analyses": page.analyses,
            "canonical_url": request.build_absolute_uri(live_url),
            # The share image is today's published outlook: only a live, published page
            # names it (a past day's page would be shared with today's image).
            "share_image_url": (
                request.build_absolute_uri(reverse("issues:issue_share", args=[slug]))
                if day is None and page.issue.is_published
                else ""
            ),
            "shared_url": request.build_absolute_uri(shared_url),
            "live_url": live_url,
            "first_day": page.first_day,
            "today": time_travel.today_utc(),
            "accessed_on": timezone.localdate(),
            "can_edit": can_edit,
            "as_reader": as_reader,
        },
    )


@require_safe
def issue_positions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every current position of the issue, a page at a time, by side and leader."""
    issue = get_object_or_404(Issue.objects.visible_to(request.user), slug=slug)
    page = build_position_list(
        issue,
        request.user,
        side=request.GET.get("side", ""),
        leader=request.GET.get("leader", ""),
        page_number=request.GET.get("page"),
    )
    return render(request, "issues/issue_positions.html", {"issue": issue, "page": page})
