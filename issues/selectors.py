"""Reads behind editors' forms. What readers see is read in `issues.pages`."""

from django.db.models import Q, QuerySet

from .models import Source


def sources_matching(query: str, limit: int = 50) -> QuerySet[Source]:
    """For editors picking a source: drafts included."""
    matches = Source.objects.all()
    if query:
        matches = matches.filter(
            Q(title__icontains=query) | Q(publisher__icontains=query) | Q(url__icontains=query)
        )
    return matches.order_by("title")[:limit]
