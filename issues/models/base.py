"""Abstract building blocks shared by the dossier models."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Versioned(Timestamped):
    """A record editors change: `version` grows by one on every save.

    An edit form carries the version it was opened on; saving over a newer version is a
    conflict rather than a silent overwrite.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
        super().save(*args, **kwargs)


# Every revision keeps the editor's note on the change; edit forms and drafts allow this much.
CHANGE_NOTE_MAX_LENGTH = 200


def change_note_field() -> models.CharField:
    """The revision tables' change-note column (django-simple-history's default holds 100)."""
    return models.CharField(max_length=CHANGE_NOTE_MAX_LENGTH, null=True)


def bounded_text(max_length: int, *args, **kwargs) -> models.TextField:
    """A text field with a maximum: forms refuse longer text with a message, and
    `length_check` makes the database refuse it too."""
    return models.TextField(*args, max_length=max_length, **kwargs)


def length_check(model: str, field: str, max_length: int) -> models.CheckConstraint:
    """The database side of a text field's maximum (a TextField has no length of its own)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), max_length),
        name=f"{model}_{field}_max_length",
        violation_error_message=f"At most {max_length:,} characters.",
    )
