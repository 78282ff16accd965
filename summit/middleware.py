"""Response headers Django does not set itself."""

from collections.abc import Callable

from django.conf import settings
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
