"""Reads behind editors' forms. What readers see is read in `issues.pages`."""

from django.db.models import Q, QuerySet

from .models import Source

#: How many sources a picker offers at once: typing narrows them, the list never grows.
SOURCE_CHOICES_LIMIT = 50


def sources_matching(query: str, limit: int = SOURCE_CHOICES_LIMIT) -> QuerySet[Source]:
    """For editors picking a source: drafts included, at most `limit` of them."""
    matches = Source.objects.only("pk", "title", "publisher", "published_on", "url")
    if query:
        matches = matches.filter(
            Q(title__icontains=query) | Q(publisher__icontains=query) | Q(url__icontains=query)
        )
    return matches.order_by("title", "publisher", "-published_on", "pk")[:limit]


def source_label(source: Source) -> str:
    """What tells similar sources apart in a picker: title · publisher · date."""
    parts = [source.title, source.publisher]
    if source.published_on is not None:
        parts.append(source.published_on.isoformat())
    return " · ".join(part for part in parts if part)
