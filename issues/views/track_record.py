"""`/track-record/`: how well the published outlooks held."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from issues.track_record import build_track_record


@require_safe
def track_record(request: HttpRequest) -> HttpResponse:
    return render(request, "issues/track_record.html", {"record": build_track_record()})
