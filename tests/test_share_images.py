"""Share images: the issue's and the meeting's outlook as 1200 × 630 PNGs, published
content only, stale the moment anything is published, named by the pages' OpenGraph and
Twitter tags."""

import re
import struct

import pytest
from django.test import Client

from issues import share
from issues.labels import all_labels
from issues.models import Meeting, OutlookAssessment, PublicationStatus, Source
from tests import factories
from tests.harbour_talks import (
    FIRST_ISSUE,
    FIRST_ISSUE_URL,
    ISSUE_SLUGS,
    MEETING,
    MEETING_TITLE,
    MEETING_URL,
    OUTLOOK_RECORDED,
)

pytestmark = pytest.mark.django_db

ISSUE_IMAGE = f"{FIRST_ISSUE_URL}share.png"
MEETING_IMAGE = f"{MEETING_URL}share.png"
OUTLOOK_EDIT = f"{FIRST_ISSUE_URL}outlook/{MEETING}/edit/"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def outlook_data(assessment: OutlookAssessment, **changes) -> dict:
    """The outlook edit form's fields as they stand, with `changes`."""
    data = {
        "effect": str(assessment.effect),
        "salience": str(assessment.salience),
        "deliverable": assessment.deliverable,
        "rationale": assessment.rationale,
        "sources": [Source.objects.get().pk],
        "locator": "para. 3",
        "version": assessment.version,
        "note": "rethought",
        "action": "publish",
    }
    return {**data, **changes}


def image(path: str) -> bytes:
    """A reader's request for an image: a fresh client, no cookies."""
    response = Client().get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "image/png"
    return response.content


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's header chunk (IHDR), which must come first."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("path", [ISSUE_IMAGE, MEETING_IMAGE])
def test_a_share_image_is_a_1200_by_630_png(harbour_talks, path):
    assert png_size(image(path)) == (1200, 630)


@pytest.mark.parametrize("path", [ISSUE_IMAGE, MEETING_IMAGE])
def test_a_share_image_is_the_same_for_editors_and_readers(harbour_talks, editor_client, path):
    assert editor_client.get(path).content == image(path)


def test_the_images_draw_the_pages_own_chart(harbour_talks):
    """The board's SVG is the page's own template, placed in the card."""
    meeting = share.meeting_svg(MEETING)
    for slug in ISSUE_SLUGS:
        assert f'data-issue="{slug}"' in meeting
    assert "Overall outlook" in meeting
    assert "OVERALL OUTLOOK" in meeting
    issue = share.issue_svg(FIRST_ISSUE)
    assert f'class="board__title" x="12" y="56">{MEETING_TITLE}<' in issue
    assert "Strongly hinders (−2)" in issue
    assert ">Nordavia<" in issue and ">Sudmark<" in issue  # where each side stands


def test_text_is_drawn(harbour_talks):
    """Fonts are found: a card with its words differs from the same card without them."""
    svg = share.meeting_svg(MEETING)
    without_words = re.sub(r"<text\b[^>]*>[^<]*</text>", "", svg)
    assert without_words != svg
    assert share.render_png(svg) != share.render_png(without_words)


def test_the_card_stylesheet_is_the_sites_with_its_variables_written_out():
    css = share.stylesheet()
    assert "var(" not in css
    assert ".board__bar--m2 { fill: #b42318; }" in css  # --hardline, as the page draws it
    assert "width: 100%" not in css  # the page's box layout is left out


def test_the_images_change_right_after_a_publish_and_not_for_a_draft(harbour_talks, editor_client):
    before = {path: image(path) for path in (ISSUE_IMAGE, MEETING_IMAGE)}
    assessment = OutlookAssessment.objects.get(issue__slug=FIRST_ISSUE, meeting__slug=MEETING)
    draft = outlook_data(assessment, effect="2", action="draft")
    assert editor_client.post(OUTLOOK_EDIT, draft).status_code == 302
    # A draft changes nothing a reader sees: the same bytes.
    assert {path: image(path) for path in before} == before
    assert "Strongly favours" not in share.issue_svg(FIRST_ISSUE)

    assert editor_client.post(f"{FIRST_ISSUE_URL}publish/").status_code == 302
    for path, old in before.items():
        assert image(path) != old, path
    assert "Strongly favours (+2)" in share.issue_svg(FIRST_ISSUE)
    assert "Strongly favours (+2)" in share.meeting_svg(MEETING)


def test_a_draft_issue_has_no_share_image_and_stays_off_the_meetings(harbour_talks, editor_client):
    meeting = Meeting.objects.get(slug=MEETING)
    draft = factories.IssueFactory(
        title="Zqx draft issue", slug="zqx-draft", status=PublicationStatus.DRAFT
    )
    draft.meetings.add(meeting)
    factories.AssessmentFactory(issue=draft, meeting=meeting, effect=2)
    assert Client().get("/issues/zqx-draft/share.png").status_code == 404
    assert editor_client.get("/issues/zqx-draft/share.png").status_code == 404  # even so
    assert "Zqx draft issue" in editor_client.get(MEETING_URL).text
    assert "Zqx draft issue" not in share.meeting_svg(MEETING)


def test_an_unknown_page_has_no_share_image(db):
    assert Client().get("/issues/nothing/share.png").status_code == 404
    assert Client().get("/meetings/nothing/share.png").status_code == 404


def test_a_share_image_is_not_gzipped(harbour_talks):
    response = Client().get(ISSUE_IMAGE, headers={"accept-encoding": "gzip"})
    assert not response.has_header("Content-Encoding")
    assert response.content[:8] == PNG_SIGNATURE


def test_a_share_image_is_served_from_the_cache(harbour_talks, django_assert_num_queries):
    first = share.issue_image(FIRST_ISSUE)
    with django_assert_num_queries(0):
        assert share.issue_image(FIRST_ISSUE) == first


@pytest.mark.parametrize("count", [5, 200])
def test_the_issue_image_query_count_does_not_grow(
    client, settings, django_assert_max_num_queries, count
):
    settings.READER_CACHE_SECONDS = 0
    issue = factories.dossier_with_positions(count)
    all_labels()
    with django_assert_max_num_queries(7):
        response = client.get(f"/issues/{issue.slug}/share.png")
    assert png_size(response.content) == (1200, 630)


@pytest.mark.parametrize("count", [1, 30])
def test_the_meeting_image_query_count_does_not_grow(
    client, settings, django_assert_max_num_queries, count
):
    settings.READER_CACHE_SECONDS = 0
    meeting = factories.MeetingFactory()
    for _ in range(count):
        issue = factories.IssueFactory()
        issue.meetings.add(meeting)
        factories.AssessmentFactory(issue=issue, meeting=meeting)
    all_labels()
    with django_assert_max_num_queries(5):
        response = client.get(f"/meetings/{meeting.slug}/share.png")
    assert png_size(response.content) == (1200, 630)


def meta(body: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', body)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("page", "image_path"),
    [(FIRST_ISSUE_URL, ISSUE_IMAGE), (MEETING_URL, MEETING_IMAGE)],
)
def test_the_pages_name_their_share_image_with_absolute_addresses(harbour_talks, page, image_path):
    body = Client().get(page).content.decode()
    assert meta(body, "og:image") == f"http://testserver{image_path}"
    assert meta(body, "twitter:image") == f"http://testserver{image_path}"
    assert meta(body, "twitter:card") == "summary_large_image"
    assert meta(body, "og:image:width") == "1200"
    assert meta(body, "og:image:height") == "630"
    assert meta(body, "og:image:alt")
    assert meta(body, "og:title")
    assert meta(body, "og:description")
    assert meta(body, "og:url") == f"http://testserver{page}"


@pytest.mark.parametrize("page", [FIRST_ISSUE_URL, MEETING_URL])
def test_a_past_days_page_names_no_share_image(harbour_talks, page):
    """The image is today's outlook: a page as of a past day is not shared with it."""
    body = Client().get(page, {"as_of": OUTLOOK_RECORDED.isoformat()}).content.decode()
    assert meta(body, "og:image") is None
    assert meta(body, "twitter:card") == "summary"


def test_an_editors_draft_issue_page_names_no_share_image(harbour_talks, editor_client):
    factories.IssueFactory(slug="zqx-draft", status=PublicationStatus.DRAFT)
    body = editor_client.get("/issues/zqx-draft/").content.decode()
    assert meta(body, "og:image") is None
