"""How to read the dossiers: the scales, the outlook formula, sourcing and dating, the charts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from issues.pages.method import build_method_page


@require_safe
def method(request: HttpRequest) -> HttpResponse:
    return render(request, "issues/method.html", {"method": build_method_page()})
