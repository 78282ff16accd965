"""The home page: meetings with their outlook at a glance, and the latest changes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from issues import selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "issues/home.html",
        {
            "meetings": selectors.meetings_with_issues(request.user),
            "recent_issues": selectors.recently_changed_issues(request.user),
        },
    )
