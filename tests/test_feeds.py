"""Atom feeds of published changes, per issue and site-wide."""

import xml.etree.ElementTree as ET

import pytest

from issues.models import OutlookAssessment, Position, PublicationStatus

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed and of each entry.
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert ":" in entry.find(f"{ATOM}id").text  # an IRI
    return feed


def entry_titles(feed: ET.Element) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]


def test_issue_feed_is_atom_with_the_issue_changes(client, demo):
    feed = parse_atom(client.get("/issues/ukraine/feed/"))
    titles = entry_titles(feed)
    assert any(title.startswith("Ukraine: position of John Bolton") for title in titles)
    assert any("outlook for Trump–Putin meeting" in title for title in titles)
    assert not any("Arms control" in title for title in titles)


def test_an_edit_appears_at_the_top_of_the_feed(client, demo, editor):
    position = Position.objects.get(issue__slug="ukraine", leader__slug="john-bolton")
    position.summary = "A new summary after an edit."
    position._history_user = editor
    position.save()
    feed = parse_atom(client.get("/issues/ukraine/feed/"))
    first = feed.find(f"{ATOM}entry")
    # The date as the source gives it, then the summary.
    assert first.find(f"{ATOM}summary").text == (
        "<p>late October (October 2018): A new summary after an edit.</p>"
    )
    assert first.find(f"{ATOM}author/{ATOM}name").text == "editor"
    assert (
        first.find(f"{ATOM}link").get("href").endswith(f"/issues/ukraine/#position-{position.pk}")
    )


def test_draft_assessment_revisions_stay_out_of_feeds(client, demo):
    assessment = OutlookAssessment.objects.get(issue__slug="ukraine")
    assessment.status = PublicationStatus.DRAFT
    assessment.rationale = "Unpublished thinking."
    assessment.save()
    for url in ("/issues/ukraine/feed/", "/feed/"):
        assert b"Unpublished thinking." not in client.get(url).content


def test_site_feed_covers_every_published_issue(client, demo):
    titles = entry_titles(parse_atom(client.get("/feed/")))
    assert len(titles) <= 50
    for issue in ("Ukraine", "Arms control", "Election meddling", "Syria and Iran"):
        assert any(title.startswith(f"{issue}:") for title in titles), issue
