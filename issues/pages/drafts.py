"""Editors' pending draft edits of the records a page shows."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import models

from issues.models import Draft

from .reading import RecordKey


def pending_drafts(records: Iterable[models.Model]) -> dict[RecordKey, Draft]:
    """Draft edits of the given records (of one or more models), one query per model."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    drafts: dict[RecordKey, Draft] = {}
    for model, group in by_model.items():
        for draft in Draft.objects.for_records(group).select_related("author", "content_type"):
            drafts[(model, draft.object_id)] = draft
    return drafts
