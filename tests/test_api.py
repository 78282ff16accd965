"""The read-only JSON API: publication policy, filters, pagination, as_of, query budgets,
and a valid OpenAPI 3.1 document with a docs page that keeps the strict CSP."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from issues import api as api_module
from issues.dossier.write import dossier_import
from issues.models import Country, Issue, PublicationStatus, Source
from tests import factories

pytestmark = pytest.mark.django_db

SYNTHETIC = Path(__file__).with_name("dossiers") / "synthetic.yaml"
LISTS = [
    "/api/summits",
    "/api/meetings",
    "/api/issues",
    "/api/positions",
    "/api/leaders",
    "/api/sources",
    "/api/events",
    "/api/assessments",
    "/api/scenarios",
]


@pytest.fixture
def dossier(db):
    dossier_import(SYNTHETIC.read_bytes())
    return Issue.objects.get(slug="synthetic-water-rights")


@pytest.fixture
def drafts(dossier):
    """Something unpublished of every kind, each with a telltale text."""
    draft_issue = Issue.objects.get(slug="synthetic-draft-issue")
    side = Country.objects.get(code="XA")
    secret_source = factories.SourceFactory(
        title="SECRET draft source", url="https://example.org/secret", status="draft"
    )
    factories.PositionFactory(
        issue=dossier, country=side, summary="SECRET draft position", status="draft"
    )
    factories.PositionFactory(issue=draft_issue, country=side, summary="SECRET on a draft issue")
    event = factories.EventFactory(title="SECRET draft event", status="draft")
    event.issues.add(dossier)
    linked = factories.EventFactory(title="Public event", status="published")
    linked.issues.add(dossier, draft_issue)
    factories.EventCitationFactory(event=linked, source=secret_source)
    factories.AssessmentFactory(issue=draft_issue, rationale="SECRET assessment")
    factories.ScenarioFactory(
        meeting=dossier.meetings.get(), title="SECRET scenario", status="draft"
    )
    factories.DraftFactory(record=dossier, data={"summary": "SECRET pending edit"})
    return draft_issue


def every_page(client, url: str) -> str:
    return client.get(url).content.decode()


def test_no_draft_reaches_an_anonymous_caller(client, drafts):
    urls = [*LISTS, "/api/issues/synthetic-water-rights", "/api/meetings/synthetic-meeting"]
    urls += [f"/api/sources/{s.pk}" for s in Source.objects.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = response.content.decode()
        assert "SECRET" not in text, url
        assert "synthetic-draft-issue" not in text, url
        assert "https://example.org/secret" not in text, url
    assert client.get("/api/issues/synthetic-draft-issue").status_code == 404
    public = client.get("/api/events").json()["items"]
    assert [e["issues"] for e in public if e["title"] == "Public event"] == [
        ["synthetic-water-rights"]
    ]


def test_editors_see_drafts(editor_client, drafts):
    assert "SECRET draft position" in every_page(editor_client, "/api/positions")
    assert editor_client.get("/api/issues/synthetic-draft-issue").status_code == 200
    assert "SECRET pending edit" not in every_page(editor_client, "/api/issues")


def test_filters_work_like_browse(client, dossier):
    assert [p["side"] for p in client.get("/api/positions?side=XA").json()["items"]] == ["XA"]
    assert client.get("/api/positions?posture=1").json()["count"] == 1
    assert client.get("/api/positions?date_from=2020-02-01").json()["count"] == 1
    assert client.get("/api/positions?q=commission").json()["count"] == 1
    assert client.get("/api/issues?topic=synthetic-water").json()["count"] == 1
    assert client.get("/api/issues?side=XB&posture=-2").json()["count"] == 0
    refused = client.get("/api/positions?posture=7")
    assert refused.status_code == 400
    assert "posture" in refused.json()["detail"]


def test_lists_are_paginated(client, dossier, monkeypatch):
    monkeypatch.setattr(api_module, "PAGE_SIZE", 1)
    first = client.get("/api/positions").json()
    second = client.get("/api/positions?page=2").json()
    assert (first["count"], first["pages"], len(first["items"])) == (2, 2, 1)
    assert second["page"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]


def test_as_of_like_the_pages(client, dossier):
    then = client.get("/api/issues/synthetic-water-rights?as_of=2020-02-05").json()
    assert then["summary"] == "The sides seemed close to a synthetic deal."
    assert then["assessments"][0]["effect"] == 1
    assert then["positions"] == []  # recorded on 15 February
    now = client.get("/api/issues/synthetic-water-rights").json()
    assert now["assessments"][0]["effect"] == -1 and len(now["positions"]) == 2
    meeting = client.get("/api/meetings/synthetic-meeting?as_of=2020-02-05").json()
    assert meeting["headline"] == ""
    assert client.get("/api/issues/synthetic-water-rights?as_of=2019-01-01").status_code == 400
    assert client.get("/api/issues/synthetic-water-rights?as_of=soon").status_code == 400


@pytest.mark.parametrize("url", LISTS)
def test_query_count_does_not_grow_with_content(
    client, dossier, url, django_assert_max_num_queries
):
    for number in range(8):
        factories.PositionFactory(issue=dossier, summary=f"Extra position {number}")
        event = factories.EventFactory(title=f"Extra event {number}", status="published")
        event.issues.add(dossier)
        factories.EventCitationFactory(event=event, source=Source.objects.first())
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_detail_pages_have_a_query_budget(client, dossier, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        client.get("/api/issues/synthetic-water-rights")
    with django_assert_max_num_queries(17):
        client.get("/api/issues/synthetic-water-rights?as_of=2020-02-20")


def test_the_openapi_document_is_valid_3_1(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert {"/api/issues", "/api/positions", "/api/issues/{slug}"} <= set(document["paths"])


def test_the_docs_page_uses_local_files_under_the_strict_csp(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui-init.js")


def test_unpublished_status_is_never_shown_to_readers(client, drafts):
    statuses = {
        item.get("status")
        for url in LISTS
        for item in client.get(url).json()["items"]
        if "status" in item
    }
    assert statuses <= {PublicationStatus.PUBLISHED, "expected"}
