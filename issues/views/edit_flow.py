"""How every in-place edit form is served, declared once per kind of record.

A `RecordKind` says what differs between an outlook assessment, a position, an event and
a scenario: its form, its template, what the form opens with, and what else is saved with
it. `serve_form` does the rest the same way for all of them: the form (GET), validation
(422 with messages), the save (one transaction, one revision, version check) and a
conflict (409, merged field by field by `issues.merging`). Templates hold the markup.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from issues import merging, services
from issues.http import HtmxHttpRequest
from issues.models import Draft


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


def render_fragment(request: HtmxHttpRequest, template: str, context: dict, status: int = 200):
    """The fragment for htmx, the same fragment inside a plain page otherwise."""
    if request.htmx:
        response = render(request, template, context, status=status)
    else:
        page_context = {**context, "fragment_template": template}
        response = render(request, "issues/edit/page.html", page_context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def cited_initial(record: Any) -> dict:
    """A form citing many sources with one locator opens with the record's citations."""
    first = record.citations.first()
    return {"sources": list(record.sources.all()), "locator": first.locator if first else ""}


@dataclass(frozen=True)
class RecordKind:
    """One kind of record edited in place."""

    form: type[forms.ModelForm]
    template: str
    #: The record cites many sources with one locator (`services.Citations`).
    citations: bool = False
    #: What the form opens with for an existing record, besides its own fields.
    initial: Callable[[Any], dict] | None = None
    #: Run inside the save's transaction, before the record is saved: `(form, edit,
    #: context)`; e.g. a new source created with the position that cites it.
    before_save: Callable[[forms.ModelForm, services.Edit, dict], None] | None = None


def serve_form(
    request: HtmxHttpRequest,
    kind: RecordKind,
    *,
    record: models.Model | None,
    context: dict,
    done: Callable[[Any], HttpResponse],
    new: Callable[[], models.Model] | None = None,
    form_kwargs: dict | None = None,
) -> HttpResponse:
    """The edit form of `record` (or of a `new()` one): shown, validated and saved.
    `done(saved)` answers a successful save (`saved` is the record, or its `Draft`);
    `form_kwargs` are passed to the form (such as the issue an event is edited on)."""
    extra = form_kwargs or {}

    def blank() -> models.Model:
        if new is None:
            raise ValueError("no record to edit, and no way to make a new one")
        return new()

    if request.method != "POST":
        initial: dict = {"version": getattr(record, "version", None)}
        if record is not None and kind.initial is not None:
            initial |= kind.initial(record)
        form = kind.form(instance=record, initial=initial, **extra)
        return render_fragment(request, kind.template, {**context, "form": form})

    form = kind.form(request.POST, instance=record if record is not None else blank(), **extra)
    if not form.is_valid():
        return refused(request, kind.template, context, form)
    edit = edit_from(form, citations=kind.citations)

    @transaction.atomic
    def save():
        if kind.before_save is not None:
            kind.before_save(form, edit, context)
        if record is None:
            return services.record_create(record=blank(), editor=request.user, edit=edit)
        return services.record_update(
            record=record,
            editor=request.user,
            edit=edit,
            expected_version=form.cleaned_data["version"] or 0,
        )

    try:
        saved = save()
    except services.EditConflict as conflict:
        return conflict_response(request, kind.template, context, form, conflict.current)
    except ValidationError as error:
        _invalid(form, error)
        return render_fragment(request, kind.template, {**context, "form": form}, status=422)
    except services.DuplicateRecord:
        form.add_error(None, DUPLICATE_MESSAGE)
        return render_fragment(request, kind.template, {**context, "form": form}, status=409)
    return done(saved)


DUPLICATE_MESSAGE = (
    "Someone else added the same record while you were filling in this form; nothing of "
    "yours was saved. Reload the page to see theirs, then edit it if needed."
)


def saved_pk(saved: models.Model) -> int:
    """The record's id, whether the edit was saved on it or kept as its draft."""
    return saved.object_id if isinstance(saved, Draft) else saved.pk


FORM_ONLY = {"version", "note", "effective_on", "sources", "locator", "source", "meetings"}
FORM_ONLY |= {"source_query", "new_source_title", "new_source_publisher", "new_source_url"}


def edit_from(form, *, citations: bool = False) -> services.Edit:
    values = {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in FORM_ONLY and not name.startswith(merging.KEEP_PREFIX)
    }
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


def conflict_response(request, template, context, form, current, *, base=None, status=409):
    """409: the record as the other editor saved it, merged field by field with the
    editor's own (`issues.merging`): what only one side changed is kept, what both changed
    is asked about. The form now carries the current version, the base of the next save."""
    cleaned = getattr(form, "cleaned_data", {})
    mine = {name: cleaned.get(name, _submitted(form, name)) for name in form.merge_fields}
    merge = merging.three_way(
        current=current,
        mine=mine,
        base_version=base or cleaned.get("version"),
        labels={name: form.fields[name].label or name for name in mine},
    )
    data = merging.merged_data(form.data, merge)
    # Validating binds the editor's values to the instance: give the form its own copy.
    form = type(form)(data, instance=type(current).objects.get(pk=current.pk))
    form.is_valid()
    if status == 409:  # the choices are asked for, not yet missing
        for name in form.resolution_names:
            form.errors.pop(name, None)
    return render_fragment(
        request,
        template,
        {
            **context,
            "form": form,
            "conflict": current,
            "merge": merge,
            "merge_rows": merging.rows(merge, form),
        },
        status=status,
    )


def _submitted(form, name: str):
    """A field's value as sent: a list for a field of several choices (cited sources)."""
    if getattr(form.fields[name].widget, "allow_multiple_selected", False):
        return form.data.getlist(name)
    return form.data.get(name)


def refused(request, template: str, context: dict, form) -> HttpResponse:
    """422: the form with its messages; a conflict's resolution sent back incomplete shows
    the comparison again."""
    instance = getattr(form, "instance", None)
    if form.resolution_names and instance is not None and instance.pk is not None:
        current = type(instance).objects.get(pk=instance.pk)
        base = merging.carried_base(form.data)
        return conflict_response(request, template, context, form, current, base=base, status=422)
    return render_fragment(request, template, {**context, "form": form}, status=422)
