"""Editors annotate in place: outlook assessments, positions, events and scenarios.

Every control is a link to a plain form page that works without JavaScript; with htmx the
same URLs answer with fragments swapped in place. A successful save answers with the
record's display fragment (htmx) or a redirect back to the page (plain POST); invalid
input answers 422 with the form and its messages; an edit over a version that changed
since the form was opened answers 409 with both texts.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from issues import selectors, services
from issues.forms import (
    AssessmentEditForm,
    EventEditForm,
    PositionEditForm,
    ScenarioEditForm,
    WithdrawForm,
)
from issues.http import HtmxHttpRequest
from issues.markdown import render_markdown
from issues.models import (
    PUBLISH_DRAFTS,
    Draft,
    Event,
    Issue,
    Meeting,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scenario,
)
from issues.pages.issue import POSITIONS_PER_SIDE, IssuePage, build_issue_page
from issues.pages.reading import LiveReader
from issues.views.issue_page import can_edit_issue


def editor_required(permission: str) -> Callable:
    """Only editors write. A visitor who is not signed in is sent to sign in from a form
    page (GET) and refused (403) on a write; a signed-in non-editor is refused."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if request.method in ("GET", "HEAD"):
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def editor_page(request, slug: str) -> IssuePage:
    """The issue page as the editor sees it now, drafts included: what fragments show.
    Anyone else asking for a fragment gets the reader's view."""
    reader = LiveReader(request.user, per_side=POSITIONS_PER_SIDE)
    return build_issue_page(reader, slug, with_drafts=can_edit_issue(request.user))


def _render(request: HtmxHttpRequest, template: str, context: dict, status: int = 200):
    """The fragment for htmx, the same fragment inside a plain page otherwise."""
    if request.htmx:
        response = render(request, template, context, status=status)
    else:
        page_context = {**context, "fragment_template": template}
        response = render(request, "issues/edit/page.html", page_context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _saved(request: HtmxHttpRequest, issue: Issue, anchor: str, fragment: Callable) -> HttpResponse:
    """After a save: htmx gets the display fragment (and the updated source list),
    a plain POST is redirected back to the page."""
    if not request.htmx:
        return HttpResponseRedirect(f"{issue.get_absolute_url()}#{anchor}")
    page = editor_page(request, issue.slug)
    html = fragment(page.issue, page)
    html += render_to_string(
        "issues/_sources_list.html", {"page": page, "oob": True}, request=request
    )
    return HttpResponse(html)


def _edit_from(form, *, citations: bool = False) -> services.Edit:
    excluded = {"version", "note", "effective_on", "sources", "locator", "source", "meetings"}
    excluded |= {"new_source_title", "new_source_publisher", "new_source_url"}
    values = {name: value for name, value in form.cleaned_data.items() if name not in excluded}
    if "locator" in form.cleaned_data and not citations:
        values["locator"] = form.cleaned_data["locator"]
    return services.Edit(
        values=values,
        note=form.cleaned_data.get("note", ""),
        effective=form.effective(),
        as_draft=form.data.get("action") == "draft",
        citations=services.Citations(
            sources=list(form.cleaned_data["sources"]), locator=form.cleaned_data["locator"]
        )
        if citations
        else None,
    )


def _invalid(form, error: ValidationError) -> None:
    """Model validation errors (database rules) shown beside the form's fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


class EditRefused(Exception):
    """The edit was not saved; `response` says why (422 or 409)."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def _save(request, *, form, template: str, context: dict, conflict_field: str, save: Callable):
    """Run `save()` and return what it saved. An invalid edit (model validation) or a
    conflicting one raises `EditRefused` with the form re-rendered: 422, or 409 with the
    other editor's text."""
    try:
        return save()
    except services.EditConflict as conflict:
        raise EditRefused(
            _conflict(request, template, context, form, conflict.current, conflict_field)
        ) from conflict
    except ValidationError as error:
        _invalid(form, error)
        raise EditRefused(
            _render(request, template, {**context, "form": form}, status=422)
        ) from error
    except services.DuplicateRecord as duplicate:
        form.add_error(None, DUPLICATE_MESSAGE)
        raise EditRefused(
            _render(request, template, {**context, "form": form}, status=409)
        ) from duplicate


DUPLICATE_MESSAGE = (
    "Someone else added the same record while you were filling in this form; nothing of "
    "yours was saved. Reload the page to see theirs, then edit it if needed."
)


def _create_or_update(existing, new, *, request, form, edit: services.Edit):
    """Save `edit` as the new record `new`, or over `existing` at the form's version."""
    if existing is None:
        return services.record_create(record=new, editor=request.user, edit=edit)
    return services.record_update(
        record=existing,
        editor=request.user,
        edit=edit,
        expected_version=form.cleaned_data["version"] or 0,
    )


def _saved_pk(saved) -> int:
    """The record's id, whether the edit was saved on it or kept as its draft."""
    return saved.object_id if isinstance(saved, Draft) else saved.pk


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


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.change_outlookassessment")
def assessment_edit(request: HtmxHttpRequest, slug: str, meeting_slug: str) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    meeting = get_object_or_404(issue.meetings, slug=meeting_slug)
    assessment = OutlookAssessment.objects.filter(issue=issue, meeting=meeting).first()
    is_new = assessment is None
    context = _assessment_context(issue, meeting)
    template = "issues/edit/_assessment_form.html"

    if request.method != "POST":
        initial = {"version": None if is_new else assessment.version}
        if not is_new:
            initial["sources"] = list(assessment.sources.all())
            first = assessment.citations.first()
            initial["locator"] = first.locator if first else ""
        form = AssessmentEditForm(instance=assessment, initial=initial)
        return _render(request, template, {**context, "form": form})

    form = AssessmentEditForm(request.POST, instance=assessment or OutlookAssessment())
    if not form.is_valid():
        return _render(request, template, {**context, "form": form}, status=422)
    edit = _edit_from(form, citations=True)
    try:
        _save(
            request,
            form=form,
            template=template,
            context=context,
            conflict_field="rationale",
            save=lambda: _create_or_update(
                assessment,
                OutlookAssessment(issue=issue, meeting=meeting),
                request=request,
                form=form,
                edit=edit,
            ),
        )
    except EditRefused as refused:
        return refused.response
    return _saved(request, issue, f"outlook-{meeting.slug}", _assessment_fragment(request, meeting))


def _conflict(request, template, context, form, current, text_field: str) -> HttpResponse:
    """409: the other editor's saved version beside the editor's own, still in the form;
    the form now carries the current version, so saving again is a deliberate overwrite."""
    theirs = getattr(current, text_field)
    data = form.data.copy()
    data["version"] = current.version
    # Validating binds the editor's values to the instance: give the form its own copy.
    form = type(form)(data, instance=type(current).objects.get(pk=current.pk))
    form.is_valid()
    return _render(
        request,
        template,
        {**context, "form": form, "conflict": current, "conflict_text": theirs},
        status=409,
    )


# Positions ----------------------------------------------------------------------------


def _position_fragment(request, position_pk: int) -> Callable:
    def fragment(issue: Issue, page: IssuePage) -> str:
        entry = page.position(position_pk)
        if entry is None:  # withdrawn: no longer on the page
            return f'<div id="position-{position_pk}" class="notice">Position withdrawn.</div>'
        return render_to_string(
            "issues/_position.html", _position_fragment_context(entry), request=request
        )

    return fragment


def _position_context(issue: Issue, position: Position | None) -> dict:
    if position is None:
        action_url, cancel_url = reverse("issues:position_create", args=[issue.slug]), ""
    else:
        action_url = reverse("issues:position_edit", args=[issue.slug, position.pk])
        cancel_url = reverse("issues:position", args=[issue.slug, position.pk])
    return {
        "issue": issue,
        "position": position,
        "action_url": action_url,
        "cancel_url": cancel_url,
        "back_url": f"{issue.get_absolute_url()}#positions",
    }


@require_safe
def position_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    page = editor_page(request, slug)
    entry = page.position(pk)
    if entry is None:
        return HttpResponse(status=404)
    if not request.htmx:
        return HttpResponseRedirect(entry.position.get_absolute_url())
    context = _position_fragment_context(entry, can_edit=can_edit_issue(request.user))
    return render(request, "issues/_position.html", context)


def _position_fragment_context(entry, *, can_edit: bool = True, **extra) -> dict:
    return {
        "position": entry.position,
        "cite": entry.cite,
        "draft": entry.draft,
        "can_edit": can_edit,
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.add_position")
def position_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    return _position_form(request, issue, None)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.change_position")
def position_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    position = get_object_or_404(Position, pk=pk, issue=issue)
    return _position_form(request, issue, position)


def _position_form(request, issue: Issue, position: Position | None) -> HttpResponse:
    context = _position_context(issue, position)
    template = "issues/edit/_position_form.html"
    if request.method != "POST":
        initial = {"version": position.version if position else None}
        if position:
            initial["source"] = position.source_id
        form = PositionEditForm(instance=position, initial=initial)
        return _render(request, template, {**context, "form": form})

    form = PositionEditForm(request.POST, instance=position or Position(issue=issue))
    if not form.is_valid():
        return _render(request, template, {**context, "form": form}, status=422)
    edit = _edit_from(form)

    @transaction.atomic
    def save():
        # A new source and the position that cites it are saved together, or neither.
        source = form.cleaned_data["source"]
        new_source = form.new_source()
        if new_source is not None:
            # A source typed into a draft stays private until the draft is published.
            if edit.as_draft:
                new_source.status = PublicationStatus.DRAFT
            new_source.full_clean()
            new_source.save()
            source = new_source
        edit.values["source"] = source
        return _create_or_update(
            position, Position(issue=issue), request=request, form=form, edit=edit
        )

    try:
        saved = _save(
            request,
            form=form,
            template=template,
            context=context,
            conflict_field="summary",
            save=save,
        )
    except EditRefused as refused:
        return refused.response
    pk = _saved_pk(saved)
    if position is None and request.htmx:
        return _saved(request, issue, f"position-{pk}", _new_position_fragment(request, pk))
    return _saved(request, issue, f"position-{pk}", _position_fragment(request, pk))


def _new_position_fragment(request, pk: int) -> Callable:
    """A new position goes into its side's column; the add form becomes a fresh link."""

    def fragment(issue: Issue, page: IssuePage) -> str:
        entry = page.position(pk)
        html = render_to_string(
            "issues/_position.html",
            # Marked as the record the editor's focus returns to (editing.js).
            _position_fragment_context(
                entry, oob_into=f"side-{entry.position.country.code}-list", edited=True
            ),
            request=request,
        )
        return html + render_to_string(
            "issues/edit/_add_position_link.html", {"issue": issue}, request=request
        )

    return fragment


@require_POST
@editor_required("issues.change_position")
def position_withdraw(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    position = get_object_or_404(Position, pk=pk, issue=issue)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Invalid request.", status=400)
    try:
        services.position_withdraw(
            position=position,
            editor=request.user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    except services.EditConflict:
        return HttpResponse(
            "This position changed since you opened the page; reload and try again.", status=409
        )
    return _saved(request, issue, "positions", _position_fragment(request, pk))


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


def _event_form(request, issue: Issue, event: Event | None) -> HttpResponse:
    context = _event_context(issue, event)
    template = "issues/edit/_event_form.html"
    if request.method != "POST":
        initial = {"version": event.version if event else None}
        if event:
            initial["sources"] = list(event.sources.all())
            first = event.citations.first()
            initial["locator"] = first.locator if first else ""
        form = EventEditForm(instance=event, initial=initial, issue=issue)
        return _render(request, template, {**context, "form": form})

    form = EventEditForm(request.POST, instance=event or Event(), issue=issue)
    if not form.is_valid():
        return _render(request, template, {**context, "form": form}, status=422)
    edit = _edit_from(form, citations=True)
    if event is None:
        edit.links["issues"] = [issue]
    edit.links["meetings"] = form.meetings_to_link()
    try:
        saved = _save(
            request,
            form=form,
            template=template,
            context=context,
            conflict_field="description",
            save=lambda: _create_or_update(event, Event(), request=request, form=form, edit=edit),
        )
    except EditRefused as refused:
        return refused.response
    pk = _saved_pk(saved)
    if not request.htmx:
        return HttpResponseRedirect(f"{issue.get_absolute_url()}#event-{pk}")
    return _client_refresh(issue, f"event-{pk}")


def _client_refresh(issue: Issue, anchor: str) -> HttpResponse:
    """The timeline is ordered by date: after an event edit, htmx reloads the page. Going
    to the same page at another anchor only scrolls: `HX-Refresh` makes htmx reload it."""
    response = HttpResponseClientRedirect(f"{issue.get_absolute_url()}#{anchor}")
    response["HX-Refresh"] = "true"
    return response


# Scenarios ------------------------------------------------------------------------------


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
    template = "issues/edit/_scenario_form.html"
    if request.method != "POST":
        form = ScenarioEditForm(instance=scenario, initial={"version": scenario.version})
        return _render(request, template, {**context, "form": form})

    form = ScenarioEditForm(request.POST, instance=scenario)
    if not form.is_valid():
        return _render(request, template, {**context, "form": form}, status=422)
    try:
        saved = _save(
            request,
            form=form,
            template=template,
            context=context,
            conflict_field="description",
            save=lambda: _create_or_update(
                scenario, None, request=request, form=form, edit=_edit_from(form)
            ),
        )
    except EditRefused as refused:
        return refused.response
    if not request.htmx:
        return HttpResponseRedirect(context["back_url"])
    # The edit slot empties; the scenario's row is updated out of band.
    scenario = Scenario.objects.select_related("meeting").get(pk=scenario.pk)
    row = {"scenario": scenario, "can_edit": True, "draft": isinstance(saved, Draft), "oob": True}
    return render(request, "issues/_scenario_row.html", row)


@require_safe
def scenario_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    scenario = get_object_or_404(
        Scenario.objects.select_related("meeting"), pk=pk, meeting__slug=slug
    )
    if not request.htmx:
        return HttpResponseRedirect(f"{scenario.meeting.get_absolute_url()}#scenario-{pk}")
    # Cancel: the edit slot empties, the row is as it was.
    return HttpResponse("")


# Markdown preview and source lookup ----------------------------------------------------


@require_POST
@editor_required("issues.change_outlookassessment")
def markdown_preview(request: HtmxHttpRequest) -> HttpResponse:
    text = request.POST.get("rationale", "")[:20_000]
    return HttpResponse(render_markdown(text) or "<p class='empty'>Nothing to preview.</p>")


@require_safe
@editor_required("issues.change_position")
def source_lookup(request: HtmxHttpRequest) -> HttpResponse:
    """The position form's source choices, narrowed to what the editor typed."""
    query = request.GET.get("source_query", "").strip()[:100]
    form = PositionEditForm()
    matches = selectors.sources_matching(query)
    form.fields["source"].queryset = matches
    return render(
        request,
        "issues/edit/_source_options.html",
        {"form": form, "query": query, "sources_found": bool(matches)},
    )


# Publishing -----------------------------------------------------------------------------


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
