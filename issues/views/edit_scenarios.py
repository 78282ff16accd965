"""A meeting's scenarios, their likelihood edited in place on the meeting page. Served
like every in-place record (`issues.views.edit_flow`)."""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from issues.forms import ScenarioEditForm
from issues.http import HtmxHttpRequest
from issues.models import Draft, Meeting, Scenario
from issues.views.edit_flow import RecordKind, editor_required, serve_form

SCENARIO = RecordKind(ScenarioEditForm, "issues/edit/_scenario_form.html")


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("issues.change_scenario")
def scenario_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    scenario = get_object_or_404(Scenario, pk=pk, meeting=meeting)
    back_url = f"{meeting.get_absolute_url()}#scenario-{scenario.pk}"
    context = {
        "meeting": meeting,
        "scenario": scenario,
        "action_url": reverse("issues:scenario_edit", args=[meeting.slug, scenario.pk]),
        "cancel_url": reverse("issues:scenario", args=[meeting.slug, scenario.pk]),
        "back_url": back_url,
    }

    def done(saved) -> HttpResponse:
        if not request.htmx:
            return HttpResponseRedirect(back_url)
        # The edit slot empties; the scenario's row is updated out of band.
        row = {
            "scenario": Scenario.objects.select_related("meeting").get(pk=scenario.pk),
            "can_edit": True,
            "draft": isinstance(saved, Draft),
            "oob": True,
        }
        return render(request, "issues/_scenario_row.html", row)

    return serve_form(request, SCENARIO, record=scenario, context=context, done=done)


@require_safe
def scenario_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    scenario = get_object_or_404(
        Scenario.objects.select_related("meeting"), pk=pk, meeting__slug=slug
    )
    if not request.htmx:
        return HttpResponseRedirect(f"{scenario.meeting.get_absolute_url()}#scenario-{pk}")
    # Cancel: the edit slot empties, the row is as it was.
    return HttpResponse("")
