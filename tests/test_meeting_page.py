"""The meeting page's contents bar, its folding sections, and the timeline's numbered
citations into the page's list of sources."""

import re
from html.parser import HTMLParser

import pytest

from issues.models import Event, EventCitation
from tests import factories
from tests.harbour_talks import MEETING, MEETING_URL
from tests.resolved import resolved_meeting

pytestmark = pytest.mark.django_db

RESOLVED = "/meetings/example-bilateral/"


class Page(HTMLParser):
    """Every id, the contents bar's links, and each folding section's summary heading."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.contents: list[str] = []
        self.folds: list[dict] = []
        self._in_contents = False
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "nav" and attrs.get("id") == "contents":
            self._in_contents = True
        if tag == "a" and self._in_contents:
            self.contents.append(attrs["href"])
        if tag == "details" and "fold" in (attrs.get("class") or ""):
            self.folds.append({"fold": attrs.get("data-fold"), "open": "open" in attrs})
        if tag == "summary":
            self._in_summary = True
        if tag == "h2" and self._in_summary:
            self.folds[-1]["heading"] = attrs.get("id")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_contents = False
        if tag == "summary":
            self._in_summary = False


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_the_contents_bar_leads_to_each_section_and_every_section_folds(client, harbour_talks):
    page = parsed(client.get(MEETING_URL).content.decode())

    assert page.contents == [
        "#board",
        "#scenarios",
        "#analysis-heading",
        "#trend",
        "#stances",
        "#timeline",
        "#sources-heading",
    ]
    # Each link leads to a section's heading, which sits in the summary of its fold.
    headings = [fold["heading"] for fold in page.folds]
    assert [f"#{h}" for h in headings] == page.contents
    # Served open, so that without JavaScript every section shows; the board stays open on
    # a phone too (data-fold="keep"), the others fold there.
    assert all(fold["open"] for fold in page.folds)
    assert [fold["fold"] for fold in page.folds] == ["keep"] + [None] * (len(page.folds) - 1)


def test_a_resolved_meeting_lists_its_outcome_in_the_contents(client):
    resolved_meeting()
    page = parsed(client.get(RESOLVED).content.decode())
    assert page.contents[:2] == ["#board", "#outcome"]
    assert all(link[1:] in page.ids for link in page.contents)


def test_the_timeline_cites_its_sources_by_number_into_the_sources_list(client, harbour_talks):
    html = client.get(MEETING_URL).content.decode()
    timeline = html[html.index('id="meeting-timeline"') : html.index('id="sources-heading"')]
    sources = html[html.index('id="sources-list"') :]
    sources = sources[: sources.index("</ol>")]

    numbers = {int(n) for n in re.findall(r'<a class="cite" href="#source-(\d+)"', timeline)}
    listed = [int(n) for n in re.findall(r'<li id="source-(\d+)"', sources)]
    assert numbers and listed == sorted(numbers) == list(range(1, len(listed) + 1))
    # Every event, and every position, carries at least one number.
    items = re.findall(
        r'<li class="timeline-axis__item[^"]*" id="[^"]+">(.*?)</li>', timeline, re.S
    )
    assert items and all('class="cite"' in item for item in items)
    # Numbered in the order the timeline first cites them.
    first_seen = list(dict.fromkeys(int(n) for n in re.findall(r'href="#source-(\d+)"', timeline)))
    assert first_seen == sorted(first_seen)


def test_an_event_citing_two_sources_carries_both_numbers(client, harbour_talks):
    event = Event.objects.filter(meetings__slug=MEETING).first()
    assert event is not None
    other = factories.SourceFactory(title="A second source on the event")
    EventCitation.objects.create(event=event, source=other, locator="p. 2")

    html = client.get(MEETING_URL).content.decode()

    item = html[html.index(f'id="timeline-event-{event.pk}"') :]
    item = item[: item.index("</li>")]
    numbers = re.findall(r'href="#source-(\d+)"', item)
    assert len(numbers) == 2
    sources = html[html.index('id="sources-list"') :]
    listed = sources[sources.index(f'<li id="source-{numbers[1]}"') :]
    assert "A second source on the event" in listed[: listed.index("</li>")]
