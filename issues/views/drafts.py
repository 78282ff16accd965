"""Publishing drafts: every draft on an issue at once, or one draft published or
discarded, each answered with a message and a redirect back to the page it belongs to."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from issues import services
from issues.http import HtmxHttpRequest
from issues.models import (
    PUBLISH_DRAFTS,
    Draft,
    Event,
    Issue,
    Scenario,
)
from issues.views.edit_flow import (
    editor_required,
)


@require_POST
@editor_required(PUBLISH_DRAFTS)
def issue_publish(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Publish every draft on the issue in one action."""
    issue = get_object_or_404(Issue, slug=slug)
    report = services.issue_publish(issue=issue, editor=request.user)
    if report.conflicts:
        messages.warning(
            request,
            f"{len(report.conflicts)} draft(s) were written over a version that has changed "
            "since, and were kept as drafts: open them to compare.",
        )
    messages.success(request, f"Published {len(report.published)} change(s).")
    return HttpResponseRedirect(issue.get_absolute_url())


def _draft_record_issue(draft: Draft) -> Issue | None:
    record = draft.record
    if isinstance(record, Issue):
        return record
    return getattr(record, "issue", None) or (
        record.issues.first() if isinstance(record, Event) else None
    )


def _draft_redirect(draft_record, issue: Issue | None) -> HttpResponseRedirect:
    if issue is not None:
        return HttpResponseRedirect(issue.get_absolute_url())
    if isinstance(draft_record, Scenario):
        return HttpResponseRedirect(draft_record.meeting.get_absolute_url())
    return HttpResponseRedirect("/")


@require_POST
@editor_required(PUBLISH_DRAFTS)
def draft_publish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(Draft, pk=pk)
    record, issue = draft.record, _draft_record_issue(draft)
    try:
        services.draft_publish(draft=draft, editor=request.user)
    except services.EditConflict:
        messages.error(
            request,
            "The published version changed after this draft was written; edit the record "
            "to reconcile the two, then publish.",
        )
        return _draft_redirect(record, issue)
    except ValidationError as error:
        messages.error(request, f"The draft cannot be published: {'; '.join(error.messages)}")
        return _draft_redirect(record, issue)
    messages.success(request, "Draft published.")
    return _draft_redirect(record, issue)


@require_POST
@editor_required(PUBLISH_DRAFTS)
def draft_discard(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(Draft, pk=pk)
    record, issue = draft.record, _draft_record_issue(draft)
    draft.delete()
    messages.success(request, "Draft discarded.")
    return _draft_redirect(record, issue)
