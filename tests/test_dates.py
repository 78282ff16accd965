"""Dates as precise as their source: stored as the interval they cover, sorted and compared
by it, shown as the source gives them, and ties shown as ties."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from issues.charts import stance_matrix, timeline
from issues.dates import FuzzyDate, latest, month_part, span
from issues.models import DatePrecision, Event, Position
from tests import factories

pytestmark = pytest.mark.django_db

DAY, MONTH, YEAR, PERIOD = (
    DatePrecision.DAY,
    DatePrecision.MONTH,
    DatePrecision.YEAR,
    DatePrecision.PERIOD,
)


@pytest.mark.parametrize(
    ("when", "shown", "machine"),
    [
        (FuzzyDate(date(2018, 11, 30), date(2018, 11, 30)), "30 November 2018", "2018-11-30"),
        (FuzzyDate(date(2018, 7, 1), date(2018, 7, 31), MONTH), "July 2018", "2018-07"),
        (FuzzyDate(date(2021, 1, 1), date(2021, 12, 31), YEAR), "2021", "2021"),
        (
            FuzzyDate(date(2018, 10, 21), date(2018, 10, 31), PERIOD, "late October"),
            "late October (October 2018)",
            "2018-10",
        ),
        (
            FuzzyDate(date(2018, 11, 30), date(2018, 12, 1), DAY),
            "30 November – 1 December 2018",
            "2018",
        ),
    ],
)
def test_a_date_is_shown_as_the_source_gives_it(when, shown, machine):
    assert str(when) == shown
    assert when.datetime == machine


def test_month_parts():
    assert month_part(2018, 10, "late") == (date(2018, 10, 21), date(2018, 10, 31))
    assert month_part(2019, 2, "late") == (date(2019, 2, 21), date(2019, 2, 28))
    assert span(date(2018, 10, 21), date(2018, 10, 31)) == "21–31 October 2018"


def test_a_month_or_year_covers_all_of_it():
    position = factories.PositionFactory(stated_on=date(2018, 10, 20), stated_on_precision=MONTH)
    assert (position.stated_on, position.stated_until) == (date(2018, 10, 1), date(2018, 10, 31))
    event = factories.EventFactory(occurred_on=date(2018, 11, 30), occurred_on_precision=YEAR)
    assert (event.occurred_on, event.occurred_until) == (date(2018, 1, 1), date(2018, 12, 31))


def test_a_period_needs_its_words_and_its_end():
    with pytest.raises(ValidationError, match="last day"):
        factories.PositionFactory(stated_on_precision=PERIOD, stated_as="this week")
    position = factories.PositionFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Position.objects.filter(pk=position.pk).update(
            stated_on_precision=PERIOD, stated_until=date(2018, 11, 30), stated_as=""
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Position.objects.filter(pk=position.pk).update(stated_until=date(2000, 1, 1))


def test_a_year_sorts_by_its_interval_not_as_its_first_day():
    """A position of "2018" does not come before one of July 2018: the year ends later, and
    the two overlap, so neither is the sure latest."""
    july = factories.PositionFactory(stated_on=date(2018, 7, 1), stated_on_precision=MONTH)
    year = factories.PositionFactory(stated_on=date(2018, 1, 1), stated_on_precision=YEAR)
    assert set(latest([july, year], lambda p: p.stated)) == {july, year}
    assert july.stated.overlaps(year.stated)
    october = factories.PositionFactory(stated_on=date(2018, 10, 1), stated_on_precision=MONTH)
    assert latest([july, october], lambda p: p.stated) == [october]
    assert july.stated.before(october.stated)


def test_the_stance_matrix_shows_a_tie_when_the_dates_do_not_decide():
    issue = factories.IssueFactory()
    us = factories.CountryFactory(code="US")
    earlier = factories.PositionFactory(
        issue=issue, country=us, posture=2, stated_on=date(2018, 9, 1), stated_on_precision=MONTH
    )
    month = factories.PositionFactory(
        issue=issue, country=us, posture=-2, stated_on=date(2018, 11, 1), stated_on_precision=MONTH
    )
    week = factories.PositionFactory(
        issue=issue,
        country=us,
        posture=0,
        stated_on=date(2018, 11, 20),
        stated_on_precision=PERIOD,
        stated_until=date(2018, 11, 26),
        stated_as="this week",
    )

    matrix = stance_matrix([issue], [earlier, month, week])

    cell = matrix.rows[0].cells[0]
    assert cell.is_tie and cell.css == "tie"
    assert {cell.latest, *cell.tied} == {month, week}
    assert cell.count == 3

    decided = stance_matrix([issue], [earlier, month]).rows[0].cells[0]
    assert (decided.latest, decided.tied, decided.is_tie) == (month, (), False)


def test_a_tie_is_shown_on_the_meeting_page(client):
    issue = factories.IssueFactory()
    meeting = factories.MeetingFactory()
    issue.meetings.add(meeting)
    us = factories.CountryFactory(code="US")
    for posture in (2, -2):
        factories.PositionFactory(
            issue=issue, country=us, posture=posture, stated_on_precision=MONTH
        )

    body = client.get(meeting.get_absolute_url()).content.decode()

    assert "stance--tie" in body and "Tied with" in body


def test_the_timeline_files_a_year_under_its_year_and_sorts_by_interval():
    late_october = factories.EventFactory(
        title="Late October",
        occurred_on=date(2018, 10, 21),
        occurred_on_precision=PERIOD,
        occurred_until=date(2018, 10, 31),
        occurred_as="late October",
    )
    year = factories.EventFactory(
        title="Some time in 2018", occurred_on=date(2018, 1, 1), occurred_on_precision=YEAR
    )
    july = factories.EventFactory(
        title="July", occurred_on=date(2018, 7, 1), occurred_on_precision=MONTH
    )

    periods = timeline([late_october, year, july], [])

    assert [(p.precision, [i.title for i in p.items]) for p in periods] == [
        (YEAR, ["Some time in 2018"]),
        (MONTH, ["July"]),
        (MONTH, ["Late October"]),
    ]
    assert str(periods[2].items[0].shown) == "late October (October 2018)"


def test_pages_and_history_show_dates_as_the_source_gives_them(client, editor_client):
    position = factories.PositionFactory(
        stated_on=date(2018, 10, 1), stated_on_precision=MONTH, summary="In October."
    )
    issue = position.issue

    body = client.get(issue.get_absolute_url()).content.decode()
    assert '<time datetime="2018-10">October 2018</time>' in body

    position.stated_on_precision = PERIOD
    position.stated_on, position.stated_until = date(2018, 10, 21), date(2018, 10, 31)
    position.stated_as = "late October"
    position.save()
    history = editor_client.get(f"/issues/{issue.slug}/history/").content.decode()
    assert "late October (October 2018)" in history
    assert "October 2018" in history
    assert "2018-10-01" not in history  # no month read as its first day


def test_the_data_migration_fills_the_intervals():
    migration = importlib.import_module("issues.migrations.0008_intervals_analysis_outcomes_scores")
    position = factories.PositionFactory(stated_on=date(2018, 1, 1), stated_on_precision=YEAR)
    event = factories.EventFactory(occurred_on=date(2018, 7, 1), occurred_on_precision=MONTH)
    Position.objects.filter(pk=position.pk).update(stated_until=None)
    Event.objects.filter(pk=event.pk).update(occurred_until=None)

    migration.fill_intervals(apps, None)

    position.refresh_from_db()
    event.refresh_from_db()
    assert position.stated_until == date(2018, 12, 31)
    assert event.occurred_until == date(2018, 7, 31)
