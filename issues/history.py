"""Revisions of dossier records (django-simple-history).

A revision snapshots a record together with its many-to-many links (an assessment's cited
sources, an issue's topics). When a record and its links are saved in separate steps, as in
an admin form with inlines, the revision must be written after the links, or it would
snapshot the links as they were before the edit: `defer_revision` before saving the record,
`write_revision` once the links are saved.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.db.models.signals import post_save


def defer_revision(instance: models.Model) -> None:
    # simple-history reads this attribute; it is no field the type checker knows.
    instance.__dict__["skip_history_when_saving"] = True


def write_revision(instance: models.Model, *, created: bool) -> None:
    instance.__dict__.pop("skip_history_when_saving", None)
    # simple-history writes revisions from post_save; sending it once more, now that the
    # links are saved, records the complete state. No other receiver listens to it here.
    post_save.send(sender=type(instance), instance=instance, created=created, raw=False)


@contextmanager
def one_revision(instance: models.Model) -> Iterator[None]:
    """Save `instance` and its links inside the block; one revision is written at the end."""
    created = instance.pk is None
    defer_revision(instance)
    try:
        yield
    except BaseException:
        instance.__dict__.pop("skip_history_when_saving", None)
        raise
    write_revision(instance, created=created)
