"""Filters of the chart templates; the charts themselves are computed in `issues.charts`."""

from collections.abc import Iterable

from django import template

from issues import charts
from issues.models import Event, Position

register = template.Library()


@register.filter
def timeline(events: Iterable[Event], positions: Iterable[Position]) -> list:
    """`{% for period in events|timeline:positions %}`: both, in date order, by period."""
    return charts.timeline(events or (), positions or ())
