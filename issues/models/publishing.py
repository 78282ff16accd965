"""The publication policy: who may see what, decided here and nowhere else.

Readers see published records only. Editors (the `see_drafts` permission) also see drafts.
Publishing and discarding drafts is a separate permission (`publish_drafts`).

Every model with drafts derives from `Publishable` and gets a queryset with `published()`
and `visible_to(user)`. A model whose visibility also depends on a parent (a position is
public only when its issue is) says so in `published_condition`. Revisions are filtered with
`published_revisions`: a historical row counts for readers when it was published then.
"""

from typing import Any, Protocol, Self, TypeVar

from django.db import models
from django.db.models import Q

from .scales import PublicationStatus

SEE_DRAFTS = "issues.see_drafts"
PUBLISH_DRAFTS = "issues.publish_drafts"
PUBLISHED = PublicationStatus.PUBLISHED


class Viewer(Protocol):
    """Who reads a page: a signed-in user or an anonymous visitor (`request.user`). The
    policy asks only these two things of them."""

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: models.Model | None = ...) -> bool: ...


def can_see_drafts(user: Viewer | None) -> bool:
    """Editors (and superusers) see drafts; everyone else reads published content only."""
    return bool(user is not None and user.is_authenticated and user.has_perm(SEE_DRAFTS))


def can_publish(user: Viewer | None) -> bool:
    """Who may publish or discard drafts: a permission of its own, not any change right."""
    return bool(user is not None and user.is_authenticated and user.has_perm(PUBLISH_DRAFTS))


# Covariant, as django-stubs declares a queryset's model: a queryset of issues is a queryset
# of publishable records.
M = TypeVar("M", bound="Publishable", covariant=True)


class PublishableQuerySet(models.QuerySet[M]):
    """Records of one publishable model (`M`), filtered by the publication policy."""

    def published(self) -> Self:
        return self.filter(self.model.published_condition())

    def visible_to(self, user: Viewer | None) -> Self:
        return self if can_see_drafts(user) else self.published()


class Publishable(models.Model):
    """A record with a publication status. Drafts are seen by editors only."""

    status = models.CharField(
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        help_text="A draft is seen by editors only.",
    )

    # A model with a queryset of its own declares it as `objects: ClassVar = ...`: the type
    # checker then takes that manager's type for the base's.
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


# simple-history builds its historical models at run time and ships no type information:
# a queryset of revisions holds rows typed `Any`, read by the names of their model's fields.
type History = models.QuerySet[Any]


def published_revisions(history: History) -> History:
    """Historical rows that were published when they were written. Records without drafts
    (a meeting, a summit) are public in every revision."""
    if not issubclass(history.model.instance_type, Publishable):
        return history
    return history.filter(status=PUBLISHED)


def revisions_visible_to(history: History, user: Viewer | None) -> History:
    return history if can_see_drafts(user) else published_revisions(history)
