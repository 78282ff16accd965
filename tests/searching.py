"""What the search tests share: the records behind a page of search results."""

from django.db.models import Model

from issues import search


def records(results: list[search.Result]) -> list[Model]:
    """The record each result stands for, in the results' order."""
    return [search.BY_KIND[result.kind].model.objects.get(pk=result.pk) for result in results]
