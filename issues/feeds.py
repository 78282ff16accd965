"""Atom feeds of published changes: one per issue, one for the whole site.

Each feed names an XSLT stylesheet (static/feeds/atom.xsl), so that a browser opening a
feed shows a readable page that says what it is and how to subscribe; feed readers ignore
it. The stylesheet is a static file and cannot know the hashed names of the site's CSS and
script, so the feed gives them in a `summit-feed-page` processing instruction it reads.
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.html import escape, linebreaks
from django.utils.xmlutils import SimplerXMLGenerator

from .http import wants_a_page
from .models import Issue, Leader, Meeting
from .pages.changes import FEED_LIMIT, Change, recent_changes
from .track_record import Item, build_track_record


class ReadableAtom1Feed(Atom1Feed):
    """Atom with its stylesheets: Django writes `<?xml-stylesheet?>` for RSS only."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # Before any element, as https://www.w3.org/TR/xml-stylesheet/ requires.
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        # A processing instruction decodes no entities: static() has quoted any '"' already.
        page = f'css="{static("css/site.css")}" js="{static("js/copy.js")}"'
        handler.processingInstruction("summit-feed-page", page)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class ReadableFeed(Feed):
    """A feed that reads as a page in a browser (see the module's docstring)."""

    feed_type = ReadableAtom1Feed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # Chromium applies no stylesheet to `application/atom+xml` (it shows the text), so a
        # browser gets the same document as generic XML; feed readers keep the Atom type.
        if response.status_code == 200 and wants_a_page(request):
            response["Content-Type"] = "application/xml; charset=utf-8"
        patch_vary_headers(response, ["Accept"])
        # The feed is written piece by piece; sent so, over a kept-alive connection each
        # piece waited on the client's delayed acknowledgement (Nagle): 40 ms a request.
        response.content = response.content
        return response

    def stylesheets(self) -> list[Stylesheet]:
        # text/xsl, not application/xslt+xml: the type browsers act on.
        return [Stylesheet(static("feeds/atom.xsl"), mimetype="text/xsl", media="all")]


class ChangesFeed(ReadableFeed):
    """What both feeds show of a change. Feeds are public: they show what any reader may
    see, whoever asks."""

    def item_title(self, item: Change) -> str:
        return item.title

    def item_description(self, item: Change) -> str:
        # An Atom summary of type "html": Markdown rendered and sanitised (issues/markdown.py),
        # plain text escaped; the revision's note is text.
        note = linebreaks(f"Note: {item.note}", autoescape=True) if item.note else ""
        return f"{item.summary_html}{note}"

    def item_link(self, item: Change) -> str:
        return item.url

    def item_guid(self, item: Change) -> str:
        # Atom ids must be IRIs; a revision's key is stable and unique.
        return f"urn:summit-dossiers:revision:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Change) -> datetime:
        return item.when

    def item_updateddate(self, item: Change) -> datetime:
        return item.when

    def item_author_name(self, item: Change) -> str:
        return item.who or "Summit dossiers editors"


class SiteChangesFeed(ChangesFeed):
    title = "Summit dossiers: latest changes"
    subtitle = "Published changes to every issue dossier."

    def link(self) -> str:
        return reverse("issues:home")

    def items(self) -> list[Change]:
        return recent_changes(AnonymousUser(), limit=FEED_LIMIT)


class IssueChangesFeed(ChangesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Issue:
        return get_object_or_404(Issue.objects.published(), slug=slug)

    def title(self, issue: Issue) -> str:
        return f"{issue.title}: changes · Summit dossiers"

    def subtitle(self, issue: Issue) -> str:
        return issue.summary

    def link(self, issue: Issue) -> str:
        return issue.get_absolute_url()

    def items(self, issue: Issue) -> list[Change]:
        return recent_changes(AnonymousUser(), issue=issue, limit=FEED_LIMIT)


class MeetingChangesFeed(ChangesFeed):
    """Published changes to the issues a meeting's outlook is made of."""

    def get_object(self, request: HttpRequest, slug: str) -> Meeting:
        return get_object_or_404(Meeting, slug=slug)

    def title(self, meeting: Meeting) -> str:
        return f"{meeting.title}: changes · Summit dossiers"

    def subtitle(self, meeting: Meeting) -> str:
        return meeting.headline or meeting.title

    def link(self, meeting: Meeting) -> str:
        return meeting.get_absolute_url()

    def items(self, meeting: Meeting) -> list[Change]:
        return recent_changes(AnonymousUser(), meeting=meeting, limit=FEED_LIMIT)


class LeaderChangesFeed(ChangesFeed):
    """Published changes to a leader's positions, with their dates as the sources give them."""

    def get_object(self, request: HttpRequest, slug: str) -> Leader:
        return get_object_or_404(Leader, slug=slug)

    def title(self, leader: Leader) -> str:
        return f"{leader.name}: positions · Summit dossiers"

    def subtitle(self, leader: Leader) -> str:
        return f"Published changes to the positions of {leader.name}."

    def link(self, leader: Leader) -> str:
        return leader.get_absolute_url()

    def items(self, leader: Leader) -> list[Change]:
        return recent_changes(AnonymousUser(), leader=leader, limit=FEED_LIMIT)


class TrackRecordFeed(ReadableFeed):
    """Every resolved forecast, newest score first."""

    title = "Summit dossiers: track record"
    subtitle = "How well the published outlooks held: each resolved forecast and its score."

    def link(self) -> str:
        return reverse("issues:track_record")

    def items(self) -> list[Item]:
        record = build_track_record()
        items = [*record.scenarios, *record.salience]
        return sorted(items, key=lambda item: (item.score.scored_at, item.score.pk), reverse=True)

    def item_title(self, item: Item) -> str:
        return f"{item.title}: {item.shown_score}"

    def item_description(self, item: Item) -> str:
        source = f"{item.source.title}, {item.locator}" if item.source else "no source"
        text = f"Published: {item.forecast}. Outcome: {item.outcome} ({source})."
        return linebreaks(escape(text))

    def item_link(self, item: Item) -> str:
        return reverse("issues:track_record") + f"#score-{item.score.pk}"

    def item_guid(self, item: Item) -> str:
        return f"urn:summit-dossiers:score:{item.score.pk}:{item.score.scored_at.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Item):
        return item.score.scored_at

    def item_updateddate(self, item: Item):
        return item.score.scored_at
