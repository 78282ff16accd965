"""Abstract building blocks shared by the dossier models."""

from datetime import datetime

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords


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
    # The stubs take `*args` as possibly filling `max_length` too; callers pass it by name.
    return models.TextField(*args, max_length=max_length, **kwargs)  # type: ignore[misc]


def length_check(model: str, field: str, max_length: int) -> models.CheckConstraint:
    """The database side of a text field's maximum (a TextField has no length of its own)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), max_length),
        name=f"{model}_{field}_max_length",
        violation_error_message=f"At most {max_length:,} characters.",
    )


class DatedRevision(models.Model):
    """What every revision adds to simple-history's own columns.

    `history_date` is the moment a revision took effect: usually the moment it was saved,
    but an import, or an editor correcting the record, may date it in the past so that
    `?as_of=` shows the dossier as it stood then. `history_recorded_at` is when it was
    actually written, so readers can see that a revision was recorded later than it took
    effect.
    """

    history_recorded_at = models.DateTimeField("recorded at", default=timezone.now)
    history_date: datetime  # simple-history's column, added to the concrete revision model

    class Meta:
        abstract = True

    @property
    def recorded_later(self) -> bool:
        """Recorded on a later day than the one it took effect (UTC)."""
        return self.history_recorded_at.date() > self.history_date.date()


def dated_history(**options) -> HistoricalRecords:
    """Revisions of a dossier model, each with the date it took effect and when it was
    recorded (see `DatedRevision`)."""
    return HistoricalRecords(bases=[DatedRevision], **options)
