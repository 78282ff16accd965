"""`/issues/<slug>/history/`: what changed, who changed it, when, and why."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from issues.changes import issue_history as build_history
from issues.models import Issue, can_see_drafts

PAGE_SIZE = 50


@require_safe
def issue_history(request: HttpRequest, slug: str) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.visible_to(request.user), slug=slug)
    editor = can_see_drafts(request.user)
    revisions = build_history(issue, include_drafts=editor)
    page = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "issues/history.html", {"issue": issue, "page": page, "editor": editor})
