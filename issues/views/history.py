"""`/issues/<slug>/history/`: what changed, who changed it, when, and why (built in
`issues.pages.changes`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from issues.models import Issue
from issues.pages.changes import build_history_page


@require_safe
def issue_history(request: HttpRequest, slug: str) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.visible_to(request.user), slug=slug)
    page = build_history_page(issue, request.user, request.GET.get("page"))
    return render(request, "issues/history.html", {"issue": issue, "history": page})
