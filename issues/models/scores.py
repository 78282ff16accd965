"""Scores of published forecasts against recorded outcomes, and the log of re-scores."""

from django.db import models
from django.db.models import Q

from .base import bounded_text, length_check
from .scales import choices_check


class ScoreKind(models.TextChoices):
    SCENARIO = "scenario", "Scenario likelihood"
    SALIENCE = "salience", "Issue salience"


class ScoreStatus(models.TextChoices):
    SCORED = "scored", "Scored"
    COUNTED = "counted", "Counted, not scored"
    UNSCORED = "unscored", "Not scored"


class Score(models.Model):
    """One forecast (a scenario's likelihood or an issue's salience, as published when the
    meeting began) against its outcome. Written only by `issues.scoring`."""

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="scores")
    kind = models.CharField(max_length=20, choices=ScoreKind.choices)
    scenario = models.ForeignKey(
        "Scenario", on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    issue = models.ForeignKey(
        "Issue", on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    forecast = models.SmallIntegerField(null=True, blank=True, help_text="The scale code.")
    forecast_label = models.CharField(max_length=80, blank=True)
    forecast_published_at = models.DateTimeField(null=True, blank=True)
    probability = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=ScoreStatus.choices)
    reason = models.CharField(max_length=200, blank=True, help_text="Why it is not scored.")
    brier = models.FloatField(null=True, blank=True)
    hit = models.BooleanField(null=True, blank=True)
    mapping_version = models.CharField(max_length=40, blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "kind", "pk"]
        constraints = [
            choices_check("kind", ScoreKind, "score_kind_valid"),
            choices_check("status", ScoreStatus, "score_status_valid"),
            models.CheckConstraint(
                condition=Q(kind=ScoreKind.SCENARIO, scenario__isnull=False)
                | Q(kind=ScoreKind.SALIENCE, issue__isnull=False),
                name="score_names_its_forecast",
            ),
            models.CheckConstraint(
                condition=Q(brier__isnull=True) | Q(brier__gte=0, brier__lte=1),
                name="score_brier_in_range",
            ),
            models.UniqueConstraint(
                fields=["scenario"], condition=Q(scenario__isnull=False), name="score_one_scenario"
            ),
            models.UniqueConstraint(
                fields=["meeting", "issue"],
                condition=Q(issue__isnull=False),
                name="score_one_issue_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.scenario or self.issue}"


class Rescore(models.Model):
    """A visible log entry: a meeting's scores changed after a correction."""

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="rescores")
    at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    changes = bounded_text(20000, help_text="What changed, one line an item.")

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [length_check("rescore", "changes", 20000)]

    def __str__(self) -> str:
        return f"{self.meeting} re-scored {self.at:%Y-%m-%d}"
