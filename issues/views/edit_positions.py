"""Positions edited in place: added, edited, withdrawn and, for a while, restored. Served
like every in-place record (`issues.views.edit_flow`); after a save the issue page's
sources and editor bar follow out of band (`issues.views.editing.page_updates`)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from issues import services
from issues.forms import (
    PositionEditForm,
    WithdrawForm,
)
from issues.http import HtmxHttpRequest
from issues.models import (
    Issue,
    Position,
)
from issues.pages.issue import IssuePage
from issues.views.edit_flow import (
    RecordKind,
    editor_required,
    render_fragment,
    saved_pk,
    serve_form,
)
from issues.views.editing import editor_page, page_updates, saved_fragment
from issues.views.issue_page import can_edit_issue


def _position_fragment(request, position_pk: int, *, restored: bool = False) -> Callable:
    def fragment(issue: Issue, page: IssuePage) -> str:
        entry = page.position(position_pk)
        if entry is None:
            return _elsewhere(request, position_pk)
        extra: dict[str, Any] = {"announce": "Withdrawal undone."} if restored else {}
        return render_to_string(
            "issues/_position.html", _position_fragment_context(entry, **extra), request=request
        )

    return fragment


def _elsewhere(request, pk: int) -> str:
    """A position not among its side's latest on the issue page: on the positions page."""
    return render_to_string("issues/edit/_position_elsewhere.html", {"pk": pk}, request=request)


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


def _with_new_source(form, edit: services.Edit, context: dict) -> None:
    """A new source and the position that cites it are saved together, or neither."""
    edit.values["source"] = form.picked_source(as_draft=edit.as_draft)


POSITION = RecordKind(
    PositionEditForm,
    "issues/edit/_position_form.html",
    initial=lambda position: {"source": position.source_id},
    before_save=_with_new_source,
)


def _position_form(request, issue: Issue, position: Position | None) -> HttpResponse:
    def done(saved) -> HttpResponse:
        pk = saved_pk(saved)
        if position is None and request.htmx:
            return saved_fragment(
                request, issue, f"position-{pk}", _new_position_fragment(request, pk)
            )
        return saved_fragment(request, issue, f"position-{pk}", _position_fragment(request, pk))

    return serve_form(
        request,
        POSITION,
        record=position,
        new=lambda: Position(issue=issue),
        context=_position_context(issue, position),
        done=done,
    )


def _new_position_fragment(request, pk: int) -> Callable:
    """A new position goes into its side's column; the add form becomes a fresh link."""

    def fragment(issue: Issue, page: IssuePage) -> str:
        entry = page.position(pk)
        if entry is None:
            return _elsewhere(request, pk)
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


def _posted(request, slug: str, pk: int) -> tuple[Issue, Position, WithdrawForm]:
    """What withdraw and restore both start from: the position, and the form posted."""
    issue = get_object_or_404(Issue, slug=slug)
    position = get_object_or_404(Position, pk=pk, issue=issue)
    return issue, position, WithdrawForm(request.POST)


def _not_understood(form: WithdrawForm) -> str:
    problems = " ".join(str(message) for messages in form.errors.values() for message in messages)
    return f"The request was not understood ({problems}). Nothing was changed."


@require_POST
@editor_required("issues.change_position")
def position_withdraw(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Withdraw a position; what takes its place offers to undo it for a while. A refusal
    shows the position as it is now, with what went wrong, in the position's place."""
    issue, position, form = _posted(request, slug, pk)
    if not form.is_valid():
        return _as_it_is_now(request, issue, position, _not_understood(form), status=400)
    try:
        withdrawn = services.position_withdraw(
            position=position,
            editor=request.user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    except services.EditConflict:
        return _as_it_is_now(request, issue, position, WITHDRAW_CONFLICT, status=409)
    return _withdrawn(request, issue, withdrawn)


WITHDRAW_CONFLICT = (
    "Not withdrawn: someone else changed this position since you opened the page. "
    "It is shown as it is now; withdraw it again if it still should be."
)
RESTORE_CONFLICT = (
    "Not restored: someone else changed this position since it was withdrawn. "
    "It is shown as it is now."
)


def _as_it_is_now(request, issue: Issue, position: Position, error: str, *, status: int):
    """A refused withdrawal or undo: the position as it is now, in its place on the page
    (withdrawn, or listed), with the error shown and announced, and the focus on it."""
    position.refresh_from_db()
    if position.is_withdrawn:
        return _withdrawn(request, issue, position, error=error, status=status)
    entry = editor_page(request, issue.slug).position(position.pk)
    if entry is None:  # not among the side's latest: the message alone takes its place
        context: dict[str, Any] = {"pk": position.pk, "error": error}
        template = "issues/edit/_position_elsewhere.html"
    else:
        context = _position_fragment_context(entry, refusal=error)
        template = "issues/_position.html"
    context["back_url"] = f"{issue.get_absolute_url()}#position-{position.pk}"
    return render_fragment(request, template, context, status=status)


def _withdrawn(request, issue: Issue, position: Position, *, error: str = "", status=200):
    """ "Withdrawn. Undo": in place for htmx (with the page's sources list and pending
    count), inside a plain page otherwise. Undo is offered while it can still be done."""
    deadline = services.undo_deadline(position)
    context = {
        "issue": issue,
        "position": position,
        "undo_until": deadline,
        "can_undo": deadline is not None and timezone.now() <= deadline,
        "undo_minutes": settings.WITHDRAW_UNDO_MINUTES,
        "error": error,
        "back_url": f"{issue.get_absolute_url()}#positions",
    }
    template = "issues/edit/_position_withdrawn.html"
    if not request.htmx:
        return render_fragment(request, template, context, status=status)
    html = render_to_string(template, context, request=request)
    return HttpResponse(html + page_updates(request, issue.slug), status=status)


@require_POST
@editor_required("issues.change_position")
def position_restore(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Undo a withdrawal within `WITHDRAW_UNDO_MINUTES`."""
    issue, position, form = _posted(request, slug, pk)
    if not form.is_valid():
        return _as_it_is_now(request, issue, position, _not_understood(form), status=400)
    try:
        services.position_restore(
            position=position,
            editor=request.user,
            expected_version=form.cleaned_data["version"] or 0,
        )
    except services.EditConflict:
        return _as_it_is_now(request, issue, position, RESTORE_CONFLICT, status=409)
    except ValidationError as error:
        message = "Not restored: " + " ".join(error.messages)
        return _as_it_is_now(request, issue, position, message, status=422)
    return saved_fragment(
        request, issue, f"position-{pk}", _position_fragment(request, pk, restored=True)
    )
