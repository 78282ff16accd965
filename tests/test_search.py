"""Site-wide search, `/search/?q=`: what it finds, whom it shows what, and what it survives.

Full-text search (stored weighted vectors, websearch syntax, ts_rank, ts_headline) runs on
PostgreSQL; SQLite has the substring fallback. Tests of one engine only are marked so.
"""

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from issues import search
from issues.models import Event, EventCitation, Issue, Leader, Office, PublicationStatus, Source
from issues.search import Kind
from issues.templatetags.dossier import fuzzy_date
from tests import factories
from tests.searching import records

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)
on_fallback = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the substring fallback runs off PostgreSQL only"
)

URL = reverse("issues:search")
DRAFT = PublicationStatus.DRAFT
HTMX = {"HTTP_HX_REQUEST": "true"}


def get(client, q=None, **params):
    if q is not None:
        params["q"] = q
    return client.get(URL, params)


def found(response) -> list[tuple[str, str]]:
    """(kind, plain title) of each result, in order."""
    return [(r.kind.label, re.sub(r"</?mark>", "", r.title)) for r in response.context["results"]]


def urls(response) -> list[str]:
    return [result.url for result in response.context["results"]]


def link(response, rel: str) -> dict[str, list[str]] | None:
    """The query of the page's `rel` (prev, next) link, or None."""
    match = re.search(rf'<a rel="{rel}" href="\?([^"]*)"', response.content.decode())
    return parse_qs(unescape(match[1])) if match else None


@pytest.fixture
def every_kind():
    """One record of each kind with the word “zanzibar”, on a published issue."""
    issue = factories.IssueFactory(title="Zanzibar question", slug="zanzibar")
    position = factories.PositionFactory(issue=issue, summary="Wants Zanzibar talks.")
    event = factories.EventFactory(title="Zanzibar talks", description="They met.")
    event.issues.add(issue)
    meeting = factories.MeetingFactory(slug="spice-meeting")
    assessment = factories.AssessmentFactory(
        issue=issue, meeting=meeting, rationale="Zanzibar divides them."
    )
    source = factories.SourceFactory(title="The Zanzibar papers")
    return {
        "issue": issue,
        "position": position,
        "event": event,
        "assessment": assessment,
        "source": source,
    }


# The page


def test_empty_query_shows_the_form_and_no_results(client):
    response = get(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<form[^>]*role="search"[^>]*method="get"', html)
    assert '<label for="search-q">' in html
    assert re.search(r'<input type="search" id="search-q" name="q" value=""', html)
    assert '<button class="button" type="submit">Search</button>' in html
    assert response.context["found"] is None
    assert response.context["results"] == []
    assert "Type a name or a word or two" in html


def test_live_search_attributes_and_no_inline_script_or_style(client):
    html = get(client, "zanzibar").content.decode()
    assert f'data-hx-get="{URL}"' in html
    assert 'data-hx-trigger="input changed delay:300ms, search"' in html
    assert 'data-hx-target="#search-results"' in html
    assert 'data-hx-push-url="true"' in html
    assert '<div id="search-results"' in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html


def test_finds_every_kind_and_links_to_its_page(client, every_kind):
    response = get(client, "zanzibar")
    assert response.status_code == 200
    issue = every_kind["issue"]
    assert {kind for kind, _title in found(response)} == {
        "Issue",
        "Position",
        "Event",
        "Assessment",
        "Source",
    }
    assert set(urls(response)) == {
        "/issues/zanzibar/",
        f"/issues/zanzibar/#position-{every_kind['position'].pk}",
        f"/issues/zanzibar/#event-{every_kind['event'].pk}",
        "/issues/zanzibar/#outlook-spice-meeting",
        f"/sources/{every_kind['source'].pk}/",
    }
    html = response.content.decode()
    assert f'<a href="{issue.get_absolute_url()}">' in html
    assert "5 results for “zanzibar”" in html


def test_each_result_shows_what_its_record_says(client, every_kind):
    """Title, meta line, link and draft mark of every kind, read with the ranked rows, are
    what the records themselves give (a position's speaker: its leader, else whoever it is
    attributed to; dates only as precise as recorded)."""
    issue, event = every_kind["issue"], every_kind["event"]
    leader = factories.LeaderFactory(name="Zanzibar Sultan", native_name="Sultani wa Zanzibar")
    Office.objects.create(leader=leader, title="Sultan", started_on=date(2010, 1, 1))
    Office.objects.create(leader=leader, title="Prince", started_on=date(2000, 1, 1))
    spoken = factories.PositionFactory(
        issue=issue, leader=leader, summary="Zanzibar stays.", stated_on_precision="month"
    )
    Event.objects.filter(pk=event.pk).update(occurred_on_precision="year")
    event.refresh_from_db()
    source = every_kind["source"]
    Source.objects.filter(pk=source.pk).update(author="A. Writer")
    source.refresh_from_db()
    position, assessment = every_kind["position"], every_kind["assessment"]

    def day(record, field):
        return fuzzy_date(getattr(record, field), getattr(record, f"{field}_precision"))

    expected = {
        (Kind.LEADER, leader.pk): (
            leader.name,
            f"{leader.native_name} · Sultan · {leader.country.name}",
            leader.get_absolute_url(),
        ),
        (Kind.ISSUE, issue.pk): (issue.title, "", issue.get_absolute_url()),
        (Kind.POSITION, position.pk): (
            f"Officials on {issue.title}",
            f"{position.country.name}, {day(position, 'stated_on')}",
            position.get_absolute_url(),
        ),
        (Kind.POSITION, spoken.pk): (
            f"Zanzibar Sultan on {issue.title}",
            f"{spoken.country.name}, November 2018",
            spoken.get_absolute_url(),
        ),
        (Kind.EVENT, event.pk): (
            event.title,
            "2018",
            f"{issue.get_absolute_url()}#event-{event.pk}",
        ),
        (Kind.ASSESSMENT, assessment.pk): (
            f"Outlook for {assessment.meeting.title}: {issue.title}",
            assessment.get_effect_display(),
            f"{issue.get_absolute_url()}#outlook-{assessment.meeting.slug}",
        ),
        (Kind.SOURCE, source.pk): (
            source.title,
            f"A. Writer, {source.publisher}",
            source.get_absolute_url(),
        ),
    }
    results = get(client, "zanzibar").context["results"]
    shown = {
        (r.kind, r.pk): (unescape(re.sub(r"</?mark>", "", r.title)), r.meta, r.url) for r in results
    }
    assert shown == expected
    assert not any(r.is_draft for r in results)


def test_links_lead_to_anchors_that_exist(client, every_kind):
    page = client.get("/issues/zanzibar/").content.decode()
    for url in urls(get(client, "zanzibar")):
        path, _, anchor = url.partition("#")
        if path == "/issues/zanzibar/" and anchor:
            assert f'id="{anchor}"' in page


def test_no_match_shows_the_empty_state(client, every_kind):
    response = get(client, "nothingmatchesthis")
    assert response.status_code == 200
    assert response.context["results"] == []
    assert "No results for “nothingmatchesthis”" in response.content.decode()


def test_an_imported_dossier_is_found(client, editing_dossier):
    """A dossier file is written through the editing services: its records are found like
    an editor's, by their words and by their leader's name in either script."""
    response = get(client, "trawlers")
    events = [r for r in response.context["results"] if r.kind == search.Kind.EVENT]
    assert events and events[0].url.startswith("/issues/harbour-rights/#event-")
    assert "<mark>trawlers</mark>" in str(events[0].title)
    leader = Leader.objects.get(slug="ada-quillon")
    surname = leader.name.split()[-1]
    # The leader, the positions they took, and the event and outlook naming them.
    kinds = {r.kind for r in get(client, surname).context["results"]}
    assert kinds == {
        search.Kind.LEADER,
        search.Kind.POSITION,
        search.Kind.EVENT,
        search.Kind.ASSESSMENT,
    }
    for q in (leader.native_name, leader.native_name.split()[-1]):
        assert leader in records(get(client, q).context["results"])


def test_cyrillic_text_is_found(client):
    factories.IssueFactory(title="Встреча в Буэнос-Айресе", summary="Путин и Трамп.")
    response = get(client, "Путин")
    assert found(response) == [("Issue", "Встреча в Буэнос-Айресе")]
    assert "<mark>Путин</mark>" in str(response.context["results"][0].snippet)


def test_post_is_not_allowed(client):
    assert client.post(URL, {"q": "x"}).status_code == 405


# Who sees what


def test_a_draft_issue_and_what_belongs_to_it_stay_hidden_from_readers(client, reader):
    draft = factories.IssueFactory(title="Zanzibar draft", status=DRAFT)
    factories.PositionFactory(issue=draft, summary="Zanzibar position.")
    event = factories.EventFactory(title="Zanzibar event")
    event.issues.add(draft)
    factories.AssessmentFactory(issue=draft, rationale="Zanzibar outlook.")
    for user in (None, reader):
        if user:
            client.force_login(user)
        response = get(client, "zanzibar")
        assert response.status_code == 200
        assert found(response) == []
        assert "Zanzibar draft" not in response.content.decode()


def test_a_draft_assessment_of_a_published_issue_stays_hidden(client):
    issue = factories.IssueFactory(title="Published")
    factories.AssessmentFactory(issue=issue, rationale="Zanzibar outlook.", status=DRAFT)
    assert found(get(client, "zanzibar")) == []


def test_an_event_of_a_draft_and_a_published_issue_links_to_the_published_one(client):
    draft = factories.IssueFactory(title="Draft", slug="aaa-draft", status=DRAFT, order=0)
    published = factories.IssueFactory(title="Published", slug="published", order=1)
    event = factories.EventFactory(title="Zanzibar summit")
    event.issues.add(draft, published)
    assert urls(get(client, "zanzibar")) == [f"/issues/published/#event-{event.pk}"]


def test_editors_see_drafts_marked_as_such(editor_client):
    draft = factories.IssueFactory(title="Zanzibar draft", status=DRAFT)
    factories.PositionFactory(issue=draft, summary="Zanzibar position.")
    response = get(editor_client, "zanzibar")
    assert {kind for kind, _ in found(response)} == {"Issue", "Position"}
    assert all(result.is_draft for result in response.context["results"])
    assert "Draft</span>" in response.content.decode()


def test_an_event_without_issue_links_editors_to_its_source(editor_client):
    event = factories.EventFactory(title="Zanzibar accord")
    source = factories.SourceFactory(title="Gazette")
    EventCitation.objects.create(event=event, source=source, locator="p. 2")
    assert urls(get(editor_client, "zanzibar")) == [source.get_absolute_url()]


def test_an_event_without_issue_links_readers_to_no_draft_source(editor):
    reader, editor_client = Client(), Client()
    editor_client.force_login(editor)
    event = factories.EventFactory(title="Zanzibar accord")
    draft = factories.SourceFactory(title="Draft gazette", status=DRAFT)
    published = factories.SourceFactory(title="Gazette")
    EventCitation.objects.create(event=event, source=draft, locator="p. 1")
    EventCitation.objects.create(event=event, source=published, locator="p. 2")
    assert urls(get(reader, "zanzibar")) == [published.get_absolute_url()]
    assert urls(get(editor_client, "zanzibar")) == [draft.get_absolute_url()]


def test_each_audience_and_query_gets_its_own_results_from_the_compiled_matches(editor):
    """Each kind's match is compiled once per audience and kind of query, with a stand-in
    for the words; whichever audience or query comes first, none takes another's."""
    client, editor_client = Client(), Client()
    editor_client.force_login(editor)
    draft = factories.IssueFactory(title="Zanzibar draft", status=DRAFT)
    published = factories.IssueFactory(title="Zanzibar charter")
    other = factories.IssueFactory(title="Quorvane charter")
    search._COMPILED_MATCHES.clear()
    search._COMPILED_SHOWN.clear()
    # Each round asks anew (another case), past the cache of whole pages.
    for zanzibar, quorvane in (("zanzibar", "quorvane"), ("Zanzibar", "Quorvane")):
        assert records(get(client, zanzibar).context["results"]) == [published]
        assert set(records(get(editor_client, zanzibar).context["results"])) == {
            draft,
            published,
        }
        assert records(get(client, quorvane).context["results"]) == [other]
        suggested = client.get(
            "/search/suggestions/", {"q": zanzibar[:4]}, headers={"HX-Request": "true"}
        )
        text = re.sub(r"<[^>]+>", "", suggested.content.decode())
        assert "Zanzibar charter" in text
        assert "Zanzibar draft" not in text
    if search.uses_full_text():
        assert {(kind, sees_drafts) for kind, sees_drafts, _prefix in search._COMPILED_MATCHES} == {
            (kind, sees_drafts) for kind in search.Kind for sees_drafts in (False, True)
        }


def test_withdrawn_positions_are_not_found(client):
    from django.utils import timezone

    factories.PositionFactory(summary="Zanzibar, once.", withdrawn_at=timezone.now())
    assert found(get(client, "zanzibar")) == []


# Ranking


@on_postgresql
def test_full_text_a_title_match_ranks_above_body_matches(client):
    body = factories.IssueFactory(
        title="Other matters",
        summary="Nothing here.",
        background="Zanzibar, zanzibar and again Zanzibar: " * 5,
        order=0,
    )
    titled = factories.IssueFactory(title="Zanzibar", order=1)
    summary = factories.IssueFactory(title="Third", summary="About Zanzibar.", order=2)
    results = get(client, "zanzibar").context["results"]
    assert records(results) == [titled, summary, body]


def test_groups_come_people_first_then_in_a_fixed_order(client, every_kind):
    factories.LeaderFactory(name="Sultan of Zanzibar")
    response = get(client, "zanzibar")
    kinds = [group.kind for group in response.context["found"].shown_groups]
    assert kinds == list(search.Kind)
    assert [kind for kind, _title in found(response)][0] == "Person"


@on_fallback
def test_fallback_ranks_title_then_summary_then_body_matches(client):
    body = factories.IssueFactory(title="Other", background="Zanzibar " * 5, order=0)
    summary = factories.IssueFactory(title="Third", summary="About Zanzibar.", order=1)
    titled = factories.IssueFactory(title="Zanzibar", order=2)
    results = get(client, "zanzibar").context["results"]
    assert records(results) == [titled, summary, body]


@on_fallback
def test_fallback_needs_every_word_and_leaves_out_minus_words(client):
    both = factories.IssueFactory(title="Zanzibar", summary="And Pemba.")
    factories.IssueFactory(title="Zanzibar alone")
    factories.IssueFactory(title="Zanzibar, not Unguja", summary="And Pemba.")
    assert records(get(client, "pemba zanzibar -unguja").context["results"]) == [both]


# Full text on PostgreSQL


@on_postgresql
def test_full_text_matches_word_forms_and_websearch_syntax(client):
    attacks = factories.IssueFactory(title="Naval attacks", summary="Ships attacked off Crimea.")
    treaty = factories.IssueFactory(title="Treaty", summary="Missiles, not ships.")

    def found_for(q):
        return records(get(client, q).context["results"])

    assert found_for("attacking") == [attacks]
    assert found_for('"naval attacks"') == [attacks]
    assert found_for('"attacks naval"') == []
    assert set(found_for("crimea or missiles")) == {attacks, treaty}
    assert found_for("ships -crimea") == [treaty]


@on_postgresql
def test_the_sites_database_sessions_scan_a_table_from_its_first_page():
    """A search's candidates are the first matches a scan meets: with PostgreSQL's
    synchronized scans a large table's scan starts where another has got to, and the same
    search found other candidates, read from disk, each time (see the settings)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone() == ("off",)


@on_postgresql
def test_full_text_vectors_are_stored_weighted_and_indexed():
    issue = factories.IssueFactory(title="Zanzibar", summary="Pemba", background="Unguja")
    Issue.objects.filter(pk=issue.pk).update(background="Mafia island")
    issue.refresh_from_db()
    vector = str(issue.search_vector)
    assert "'zanzibar':1A" in vector
    assert "'pemba':2B" in vector
    assert "'mafia':3C" in vector
    assert "unguja" not in vector
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE %s",
            ["%search_gin"],
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {
        "issues_leader",
        "issues_office",
        "issues_issue",
        "issues_position",
        "issues_event",
        "issues_outlookassessment",
        "issues_source",
    }
    assert all("USING gin (search_vector)" in definition for definition in indexes.values())


@on_fallback
def test_fallback_keeps_no_vector():
    issue = factories.IssueFactory(title="Zanzibar")
    issue.refresh_from_db()
    assert issue.search_vector is None


# Snippets


def test_snippets_mark_matches_and_escape_everything_else(client):
    factories.IssueFactory(
        title="<b>Zanzibar</b> & co",
        summary='Before <script>alert("x")</script> the Zanzibar <img src=x onerror=alert(1)>.',
    )
    response = get(client, "zanzibar")
    html = response.content.decode()
    result = response.context["results"][0]
    assert "<mark>Zanzibar</mark>" in str(result.snippet)
    assert "<mark>Zanzibar</mark>" in str(result.title)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>" not in html
    # (ts_headline drops what it parses as tags; the rest is escaped.)
    for marked in (result.snippet, result.title):
        assert "<" not in re.sub(r"</?mark>", "", str(marked))
    assert "&amp; co" in str(result.title)


def test_snippets_drop_markdown_marks(client):
    factories.IssueFactory(
        title="Issue",
        summary="Plain.",
        background="Observers put **Zanzibar** on hold, see [the brief](https://example.org/x).",
    )
    snippet = str(get(client, "zanzibar").context["results"][0].snippet)
    assert "**" not in snippet
    assert "the brief" in snippet
    assert "example.org" not in snippet


def test_a_long_text_is_cut_around_the_match(client):
    factories.IssueFactory(
        title="Issue",
        background=" ".join(f"before{n}" for n in range(80))
        + " Zanzibar here. "
        + " ".join(f"after{n}" for n in range(80)),
    )
    snippet = str(get(client, "zanzibar").context["results"][0].snippet)
    assert "<mark>Zanzibar</mark>" in snippet
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert len(snippet) < 400


def test_marked_html_escapes_and_balances_markers():
    start, stop = search.START, search.STOP
    assert search.marked_html(f"a <b> {start}x{stop} & y") == "a &lt;b&gt; <mark>x</mark> &amp; y"
    assert search.marked_html(f"{start}{start}x") == "<mark>x</mark>"
    assert search.marked_html(f"x{stop}y") == "xy"


def test_clean_query():
    assert search.clean_query("  a\x00b \n c\t") == ("a b c", False)
    assert search.clean_query("x" * 201) == ("x" * 200, True)
    assert search.clean_query("x" * 200) == ("x" * 200, False)


# Any query string is safe

HOSTILE = [
    '"',
    '"unbalanced quote',
    "'",
    "it's",
    "-",
    "--",
    "-zanzibar",
    "zanzibar -",
    "OR",
    "zanzibar OR",
    "OR OR OR",
    "&",
    "|",
    "!",
    "!!zanzibar",
    ":*",
    "zan:*",
    "zanzibar:*A",
    "(",
    ")",
    "((zanzibar",
    "(a | b) & !c",
    "a <-> b",
    "<script>alert(1)</script>",
    "%",
    "_",
    "\\",
    "%_%\\",
    "Путин",
    "\x00",
    "zan\x00zibar",
    "\x00\x01\x1f\x7f",
    "\u200b",
    "😀 zanzibar",
    "the",
    "a",
    "' OR 1=1 --",
    "x" * 10_000,
    "zanzibar " * 2_000,
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_is_answered(client, every_kind, q):
    response = get(client, q)
    assert response.status_code == 200
    assert len(response.context["query"]) <= search.MAX_QUERY_LENGTH
    assert "\x00" not in response.content.decode()
    assert get(client, q, **{"page": "2"}).status_code == 200
    assert client.get(URL, {"q": q}, **HTMX).status_code == 200


def test_a_long_query_is_shortened_with_a_note(client, every_kind):
    response = get(client, "zanzibar " + "x" * 10_000)
    assert response.status_code == 200
    assert len(response.context["query"]) == search.MAX_QUERY_LENGTH
    assert response.context["shortened"] is True
    assert "only its first 200 characters were searched" in response.content.decode()
    assert 'maxlength="200"' in response.content.decode()


def test_unknown_parameters_are_ignored(client, every_kind):
    response = client.get(URL, {"q": "zanzibar", "utm_source": "x", "q2": "y"})
    assert response.status_code == 200
    assert len(response.context["results"]) == 5


def test_the_query_is_shown_escaped(client):
    html = get(client, '"><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Pagination (one kind at a time)


@pytest.fixture
def many_issues():
    return [
        factories.IssueFactory(title=f"Zanzibar {n:02}", slug=f"zanzibar-{n:02}", order=n)
        for n in range(25)
    ]


def test_every_kind_shows_its_best_few_and_links_to_all_of_them(client, many_issues):
    response = get(client, "zanzibar")
    issues = response.context["found"].group(search.Kind.ISSUE)
    assert issues.count == 25
    assert len(issues.results) == search.PER_GROUP
    html = response.content.decode()
    assert "25 results for “zanzibar”" in html
    assert re.search(r'<a href="\?q=zanzibar&amp;kind=issues">All 25 issues</a>', html)
    assert link(response, "next") is None  # no paging of every kind at once


def test_results_of_one_kind_are_paginated(client, many_issues):
    first = get(client, "zanzibar", kind="issues")
    assert first.context["found"].pages.num_pages == 2
    assert len(first.context["results"]) == search.PAGE_SIZE
    assert "25 results for “zanzibar”" in first.content.decode()
    assert link(first, "prev") is None
    assert link(first, "next") == {"q": ["zanzibar"], "kind": ["issues"], "page": ["2"]}
    second = get(client, "zanzibar", kind="issues", page="2")
    assert len(second.context["results"]) == 5
    seen = {r.pk for r in first.context["results"] + second.context["results"]}
    assert seen == {issue.pk for issue in many_issues}
    assert link(second, "prev") == {"q": ["zanzibar"], "kind": ["issues"], "page": ["1"]}
    assert link(second, "next") is None


def test_page_links_carry_the_cleaned_query(client, many_issues):
    response = get(client, "  zanzibar\x00 ", kind="issues", page="1")
    assert link(response, "next") == {"q": ["zanzibar"], "kind": ["issues"], "page": ["2"]}


# (Not `page`: pytest-playwright owns that fixture name.)
@pytest.mark.parametrize("number", ["99999", "3", "2" * 40])
def test_a_page_out_of_range_gives_the_last_page(client, many_issues, number):
    response = get(client, "zanzibar", kind="issues", page=number)
    assert response.status_code == 200
    assert response.context["found"].pages.number == 2
    assert len(response.context["results"]) == 5


@pytest.mark.parametrize("number", ["abc", "", "1.5", "\x00", "last", "0", "-1"])
def test_a_page_that_is_not_a_page_number_gives_the_first_page(client, many_issues, number):
    response = get(client, "zanzibar", kind="issues", page=number)
    assert response.status_code == 200
    assert response.context["found"].pages.number == 1


def test_a_page_out_of_range_without_results_gives_the_empty_state(client):
    response = get(client, "zanzibar", kind="issues", page="99999")
    assert response.status_code == 200
    assert "No results for “zanzibar”" in response.content.decode()


def test_an_unknown_kind_shows_every_kind(client, every_kind):
    response = get(client, "zanzibar", kind="nonsense")
    assert response.context["kind"] is None
    assert len(response.context["results"]) == 5


# htmx


def test_an_htmx_request_gets_only_the_results(client, every_kind):
    response = client.get(URL, {"q": "zanzibar"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert "<mark>Zanzibar</mark>" in html
    assert 'id="search-status"' in html and 'data-hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_a_plain_request_gets_the_whole_page_and_varies_on_htmx(client, every_kind):
    response = get(client, "zanzibar")
    html = response.content.decode()
    assert html.lstrip().startswith("<!doctype html>")
    assert "<mark>Zanzibar</mark>" in html
    assert 'data-hx-swap-oob="true"' not in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, every_kind):
    response = client.get(
        URL, {"q": "zanzibar"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


# Queries


def make_matching_records(count: int) -> None:
    """`count` matching records spread over the six kinds (whole multiples of six)."""
    for n in range(count // 6):
        leader = factories.LeaderFactory(name=f"Zanzibar Leader {n}", slug=f"zanzibar-{n}")
        Office.objects.create(leader=leader, title="Sultan")
        issue = factories.IssueFactory(title=f"Zanzibar {n}")
        factories.PositionFactory(issue=issue, summary=f"Zanzibar position {n}.")
        event = factories.EventFactory(title=f"Zanzibar event {n}")
        event.issues.add(issue)
        EventCitation.objects.create(event=event, source=factories.SourceFactory())
        factories.AssessmentFactory(issue=issue, rationale=f"Zanzibar outlook {n}.")
        factories.SourceFactory(title=f"Zanzibar source {n}")


# One statement ranks, counts and marks every kind and reads what its results show (leaders
# with their latest office, events with where they link), one EXPLAIN estimates the kinds
# with more matches than candidates.
MAX_QUERIES = 2


@pytest.mark.parametrize("count", [6, 60])
@pytest.mark.parametrize("beyond_candidates", [False, True])
def test_queries_do_not_grow_with_results(
    client, django_assert_max_num_queries, monkeypatch, count, beyond_candidates
):
    make_matching_records(count)
    budget = MAX_QUERIES
    if beyond_candidates:  # every kind has more matches than are ranked: estimated counts
        monkeypatch.setattr(search, "CANDIDATES", 3)
        monkeypatch.setattr(search, "PREVIEW_CANDIDATES", 3)
        if not search.uses_full_text() and count > 6 * 3:
            budget += len(search.Kind)  # the fallback, for small archives, counts each kind
    with django_assert_max_num_queries(budget):
        response = get(client, "zanzibar")
    if not beyond_candidates:
        assert response.context["found"].total == count
    shown = min(count // 6, search.PER_GROUP, search.CANDIDATES)
    assert len(response.context["results"]) == 6 * shown
    for kind in search.Kind:
        # (A page past the end asks again for the last one.)
        with django_assert_max_num_queries(3 + budget - MAX_QUERIES):
            response = get(client, "zanzibar", kind=kind.slug, page="2")
        if not beyond_candidates:
            assert response.context["found"].group(kind).count == count // 6


def test_queries_do_not_grow_for_editors(editor_client, django_assert_max_num_queries):
    make_matching_records(60)
    # Plus the session, the user, and the user's permissions.
    with django_assert_max_num_queries(MAX_QUERIES + 4):
        response = get(editor_client, "zanzibar")
    assert response.context["found"].total == 60
