"""Abstract building blocks shared by the dossier models."""

from django.db import models
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


class DatedRevision(models.Model):
    """What every revision adds to simple-history's own columns.

    `history_date` is the moment a revision took effect: usually the moment it was saved,
    but an import, or an editor correcting the record, may date it in the past so that
    `?as_of=` shows the dossier as it stood then. `history_recorded_at` is when it was
    actually written, so readers can see that a revision was recorded later than it took
    effect.
    """

    history_recorded_at = models.DateTimeField("recorded at", default=timezone.now)

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
