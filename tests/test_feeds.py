"""Atom feeds of published changes, per issue and site-wide."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from issues.dossier.write import dossier_import
from issues.models import OutlookAssessment, Position, PublicationStatus
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SYNTHETIC = Path(__file__).with_name("dossiers") / "synthetic.yaml"
ISSUE = "synthetic-water-rights"
ISSUE_FEED = f"/issues/{ISSUE}/feed/"


@pytest.fixture
def dossier(db):
    """The synthetic dossier (an issue with two positions and an outlook, a draft issue),
    and a second published issue of its own."""
    dossier_import(SYNTHETIC.read_bytes())
    factories.PositionFactory(issue=factories.IssueFactory(title="Railways (synthetic)"))


def leader_a_position() -> Position:
    return Position.objects.get(issue__slug=ISSUE, leader__slug="synthetic-leader-a")


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


def test_issue_feed_is_atom_with_the_issue_changes(client, dossier):
    feed = parse_atom(client.get(ISSUE_FEED))
    titles = entry_titles(feed)
    assert any(
        title.startswith("Water rights (synthetic): position of Leader A (synthetic)")
        for title in titles
    ), titles
    assert any("outlook for Leader A–Leader B meeting (synthetic)" in title for title in titles)
    assert not any("Railways" in title for title in titles)


def test_an_edit_appears_at_the_top_of_the_feed(client, dossier, editor):
    position = Position.objects.get(issue__slug=ISSUE, country__code="XB")
    position.summary = "A new summary after an edit."
    position._history_user = editor
    position.save()
    feed = parse_atom(client.get(ISSUE_FEED))
    first = feed.find(f"{ATOM}entry")
    # The date as the source gives it (a month), then the summary.
    assert first.find(f"{ATOM}summary").text == (
        "<p>January 2020: A new summary after an edit.</p>"
    )
    assert first.find(f"{ATOM}author/{ATOM}name").text == "editor"
    assert (
        first.find(f"{ATOM}link").get("href").endswith(f"/issues/{ISSUE}/#position-{position.pk}")
    )


def test_draft_assessment_revisions_stay_out_of_feeds(client, dossier):
    assessment = OutlookAssessment.objects.get(issue__slug=ISSUE)
    assessment.status = PublicationStatus.DRAFT
    assessment.rationale = "Unpublished thinking."
    assessment.save()
    for url in (ISSUE_FEED, "/feed/"):
        assert b"Unpublished thinking." not in client.get(url).content


def test_site_feed_covers_every_published_issue(client, dossier):
    titles = entry_titles(parse_atom(client.get("/feed/")))
    assert len(titles) <= 50
    for issue in ("Water rights (synthetic)", "Railways (synthetic)"):
        assert any(title.startswith(f"{issue}:") for title in titles), issue
    assert not any(title.startswith("A draft issue (synthetic)") for title in titles)


# A feed opened in a browser reads as a page (static/feeds/atom.xsl) ---------------------

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FEEDS = [
    "/feed/",
    ISSUE_FEED,
    "/meetings/synthetic-meeting/feed/",
    "/leaders/synthetic-leader-a/feed/",
    "/track-record/feed/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_names_its_page_stylesheet_before_any_element(client, dossier, url):
    body = client.get(url).content.decode()
    prolog = body[: body.index("<feed")]
    assert '<?xml-stylesheet href="/static/feeds/atom.xsl" media="all" type="text/xsl"?>' in prolog
    assert '<?summit-feed-page css="/static/css/site.css" js="/static/js/copy.js"?>' in prolog
    parse_atom(client.get(url))  # still valid Atom for feed readers


def test_the_page_stylesheet_is_served(client, settings):
    from django.contrib.staticfiles import finders

    path = finders.find("feeds/atom.xsl")
    assert path is not None
    stylesheet = ET.parse(path).getroot()
    assert stylesheet.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    assert settings.WHITENOISE_MIMETYPES[".xsl"] == "text/xsl"


def test_a_browser_gets_xml_it_can_style_and_a_feed_reader_gets_atom(client, dossier):
    browser = client.get(ISSUE_FEED, HTTP_ACCEPT=BROWSER_ACCEPT)
    reader = client.get(ISSUE_FEED, HTTP_ACCEPT="application/atom+xml, */*")
    assert browser["Content-Type"] == "application/xml; charset=utf-8"
    assert reader["Content-Type"].startswith("application/atom+xml")
    assert browser.content == reader.content
    for response in (browser, reader):
        assert "Accept" in response["Vary"]


def test_the_reader_cache_keeps_the_two_answers_apart(client, dossier, settings):
    settings.READER_CACHE_SECONDS = 60
    url = ISSUE_FEED
    assert client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)["Content-Type"].startswith("application/xml")
    assert client.get(url)["Content-Type"].startswith("application/atom+xml")
    assert client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)["Content-Type"].startswith("application/xml")


# Entries are rendered, sanitised HTML, not the Markdown editors typed --------------------


def tags_in(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of an HTML fragment, with its attributes."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Parser().feed(html)
    return found


def latest_summary(client, url: str) -> str:
    feed = parse_atom(client.get(url))
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    return summary.text


@pytest.mark.parametrize("url", [ISSUE_FEED, "/feed/"])
def test_a_rationale_in_markdown_reaches_the_feed_as_sanitised_html(client, dossier, editor, url):
    assessment = OutlookAssessment.objects.get(issue__slug=ISSUE)
    assessment.rationale = (
        "The talks are **unlikely** to move.\n\n"
        '<script>alert("x")</script> [a link](javascript:alert(1)) <b onclick="x()">b</b>'
    )
    assessment._history_user = editor
    assessment.save()
    html = latest_summary(client, url)
    assert "<strong>unlikely</strong>" in html
    assert "**" not in html
    tags = tags_in(html)
    assert {tag for tag, _ in tags} <= {"p", "strong", "a", "em", "code"}, tags
    assert not any(
        name.startswith("on") or (value or "").startswith("javascript")
        for _, attrs in tags
        for name, value in attrs
    ), tags


def test_plain_text_in_an_entry_is_escaped_not_rendered(client, dossier, editor):
    position = leader_a_position()
    position.summary = "Says **nothing** <script>alert(1)</script> & more."
    position._history_user = editor
    position._change_reason = "Fixed <em>a</em> typo"
    position.save()
    html = latest_summary(client, ISSUE_FEED)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in html
    assert "<p>Note: Fixed &lt;em&gt;a&lt;/em&gt; typo</p>" in html


@pytest.mark.parametrize("cached", [False, True])
def test_a_feed_is_sent_in_one_piece(client, dossier, settings, cached):
    """Sent in the pieces it is written in, a feed waited 40 ms a request on a kept-alive
    connection (the client's delayed acknowledgement of each piece)."""
    settings.READER_CACHE_SECONDS = 300 if cached else 0
    for _ in range(2):  # the second answer from the cache, when there is one
        response = client.get("/feed/")
    assert response.status_code == 200
    assert len(list(response)) == 1
