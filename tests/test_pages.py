"""Reader pages: every page renders, drafts stay hidden, query counts stay flat."""

import pytest
from django.urls import reverse

from issues.labels import all_labels
from issues.models import Country, Issue, PublicationStatus
from issues.pages.browse import MATCHES_SHOWN
from issues.pages.issue import POSITIONS_PER_SIDE
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/issues/",
    "/issues/ukraine/",
    "/meetings/trump-putin-g20-2018/",
    "/summits/g20-buenos-aires-2018/",
    "/leaders/",
    "/leaders/vladimir-putin/",
    "/sources/",
    "/feed/",
    "/issues/ukraine/feed/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_for_anonymous_and_editor(client, editor, demo, url):
    assert client.get(url).status_code == 200
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_source_page_lists_everything_citing_it(client, demo):
    from issues.models import Source

    source = Source.objects.get()
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Attacked Ukrainian naval ships off Crimea" in body  # a position
    assert "Russian attacks on Ukrainian naval ships off Crimea" in body  # an event
    assert "Lip service without movement" in body  # a scenario


def test_home_lists_the_meeting_and_its_issues(client, demo):
    body = client.get("/").content.decode()
    assert "Trump–Putin meeting at the G20" in body
    for title in ["Ukraine", "Arms control", "Election meddling", "Syria and Iran"]:
        assert title in body
    assert "Strongly hinders" in body


def test_issue_page_stands_alone(client, demo):
    body = client.get("/issues/ukraine/").content.decode()
    # Shareable: title, description, canonical link, OpenGraph and Twitter tags.
    assert "<title>Ukraine · Summit dossiers</title>" in body
    assert '<link rel="canonical" href="http://testserver/issues/ukraine/">' in body
    assert '<meta property="og:title" content="Ukraine">' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    assert '<meta property="og:image" content="http://testserver/issues/ukraine/share.png">' in body
    # The sides in columns, the assessment, the timeline, sources, feed and citation.
    assert 'id="side-US"' in body and 'id="side-RU"' in body
    assert "Strongly hinders" in body and "High: certain to be raised" in body
    assert "Russian attacks on Ukrainian naval ships off Crimea" in body
    assert 'id="source-1"' in body and 'href="#source-1"' in body
    assert "/issues/ukraine/feed/" in body
    assert "Cite this page" in body and "accessed" in body


def test_issue_page_renders_markdown_safely(client, demo):
    issue = Issue.objects.get(slug="ukraine")
    issue.background = "**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    issue.save()
    body = client.get(issue.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert(1)</script>" not in body
    assert 'href="javascript:' not in body


def test_positions_newest_first_within_a_side(client, demo):
    body = client.get("/issues/syria-and-iran/").content.decode()
    us_column = body[body.index('id="side-US"') :]
    newer = us_column.index("Regularly stress that Russia should force")  # the article's time
    older = us_column.index("Says his meetings in Moscow last month")  # October
    assert newer < older


class TestDrafts:
    @pytest.fixture
    def draft(self, demo):
        issue = factories.IssueFactory(
            title="Secret draft", slug="secret-draft", status=PublicationStatus.DRAFT
        )
        factories.PositionFactory(issue=issue, summary="Draft position text")
        return issue

    def test_draft_is_404_for_anonymous_and_shown_to_editors(self, client, editor, draft):
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(reverse("issues:issue_feed", args=[draft.slug])).status_code == 404
        client.force_login(editor)
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert "Draft: readers cannot see this" in response.content.decode()

    @pytest.mark.parametrize("url", ["/", "/issues/", "/feed/", "/sitemap.xml", "/sources/1/"])
    def test_draft_appears_nowhere_for_anonymous(self, client, draft, url):
        body = client.get(url).content.decode()
        assert "Secret draft" not in body
        assert "secret-draft" not in body
        assert "Draft position text" not in body

    def test_draft_is_listed_for_editors_in_browse(self, client, editor, draft):
        client.force_login(editor)
        body = client.get("/issues/").content.decode()
        assert "Secret draft" in body

    def test_draft_assessment_hidden_from_readers(self, client, demo):
        from issues.models import OutlookAssessment

        assessment = OutlookAssessment.objects.get(issue__slug="ukraine")
        assessment.status = PublicationStatus.DRAFT
        assessment.save()
        body = client.get("/issues/ukraine/").content.decode()
        assert "Strongly hinders" not in body


@pytest.mark.parametrize("count", [5, 200])
def test_issue_page_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    issue = factories.dossier_with_positions(count)
    all_labels()  # cached in production, shared by every page
    with django_assert_max_num_queries(10):  # 9, and What changed (1)
        response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    # Bounded: each of the two sides shows its latest positions, the rest a link away.
    shown = min(count // 2, POSITIONS_PER_SIDE) + min(count - count // 2, POSITIONS_PER_SIDE)
    assert response.content.decode().count('class="position"') == shown
    if count // 2 > POSITIONS_PER_SIDE:
        assert f"All {count // 2} positions of" in response.content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_home_page_query_count_does_not_grow_with_its_meetings(
    client, django_assert_max_num_queries, count
):
    """Each meeting card shows the meeting's state, which reads its outcome: read with it."""
    summit = factories.SummitFactory()
    for n in range(count):
        meeting = factories.MeetingFactory(summit=summit, title=f"Meeting number {n}")
        factories.AssessmentFactory(meeting=meeting)
    all_labels()
    with django_assert_max_num_queries(9):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card meeting-card"') == count


@pytest.mark.parametrize("count", [5, 200])
def test_browse_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    factories.dossier_with_positions(count)
    factories.IssueFactory()  # and one with no position at all
    all_labels()
    with django_assert_max_num_queries(10):
        response = client.get("/issues/", {"side": "RU"})
    assert response.status_code == 200
    body = response.content.decode()
    # The latest few matching positions are listed; the count says how many matched.
    assert body.count("Position summary") == min(count // 2, MATCHES_SHOWN)
    assert f"{count // 2} positions" in body


def test_leader_page_lists_positions_newest_first(client, demo):
    body = client.get("/leaders/john-bolton/").content.decode()
    # "late October" starts after "last month" (all of October) does
    assert body.index("Did not even mention Ukraine") < body.index("Says his meetings in Moscow")


def test_country_ordering_is_stable():
    assert list(Country._meta.ordering) == ["name"]


def test_not_found_page_is_in_the_site_design(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Summit dossiers" in response.content.decode()


def test_health_endpoints(client, db):
    assert client.get("/livez").json() == {"status": "ok"}
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_robots_points_to_sitemap(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_every_link_from_the_home_page_leads_somewhere(client, demo):
    """Crawl the site from `/` as a reader: no internal link is a dead end."""
    import re
    from urllib.parse import urldefrag

    seen, queue = set(), ["/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if url.startswith("/admin/"):
            assert response.status_code in (200, 302), url
            continue
        assert response.status_code == 200, url
        if "html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'href="(/[^"]*)"', response.content.decode()):
            target = urldefrag(href.replace("&amp;", "&")).url
            if target and not target.startswith("/static/"):
                queue.append(target)
    assert len(seen) > 20


def test_the_leader_list_title_is_plain_text(client, demo):
    body = client.get("/leaders/").content.decode()
    assert "<title>Leaders · Summit dossiers</title>" in body
    assert body.count('class="pagination"') <= 1
