"""The site's addresses plus a bare view, the yardstick of `make bench`.

Used only when `DJANGO_BENCH_VIEWS=true` (see settings): production never routes here.
"""

from django.http import HttpResponse
from django.urls import path

from summit.urls import urlpatterns as site_urlpatterns


def bare(request) -> HttpResponse:
    """As little as Django can do for a request: the ceiling every page is compared with."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare, name="bench_bare"), *site_urlpatterns]
