"""Atom feeds of published changes: one per issue, one for the whole site."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks

from .models import Issue
from .pages.changes import FEED_LIMIT, Change, recent_changes


class SiteChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Summit dossiers: latest changes"
    subtitle = "Published changes to every issue dossier."

    def link(self) -> str:
        return reverse("issues:home")

    def items(self) -> list[Change]:
        # Feeds are public: they show what any reader may see, whoever asks.
        return recent_changes(AnonymousUser(), limit=FEED_LIMIT)

    def item_title(self, item: Change) -> str:
        return item.title

    def item_description(self, item: Change) -> str:
        # Atom summaries are HTML to a feed reader: what editors typed goes in as text.
        text = f"{item.summary}\n\nNote: {item.note}" if item.note else item.summary
        return linebreaks(escape(text))

    def item_link(self, item: Change) -> str:
        return item.url

    def item_guid(self, item: Change) -> str:
        # Atom ids must be IRIs; a revision's key is stable and unique.
        return f"urn:summit-dossiers:revision:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Change):
        return item.when

    def item_updateddate(self, item: Change):
        return item.when

    def item_author_name(self, item: Change) -> str:
        return item.who or "Summit dossiers editors"


class IssueChangesFeed(SiteChangesFeed):
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
