"""Edits saved as drafts: readers keep seeing the published record until an editor
publishes the draft."""

from collections.abc import Iterable
from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .base import CHANGE_NOTE_MAX_LENGTH, Timestamped


class DraftQuerySet(models.QuerySet["Draft"]):
    def for_records(self, records: Iterable[models.Model]) -> Self:
        listed = list(records)
        if not listed:
            return self.none()
        content_type = ContentType.objects.get_for_model(listed[0])
        return self.filter(content_type=content_type, object_id__in=[r.pk for r in listed])


class Draft(Timestamped):
    """A pending edit of a published record: the changed values, who wrote them, and the
    version of the record they were written over (to catch a conflicting edit)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(help_text="The edited fields, as the edit form cleaned them.")
    note = models.CharField(max_length=CHANGE_NOTE_MAX_LENGTH, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="drafts"
    )
    base_version = models.PositiveIntegerField()

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="draft_one_per_record"
            ),
            models.CheckConstraint(condition=Q(base_version__gte=1), name="draft_base_version"),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.content_type.name} {self.object_id}"

    @property
    def display_values(self) -> list[tuple[str, str]]:
        """The drafted values as editors read them: field names and choice labels."""
        model = self.content_type.model_class()
        if model is None:  # its model was removed since the draft was written
            return []
        shown = []
        for name, value in self.data.items():
            if name.startswith("_"):
                continue
            field = model._meta.get_field(name)
            if not isinstance(field, models.Field):  # drafts hold form fields only
                continue
            if field.choices:
                value = dict(field.flatchoices).get(value, value)
            shown.append((str(field.verbose_name), "—" if value in ("", None) else str(value)))
        return shown
