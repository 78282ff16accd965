"""The Buenos Aires 2018 dossier, loaded from its data file: faithful to its one source, and
safe to load again."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from issues.dossier.demo import DEMO_FILE, demo_load
from issues.dossier.export import dossier_export
from issues.dossier.read import parse
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
from tests.crawl import crawl_from_home

pytestmark = pytest.mark.django_db

ARTICLE = parse(DEMO_FILE.read_bytes())["sources"][0]


def test_the_loader_reports_what_it_holds(db):
    counts = demo_load()

    assert counts == {
        "sources": 1,
        "leaders": 4,
        "issues": 4,
        "positions": 13,
        "events": 6,
        "assessments": 4,
        "scenarios": 4,
        "analyses": 16,
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
    assert Position.objects.count() == 13
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
        # The Helsinki summit is told only in the photo caption.
        assert citation.locator.startswith("para") or citation.locator == "photo caption"


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
    assert first["issues.Position"] == 13
    assert first["issues.HistoricalPosition"] == 13  # one revision each
    # The Ukraine issue and the meeting were first recorded as things stood before this
    # week's attacks, then revised; every assessment and scenario has one dated revision.
    assert first["issues.HistoricalOutlookAssessment"] == 4
    assert first["issues.HistoricalAnalysis"] == 16
    assert first["issues.HistoricalIssue"] == 5
    assert first["issues.HistoricalMeeting"] == 2
    assert first["issues.HistoricalScenario"] == 4
    assert out.getvalue().count("Demo dossier loaded: 1 sources, 4 leaders, 4 issues") == 2


def test_loading_again_restores_an_edited_record(demo):
    issue = Issue.objects.get(slug="ukraine")
    Issue.objects.filter(pk=issue.pk).update(title="Ukraine (edited)")

    demo_load()

    issue.refresh_from_db()
    assert issue.title == "Ukraine"
    assert issue.history.latest().title == "Ukraine"


# The dated history: what the article says changed, and nothing else ---------------------

BEFORE_THE_ATTACKS = datetime(2018, 11, 24, 23, 0, tzinfo=UTC)
RECORDED = datetime(2018, 11, 26, 12, 0, tzinfo=UTC)


def test_the_ukraine_assessment_has_one_revision_the_articles(demo):
    """The article gives no outlook from before the attacks, so none is recorded."""
    [revision] = OutlookAssessment.objects.get(issue__slug="ukraine").history.all()
    assert revision.history_date == RECORDED
    assert (revision.effect, revision.salience) == (-2, 3)  # strongly hinders; high
    assert revision.history_change_reason == "as the CFR In Brief assesses it (para. 3)"
    assert [(row.source.title, row.locator) for row in revision.sources.all()] == [
        (ARTICLE["title"], "para. 3")
    ]


def test_the_ukraine_issue_changes_with_it_and_its_links_are_there_from_the_start(demo):
    before, after = Issue.objects.get(slug="ukraine").history.order_by("history_date")
    assert before.history_date == BEFORE_THE_ATTACKS
    assert "on hold" in before.summary and "impossible to avoid" not in before.summary
    assert "impossible to avoid" in after.summary
    for revision in (before, after):
        assert {row.topic.slug for row in revision.topics.all()} == {
            "ukraine",
            "russia",
            "united-states",
        }
        assert [row.meeting.slug for row in revision.meetings.all()] == ["trump-putin-g20-2018"]


def test_nothing_else_evolves(demo):
    """The other assessments, issues, positions, events and scenarios: one revision each,
    dated when the article's view was recorded (or, for what the article places before
    the incident, the evening before it), with a note citing the paragraph."""
    for assessment in OutlookAssessment.objects.all():
        [revision] = assessment.history.all()
        assert revision.history_date == RECORDED
        locator = assessment.citations.get().locator
        assert revision.history_change_reason == f"as the CFR In Brief assesses it ({locator})"
    for scenario in Scenario.objects.all():
        [revision] = scenario.history.all()
        assert revision.history_date == RECORDED
        assert revision.history_change_reason == "as the CFR In Brief assesses it (para. 7)"
    for event in Event.objects.all():
        [revision] = event.history.all()
        assert revision.history_date == RECORDED  # the attacks off Crimea included
    early = Position.history.filter(history_date__lt=RECORDED)
    assert [row.summary[:32] for row in early] == ["Did not even mention Ukraine in "]
    for position in Position.objects.all():
        [revision] = position.history.all()
        assert revision.history_change_reason == f"drawn from the CFR In Brief ({position.locator})"


def test_the_meeting_had_no_outlook_before_the_article(demo):
    before, after = Meeting.objects.get().history.order_by("history_date")
    assert before.history_date == BEFORE_THE_ATTACKS
    assert (before.headline, before.outlook_summary) == ("", "")
    assert after.headline == "No more smiles: likely their tensest meeting yet"
    assert {row.leader.slug for row in before.participants.all()} == {
        "donald-trump",
        "vladimir-putin",
    }


def test_the_ukraine_page_as_of_before_and_after_the_attacks(client, demo):
    before = client.get("/issues/ukraine/", {"as_of": "2018-11-24"})
    after = client.get("/issues/ukraine/", {"as_of": "2018-11-26"})
    before_body, after_body = before.content.decode(), after.content.decode()

    assert before.status_code == after.status_code == 200
    assert "as it stood at the end of" in before_body
    assert "did not even mention Ukraine" in before_body
    assert "impossible to avoid" not in before_body
    assert "Strongly hinders" not in before_body  # no outlook yet
    assert "Strongly hinders" in after_body and "High: certain to be raised" in after_body
    assert "impossible to avoid" in after_body


def test_the_data_file_reads_as_an_export_of_what_it_loads(demo):
    """The file is an export of the demo, tidied by hand (comments, layout): loading it and
    exporting again gives the same document, every record, date and revision."""
    assert dossier_export(everything=True, include_drafts=True) == parse(DEMO_FILE.read_bytes())


def test_every_page_of_the_demo_renders(client, demo):
    """The demo's own records make pages that render: a reader crawling from `/` meets no
    dead end, and reaches every issue of the demo."""
    seen = crawl_from_home(client)
    assert {issue.get_absolute_url() for issue in Issue.objects.all()} <= seen


def test_the_dossier_is_searchable(client, demo):
    from issues import search

    response = client.get("/search/", {"q": "Crimea"})
    attacks = [r for r in response.context["results"] if r.kind == search.Kind.EVENT]
    assert attacks and attacks[0].url.startswith("/issues/ukraine/#event-")
    assert "<mark>Crimea</mark>" in str(attacks[0].title)
    putin = client.get("/search/", {"q": "Putin"})
    assert len(putin.context["results"]) > 3
    assert client.get("/search/", {"q": "Путин"}).status_code == 200
    assert client.get("/search/", {"q": "Владимир Путин"}).status_code == 200
