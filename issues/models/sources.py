"""Citable documents: every claim in a dossier points at one."""

from functools import reduce
from typing import ClassVar

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse

from .base import Timestamped, bounded_text, change_note_field, dated_history, length_check
from .publishing import Publishable, PublishableQuerySet
from .scales import PublicationStatus, SourceKind, choices_check

# Names are indexed as written (see `SearchDocument`).
NAME_CONFIG = "simple"


class SearchDocument(Func):
    """A row's full-text search document, the expression of its `search_vector` column.

    On PostgreSQL, a weighted `tsvector` of the row's own text columns: `names` and `a`
    (names and titles) rank above `b` (summaries, quotes) above `c` (background, rationale,
    description). The column is a stored generated column, so the database keeps it current
    on every write, bulk updates included; migrations give it a GIN index.

    Names of people are indexed twice at weight A: with the `simple` configuration (every
    word kept as written, lower-cased: no stemming, no stop words, any script, so
    "Путин" and "Moon Jae-in" are found as typed) and with `english`, so that a query mixing
    a name and a topic ("mattis sanctions") matches through the English branch. Queries
    are run in both configurations (see `issues.search`).

    Other databases (SQLite) have no `tsvector`: there the column holds NULL and
    `issues.search` falls back to whole-word matching on the same text columns.
    """

    output_field = SearchVectorField()

    def __init__(self, *, names=(), a=(), b=(), c=(), config="english"):
        #: The text columns by weight; `issues.search` matches them on SQLite too.
        self.columns = {"A": tuple(names) + tuple(a), "B": tuple(b), "C": tuple(c)}
        vectors = [
            SearchVector(*names, weight="A", config=name_config)
            for name_config in (NAME_CONFIG, config)
            if names
        ] + [
            SearchVector(*columns, weight=weight, config=config)
            for weight, columns in (("A", tuple(a)), ("B", tuple(b)), ("C", tuple(c)))
            if columns
        ]
        super().__init__(reduce(lambda left, right: left + right, vectors))

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", ()

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


def search_vector_field(**document) -> models.GeneratedField:
    """The stored `search_vector` column of a searchable model (see `SearchDocument`)."""
    return models.GeneratedField(
        expression=SearchDocument(**document),
        output_field=SearchVectorField(),
        db_persist=True,
    )


class Source(Timestamped, Publishable):
    """A citable document. One created together with a draft (a new source typed into a
    draft position) is a draft too, until that draft is published."""

    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    archived_url = models.URLField("archived URL", max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE)
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    licence = models.CharField(max_length=200, blank=True, help_text="e.g. CC BY-NC-ND 4.0")
    notes = bounded_text(5000, blank=True)
    search_vector = search_vector_field(a=["title"], b=["author", "publisher"], c=["notes"])

    objects: ClassVar = PublishableQuerySet.as_manager()
    history = dated_history(
        history_change_reason_field=change_note_field(), excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            length_check("source", "notes", 5000),
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_blank"),
            choices_check("kind", SourceKind, "source_kind_valid"),
            choices_check("status", PublicationStatus, "source_status_valid"),
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
