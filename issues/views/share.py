"""Share images of the issue and meeting pages, for OpenGraph and Twitter cards
(`issues/share.py`): published content only, the same for everyone."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from issues import share


@require_safe
def issue_image(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(share.issue_image(slug), content_type="image/png")


@require_safe
def meeting_image(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(share.meeting_image(slug), content_type="image/png")
