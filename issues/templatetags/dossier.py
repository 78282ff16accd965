"""Filters for dossier pages: scale labels, dates as precise as their source, Markdown."""

from datetime import UTC, date, datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from issues.labels import scale_label
from issues.markdown import render_markdown
from issues.models import DatePrecision

register = template.Library()

DATE_FORMATS: dict[str, str] = {
    DatePrecision.DAY: "%-d %B %Y",
    DatePrecision.MONTH: "%B %Y",
    DatePrecision.YEAR: "%Y",
}


@register.filter
def label(code: int | None, scale: str) -> str:
    """`{{ position.posture|label:"posture" }}`: the label, as editors last worded it."""
    return scale_label(scale, code)


@register.filter
def scale_class(code: int | None) -> str:
    """A CSS-safe name for a scale code: -2 → "m2", 0 → "0", 1 → "p1"."""
    if code is None:
        return "none"
    return f"m{-code}" if code < 0 else (f"p{code}" if code > 0 else "0")


@register.filter
def signed(code: int | None) -> str:
    if code is None:
        return ""
    return f"{code:+d}" if code else "0"


@register.filter
def fuzzy_date(day: date | None, precision: str = DatePrecision.DAY) -> str:
    """A date shown only as precisely as its source gives it."""
    if day is None:
        return ""
    return day.strftime(DATE_FORMATS.get(precision, DATE_FORMATS[DatePrecision.DAY]))


@register.filter
def machine_time(value: object) -> str:
    """`<time datetime="{{ moment|machine_time }}">`: a value HTML accepts. A moment in UTC
    to the second ("2026-11-30T12:00:00+00:00": HTML allows at most three digits of a
    second's fraction, and a revision's time has six), a day as the day, anything else
    (nothing) as "", for a `{% if %}` to leave the attribute out."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""


@register.filter
def when(dated) -> SafeString:
    """`{{ position.stated|when }}`: a `<time>` element showing a date as its source gives
    it (a day, a month, a year, or a period in the source's words), machine-readable only
    as precisely as that."""
    if dated is None:
        return SafeString("")
    attribute = f' datetime="{dated.datetime}"' if dated.datetime else ""
    return format_html("<time{}>{}</time>", SafeString(attribute), str(dated))


@register.filter
def probability(likelihood: int | None) -> str:
    """`{{ scenario.likelihood|probability }}`: the probability a likelihood word stands for
    in the current scoring mapping (`issues.scoring`), e.g. "0.30"."""
    from issues.scoring import probability as mapped

    return "" if likelihood is None else f"{mapped(likelihood):.2f}"


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def person(user) -> str:
    """An editor as readers and colleagues see them: full name, else user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def change_for(changed, issue_id: int):
    """`{% with change=changed|change_for:assessment.issue_id %}`: how the issue's effect
    moved in a page's "What changed" (`issues.pages.changed`), or None."""
    if not changed:  # a table shown without "What changed"
        return None
    return changed.by_issue.get(issue_id)
