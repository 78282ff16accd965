"""Countries (the sides of a dossier) and the leaders who speak for them."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from .base import Timestamped, dated_history


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
    slug = models.SlugField(max_length=150, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="leaders")
    bio = models.TextField("short bio", blank=True)

    history = dated_history()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="leader_name_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="leader_slug_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("issues:leader", kwargs={"slug": self.slug})

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
