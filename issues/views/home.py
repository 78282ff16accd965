"""The home page: meetings with their outlook at a glance, and the latest changes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from issues.pages.listings import build_home_page


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "issues/home.html", {"page": build_home_page(request.user)})
