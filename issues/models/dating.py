"""Dated records: the interval a date covers, filled and checked the same way everywhere."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from issues.dates import FuzzyDate, fuzzy, interval_end, interval_start

from .scales import DatePrecision


def settle_interval(instance: models.Model, start: str, end: str, precision: str, words: str):
    """Make a record's interval follow its precision: a day, month or year covers exactly
    that day, month or year (a month-precise date typed as the 20th starts on the 1st);
    a period keeps the interval and words the editor gave."""
    first = getattr(instance, start)
    if first is None:
        return
    given = getattr(instance, precision)
    if given == DatePrecision.PERIOD:
        if getattr(instance, end) is None:
            raise ValidationError({end: "A period needs its last day."})
        if not getattr(instance, words).strip():
            raise ValidationError({words: "A period needs the source's own words for it."})
        if getattr(instance, end) < first:
            raise ValidationError({end: "A period cannot end before it starts."})
        return
    setattr(instance, start, interval_start(first, given))
    setattr(instance, end, interval_end(getattr(instance, start), given))
    setattr(instance, words, "")


def interval_constraints(prefix: str, start: str, end: str, precision: str, words: str) -> list:
    """The database's guarantees: the interval is ordered, and a period has its words."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
            name=f"{prefix}_interval_ordered",
            violation_error_message="A date's interval cannot end before it starts.",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: DatePrecision.PERIOD})
            | (Q(**{f"{end}__isnull": False}) & ~Q(**{words: ""})),
            name=f"{prefix}_period_has_words",
            violation_error_message="A period needs its last day and the source's own words.",
        ),
    ]


def when(instance: object, start: str, end: str, precision: str, words: str) -> FuzzyDate:
    """The date `instance` gives in the four named fields: a record, or one of its revisions
    (which simple-history builds at run time, so it is typed as any object)."""
    return fuzzy(
        getattr(instance, start),
        getattr(instance, end),
        getattr(instance, precision),
        getattr(instance, words),
    )
