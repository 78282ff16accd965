"""The dossier itself: an issue, where each side stands on it, what happened, and how it
bears on a meeting's outlook."""

from typing import ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Trim
from django.urls import reverse

from issues.dates import FuzzyDate

from .base import Versioned, bounded_text, change_note_field, dated_history, length_check
from .dating import interval_constraints, settle_interval, when
from .people import Country, Leader
from .publishing import Publishable, PublishableQuerySet, Viewer, can_see_drafts
from .scales import (
    DatePrecision,
    Effect,
    PositionKind,
    Posture,
    PublicationStatus,
    Salience,
    choices_check,
)
from .sources import Citation, Source, search_vector_field
from .summits import Meeting


class Topic(models.Model):
    """A tag for issues, such as Russia or Arms control."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="topic_name_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class IssueQuerySet(PublishableQuerySet["Issue"]):
    def for_meeting(self, meeting: Meeting) -> Self:
        return self.filter(meetings=meeting)


class Issue(Versioned, Publishable):
    """A dossier: one divisive issue and everything gathered on it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=150, unique=True)
    summary = bounded_text(1000, help_text="One paragraph: what link previews and feeds show.")
    background = bounded_text(20000, blank=True, help_text="Markdown.")
    topics = models.ManyToManyField(Topic, related_name="issues", blank=True)
    sides = models.ManyToManyField(
        Country,
        related_name="issues",
        blank=True,
        help_text="The countries whose positions it sets side by side.",
    )
    meetings = models.ManyToManyField(Meeting, related_name="issues", blank=True)
    status = models.CharField(
        max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in lists.")
    search_vector = search_vector_field(a=["title"], b=["summary"], c=["background"])

    objects: ClassVar = IssueQuerySet.as_manager()
    history = dated_history(
        history_change_reason_field=change_note_field(),
        m2m_fields=[topics, meetings],
        excluded_fields=["search_vector"],
    )

    class Meta:
        ordering = ["order", "title"]
        permissions = [
            ("see_drafts", "Can see drafts and everything not yet published"),
            ("publish_drafts", "Can publish and discard drafts"),
        ]
        constraints = [
            length_check("issue", "background", 20000),
            length_check("issue", "summary", 1000),
            models.CheckConstraint(condition=~Q(title=""), name="issue_title_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="issue_slug_not_blank"),
            models.CheckConstraint(condition=~Q(summary=""), name="issue_summary_not_blank"),
            choices_check("status", PublicationStatus, "issue_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("issues:issue", kwargs={"slug": self.slug})


class PositionQuerySet(PublishableQuerySet["Position"]):
    def current(self) -> Self:
        return self.filter(withdrawn_at__isnull=True)

    def with_details(self) -> Self:
        return self.select_related("issue", "country", "leader", "source")

    def sync_leader_names(self) -> int:
        """Copy each leader's names onto their positions (`leader_names`), for writes that
        bypass `save()` (bulk inserts); returns how many positions changed."""
        names = Subquery(
            Leader.objects.filter(pk=OuterRef("leader_id")).values(
                full=Concat("name", Value(" "), "native_name", output_field=models.CharField())
            )
        )
        changed = self.filter(leader__isnull=False).exclude(leader_names=Trim(names))
        unattributed = self.filter(leader__isnull=True).exclude(leader_names="")
        return changed.update(leader_names=Trim(names)) + unattributed.update(leader_names="")


class Position(Versioned, Publishable):
    """What one side said or did on one issue, with its source."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="positions")
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="positions", verbose_name="side"
    )
    leader = models.ForeignKey(
        Leader,
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
        help_text="Empty when the source names no one (e.g. “Russian officials”).",
    )
    attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the source says it was, in its words: “Russian officials”, “Moscow”.",
    )
    kind = models.CharField(max_length=20, choices=PositionKind.choices)
    posture = models.SmallIntegerField(choices=Posture.choices)
    summary = bounded_text(2000, help_text="In the editor's words.")
    quote = bounded_text(
        2000, "verbatim quote", blank=True, help_text="Exactly as the source gives it, or empty."
    )
    stated_on = models.DateField("date stated", help_text="The first day the date covers.")
    stated_on_precision = models.CharField(
        "date precision",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date the source gives.",
    )
    stated_until = models.DateField(
        "date stated, last day",
        null=True,
        blank=True,
        help_text="Filled from the precision; for a period, its last day.",
    )
    stated_as = models.CharField(
        "date in the source's words",
        max_length=100,
        blank=True,
        help_text="For a period: “late October”, “this week”.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="positions")
    locator = models.CharField(max_length=100, help_text="Paragraph, page or timestamp.")
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when superseded; positions are never deleted."
    )
    # The leader's names (`Leader.search_names`), copied here so that the generated search
    # vector can index them: "bolton" finds John Bolton's positions.
    leader_names = models.CharField(max_length=301, blank=True, default="", editable=False)
    search_vector = search_vector_field(
        names=["attribution", "leader_names"], b=["summary", "quote"]
    )

    objects: ClassVar = PositionQuerySet.as_manager()
    history = dated_history(
        history_change_reason_field=change_note_field(), excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["-stated_on", "pk"]
        constraints = [
            length_check("position", "quote", 2000),
            length_check("position", "summary", 2000),
            choices_check("posture", Posture, "position_posture_valid"),
            choices_check("kind", PositionKind, "position_kind_valid"),
            choices_check("status", PublicationStatus, "position_status_valid"),
            choices_check("stated_on_precision", DatePrecision, "position_precision_valid"),
            *interval_constraints(
                "position", "stated_on", "stated_until", "stated_on_precision", "stated_as"
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="position_summary_not_blank",
                violation_error_message="A position needs a summary.",
            ),
            models.CheckConstraint(
                condition=~Q(locator=""),
                name="position_locator_not_blank",
                violation_error_message="Say where in the source the position is found.",
            ),
            models.CheckConstraint(
                condition=Q(leader__isnull=False) | ~Q(attribution=""),
                name="position_attributed",
                violation_error_message=(
                    "A position without a leader needs an attribution, e.g. “Russian officials”."
                ),
            ),
        ]
        indexes = [models.Index(fields=["issue", "country", "-stated_on"])]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.summary[:60]}"

    @classmethod
    def published_condition(cls) -> Q:
        return Q(status=PublicationStatus.PUBLISHED, issue__status=PublicationStatus.PUBLISHED)

    def get_absolute_url(self) -> str:
        return f"{self.issue.get_absolute_url()}#position-{self.pk}"

    def save(self, *args, **kwargs) -> None:
        settle_interval(self, *self.DATE_FIELDS)
        self.leader_names = self.leader.search_names if self.leader is not None else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "leader" in update_fields:
            kwargs["update_fields"] = {*update_fields, "leader_names"}
        super().save(*args, **kwargs)

    @property
    def speaker(self) -> str:
        return self.leader.name if self.leader is not None else self.attribution

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def stated(self) -> FuzzyDate:
        """When the position was stated, as the source gives it."""
        return when(self, *self.DATE_FIELDS)

    DATE_FIELDS = ("stated_on", "stated_until", "stated_on_precision", "stated_as")

    def clean(self) -> None:
        settle_interval(self, *self.DATE_FIELDS)
        # A cross-table rule the database cannot check: the leader speaks for this side.
        leader = self.leader
        if leader is not None and self.country_id and leader.country_id != self.country_id:
            raise ValidationError(
                {"leader": f"{leader} speaks for {leader.country}, not this side."}
            )


class EventCitation(Citation):
    event = models.ForeignKey("Event", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="event_citations")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "source"], name="eventcitation_unique")
        ]


class EventQuerySet(PublishableQuerySet["Event"]):
    def published(self) -> Self:
        published_links = Event.issues.through.objects.filter(
            issue__status=PublicationStatus.PUBLISHED
        )
        # An event tied to no issue (a meeting's context, such as an earlier summit) is
        # public; one tied only to draft issues is not.
        unlinked = ~Q(pk__in=Event.issues.through.objects.values("event_id"))
        return self.filter(
            Q(pk__in=published_links.values("event_id")) | unlinked,
            status=PublicationStatus.PUBLISHED,
        )

    def published_each(self) -> Self:
        """The events `published()` gives, judged event by event: for a scan that stops
        early (search's bounded candidates). `published()` lets the database read every
        link once and hash it, the cheaper plan for many events; PostgreSQL keeps that
        plan even under a LIMIT, reading 75,000 links to find 300 events. Here each event's
        links are looked up by index: 1 when one of its issues is published, 0 when
        none is, nothing (counted as 1) when it is tied to no issue."""
        links = Event.issues.through.objects.filter(event_id=OuterRef("pk"))
        is_open = Case(
            When(issue__status=PublicationStatus.PUBLISHED, then=Value(1)),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        first = links.order_by(is_open.desc()).values(open=is_open)[:1]
        opened = Coalesce(Subquery(first), Value(1))
        return self.alias(opened=opened).filter(opened__gt=0, status=PublicationStatus.PUBLISHED)

    def visible_each_to(self, user: "Viewer | None") -> Self:
        """`visible_to(user)`, judged event by event (see `published_each`)."""
        return self if can_see_drafts(user) else self.published_each()


class Event(Versioned, Publishable):
    """A dated happening on a timeline, such as the Kerch Strait incident."""

    title = models.CharField(max_length=200)
    occurred_on = models.DateField(help_text="The first day the date covers.")
    occurred_on_precision = models.CharField(
        "date precision",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date the sources give.",
    )
    occurred_until = models.DateField(
        "last day",
        null=True,
        blank=True,
        help_text="Filled from the precision; for a period, its last day.",
    )
    occurred_as = models.CharField(
        "date in the source's words",
        max_length=100,
        blank=True,
        help_text="For a period: “late October”, “this week”.",
    )
    description = bounded_text(5000, blank=True)
    issues = models.ManyToManyField(Issue, related_name="events", blank=True)
    meetings = models.ManyToManyField(
        Meeting, related_name="events", blank=True, help_text="Meetings whose outlook it bears on."
    )
    sources = models.ManyToManyField(Source, through=EventCitation, related_name="events")
    search_vector = search_vector_field(a=["title"], c=["description"])

    objects: ClassVar = EventQuerySet.as_manager()
    history = dated_history(
        history_change_reason_field=change_note_field(),
        m2m_fields=[issues, meetings, sources],
        excluded_fields=["search_vector"],
    )

    class Meta:
        ordering = ["occurred_on", "title"]
        constraints = [
            length_check("event", "description", 5000),
            models.CheckConstraint(condition=~Q(title=""), name="event_title_not_blank"),
            choices_check("occurred_on_precision", DatePrecision, "event_precision_valid"),
            *interval_constraints(
                "event", "occurred_on", "occurred_until", "occurred_on_precision", "occurred_as"
            ),
            choices_check("status", PublicationStatus, "event_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.occurred})"

    DATE_FIELDS = ("occurred_on", "occurred_until", "occurred_on_precision", "occurred_as")

    @property
    def occurred(self) -> FuzzyDate:
        """When it happened, as the sources give it."""
        return when(self, *self.DATE_FIELDS)

    def save(self, *args, **kwargs) -> None:
        settle_interval(self, *self.DATE_FIELDS)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        settle_interval(self, *self.DATE_FIELDS)


class AssessmentCitation(Citation):
    assessment = models.ForeignKey(
        "OutlookAssessment", on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="assessment_citations"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "source"], name="assessmentcitation_unique"
            )
        ]


class AssessmentQuerySet(PublishableQuerySet["OutlookAssessment"]):
    pass


class OutlookAssessment(Versioned, Publishable):
    """The editors' judgement of how one issue shapes one meeting's outlook."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="assessments")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="assessments")
    effect = models.SmallIntegerField("effect on the meeting", choices=Effect.choices)
    salience = models.SmallIntegerField(choices=Salience.choices)
    deliverable = models.CharField(
        "possible deliverable", max_length=300, blank=True, help_text="What could come of it."
    )
    rationale = bounded_text(5000, help_text="Markdown.")
    sources = models.ManyToManyField(Source, through=AssessmentCitation, related_name="assessments")
    status = models.CharField(
        max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    search_vector = search_vector_field(b=["deliverable"], c=["rationale"])

    objects: ClassVar = AssessmentQuerySet.as_manager()
    history = dated_history(
        history_change_reason_field=change_note_field(),
        m2m_fields=[sources],
        excluded_fields=["search_vector"],
    )

    class Meta:
        ordering = ["meeting", "issue__order", "issue__title"]
        verbose_name = "outlook assessment"
        constraints = [
            length_check("assessment", "rationale", 5000),
            models.UniqueConstraint(
                fields=["issue", "meeting"],
                name="assessment_one_per_issue_and_meeting",
                violation_error_message="This issue already has an assessment for this meeting.",
            ),
            choices_check("effect", Effect, "assessment_effect_valid"),
            choices_check("salience", Salience, "assessment_salience_valid"),
            choices_check("status", PublicationStatus, "assessment_status_valid"),
            models.CheckConstraint(
                condition=~Q(rationale=""),
                name="assessment_rationale_not_blank",
                violation_error_message="An assessment needs a rationale.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.meeting}"

    @classmethod
    def published_condition(cls) -> Q:
        return Q(status=PublicationStatus.PUBLISHED, issue__status=PublicationStatus.PUBLISHED)
