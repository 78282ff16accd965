"""Several positions added to an issue in one submission (`issues.bulk`).

GET shows the rows (`?rows=` asks for more, up to `MAX_ROWS`: how to add a row without
JavaScript); POST saves every filled row in one transaction through the services, as
drafts or published, or saves none and answers 422 with each row's messages.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from issues import selectors, services
from issues.bulk import (
    DEFAULT_ROWS,
    MAX_ROWS,
    BatchForm,
    PositionFormSet,
    PositionRowForm,
    row_choices,
)
from issues.http import HtmxHttpRequest
from issues.models import Issue, Position, Source
from issues.views.edit_flow import DUPLICATE_MESSAGE, _invalid, editor_required

PREFIX = "positions"


def _rows_wanted(request) -> int:
    value = request.GET.get("rows", "")
    rows = int(value) if value.isdigit() and len(value) <= 3 else DEFAULT_ROWS
    return max(1, min(rows, MAX_ROWS))


def _render(request, issue: Issue, batch, formset, *, rows: int, status: int = 200):
    _keep_chosen(formset)
    more = min(rows + 3, MAX_ROWS)
    context = {
        "issue": issue,
        "batch": batch,
        "formset": formset,
        "action_url": reverse("issues:positions_bulk", args=[issue.slug]),
        "more_rows_url": f"{reverse('issues:positions_bulk', args=[issue.slug])}?rows={more}"
        if more > rows
        else "",
        "back_url": f"{issue.get_absolute_url()}#positions",
        "max_rows": MAX_ROWS,
    }
    return render(request, "issues/edit/positions_bulk.html", context, status=status)


def _keep_chosen(formset) -> None:
    """A row keeps the source it chose even when that one is not among the first offered
    (read for all rows in one query)."""
    wanted = {}
    for form in formset.forms:
        chosen = form.chosen_source_id() if form.is_bound else None
        if chosen is not None and chosen not in {v for v, _ in form.fields["source"].choices}:
            wanted[form] = chosen
    found = {
        source.pk: (source.pk, selectors.source_label(source))
        for source in Source.objects.filter(pk__in=set(wanted.values()))
    }
    for form, chosen in wanted.items():
        if chosen in found:
            form.fields["source"].choices = [*form.fields["source"].choices, found[chosen]]


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.add_position")
def positions_bulk(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    issue = get_object_or_404(Issue, slug=slug)
    choices = row_choices(issue)
    if request.method != "POST":
        rows = _rows_wanted(request)
        formset = PositionFormSet(
            queryset=Position.objects.none(),
            prefix=PREFIX,
            form_kwargs={"choices": choices},
        )
        formset.extra = rows
        return _render(request, issue, BatchForm(), formset, rows=rows)

    batch = BatchForm(request.POST)
    formset = PositionFormSet(
        request.POST,
        queryset=Position.objects.none(),
        prefix=PREFIX,
        form_kwargs={"choices": choices},
    )
    rows = min(formset.total_form_count(), MAX_ROWS)
    if not (batch.is_valid() and formset.is_valid()):
        return _render(request, issue, batch, formset, rows=rows, status=422)

    filled = [form for form in formset.forms if form.has_changed()]
    as_draft = request.POST.get("action") == "draft"
    try:
        saved = _save_rows(issue, request.user, filled, batch, as_draft=as_draft)
    except services.RowInvalid as refused:
        form = filled[refused.index]
        if isinstance(refused.error, services.DuplicateRecord):
            form.add_error(None, DUPLICATE_MESSAGE)
            return _render(request, issue, batch, formset, rows=rows, status=409)
        _invalid(form, refused.error)
        return _render(request, issue, batch, formset, rows=rows, status=422)
    state = "drafts" if as_draft else "published"
    messages.success(request, f"{len(saved)} position{'s' if len(saved) != 1 else ''} {state}.")
    return HttpResponseRedirect(f"{issue.get_absolute_url()}#positions")


def _save_rows(issue: Issue, editor, filled: list, batch: BatchForm, *, as_draft: bool):
    """The rows' new sources and their positions, in one transaction: all, or none."""
    with transaction.atomic():
        rows: list[tuple[Position, services.Edit]] = []
        for index, form in enumerate(filled):
            try:
                source = form.picked_source(as_draft=as_draft)
            except ValidationError as error:
                raise services.RowInvalid(index, error) from error
            values = {n: form.cleaned_data[n] for n in PositionRowForm.Meta.fields}
            edit = services.Edit(
                values={**values, "source": source},
                note=batch.cleaned_data["note"],
                as_draft=as_draft,
                effective=batch.effective(),
            )
            rows.append((Position(issue=issue), edit))
        return services.positions_create(issue=issue, editor=editor, rows=rows)
