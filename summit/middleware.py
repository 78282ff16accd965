"""Response headers Django does not set itself."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict


def cross_origin_headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """`Permissions-Policy` (no page uses the camera, the microphone, geolocation...) and
    `Cross-Origin-Resource-Policy` (no other site may load the site's pages or files)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response

    return middleware


def refuse_nul_bytes(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """A NUL character is never meaningful, and PostgreSQL refuses it in any text it is
    handed: one in the path is a bad request (400); in the query string it is dropped
    before any view or filter sees it. (Form fields refuse it themselves, with a message.)"""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise BadRequest("NUL character in the address.")
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            # The stubs type `GET` as immutable, as `cleaned` now is (`_mutable` is off).
            request.GET = cleaned  # type: ignore[assignment]
        return get_response(request)

    return middleware


def api_head_as_get(get_response):
    """HEAD wherever GET is, on the JSON API too: its framework routes GET only, so a HEAD
    is answered as the GET it stands for, with the body left out."""

    def middleware(request):
        if request.method != "HEAD" or not request.path.startswith("/api/"):
            return get_response(request)
        request.method = "GET"
        response = get_response(request)
        request.method = "HEAD"
        if not getattr(response, "streaming", False):
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return middleware
