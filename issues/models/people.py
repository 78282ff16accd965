"""Countries (the sides of a dossier) and the leaders who speak for them."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from .base import Timestamped, bounded_text, change_note_field, dated_history, length_check
from .sources import search_vector_field

# A BCP 47 language tag's shape: a language, then subtags (script, region, variant).
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class Country(models.Model):
    code = models.CharField(
        "ISO 3166 code", max_length=2, unique=True, help_text="Two capital letters, e.g. US, RU."
    )
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_iso",
                violation_error_message="The country code is two capital letters (ISO 3166).",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="country_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class Leader(Timestamped):
    """A person who states positions: a head of state or one of their officials."""

    name = models.CharField(max_length=150)
    native_name = models.CharField(
        "name in native script", max_length=150, blank=True, help_text="e.g. Владимир Путин"
    )
    native_name_lang = models.CharField(
        "language of the native name",
        max_length=35,
        blank=True,
        help_text="Its language tag (BCP 47), e.g. ru, uk, zh-Hans: screen readers read the "
        "name in that language. Not the country's code: Ukraine's language is uk.",
    )
    slug = models.SlugField(max_length=150, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="leaders")
    bio = bounded_text(2000, "short bio", blank=True)
    search_vector = search_vector_field(names=["name", "native_name"], c=["bio"])

    history = dated_history(
        history_change_reason_field=change_note_field(), excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            length_check("leader", "bio", 2000),
            models.CheckConstraint(condition=~Q(name=""), name="leader_name_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="leader_slug_not_blank"),
            models.CheckConstraint(
                condition=Q(native_name_lang="") | Q(native_name_lang__regex=LANGUAGE_TAG),
                name="leader_native_name_lang_tag",
                violation_error_message="A language tag is a language code of two or three "
                "letters, then any subtags after hyphens (e.g. ru, uk, zh-Hans).",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("issues:leader", kwargs={"slug": self.slug})

    @property
    def search_names(self) -> str:
        """The names positions are found by (`Position.leader_names`)."""
        return " ".join(name for name in (self.name, self.native_name) if name)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Positions are searchable by their leader's names, kept on each position (a
        # generated column cannot read another table): a renamed leader renames them.
        self.positions.exclude(leader_names=self.search_names).update(
            leader_names=self.search_names
        )

    def office_on(self, day) -> "Office | None":
        """The office held on `day` (offices must be prefetched or it queries)."""
        for office in self.offices.all():
            started = office.started_on is None or office.started_on <= day
            if started and (office.ended_on is None or day <= office.ended_on):
                return office
        return None


class Office(models.Model):
    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="offices")
    title = models.CharField(max_length=150, help_text="e.g. President of the United States")
    started_on = models.DateField("from", null=True, blank=True, help_text="Empty when unknown.")
    ended_on = models.DateField("to", null=True, blank=True, help_text="Empty while in office.")
    # Leaders are found by their offices ("president of russia") through this column.
    search_vector = search_vector_field(a=["title"])

    class Meta:
        ordering = ["leader", "-started_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="office_title_not_blank"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="office_ends_after_start",
                violation_error_message="An office cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
