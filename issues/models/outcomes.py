"""What happened at a meeting, as editors record it from sources: the meeting itself, each
issue and each scenario. Scores (`issues.scoring`) are computed from these."""

from django.db import models
from django.db.models import Q

from .base import Versioned, bounded_text, change_note_field, dated_history, length_check
from .scales import MeetingStatus, choices_check
from .sources import Source


class MeetingResult(models.TextChoices):
    HELD = MeetingStatus.HELD.value, "Held"
    INFORMAL = MeetingStatus.INFORMAL.value, "Held informally"
    CANCELLED = MeetingStatus.CANCELLED.value, "Cancelled"
    POSTPONED = MeetingStatus.POSTPONED.value, "Postponed"


class Resolution(models.TextChoices):
    """Whether something happened, as the sources settle it."""

    YES = "yes", "Yes"
    NO = "no", "No"
    AMBIGUOUS = "ambiguous", "Ambiguous: the sources do not settle it"


class Sourced(Versioned):
    """Every outcome cites its source (`source`, declared by each model) and a locator."""

    locator = models.CharField(max_length=100, blank=True, help_text="Paragraph, page, time.")

    class Meta:
        abstract = True


class MeetingOutcome(Sourced):
    """Whether the meeting took place, and its statement."""

    meeting = models.OneToOneField("Meeting", on_delete=models.CASCADE, related_name="outcome")
    result = models.CharField(max_length=20, choices=MeetingResult.choices)
    statement = bounded_text(5000, blank=True, help_text="What the sides said of it; Markdown.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="meeting_outcomes")

    history = dated_history(history_change_reason_field=change_note_field())

    class Meta:
        ordering = ["meeting"]
        constraints = [
            choices_check("result", MeetingResult, "meetingoutcome_result_valid"),
            length_check("meetingoutcome", "statement", 5000),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_result_display()}"

    @property
    def annuls_forecasts(self) -> bool:
        """A meeting that did not take place leaves its scenarios nothing to come true in."""
        return self.result in (MeetingResult.CANCELLED, MeetingResult.POSTPONED)


class IssueOutcome(Sourced):
    """What became of one issue at the meeting."""

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="issue_outcomes")
    issue = models.ForeignKey("Issue", on_delete=models.CASCADE, related_name="outcomes")
    raised = models.CharField(max_length=10, choices=Resolution.choices)
    what_was_said = bounded_text(5000, blank=True)
    deliverable_reached = models.CharField(
        max_length=10,
        choices=Resolution.choices,
        blank=True,
        help_text="Empty when the assessment named no deliverable.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="issue_outcomes")

    history = dated_history(history_change_reason_field=change_note_field())

    class Meta:
        ordering = ["meeting", "issue__order"]
        constraints = [
            length_check("issueoutcome", "what_was_said", 5000),
            models.UniqueConstraint(fields=["meeting", "issue"], name="issueoutcome_unique"),
            choices_check("raised", Resolution, "issueoutcome_raised_valid"),
            models.CheckConstraint(
                condition=Q(deliverable_reached="") | Q(deliverable_reached__in=Resolution.values),
                name="issueoutcome_deliverable_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} at {self.meeting}: raised {self.get_raised_display().lower()}"


class ScenarioOutcome(Sourced):
    """Whether a scenario came true."""

    scenario = models.OneToOneField("Scenario", on_delete=models.CASCADE, related_name="outcome")
    came_true = models.CharField(max_length=10, choices=Resolution.choices)
    note = bounded_text(2000, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="scenario_outcomes")

    history = dated_history(history_change_reason_field=change_note_field())

    class Meta:
        ordering = ["scenario"]
        constraints = [
            choices_check("came_true", Resolution, "scenariooutcome_valid"),
            length_check("scenariooutcome", "note", 2000),
        ]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.get_came_true_display()}"
