"""Editors' pending draft edits of the records a page shows."""

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from issues.models import Draft

from .reading import RecordKey


def pending_drafts(records: Iterable[models.Model]) -> dict[RecordKey, Draft]:
    """Draft edits of the given records (of one or more models), in one query whatever the
    number of models: an editor's page adds it to what a reader's page reads."""
    by_model: dict[type[models.Model], list[int]] = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record.pk)
    if not by_model:
        return {}
    content_types = ContentType.objects.get_for_models(*by_model)  # cached after the first
    models_by_type = {content_types[model].pk: model for model in by_model}
    wanted = reduce(
        or_,
        (
            Q(content_type=content_types[model], object_id__in=ids)
            for model, ids in by_model.items()
        ),
    )
    found = Draft.objects.filter(wanted).select_related("author", "content_type")
    return {(models_by_type[draft.content_type_id], draft.object_id): draft for draft in found}
