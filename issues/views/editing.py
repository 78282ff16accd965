"""Editors annotate in place: outlook assessments, events and scenarios, and what every
in-place edit shares (the issue page as the editor sees it, the answer after a save);
positions are in `issues.views.edit_positions`, publishing drafts in `issues.views.drafts`.

Every control is a link to a plain form page that works without JavaScript; with htmx the
same URLs answer with fragments swapped in place. A successful save answers with the
record's display fragment (htmx) or a redirect back to the page (plain POST); invalid
input answers 422 with the form and its messages; an edit over a version that changed
since the form was opened answers 409 with the two merged field by field. What each kind
of record needs is declared once (`RecordKind`); `issues.views.edit_flow` serves them all.
"""

from collections.abc import Callable

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from issues import services
from issues.forms import (
    AssessmentEditForm,
    EventEditForm,
    ScenarioEditForm,
)
from issues.http import HtmxHttpRequest
from issues.markdown import render_markdown
from issues.models import (
    Draft,
    Event,
    Issue,
    Meeting,
    OutlookAssessment,
    Scenario,
)
from issues.pages.issue import POSITIONS_PER_SIDE, IssuePage, build_issue_page
from issues.pages.reading import LiveReader
from issues.views.edit_flow import (
    RecordKind,
    cited_initial,
    editor_required,
    saved_pk,
    serve_form,
)
from issues.views.issue_page import can_edit_issue


def editor_page(request, slug: str) -> IssuePage:
    """The issue page as the editor sees it now, drafts included: what fragments show.
    Anyone else asking for a fragment gets the reader's view."""
    reader = LiveReader(request.user, per_side=POSITIONS_PER_SIDE)
    return build_issue_page(
        reader, slug, with_drafts=can_edit_issue(request.user), with_changes=False
    )


def saved_fragment(
    request: HtmxHttpRequest, issue: Issue, anchor: str, fragment: Callable
) -> HttpResponse:
    """After a save: htmx gets the display fragment (and the updated source list),
    a plain POST is redirected back to the page."""
    if not request.htmx:
        return HttpResponseRedirect(f"{issue.get_absolute_url()}#{anchor}")
    page = editor_page(request, issue.slug)
    return HttpResponse(fragment(page.issue, page) + page_updates(request, issue.slug, page))


def page_updates(request, slug: str, page: IssuePage | None = None) -> str:
    """What else on the issue page an edit changes, swapped out of band: the numbered
    sources list and the editor bar's count of drafts waiting to be published."""
    page = page or editor_page(request, slug)
    context = {"page": page, "issue": page.issue, "oob": True}
    return render_to_string("issues/_sources_list.html", context, request=request) + (
        render_to_string("issues/_editor_bar.html", context, request=request)
    )


# Outlook assessments ------------------------------------------------------------------


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


# Events ---------------------------------------------------------------------------------


def _event_context(issue: Issue, event: Event | None) -> dict:
    if event is None:
        action_url = reverse("issues:event_create", args=[issue.slug])
    else:
        action_url = reverse("issues:event_edit", args=[issue.slug, event.pk])
    return {
        "issue": issue,
        "event": event,
        "action_url": action_url,
        "cancel_url": "",
        "back_url": f"{issue.get_absolute_url()}#timeline",
    }


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.add_event")
def event_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    return _event_form(request, issue, None)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.change_event")
def event_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    event = get_object_or_404(issue.events, pk=pk)
    return _event_form(request, issue, event)


def _linked_to_issue(form, edit: services.Edit, context: dict) -> None:
    if context["event"] is None:  # a new event belongs to the issue it was added on
        edit.links["issues"] = [context["issue"]]
    # and bears on the issue's meetings ticked in the form (all of them, for a new event)
    edit.links["meetings"] = form.meetings_to_link()


EVENT = RecordKind(
    EventEditForm,
    "issues/edit/_event_form.html",
    citations=True,
    initial=cited_initial,
    before_save=_linked_to_issue,
)


def _event_form(request, issue: Issue, event: Event | None) -> HttpResponse:
    def done(saved) -> HttpResponse:
        anchor = f"event-{saved_pk(saved)}"
        if not request.htmx:
            return HttpResponseRedirect(f"{issue.get_absolute_url()}#{anchor}")
        return _client_refresh(issue, anchor)

    context = _event_context(issue, event)
    return serve_form(
        request,
        EVENT,
        record=event,
        new=Event,
        context=context,
        done=done,
        form_kwargs={"issue": issue},
    )


def _client_refresh(issue: Issue, anchor: str) -> HttpResponse:
    """The timeline is ordered by date: after an event edit, htmx reloads the page. Going
    to the same page at another anchor only scrolls: `HX-Refresh` makes htmx reload it."""
    response = HttpResponseClientRedirect(f"{issue.get_absolute_url()}#{anchor}")
    response["HX-Refresh"] = "true"
    return response


# Scenarios ------------------------------------------------------------------------------


SCENARIO = RecordKind(ScenarioEditForm, "issues/edit/_scenario_form.html")


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.change_scenario")
def scenario_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    scenario = get_object_or_404(Scenario, pk=pk, meeting=meeting)
    context = {
        "meeting": meeting,
        "scenario": scenario,
        "action_url": reverse("issues:scenario_edit", args=[meeting.slug, scenario.pk]),
        "cancel_url": reverse("issues:scenario", args=[meeting.slug, scenario.pk]),
        "back_url": f"{meeting.get_absolute_url()}#scenario-{scenario.pk}",
    }

    def done(saved) -> HttpResponse:
        if not request.htmx:
            return HttpResponseRedirect(context["back_url"])
        # The edit slot empties; the scenario's row is updated out of band.
        row = {
            "scenario": Scenario.objects.select_related("meeting").get(pk=scenario.pk),
            "can_edit": True,
            "draft": isinstance(saved, Draft),
            "oob": True,
        }
        return render(request, "issues/_scenario_row.html", row)

    return serve_form(request, SCENARIO, record=scenario, context=context, done=done)


@require_safe
def scenario_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    scenario = get_object_or_404(
        Scenario.objects.select_related("meeting"), pk=pk, meeting__slug=slug
    )
    if not request.htmx:
        return HttpResponseRedirect(f"{scenario.meeting.get_absolute_url()}#scenario-{pk}")
    # Cancel: the edit slot empties, the row is as it was.
    return HttpResponse("")


# Markdown preview ----------------------------------------------------


@require_POST
@editor_required("issues.change_outlookassessment")
def markdown_preview(request: HtmxHttpRequest) -> HttpResponse:
    text = request.POST.get("rationale", "")[:20_000]
    return render(request, "issues/edit/_preview.html", {"html": render_markdown(text)})
