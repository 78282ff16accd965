"""`/sitemap.xml`: every public page a search engine should know."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Issue, Leader, Meeting, Source, Summit


class IssueSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Issue.objects.published().order_by("pk")

    def lastmod(self, issue: Issue):
        return issue.updated_at


class RecordSitemap(Sitemap):
    """Summits, meetings, leaders and sources: the pages that change less often."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [
            *Summit.objects.order_by("pk"),
            *Meeting.objects.order_by("pk"),
            *Leader.objects.order_by("pk"),
            *Source.objects.published().order_by("pk"),
        ]

    def lastmod(self, record):
        return record.updated_at


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["issues:home", "issues:browse", "issues:leaders", "issues:sources"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "issues": IssueSitemap, "records": RecordSitemap}
