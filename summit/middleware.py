"""Response headers Django does not set itself."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


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
    """A NUL character is never meaningful in an address, and PostgreSQL refuses it in any
    text it is handed: a search or filter carrying one is a bad request (400), not a 500.
    (Form fields refuse it themselves, with a message.)"""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the address.")
        return get_response(request)

    return middleware
