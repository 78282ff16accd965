"""Reader pages: every page renders, drafts stay hidden, query counts stay flat."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from issues.labels import all_labels
from issues.models import (
    Country,
    Event,
    Issue,
    Position,
    PublicationStatus,
    Scenario,
    Source,
)
from issues.pages.browse import MATCHES_SHOWN
from issues.pages.issue import POSITIONS_PER_SIDE
from tests import factories
from tests.crawl import crawl_from_home
from tests.harbour_talks import (
    FIRST_ISSUE,
    FIRST_ISSUE_URL,
    ISSUES,
    MEETING_TITLE,
    MEETING_URL,
    SIDES,
    SUMMIT_URL,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/issues/",
    FIRST_ISSUE_URL,
    MEETING_URL,
    SUMMIT_URL,
    "/leaders/",
    "/leaders/tomas-brek/",
    "/sources/",
    "/feed/",
    f"{FIRST_ISSUE_URL}feed/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_for_anonymous_and_editor(client, editor, harbour_talks, url):
    assert client.get(url).status_code == 200
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_source_page_lists_everything_citing_it(client, harbour_talks):
    source = Source.objects.get()
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(Position.objects.filter(source=source).first().summary) in body
    assert escape(Event.objects.filter(sources=source).first().title) in body
    assert escape(Scenario.objects.filter(source=source).first().title) in body


def test_home_lists_the_meeting_and_its_issues(client, harbour_talks):
    body = client.get("/").content.decode()
    assert MEETING_TITLE in body
    for _, title, *_ in ISSUES:
        assert title in body
    assert "Strongly hinders" in body


def test_issue_page_stands_alone(client, harbour_talks):
    url, title = FIRST_ISSUE_URL, ISSUES[0][1]
    body = client.get(url).content.decode()
    # Shareable: title, description, canonical link, OpenGraph and Twitter tags.
    assert f"<title>{title} · Summit dossiers</title>" in body
    assert f'<link rel="canonical" href="http://testserver{url}">' in body
    assert f'<meta property="og:title" content="{title}">' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    assert f'<meta property="og:image" content="http://testserver{url}share.png">' in body
    # The sides in columns, the assessment, the timeline, sources, feed and citation.
    assert all(f'id="side-{side}"' in body for side in SIDES)
    assert "Strongly hinders" in body and "High: certain to be raised" in body
    assert Event.objects.get(issues__slug=FIRST_ISSUE).title in body
    assert 'id="source-1"' in body and 'href="#source-1"' in body
    assert f"{url}feed/" in body
    assert "Cite this page" in body and "accessed" in body


def test_issue_page_renders_markdown_safely(client, harbour_talks):
    issue = Issue.objects.get(slug=FIRST_ISSUE)
    issue.background = "**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    issue.save()
    body = client.get(issue.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert(1)</script>" not in body
    assert 'href="javascript:' not in body


def test_positions_newest_first_within_a_side(client, harbour_talks):
    body = client.get("/issues/rail-link/").content.decode()
    column = body[body.index(f'id="side-{SIDES[0]}"') :]
    newer = column.index("Doubt that the rail link will be built.")  # this month
    older = column.index("Said his talks on the rail link went well.")  # last month
    assert newer < older


class TestDrafts:
    @pytest.fixture
    def draft(self, harbour_talks):
        issue = factories.IssueFactory(
            title="Secret draft", slug="secret-draft", status=PublicationStatus.DRAFT
        )
        factories.PositionFactory(
            issue=issue, summary="Draft position text", source=Source.objects.get()
        )
        return issue

    def test_draft_is_404_for_anonymous_and_shown_to_editors(self, client, editor, draft):
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(reverse("issues:issue_feed", args=[draft.slug])).status_code == 404
        client.force_login(editor)
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert "Draft: readers cannot see this" in response.content.decode()

    @pytest.mark.parametrize("url", ["/", "/issues/", "/feed/", "/sitemap.xml", "source"])
    def test_draft_appears_nowhere_for_anonymous(self, client, draft, url):
        if url == "source":  # the source the draft's position cites
            url = Source.objects.get().get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Secret draft" not in body
        assert "secret-draft" not in body
        assert "Draft position text" not in body

    def test_draft_is_listed_for_editors_in_browse(self, client, editor, draft):
        client.force_login(editor)
        body = client.get("/issues/").content.decode()
        assert "Secret draft" in body

    def test_draft_assessment_hidden_from_readers(self, client, harbour_talks):
        from issues.models import OutlookAssessment

        assessment = OutlookAssessment.objects.get(issue__slug=FIRST_ISSUE)
        assert "Strongly hinders" in client.get(FIRST_ISSUE_URL).content.decode()
        assessment.status = PublicationStatus.DRAFT
        assessment.save()
        body = client.get(FIRST_ISSUE_URL).content.decode()
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


def test_leader_page_lists_positions_newest_first(client, harbour_talks):
    body = client.get("/leaders/oren-vale/").content.decode()
    # "late March" starts after "last month" (all of March) does
    late_march = Position.objects.get(leader__slug="oren-vale", stated_as="late March")
    last_month = Position.objects.get(leader__slug="oren-vale", issue__slug="rail-link")
    assert body.index(late_march.summary) < body.index(last_month.summary)


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


def test_every_link_from_the_home_page_leads_somewhere(client, harbour_talks):
    """Crawl the site from `/` as a reader: no internal link is a dead end."""
    assert len(crawl_from_home(client)) > 20


def test_the_leader_list_title_is_plain_text(client, harbour_talks):
    body = client.get("/leaders/").content.decode()
    assert "<title>Leaders · Summit dossiers</title>" in body
    assert body.count('class="pagination"') <= 1
