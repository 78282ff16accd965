"""The closed scales and vocabularies of a dossier.

Each scale stores a stable code; its label is the default wording, which editors can
reword in the admin (`ScaleLabel`) without touching stored data.
"""

from django.db import models


class Posture(models.IntegerChoices):
    """Where a side stands on an issue, from hardline to cooperative."""

    HARDLINE = -2, "Hardline"
    LEANS_HARDLINE = -1, "Leans hardline"
    MIXED = 0, "Mixed"
    LEANS_COOPERATIVE = 1, "Leans cooperative"
    COOPERATIVE = 2, "Cooperative"


class Effect(models.IntegerChoices):
    """How an issue bears on a meeting's outlook."""

    STRONGLY_HINDERS = -2, "Strongly hinders"
    HINDERS = -1, "Hinders"
    NEUTRAL = 0, "Neutral"
    FAVOURS = 1, "Favours"
    STRONGLY_FAVOURS = 2, "Strongly favours"


class Salience(models.IntegerChoices):
    """How likely an issue is to be raised at the meeting."""

    LOW = 1, "Low: unlikely to be raised"
    MEDIUM = 2, "Medium: may be raised"
    HIGH = 3, "High: certain to be raised"


class Likelihood(models.IntegerChoices):
    """An editor's estimate of how likely a scenario is."""

    VERY_UNLIKELY = 1, "Very unlikely"
    UNLIKELY = 2, "Unlikely"
    EVEN = 3, "About even"
    LIKELY = 4, "Likely"
    VERY_LIKELY = 5, "Very likely"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PositionKind(models.TextChoices):
    RHETORIC = "rhetoric", "Rhetoric"
    ACTION = "action", "Action"


class MeetingStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    INFORMAL = "informal", "Informal encounter"
    POSTPONED = "postponed", "Postponed"


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    TRANSCRIPT = "transcript", "Transcript"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    STATEMENT = "statement", "Statement"
    TREATY = "treaty", "Treaty"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    """How much of a stored date the source actually gives."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    PERIOD = "period", "Period, in the source's words"


class Scale(models.TextChoices):
    """The scales whose labels editors may reword."""

    POSTURE = "posture", "Posture"
    EFFECT = "effect", "Effect on the meeting"
    SALIENCE = "salience", "Salience"
    LIKELIHOOD = "likelihood", "Likelihood"


SCALE_CHOICES: dict[str, type[models.IntegerChoices]] = {
    Scale.POSTURE: Posture,
    Scale.EFFECT: Effect,
    Scale.SALIENCE: Salience,
    Scale.LIKELIHOOD: Likelihood,
}


def choices_check(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """A database check that `field` holds one of the values of `choices`."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def _valid_scale_codes() -> models.Q:
    condition = models.Q()
    for scale, choices in SCALE_CHOICES.items():
        condition |= models.Q(scale=scale, code__in=choices.values)
    return condition


class ScaleLabel(models.Model):
    """An editor's wording for one code of a scale, overriding the default label."""

    scale = models.CharField(max_length=20, choices=Scale.choices)
    code = models.SmallIntegerField()
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["scale", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="scalelabel_unique_code"),
            models.CheckConstraint(condition=_valid_scale_codes(), name="scalelabel_code_valid"),
            models.CheckConstraint(
                condition=~models.Q(label=""), name="scalelabel_label_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} {self.code:+d}: {self.label}"
