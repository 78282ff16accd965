"""The source picker's choices, narrowed as the editor types (htmx): for the single
position form and for each row of the bulk form. Both answer the same select, of at most
`selectors.SOURCE_CHOICES_LIMIT` sources labelled so that similar ones read apart."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from issues import selectors
from issues.bulk import MAX_ROWS
from issues.forms import SOURCE_QUERY_MAX_LENGTH, source_choices
from issues.http import HtmxHttpRequest
from issues.views.bulk import PREFIX
from issues.views.edit_flow import editor_required


@require_safe
@editor_required("issues.change_position")
def source_lookup(request: HtmxHttpRequest) -> HttpResponse:
    """The single position form's choices."""
    return _narrowed(request, name="source", query=request.GET.get("source_query", ""))


@require_safe
@editor_required("issues.add_position")
def source_options(request: HtmxHttpRequest) -> HttpResponse:
    """A bulk row's choices; `?row=` names the row."""
    row = request.GET.get("row", "")
    if not (row.isdigit() and int(row) < MAX_ROWS):
        return HttpResponse("Unknown row.", status=400)
    query = request.GET.get(f"{PREFIX}-{row}-source_query", "")
    return _narrowed(request, name=f"{PREFIX}-{row}-source", query=query)


def _narrowed(request, *, name: str, query: str) -> HttpResponse:
    query = query.strip()[:SOURCE_QUERY_MAX_LENGTH]
    matches = list(selectors.sources_matching(query))
    empty = f"Choose one of {len(matches)} matches" if query and matches else "---------"
    return render(
        request,
        "issues/edit/_source_select.html",
        {
            "name": name,
            "choices": source_choices(matches, empty=empty),
            "query": query,
            "found": bool(matches),
        },
    )
