"""Several positions added to an issue in one submission (`issues.bulk`).

GET shows the rows (`?rows=` asks for more, up to `MAX_ROWS`: how to add a row without
JavaScript); POST saves every filled row in one transaction through the services, as
drafts or published, or saves none and answers 422 with each row's messages.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from issues import selectors, services
from issues.bulk import (
    DEFAULT_ROWS,
    MAX_ROWS,
    BatchForm,
    PositionFormSet,
    PositionRowForm,
    row_choices,
    source_choices,
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
    _choose_from_matches(formset)
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


def _choose_from_matches(formset) -> None:
    """A row whose typed source matched several offers just those; a row keeps the source
    it chose even when that one is not among the first few."""
    chosen_ids = set()
    for form in formset.forms:
        if form.source_matches:
            form.fields["source"].choices = source_choices(
                form.source_matches, empty="Choose one of the matches"
            )
        elif form.is_bound:
            value = form.data.get(form.add_prefix("source"), "")
            if value.isdigit() and len(value) < 19:
                chosen_ids.add(int(value))
    offered = {value for form in formset.forms for value, _ in form.fields["source"].choices}
    missing = Source.objects.filter(pk__in=chosen_ids - offered)
    extra = [(source.pk, selectors.source_label(source)) for source in missing]
    if extra:
        for form in formset.forms:
            if not form.source_matches:
                form.fields["source"].choices = [*form.fields["source"].choices, *extra]


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
    batch_rows: list[tuple[Position, services.Edit]] = []
    for form in filled:
        values = {n: v for n, v in form.cleaned_data.items() if n in PositionRowForm.Meta.fields}
        values["source"] = form.cleaned_data["source"]
        edit = services.Edit(
            values=values,
            note=batch.cleaned_data["note"],
            as_draft=as_draft,
            effective=batch.effective(),
        )
        batch_rows.append((Position(issue=issue), edit))
    try:
        saved = services.positions_create(issue=issue, editor=request.user, rows=batch_rows)
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


@require_safe
@editor_required("issues.add_position")
def source_options(request: HtmxHttpRequest) -> HttpResponse:
    """A row's source choices narrowed to what the editor typed (at most a few dozen)."""
    row = request.GET.get("row", "")
    if not (row.isdigit() and int(row) < MAX_ROWS):
        return HttpResponse("Unknown row.", status=400)
    query = request.GET.get(f"{PREFIX}-{row}-source_query", "").strip()[:100]
    matches = list(selectors.sources_matching(query))
    empty = f"Choose one of {len(matches)} matches" if query and matches else "---------"
    return render(
        request,
        "issues/edit/_bulk_source_select.html",
        {
            "name": f"{PREFIX}-{row}-source",
            "choices": source_choices(matches, empty=empty),
            "query": query,
            "found": bool(matches),
        },
    )
