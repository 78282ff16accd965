"""Summits, the meetings on their sidelines, and the scenarios of a meeting's outcome."""

from typing import ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from issues.dates import FuzzyDate

from .base import (
    Timestamped,
    Versioned,
    bounded_text,
    change_note_field,
    dated_history,
    length_check,
)
from .people import Country, Leader
from .publishing import Publishable, PublishableQuerySet
from .scales import DatePrecision, Likelihood, MeetingStatus, PublicationStatus, choices_check
from .sources import Source


class Summit(Timestamped):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=150, unique=True)
    host_city = models.CharField(max_length=100)
    host_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="summits")
    starts_on = models.DateField(help_text="The first day its dates cover.")
    ends_on = models.DateField(help_text="The last day its dates cover.")
    dates_precision = models.CharField(
        "date precision",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="Day: the summit runs from its first to its last day. Month, year or period: "
        "the dates are known only that far.",
    )
    dates_as = models.CharField(
        "dates in the source's words",
        max_length=100,
        blank=True,
        help_text="For a period: “upcoming”.",
    )
    summary = bounded_text(5000, blank=True)

    history = dated_history(history_change_reason_field=change_note_field())

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            length_check("summit", "summary", 5000),
            models.CheckConstraint(condition=~Q(name=""), name="summit_name_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="summit_slug_not_blank"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="summit_ends_after_start",
                violation_error_message="A summit cannot end before it starts.",
            ),
            choices_check("dates_precision", DatePrecision, "summit_precision_valid"),
            models.CheckConstraint(
                condition=~Q(dates_precision=DatePrecision.PERIOD) | ~Q(dates_as=""),
                name="summit_period_has_words",
                violation_error_message="A period needs the source's own words for it.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dates(self) -> FuzzyDate:
        """When the summit runs, as its sources give it."""
        if self.dates_precision == DatePrecision.DAY:
            return FuzzyDate(self.starts_on, self.ends_on, DatePrecision.DAY)
        return FuzzyDate(self.starts_on, self.ends_on, self.dates_precision, self.dates_as)

    def get_absolute_url(self) -> str:
        return reverse("issues:summit", kwargs={"slug": self.slug})


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def with_board(self) -> Self:
        return self.select_related("summit", "summit__host_country", "outcome").prefetch_related(
            "participants__country"
        )


class Meeting(Versioned):
    """A meeting at a summit, such as a bilateral on its sidelines."""

    summit = models.ForeignKey(Summit, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=150, unique=True)
    participants = models.ManyToManyField(Leader, related_name="meetings", blank=True)
    scheduled_on = models.DateField(
        null=True, blank=True, help_text="Empty until a date is announced."
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.EXPECTED
    )
    headline = models.CharField(max_length=300, blank=True)
    outlook_summary = bounded_text(5000, blank=True)

    objects = MeetingQuerySet.as_manager()
    history = dated_history(
        history_change_reason_field=change_note_field(), m2m_fields=[participants]
    )

    class Meta:
        ordering = ["-summit__starts_on", "scheduled_on", "title"]
        constraints = [
            length_check("meeting", "outlook_summary", 5000),
            models.CheckConstraint(condition=~Q(title=""), name="meeting_title_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="meeting_slug_not_blank"),
            choices_check("status", MeetingStatus, "meeting_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("issues:meeting", kwargs={"slug": self.slug})

    @property
    def dates(self) -> FuzzyDate:
        """When the meeting takes place: its day if scheduled, else its summit's dates."""
        if self.scheduled_on:
            return FuzzyDate(self.scheduled_on, self.scheduled_on)
        return self.summit.dates

    @property
    def state(self):
        """Where the meeting stands today (`issues.lifecycle`)."""
        from issues.lifecycle import meeting_state

        return meeting_state(self)

    def clean(self) -> None:
        summit = self.summit if self.summit_id else None
        if (
            summit
            and self.scheduled_on
            and not (summit.starts_on <= self.scheduled_on <= summit.ends_on)
        ):
            raise ValidationError(
                {
                    "scheduled_on": "The meeting must fall within the summit "
                    f"({summit.starts_on} to {summit.ends_on})."
                }
            )


class ScenarioQuerySet(PublishableQuerySet["Scenario"]):
    pass


class Scenario(Versioned, Publishable):
    """A possible outcome of a meeting, with the editors' estimate of its likelihood."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=200)
    description = bounded_text(2000, blank=True)
    likelihood = models.SmallIntegerField(choices=Likelihood.choices, default=Likelihood.EVEN)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="scenarios", null=True, blank=True
    )
    locator = models.CharField(max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar = ScenarioQuerySet.as_manager()
    history = dated_history(history_change_reason_field=change_note_field())

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            length_check("scenario", "description", 2000),
            models.CheckConstraint(condition=~Q(title=""), name="scenario_title_not_blank"),
            choices_check("likelihood", Likelihood, "scenario_likelihood_valid"),
            choices_check("status", PublicationStatus, "scenario_status_valid"),
            models.UniqueConstraint(fields=["meeting", "title"], name="scenario_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title
