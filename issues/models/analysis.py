"""A source's own judgement: what its author concludes, not what a side said or did."""

from typing import ClassVar, Self

from django.db import models
from django.db.models import Q

from .base import Versioned, bounded_text, change_note_field, dated_history, length_check
from .publishing import Publishable, PublishableQuerySet
from .scales import PublicationStatus, choices_check
from .sources import Source


class AnalysisQuerySet(PublishableQuerySet["Analysis"]):
    def with_details(self) -> Self:
        return self.select_related("source", "issue", "meeting")


class Analysis(Versioned, Publishable):
    """A judgement of the source's author ("the first demand is a complete nonstarter"):
    shown with its author and locator, it informs the outlook assessments; it is never a
    side's position and never a cell of the stance matrix."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="analyses")
    author = models.CharField(
        max_length=200,
        help_text="As the source names them; “the article's author” when it names no one.",
    )
    locator = models.CharField(max_length=100, help_text="Paragraph, page or timestamp.")
    text = bounded_text(2000, help_text="The judgement, in the editor's words.")
    quote = bounded_text(
        2000, "verbatim quote", blank=True, help_text="Exactly as the source gives it, or empty."
    )
    issue = models.ForeignKey(
        "Issue", on_delete=models.CASCADE, related_name="analyses", null=True, blank=True
    )
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.CASCADE, related_name="analyses", null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar = AnalysisQuerySet.as_manager()
    history = dated_history(history_change_reason_field=change_note_field())

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "analyses"
        constraints = [
            length_check("analysis", "text", 2000),
            length_check("analysis", "quote", 2000),
            models.CheckConstraint(condition=~Q(author=""), name="analysis_author_not_blank"),
            models.CheckConstraint(condition=~Q(text=""), name="analysis_text_not_blank"),
            models.CheckConstraint(
                condition=~Q(locator=""),
                name="analysis_locator_not_blank",
                violation_error_message="Say where in the source the judgement is found.",
            ),
            models.CheckConstraint(
                condition=Q(issue__isnull=False) | Q(meeting__isnull=False),
                name="analysis_about_something",
                violation_error_message="An analysis bears on an issue, a meeting or both.",
            ),
            choices_check("status", PublicationStatus, "analysis_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:60]}"

    @classmethod
    def published_condition(cls) -> Q:
        return Q(status=PublicationStatus.PUBLISHED) & (
            Q(issue__isnull=True) | Q(issue__status=PublicationStatus.PUBLISHED)
        )
