"""Site-wide search, `/search/?q=`: people, issues, positions, events, assessments and
sources, grouped by kind (`&kind=people` narrows it to one kind, paged).

A plain request gets the whole page; an htmx request (the live search as one types) gets
only the results, the `results` partial of the same template. `/search/suggestions/?q=`
answers the header's search box as one types: a short list of links, for htmx; a plain
request for it goes to the whole search page.
"""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from issues import search as engine
from issues.http import HtmxHttpRequest


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    query, shortened = engine.clean_query(request.GET.get("q", ""))
    kind = engine.Kind.from_slug(request.GET.get("kind"))
    found = (
        engine.search(query, request.user, kind=kind, page_number=request.GET.get("page"))
        if query
        else None
    )
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
            "kind": kind,
            "shortened": shortened,
            "max_length": engine.MAX_QUERY_LENGTH,
            "found": found,
            "results": found.results if found else [],
            "full_text": engine.uses_full_text(),
            "fragment": fragment,
        },
    )
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_safe
def suggestions(request: HtmxHttpRequest) -> HttpResponse:
    query, _shortened = engine.clean_query(request.GET.get("q", ""))
    if not request.htmx:
        return redirect(f"{reverse('issues:search')}?{urlencode({'q': query})}")
    results = engine.suggest(query, request.user) if query else []
    response = render(
        request, "issues/_search_suggestions.html", {"query": query, "suggestions": results}
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
