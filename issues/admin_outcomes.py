"""The back office for what happened after a meeting, and for the sources' analyses.

Outcomes are entered on the meeting (the meeting's result and each issue's) and on each
scenario; saving scores the meeting again in the same transaction (the admin wraps each
save in one), so a corrected outcome re-scores at once, with a logged change. Scores and
re-scores are read-only: only `issues.scoring` writes them.
"""

from django.contrib import admin

from .models import (
    Analysis,
    IssueOutcome,
    MeetingOutcome,
    Rescore,
    ScenarioOutcome,
    Score,
)
from .scoring import meeting_score

RECORDED_HERE = "outcome recorded in the back office"


class MeetingOutcomeInline(admin.StackedInline):
    model = MeetingOutcome
    fields = ["result", "statement", ("source", "locator")]
    autocomplete_fields = ["source"]
    max_num = 1
    extra = 0


class IssueOutcomeInline(admin.TabularInline):
    model = IssueOutcome
    fields = ["issue", "raised", "what_was_said", "deliverable_reached", "source", "locator"]
    autocomplete_fields = ["issue", "source"]
    extra = 0


class RescoresMeeting:
    """Scores the meeting again once the outcome and its inlines are saved."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = self.scored_meeting(form.instance)
        if meeting is not None:
            meeting_score(meeting=meeting, reason=RECORDED_HERE)


@admin.register(ScenarioOutcome)
class ScenarioOutcomeAdmin(RescoresMeeting, admin.ModelAdmin):
    list_display = ["scenario", "came_true", "source", "locator"]
    list_filter = ["came_true", "scenario__meeting"]
    autocomplete_fields = ["scenario", "source"]

    def scored_meeting(self, outcome):
        return outcome.scenario.meeting

    def delete_model(self, request, obj):
        meeting = obj.scenario.meeting
        super().delete_model(request, obj)
        meeting_score(meeting=meeting, reason=RECORDED_HERE)


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "status", "forecast_label", "outcome", "brier", "hit"]
    list_filter = ["kind", "status", "meeting"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rescore)
class RescoreAdmin(ScoreAdmin):
    list_display = ["meeting", "at", "reason"]
    list_filter = ["meeting"]


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ["text", "author", "issue", "meeting", "locator", "status"]
    list_filter = ["status", "issue", "meeting"]
    search_fields = ["text", "quote", "author"]
    autocomplete_fields = ["source", "issue", "meeting"]
    fields = ["source", "author", "locator", "text", "quote", "issue", "meeting", "order", "status"]
