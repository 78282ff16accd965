"""The Buenos Aires 2018 dossier: faithful to its one source, and safe to load again."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from issues.demo import ARTICLE, demo_load
from issues.models import (
    AssessmentCitation,
    Country,
    Event,
    EventCitation,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scenario,
    Source,
    Summit,
)

pytestmark = pytest.mark.django_db


def test_the_loader_reports_what_it_holds(db):
    counts = demo_load()

    assert counts == {
        "sources": 1,
        "leaders": 4,
        "issues": 4,
        "positions": 15,
        "events": 6,
        "assessments": 4,
        "scenarios": 4,
    }


def test_the_dossier_is_complete(demo):
    assert Source.objects.count() == 1
    assert set(Country.objects.values_list("code", flat=True)) == {"US", "RU", "AR"}
    assert Leader.objects.count() == 4
    assert Leader.objects.get(slug="vladimir-putin").native_name == "Владимир Путин"
    assert Summit.objects.count() == 1
    meeting = Meeting.objects.get()
    assert meeting.summit == Summit.objects.get()
    assert {leader.slug for leader in meeting.participants.all()} == {
        "donald-trump",
        "vladimir-putin",
    }
    assert Issue.objects.count() == 4
    assert set(Issue.objects.published().values_list("slug", flat=True)) == {
        "ukraine",
        "arms-control",
        "election-meddling",
        "syria-and-iran",
    }
    assert Position.objects.count() == 15
    assert Event.objects.count() == 6
    assert OutlookAssessment.objects.filter(meeting=meeting).count() == 4
    assert not OutlookAssessment.objects.exclude(status=PublicationStatus.PUBLISHED).exists()
    assert Scenario.objects.filter(meeting=meeting).count() == 4


def test_every_claim_cites_the_article_by_paragraph(demo):
    article = Source.objects.get()
    assert (article.title, article.url) == (ARTICLE["title"], ARTICLE["url"])

    for position in Position.objects.all():
        assert position.source == article, position
        assert position.locator.startswith("para"), position
    for event in Event.objects.all():
        assert event.citations.exists(), f"{event} cites nothing"
    for assessment in OutlookAssessment.objects.all():
        assert assessment.citations.exists(), f"{assessment} cites nothing"
    for citation in [*EventCitation.objects.all(), *AssessmentCitation.objects.all()]:
        assert citation.source == article, citation
        assert citation.locator.startswith("para"), citation


def test_quotes_are_brief_and_cited(demo):
    """The source allows brief quotation only: every quote is short and has a locator."""
    quoted = Position.objects.exclude(quote="")
    assert quoted.exists()
    for position in quoted:
        assert len(position.quote.split()) <= 25, position.quote
        assert position.locator.startswith("para"), position


def test_the_latest_revision_of_each_event_and_assessment_cites_the_article(demo):
    article = Source.objects.get()

    for record in [*Event.objects.all(), *OutlookAssessment.objects.all()]:
        snapshot = record.history.latest().sources.all()
        assert [(row.source, row.locator) for row in snapshot] == [
            (citation.source, citation.locator) for citation in record.citations.all()
        ], record
        assert [row.source for row in snapshot] == [article], record


def database_state() -> dict[str, object]:
    """Row counts of every table of the app (revisions and link tables included), and when
    and how often each record was last saved."""
    state: dict[str, object] = {}
    for model in apps.get_app_config("issues").get_models(include_auto_created=True):
        label = model._meta.label
        state[label] = model._default_manager.count()
        fields = {field.name for field in model._meta.fields}
        if "updated_at" in fields:
            state[f"{label} updated_at"] = dict(
                model._default_manager.values_list("pk", "updated_at")
            )
        if "version" in fields and not model.__name__.startswith("Historical"):
            state[f"{label} version"] = dict(model._default_manager.values_list("pk", "version"))
    return state


def test_the_state_covers_every_revision_table():
    revision_tables = {
        model._meta.label
        for model in apps.get_app_config("issues").get_models()
        if model.__name__.startswith("Historical")
    }

    assert {"issues.HistoricalPosition", "issues.HistoricalAssessmentCitation"} <= revision_tables
    assert revision_tables <= set(database_state())


def test_loading_again_changes_nothing(demo):
    before = database_state()

    demo_load()

    assert database_state() == before


def test_the_command_loads_the_demo_and_is_safe_to_run_again(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = database_state()

    call_command("load_demo", stdout=out)

    assert database_state() == first
    assert first["issues.Issue"] == 4
    assert first["issues.Position"] == 15
    assert first["issues.HistoricalPosition"] == 15  # one revision each
    assert out.getvalue().count("Demo dossier loaded: 1 sources, 4 leaders, 4 issues") == 2


def test_loading_again_restores_an_edited_record(demo):
    issue = Issue.objects.get(slug="ukraine")
    Issue.objects.filter(pk=issue.pk).update(title="Ukraine (edited)")

    demo_load()

    issue.refresh_from_db()
    assert issue.title == "Ukraine"
    assert issue.history.latest().title == "Ukraine"
