"""Events edited and added in place, on an issue's timeline. Served like every in-place
record (`issues.views.edit_flow`); after a save the page reloads, its timeline being
ordered by date."""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from issues import services
from issues.forms import EventEditForm
from issues.http import HtmxHttpRequest
from issues.models import Event, Issue
from issues.views.edit_flow import (
    RecordKind,
    cited_initial,
    editor_required,
    saved_pk,
    serve_form,
)


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
