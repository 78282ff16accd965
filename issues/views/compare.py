"""Compare, `/compare/?a=<slug>&b=<slug>&meeting=<slug>`: two leaders or sides side by side,
over every dossier or one meeting's issues (see `issues.pages.compare`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from issues.pages.compare import CompareForm, compare_choices, compare_parties


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    sides, leaders, meetings = compare_choices()
    asked = any(name in request.GET for name in ("a", "b", "meeting"))
    form = CompareForm(
        request.GET if asked else None, sides=sides, leaders=leaders, meetings=meetings
    )
    comparison = None
    if asked and form.is_valid():
        comparison = compare_parties(
            form.parties[form.cleaned_data["a"]],
            form.parties[form.cleaned_data["b"]],
            request.user,
            form.chosen_meeting,
        )
    example = [p for p in form.parties.values() if p.is_side][:2]
    return render(
        request,
        "issues/compare.html",
        {"form": form, "comparison": comparison, "example": example if len(example) == 2 else []},
        status=400 if asked and comparison is None else 200,
    )
