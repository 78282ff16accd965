"""Request helpers: the type of views that answer htmx requests (django-htmx's middleware
sets `htmx`), and whether a request comes from a browser navigating."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_a_page(request: HttpRequest) -> bool:
    """A browser navigating asks for HTML first; feed readers ask for feeds (or anything)."""
    return "text/html" in request.META.get("HTTP_ACCEPT", "")
