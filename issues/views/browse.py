"""Browse, `/issues/`: filters that combine, kept in the query string, updated in place."""

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from issues.forms import BrowseFilterForm
from issues.http import HtmxHttpRequest
from issues.pages.browse import build_browse_page


@require_safe
def browse(request: HtmxHttpRequest) -> HttpResponse:
    form = BrowseFilterForm(request.GET or None)
    status = 200
    browse = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
        browse = build_browse_page(request.user, filters, request.GET.get("page"))

    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name != "page":
            query.setlist(name, [value for value in values if value])
    template_name = "issues/browse.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#results"
    response = render(
        request,
        template_name,
        {
            "form": form,
            "page": browse.page if browse else None,
            "results": browse.results if browse else [],
            "filtered": form.is_bound,
            "query_string": query.urlencode(),
        },
        status=status,
    )
    if request.htmx:
        # The address bar shows only the filters in use, so a copied URL stays short.
        push_url(response, f"{request.path}?{query.urlencode()}" if query else request.path)
    patch_vary_headers(response, ["HX-Request"])
    return response
