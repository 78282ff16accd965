"""Site-wide search, `/search/?q=`: issues, positions, events, assessments and sources.

A plain request gets the whole page; an htmx request (the live search as one types) gets
only the results, the `results` partial of the same template.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from issues import search as engine
from issues.http import HtmxHttpRequest


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    query, shortened = engine.clean_query(request.GET.get("q", ""))
    found = engine.search(query, request.user, request.GET.get("page")) if query else None
    # htmx restores history by asking for the page again: that answer must be whole.
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    template_name = "issues/search.html"
    if fragment:
        template_name += "#results"
    response = render(
        request,
        template_name,
        {
            "query": query,
            "shortened": shortened,
            "max_length": engine.MAX_QUERY_LENGTH,
            "page": found.page if found else None,
            "results": found.results if found else [],
            "full_text": engine.uses_full_text(),
            "fragment": fragment,
        },
    )
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response
