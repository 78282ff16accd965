"""Factories for the dossier models: valid by default, overridable per test."""

from datetime import UTC, date, datetime

import factory
from django.contrib.auth import get_user_model

from issues import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Country
        django_get_or_create = ["code"]

    code = "US"
    name = factory.LazyAttribute(
        lambda o: {"US": "United States", "RU": "Russia"}.get(o.code, o.code)
    )


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Leader

    name = factory.Sequence(lambda n: f"Leader {n}")
    slug = factory.Sequence(lambda n: f"leader-{n}")
    country = factory.SubFactory(CountryFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Publisher"
    kind = models.SourceKind.ARTICLE


class SummitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Summit

    name = factory.Sequence(lambda n: f"Summit {n}")
    slug = factory.Sequence(lambda n: f"summit-{n}")
    host_city = "Buenos Aires"
    host_country = factory.SubFactory(CountryFactory, code="AR", name="Argentina")
    starts_on = date(2018, 11, 30)
    ends_on = date(2018, 12, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    summit = factory.SubFactory(SummitFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Issue

    title = factory.Sequence(lambda n: f"Issue {n}")
    slug = factory.Sequence(lambda n: f"issue-{n}")
    summary = "What the issue is about."
    status = models.PublicationStatus.PUBLISHED


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Position

    issue = factory.SubFactory(IssueFactory)
    country = factory.SubFactory(CountryFactory)
    attribution = "Officials"
    kind = models.PositionKind.RHETORIC
    posture = models.Posture.MIXED
    summary = factory.Sequence(lambda n: f"Position summary {n}")
    stated_on = date(2018, 11, 1)
    source = factory.SubFactory(SourceFactory)
    locator = "para. 1"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    title = factory.Sequence(lambda n: f"Event {n}")
    occurred_on = date(2018, 11, 25)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OutlookAssessment

    issue = factory.SubFactory(IssueFactory)
    meeting = factory.SubFactory(MeetingFactory)
    effect = models.Effect.HINDERS
    salience = models.Salience.HIGH
    rationale = "Why it hinders."
    status = models.PublicationStatus.PUBLISHED


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Scenario

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Scenario {n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Office

    leader = factory.SubFactory(LeaderFactory)
    title = "President"
    started_on = date(2012, 5, 7)


class EventCitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EventCitation

    event = factory.SubFactory(EventFactory)
    source = factory.SubFactory(SourceFactory)
    locator = "para. 1"


class AssessmentCitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AssessmentCitation

    assessment = factory.SubFactory(AssessmentFactory)
    source = factory.SubFactory(SourceFactory)
    locator = "para. 1"


class ScaleLabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScaleLabel

    scale = models.Scale.POSTURE
    code = models.Posture.HARDLINE
    label = "Confrontational"


class DraftFactory(factory.django.DjangoModelFactory):
    """A pending edit of a published position."""

    class Meta:
        model = models.Draft

    record = factory.SubFactory(PositionFactory)
    data = factory.LazyFunction(lambda: {"summary": "Drafted summary"})
    base_version = factory.LazyAttribute(lambda o: o.record.version)


def dossier_with_positions(count: int) -> models.Issue:
    """A published issue on a meeting with `count` positions split between two sides, an
    assessment citing a source, a scenario, and an event for every ten positions: enough
    of everything to show that a page's query count does not grow with its content."""
    from datetime import timedelta

    us = CountryFactory(code="US")
    ru = CountryFactory(code="RU")
    meeting = MeetingFactory()
    issue = IssueFactory(slug=f"issue-with-{count}")
    issue.sides.set([us, ru])
    issue.meetings.add(meeting)
    issue.topics.add(TopicFactory())
    assessment = AssessmentFactory(issue=issue, meeting=meeting)
    AssessmentCitationFactory(assessment=assessment)
    ScenarioFactory(meeting=meeting)
    leader = LeaderFactory(country=ru)
    for n in range(count):
        PositionFactory(
            issue=issue,
            country=ru if n % 2 else us,
            leader=leader if n % 2 else None,
            stated_on=date(2018, 1, 1) + timedelta(days=n),
            source=SourceFactory(),
        )
        if n % 10 == 0:
            event = EventFactory()
            event.issues.add(issue)
            event.meetings.add(meeting)
    return issue


class AnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Analysis

    source = factory.SubFactory(SourceFactory)
    author = "The article's author"
    locator = "para. 2"
    text = "A judgement of the source's own."
    issue = factory.SubFactory(IssueFactory)


class MeetingOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingOutcome

    meeting = factory.SubFactory(MeetingFactory)
    result = models.MeetingResult.HELD
    source = factory.SubFactory(SourceFactory)


class IssueOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IssueOutcome

    meeting = factory.SubFactory(MeetingFactory)
    issue = factory.SubFactory(IssueFactory)
    raised = models.Resolution.YES
    source = factory.SubFactory(SourceFactory)


class ScenarioOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScenarioOutcome

    scenario = factory.SubFactory(ScenarioFactory)
    came_true = models.Resolution.NO
    source = factory.SubFactory(SourceFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    """A scored scenario (tests only: in the app, `issues.scoring` writes scores)."""

    class Meta:
        model = models.Score

    scenario = factory.SubFactory(ScenarioFactory)
    meeting = factory.SelfAttribute("scenario.meeting")
    kind = models.ScoreKind.SCENARIO
    status = models.ScoreStatus.SCORED
    forecast = 3
    forecast_label = "About even"
    outcome = models.Resolution.YES
    brier = 0.25
    scored_at = factory.LazyFunction(lambda: datetime.now(UTC))


class RescoreFactory(factory.django.DjangoModelFactory):
    """A re-score log entry (tests only: in the app, `issues.scoring` writes them)."""

    class Meta:
        model = models.Rescore

    meeting = factory.SubFactory(MeetingFactory)
    at = factory.LazyFunction(lambda: datetime.now(UTC))
    changes = "Scenario 1: 0.09 → 0.49"
