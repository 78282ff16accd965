"""The publication policy: who may see what, decided here and nowhere else.

Readers see published records only. Editors (the `see_drafts` permission) also see drafts.
Publishing and discarding drafts is a separate permission (`publish_drafts`).

Every model with drafts derives from `Publishable` and gets a queryset with `published()`
and `visible_to(user)`. A model whose visibility also depends on a parent (a position is
public only when its issue is) says so in `published_condition`. Revisions are filtered with
`published_revisions`: a historical row counts for readers when it was published then.
"""

from django.db import models
from django.db.models import Q

from .scales import PublicationStatus

SEE_DRAFTS = "issues.see_drafts"
PUBLISH_DRAFTS = "issues.publish_drafts"
PUBLISHED = PublicationStatus.PUBLISHED


def can_see_drafts(user) -> bool:
    """Editors (and superusers) see drafts; everyone else reads published content only."""
    return bool(user is not None and user.is_authenticated and user.has_perm(SEE_DRAFTS))


def can_publish(user) -> bool:
    """Who may publish or discard drafts: a permission of its own, not any change right."""
    return bool(user is not None and user.is_authenticated and user.has_perm(PUBLISH_DRAFTS))


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(self.model.published_condition())

    def visible_to(self, user):
        return self if can_see_drafts(user) else self.published()


class Publishable(models.Model):
    """A record with a publication status. Drafts are seen by editors only."""

    status = models.CharField(
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        help_text="A draft is seen by editors only.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def published_condition(cls) -> Q:
        """What `published()` filters on; models with a parent add the parent's status."""
        return Q(status=PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED


def published_revisions(history: models.QuerySet) -> models.QuerySet:
    """Historical rows that were published when they were written. Records without drafts
    (a meeting, a summit) are public in every revision."""
    if not issubclass(history.model.instance_type, Publishable):
        return history
    return history.filter(status=PUBLISHED)


def revisions_visible_to(history: models.QuerySet, user) -> models.QuerySet:
    return history if can_see_drafts(user) else published_revisions(history)
