"""Citable documents: every claim in a dossier points at one."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import Timestamped
from .scales import SourceKind, choices_check


class Source(Timestamped):
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    archived_url = models.URLField("archived URL", max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE)
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    licence = models.CharField(max_length=200, blank=True, help_text="e.g. CC BY-NC-ND 4.0")
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_blank"),
            choices_check("kind", SourceKind, "source_kind_valid"),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(accessed_on__isnull=True)
                | Q(accessed_on__gte=F("published_on")),
                name="source_accessed_after_published",
                violation_error_message="A source cannot be accessed before it was published.",
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique",
                violation_error_message="Another source already has this URL.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("issues:source", kwargs={"pk": self.pk})


class Citation(models.Model):
    """Where in a source a claim is found: paragraph, page or timestamp."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    locator = models.CharField(
        max_length=100, blank=True, help_text="Paragraph, page or timestamp, e.g. “para. 4”."
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.source}, {self.locator}" if self.locator else str(self.source)
