"""Outlook assessments edited in place: an issue's effect on a meeting, its rationale and
the sources it cites. Served like every in-place record (`issues.views.edit_flow`)."""

from collections.abc import Callable

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from issues.forms import AssessmentEditForm
from issues.http import HtmxHttpRequest
from issues.models import Issue, Meeting, OutlookAssessment
from issues.pages.issue import IssuePage
from issues.views.edit_flow import RecordKind, cited_initial, editor_required, serve_form
from issues.views.editing import editor_page, saved_fragment
from issues.views.issue_page import can_edit_issue


def _assessment_context(issue: Issue, meeting: Meeting) -> dict:
    return {
        "issue": issue,
        "meeting": meeting,
        "action_url": reverse("issues:assessment_edit", args=[issue.slug, meeting.slug]),
        "cancel_url": reverse("issues:assessment", args=[issue.slug, meeting.slug]),
        "back_url": f"{issue.get_absolute_url()}#outlook-{meeting.slug}",
    }


def _assessment_fragment(request, meeting: Meeting) -> Callable:
    def fragment(issue: Issue, page: IssuePage) -> str:
        entry = page.assessment_for(meeting.slug)
        return render_to_string(
            "issues/_assessment.html",
            _assessment_fragment_context(entry, issue),
            request=request,
        )

    return fragment


@require_safe
def assessment_detail(request: HtmxHttpRequest, slug: str, meeting_slug: str) -> HttpResponse:
    """The assessment as displayed: what Cancel swaps back in."""
    page = editor_page(request, slug)
    entry = page.assessment_for(meeting_slug)
    if entry is None:
        return HttpResponse(status=404)
    if not request.htmx:
        return HttpResponseRedirect(f"{page.issue.get_absolute_url()}#outlook-{meeting_slug}")
    return render(
        request,
        "issues/_assessment.html",
        _assessment_fragment_context(entry, page.issue, can_edit=can_edit_issue(request.user)),
    )


def _assessment_fragment_context(entry, issue: Issue, *, can_edit: bool = True) -> dict:
    return {
        "assessment": entry.assessment,
        "cites": entry.cites,
        "draft": entry.draft,
        "issue": issue,
        "can_edit": can_edit,
    }


ASSESSMENT = RecordKind(
    AssessmentEditForm,
    "issues/edit/_assessment_form.html",
    citations=True,
    initial=cited_initial,
)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.change_outlookassessment")
def assessment_edit(request: HtmxHttpRequest, slug: str, meeting_slug: str) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    meeting = get_object_or_404(issue.meetings, slug=meeting_slug)
    return serve_form(
        request,
        ASSESSMENT,
        record=OutlookAssessment.objects.filter(issue=issue, meeting=meeting).first(),
        new=lambda: OutlookAssessment(issue=issue, meeting=meeting),
        context=_assessment_context(issue, meeting),
        done=lambda saved: saved_fragment(
            request, issue, f"outlook-{meeting.slug}", _assessment_fragment(request, meeting)
        ),
    )
