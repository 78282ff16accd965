"""What every in-place edit on an issue page shares: the page as the editor sees it, the
answer after a save, and the Markdown preview. Each kind of record has its own module
(`edit_assessments`, `edit_positions`, `edit_events`, `edit_scenarios`), declared once as a
`RecordKind` and served by `issues.views.edit_flow`; publishing drafts is
`issues.views.drafts`.

Every control is a link to a plain form page that works without JavaScript; with htmx the
same URLs answer with fragments swapped in place. A successful save answers with the
record's display fragment (htmx) or a redirect back to the page (plain POST); invalid
input answers 422 with the form and its messages; an edit over a version that changed
since the form was opened answers 409 with the two merged field by field.
"""

from collections.abc import Callable

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from issues.http import HtmxHttpRequest
from issues.markdown import render_markdown
from issues.models import Issue
from issues.pages.issue import POSITIONS_PER_SIDE, IssuePage, build_issue_page
from issues.pages.reading import LiveReader
from issues.views.edit_flow import editor_required
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


@require_POST
@editor_required("issues.change_outlookassessment")
def markdown_preview(request: HtmxHttpRequest) -> HttpResponse:
    text = request.POST.get("rationale", "")[:20_000]
    return render(request, "issues/edit/_preview.html", {"html": render_markdown(text)})
