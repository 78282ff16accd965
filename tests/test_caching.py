"""Reader pages cached whole, stale the moment anything published changes (issues/caching.py)."""

import gzip
import os
import re
import time

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from issues import caching
from issues.models import (
    Country,
    Event,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    Scale,
    ScaleLabel,
    Scenario,
    Source,
    Summit,
    Topic,
)

pytestmark = pytest.mark.django_db

SLUG = "synthetic-water-rights"  # of the synthetic dossier
ISSUE = f"/issues/{SLUG}/"
MEETING = "/meetings/synthetic-meeting/"


def read(path: str, **headers) -> str:
    """A reader's request: a fresh client, no cookies."""
    response = Client().get(path, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


class TestReadersPages:
    def test_an_anonymous_page_sets_no_cookie_and_does_not_vary_on_cookies(self, synthetic_dossier):
        response = Client().get(ISSUE)
        assert response.status_code == 200
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert "x-csrftoken" not in response.content.decode()
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]

    def test_the_second_request_is_served_without_touching_the_database(
        self, synthetic_dossier, django_assert_num_queries
    ):
        first = read(ISSUE)
        with django_assert_num_queries(0):
            second = read(ISSUE)
        assert first == second

    def test_an_editor_is_never_served_from_the_cache_and_keeps_the_csrf_header(
        self, synthetic_dossier, editor_client
    ):
        read(ISSUE)
        response = editor_client.get(ISSUE)
        body = response.content.decode()
        assert "x-csrftoken" in body
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert "ETag" not in response

    def test_htmx_fragments_are_not_cached(self, synthetic_dossier):
        read("/issues/", **{"HX-Request": "true"})
        with CaptureQueriesContext(connection) as queries:
            read("/issues/", **{"HX-Request": "true"})
        assert len(queries) > 0  # the fragment was built again, not taken from the cache

    def test_pages_vary_on_the_query_string(self, synthetic_dossier):
        assert read("/search/?q=river") != read("/search/?q=commission")

    def test_the_cache_can_be_turned_off(self, synthetic_dossier, settings):
        settings.READER_CACHE_SECONDS = 0
        response = Client().get(ISSUE)
        assert "ETag" not in response
        with CaptureQueriesContext(connection) as queries:
            read(ISSUE)
        assert len(queries) > 0


def _issue(_):
    return Issue.objects.get(slug=SLUG), "summary", ISSUE


def _position(_):
    position = Position.objects.published().filter(issue__slug=SLUG).first()
    return position, "summary", ISSUE


def _event(_):
    return (
        Event.objects.published().filter(issues__slug=SLUG).first(),
        "title",
        ISSUE,
    )


def _assessment(_):
    return OutlookAssessment.objects.get(issue__slug=SLUG), "deliverable", ISSUE


def _scenario(_):
    return Scenario.objects.filter(meeting__slug="synthetic-meeting").first(), "title", MEETING


def _meeting(_):
    return Meeting.objects.get(slug="synthetic-meeting"), "headline", MEETING


def _summit(_):
    summit = Summit.objects.get()
    return summit, "name", summit.get_absolute_url()


def _leader(_):
    leader = Leader.objects.get(slug="synthetic-leader-a")
    return leader, "name", leader.get_absolute_url()


def _source(_):
    source = Source.objects.published().first()
    return source, "title", source.get_absolute_url()


def _topic(_):
    return Issue.objects.get(slug=SLUG).topics.first(), "name", ISSUE


def _country(_):
    return Country.objects.get(code="XB"), "name", ISSUE


RECORDS = {
    "issue": _issue,
    "position": _position,
    "event": _event,
    "assessment": _assessment,
    "scenario": _scenario,
    "meeting": _meeting,
    "summit": _summit,
    "leader": _leader,
    "source": _source,
    "topic": _topic,
    "country": _country,
}


@pytest.mark.parametrize("kind", RECORDS)
def test_every_kind_of_record_is_read_back_at_once(
    synthetic_dossier, kind, django_capture_on_commit_callbacks
):
    record, field, path = RECORDS[kind](synthetic_dossier)
    before = read(path)
    marker = f"Reworded {kind} zqx"
    assert marker not in before

    with django_capture_on_commit_callbacks(execute=True):
        setattr(record, field, marker)
        record.save()

    assert marker in read(path)


def test_a_reworded_label_is_read_back_at_once(
    synthetic_dossier, django_capture_on_commit_callbacks
):
    position = Position.objects.published().filter(issue__slug=SLUG).first()
    read(ISSUE)
    with django_capture_on_commit_callbacks(execute=True):
        ScaleLabel.objects.create(scale=Scale.POSTURE, code=position.posture, label="Zqx stance")
    assert "Zqx stance" in read(ISSUE)


def test_a_removed_link_is_read_back_at_once(synthetic_dossier, django_capture_on_commit_callbacks):
    issue = Issue.objects.get(slug=SLUG)
    topic = Topic.objects.create(name="Zqx linked topic", slug="zqx-linked-topic")
    issue.topics.add(topic)
    assert topic.name in read(ISSUE)
    with django_capture_on_commit_callbacks(execute=True):
        issue.topics.remove(topic)
    assert topic.name not in read(ISSUE)


def test_an_editors_draft_stays_hidden_and_its_publication_shows(synthetic_dossier, editor_client):
    position = Position.objects.published().filter(issue__slug=SLUG).first()
    read(ISSUE)
    data = {
        "country": position.country_id,
        "leader": position.leader_id or "",
        "attribution": position.attribution,
        "kind": position.kind,
        "posture": position.posture,
        "summary": "Zqx drafted wording.",
        "quote": position.quote,
        "stated_on": position.stated_on.isoformat(),
        "stated_on_precision": position.stated_on_precision,
        "stated_until": position.stated_until.isoformat() if position.stated_until else "",
        "stated_as": position.stated_as,
        "source": position.source_id,
        "locator": position.locator,
        "version": position.version,
        "note": "",
        "action": "draft",
    }
    edit = f"{ISSUE}positions/{position.pk}/edit/"
    assert editor_client.post(edit, data).status_code == 302
    assert "Zqx drafted wording." not in read(ISSUE)

    assert editor_client.post("/issues/synthetic-water-rights/publish/").status_code == 302
    assert "Zqx drafted wording." in read(ISSUE)


def test_a_withdrawal_is_read_back_at_once(synthetic_dossier, editor_client):
    position = Position.objects.published().filter(issue__slug=SLUG).first()
    before = read(ISSUE)
    assert f'id="position-{position.pk}"' in before
    editor_client.post(
        f"{ISSUE}positions/{position.pk}/withdraw/",
        {"version": position.version, "note": "superseded"},
    )
    assert read(ISSUE) != before


def test_an_admin_save_is_read_back_at_once(synthetic_dossier, editor_client, admin_form):
    from django.urls import reverse

    issue = Issue.objects.get(slug=SLUG)
    read(ISSUE)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = admin_form(editor_client, url)
    data["summary"] = "Zqx summary from the back office."
    assert editor_client.post(url, data).status_code == 302
    assert "Zqx summary from the back office." in read(ISSUE)


def test_a_write_without_signals_is_read_back_after_a_bump(synthetic_dossier):
    read(ISSUE)
    Issue.objects.filter(slug=SLUG).update(summary="Zqx bulk summary.")
    caching.bump_generation()
    assert "Zqx bulk summary." in read(ISSUE)


def test_a_deleted_record_is_read_back_at_once(
    synthetic_dossier, django_capture_on_commit_callbacks
):
    topic = Topic.objects.create(name="Zqx topic", slug="zqx-topic")
    Issue.objects.get(slug=SLUG).topics.add(topic)
    assert "Zqx topic" in read(ISSUE)
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert "Zqx topic" not in read(ISSUE)


class TestConditionalGet:
    @pytest.mark.parametrize("path", [ISSUE, MEETING, "/feed/", f"{ISSUE}feed/"])
    def test_a_matching_etag_gets_304(self, synthetic_dossier, path):
        response = Client().get(path)
        assert response.status_code == 200 and response["ETag"]
        assert response["Last-Modified"]
        again = Client().get(path, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304
        assert again.content == b""

    def test_a_change_makes_the_old_etag_miss(
        self, synthetic_dossier, django_capture_on_commit_callbacks
    ):
        etag = Client().get(ISSUE)["ETag"]
        with django_capture_on_commit_callbacks(execute=True):
            issue = Issue.objects.get(slug=SLUG)
            issue.summary = "Zqx changed."
            issue.save()
        response = Client().get(ISSUE, headers={"If-None-Match": etag})
        assert response.status_code == 200
        assert "Zqx changed." in response.content.decode()

    def test_if_modified_since_gets_304(self, synthetic_dossier):
        Client().get(ISSUE)
        later = http_date(time.time() + 60)
        assert Client().get(ISSUE, headers={"If-Modified-Since": later}).status_code == 304

    def test_editors_get_no_validators(self, synthetic_dossier, editor_client):
        response = editor_client.get(ISSUE)
        assert "ETag" not in response and "Last-Modified" not in response


class TestCompression:
    def test_html_is_gzipped_for_readers(self, synthetic_dossier):
        response = Client().get(ISSUE, headers={"Accept-Encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]

    def test_editors_pages_are_not_compressed(self, synthetic_dossier, editor_client):
        response = editor_client.get(ISSUE, headers={"Accept-Encoding": "gzip"})
        assert not response.has_header("Content-Encoding")

    def test_gzipped_and_plain_copies_are_kept_apart(self, synthetic_dossier):
        Client().get(ISSUE, headers={"Accept-Encoding": "gzip"})
        plain = Client().get(ISSUE)
        assert not plain.has_header("Content-Encoding")
        assert "<html" in plain.content.decode()


class TestCompactHtml:
    def test_indentation_becomes_one_line_break_and_preformatted_text_is_kept(self):
        page = (
            b"<ul>\n    <li>one</li>\n\n    <li>two  words</li>\r\n  </ul>\n"
            b"<PRE>  a\n    b\n</PRE>\n  <textarea>\n  kept\n</textarea>\n"
            b"<p>\xc2\xa0\n\tx</p>"
        )
        assert caching.compact_html(page) == (
            b"<ul>\n<li>one</li>\n<li>two  words</li>\r\n</ul>\n"
            b"<PRE>  a\n    b\n</PRE>\n<textarea>\n  kept\n</textarea>\n"
            b"<p>\xc2\xa0\nx</p>"  # a no-break space is text, not indentation
        )

    def test_a_readers_page_travels_without_indentation(self, synthetic_dossier):
        response = Client().get(MEETING)
        body = response.content.decode()
        assert "<table" in body and "\n " not in body and "\n\n" not in body
        assert int(response.get("Content-Length", len(response.content))) == len(response.content)
        assert b"\n " not in Client().get(MEETING).content  # the copy from the cache

    def test_the_gzipped_page_is_the_compact_page(self, synthetic_dossier):
        plain = Client().get(ISSUE).content
        packed = Client().get(ISSUE, headers={"Accept-Encoding": "gzip"})
        unpacked = gzip.decompress(packed.content)
        nonce = re.compile(rb'nonce="[^"]+"')  # each copy is rendered with its own
        assert nonce.sub(b"", unpacked) == nonce.sub(b"", plain)
        assert b"\n " not in unpacked

    def test_a_code_block_of_the_background_keeps_its_indentation(self, synthetic_dossier):
        issue = Issue.objects.get(slug=SLUG)
        issue.background = "Before the code:\n\n    first line\n        indented line\n"
        issue.save()
        assert "first line\n    indented line" in read(ISSUE)

    def test_an_editors_page_is_left_as_rendered(self, synthetic_dossier, editor_client):
        """One of an editor's fragments shows text as written (`white-space: pre-wrap`)."""
        assert "\n  " in editor_client.get(ISSUE).content.decode()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL)")
def test_invalidation_holds_across_cache_clients(
    synthetic_dossier, settings, django_capture_on_commit_callbacks
):
    """Two workers: each has its own connection to Redis. A write in one makes the page stale
    for the other on its very next request."""
    redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": f"test-{os.getpid()}",
    }
    settings.CACHES = {"default": dict(redis), "other": dict(redis)}
    caching.bump_generation()
    read(ISSUE)  # cached by the first worker

    settings.READER_CACHE_ALIAS = "other"  # the second worker saves
    with django_capture_on_commit_callbacks(execute=True):
        issue = Issue.objects.get(slug=SLUG)
        issue.summary = "Zqx saved by another worker."
        issue.save()

    settings.READER_CACHE_ALIAS = "default"  # the first worker answers the next reader
    assert "Zqx saved by another worker." in read(ISSUE)


def test_a_worker_serves_a_page_it_served_lately_from_its_own_memory(synthetic_dossier):
    """The shared cache may lose the page (evicted, flushed): the worker still has it, and
    the generation, read from the shared cache, says it is still current."""
    first = read(ISSUE)
    caching._cache().delete(
        caching.cache_key(RequestFactory().get(ISSUE), caching.current_generation())
    )
    with CaptureQueriesContext(connection) as queries:
        second = read(ISSUE)
    assert len(queries) == 0 and first == second


def test_a_page_in_a_workers_memory_goes_stale_with_the_shared_generation(synthetic_dossier):
    read(ISSUE)
    Issue.objects.filter(slug=SLUG).update(summary="Zqv changed without signals.")
    caching.bump_generation()  # as another worker's write would, in the shared cache only
    assert "Zqv changed without signals." in read(ISSUE)


def _page(size: int) -> caching.StoredPage:
    return caching.StoredPage(200, (("Content-Type", "text/html"),), b"x" * size)


class TestRecentPages:
    def test_it_keeps_no_more_bytes_than_its_budget_dropping_the_least_recently_used(self):
        pages = caching.RecentPages(max_bytes=100)
        pages.put(1, "a", _page(40), 60)
        pages.put(1, "b", _page(40), 60)
        assert pages.get(1, "a") is not None  # "a" is now the more recently used
        pages.put(1, "c", _page(40), 60)
        assert pages.get(1, "b") is None
        assert pages.get(1, "a") is not None and pages.get(1, "c") is not None
        assert pages.size == 80

    def test_a_page_larger_than_the_budget_is_not_kept(self):
        pages = caching.RecentPages(max_bytes=100)
        pages.put(1, "big", _page(101), 60)
        assert pages.get(1, "big") is None and pages.size == 0

    def test_a_newer_generation_empties_it(self):
        pages = caching.RecentPages(max_bytes=100)
        pages.put(1, "a", _page(10), 60)
        assert pages.get(2, "a") is None
        assert pages.size == 0 and not pages.pages

    def test_a_page_past_its_time_is_not_served(self):
        pages = caching.RecentPages(max_bytes=100)
        pages.put(1, "a", _page(10), -1)
        assert pages.get(1, "a") is None and pages.size == 0

    def test_a_stored_page_gives_each_request_a_response_of_its_own(self):
        page = _page(3)
        first, second = page.response(), page.response()
        first["X-Added"] = "by a middleware"
        assert "X-Added" not in second
        assert second.content == b"xxx" and second["Content-Type"] == "text/html"


def test_a_generation_flushed_as_it_is_read_still_gives_the_page(synthetic_dossier, settings):
    """The shared cache can lose the generation between setting and reading it (flushed or
    evicted; a cache that keeps nothing loses it every time): the reader gets the page,
    never a server error."""
    settings.CACHES = {
        **settings.CACHES,
        "forgetful": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    settings.READER_CACHE_ALIAS = "forgetful"
    assert isinstance(caching.current_generation(), int)
    response = Client().get(ISSUE)
    assert response.status_code == 200
    assert Issue.objects.get(slug=SLUG).title in response.content.decode()
