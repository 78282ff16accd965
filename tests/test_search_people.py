"""Search finds people and things by name: leaders (names in every script, offices),
positions by who took them, whole words on SQLite; grouped by kind with counts and filters;
suggestions for the header's search box; nothing a reader may not see."""

import re

import pytest
from django.urls import reverse

from issues import search
from issues.models import Leader, Office, Position, PublicationStatus
from tests import factories
from tests.searching import records

pytestmark = pytest.mark.django_db

URL = reverse("issues:search")
SUGGESTIONS_URL = reverse("issues:search_suggestions")
HTMX = {"HTTP_HX_REQUEST": "true"}
DRAFT = PublicationStatus.DRAFT


def kinds_and_records(response) -> dict[str, set]:
    """Records found, by kind label."""
    found: dict[str, set] = {}
    results = response.context["results"]
    for result, record in zip(results, records(results), strict=True):
        found.setdefault(result.kind.label, set()).add(record)
    return found


@pytest.fixture
def putin():
    russia = factories.CountryFactory(code="RU")
    leader = factories.LeaderFactory(
        name="Vladimir Putin", native_name="Владимир Путин", slug="putin", country=russia
    )
    Office.objects.create(leader=leader, title="President of Russia")
    issue = factories.IssueFactory(title="Ukraine", slug="ukraine")
    positions = [
        factories.PositionFactory(
            issue=issue, country=russia, leader=leader, summary="Blames Kyiv for the clash."
        ),
        factories.PositionFactory(
            issue=issue, country=russia, leader=leader, summary="Calls the sanctions unjust."
        ),
    ]
    # Someone else, talking about him: found too, but not as his position.
    factories.PositionFactory(issue=issue, summary="Spoke before the summit.")
    return leader, positions


@pytest.mark.parametrize("q", ["Putin", "putin", "Путин", "путин", "ПУТИН", "Vladimir Putin"])
def test_a_leader_is_found_by_name_in_latin_and_cyrillic_with_their_positions(client, putin, q):
    leader, positions = putin
    response = client.get(URL, {"q": q})
    found = kinds_and_records(response)
    assert found["Person"] == {leader}
    assert found["Position"] == set(positions)
    first = response.context["results"][0]
    assert (first.kind, first.pk) == (search.Kind.LEADER, leader.pk)
    assert first.url == "/leaders/putin/"
    html = response.content.decode()
    assert '<a href="/leaders/putin/">' in html
    assert "Владимир Путин · President of Russia · Russia" in html


def test_a_leader_is_found_by_office(client, putin):
    leader, _positions = putin
    assert kinds_and_records(client.get(URL, {"q": "president of russia"})) == {"Person": {leader}}


def test_a_query_mixing_a_name_and_a_topic_finds_the_position(client, putin):
    _leader, positions = putin
    found = kinds_and_records(client.get(URL, {"q": "putin sanctions"}))
    assert found == {"Position": {positions[1]}}


def test_an_imported_leader_finds_their_positions_and_their_page(client, editing_dossier):
    leader = Leader.objects.get(slug="ada-quillon")
    theirs = set(Position.objects.filter(leader=leader))
    assert len(theirs) == 2
    response = client.get(URL, {"q": leader.name.split()[-1].lower()})
    found = kinds_and_records(response)
    assert found["Person"] == {leader}
    assert found["Position"] == theirs
    assert response.context["results"][0].url == "/leaders/ada-quillon/"


def test_a_renamed_leader_is_found_by_the_new_name_with_their_positions(client, putin):
    leader, positions = putin
    leader.name = "V. V. Putin"
    leader.native_name = "Влади́мир Влади́мирович"
    leader.save()
    assert set(Position.objects.values_list("leader_names", flat=True)) == {
        "V. V. Putin Влади́мир Влади́мирович",
        "",
    }
    found = kinds_and_records(client.get(URL, {"q": "Влади́мирович"}))
    assert found == {"Person": {leader}, "Position": set(positions)}


def test_bulk_written_positions_get_their_leaders_names(putin):
    leader, positions = putin
    Position.objects.filter(pk=positions[0].pk).update(leader_names="")
    assert Position.objects.sync_leader_names() == 1
    assert Position.objects.get(pk=positions[0].pk).leader_names == (
        "Vladimir Putin Владимир Путин"
    )
    assert Position.objects.sync_leader_names() == 0


# Whole words, in any case and script


@pytest.fixture
def start_and_nonstarter():
    treaty = factories.IssueFactory(title="Arms control", summary="New START expires in 2021.")
    factories.IssueFactory(title="Trade", summary="A tariff truce was a nonstarter; restart.")
    factories.IssueFactory(title="Встреча", summary="Переговоры о СНВ начались.")
    return treaty


@pytest.mark.parametrize("q", ["START", "start", "Start"])
def test_a_word_matches_whole_words_only(client, start_and_nonstarter, q):
    found = kinds_and_records(client.get(URL, {"q": q}))
    assert found == {"Issue": {start_and_nonstarter}}


def test_cyrillic_words_match_whole_and_in_any_case(client, start_and_nonstarter):
    found = records(client.get(URL, {"q": "снв"}).context["results"])
    assert [record.title for record in found] == ["Встреча"]
    assert client.get(URL, {"q": "СН"}).context["results"] == []


# Groups, counts, filters


@pytest.fixture
def mixed():
    """Two people, three issues, one source named Zanzibar."""
    for n in range(2):
        factories.LeaderFactory(name=f"Zanzibar Sultan {n}")
    for n in range(3):
        factories.IssueFactory(title=f"Zanzibar {n}")
    factories.SourceFactory(title="Zanzibar gazette")


def test_results_are_grouped_by_kind_with_counts_and_filters(client, mixed):
    response = client.get(URL, {"q": "zanzibar"})
    found = response.context["found"]
    assert [(g.kind.label, g.count) for g in found.shown_groups] == [
        ("Person", 2),
        ("Issue", 3),
        ("Source", 1),
    ]
    html = response.content.decode()
    assert "6 results for “zanzibar”" in html
    nav = re.search(r'<nav class="search-kinds".*?</nav>', html, re.S)[0]
    labels = re.findall(
        r'<a href="([^"]*)"[^>]*>(\w+) <span class="search-kinds__count">(\d+)', nav
    )
    assert labels == [
        ("?q=zanzibar", "All", "6"),
        ("?q=zanzibar&amp;kind=people", "People", "2"),
        ("?q=zanzibar&amp;kind=issues", "Issues", "3"),
        ("?q=zanzibar&amp;kind=sources", "Sources", "1"),
    ]
    assert 'aria-current="page">All' in nav
    assert '<h3 class="search-group__title" id="search-group-people">People' in html


def test_a_kind_filter_shows_that_kind_alone_and_keeps_it_in_the_form(client, mixed):
    response = client.get(URL, {"q": "zanzibar", "kind": "issues"})
    assert {r.kind.label for r in response.context["results"]} == {"Issue"}
    assert len(response.context["results"]) == 3
    html = response.content.decode()
    assert 'aria-current="page">Issues' in html
    assert '<input type="hidden" id="search-kind" name="kind" value="issues">' in html
    # The other kinds' counts stay in the filter.
    assert "People <span" in html


def test_a_group_beyond_the_ranked_candidates_says_its_count_is_estimated(
    client, mixed, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    monkeypatch.setattr(search, "PREVIEW_CANDIDATES", 1)
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"q": "zanzibar", "kind": "issues"})
    issues = response.context["found"].group(search.Kind.ISSUE)
    assert issues.count >= 3
    assert len(response.context["results"]) == 2  # only the candidates are ranked
    html = response.content.decode()
    assert "The 2 first matches are ranked and shown" in html
    if search.uses_full_text():
        assert issues.estimated
        assert f'Issues <span class="search-kinds__count">about {issues.count:,}' in html
    else:  # the fallback counts
        assert not issues.estimated
        assert issues.count == 3


def test_a_kinds_own_pages_rank_more_candidates_than_its_preview(client, mixed, monkeypatch):
    """The page of every kind previews each kind from `PREVIEW_CANDIDATES` matches; a kind's
    own pages rank `CANDIDATES` of it (the other kinds, only counted there, the preview's
    bound), so three issues are ranked on the issues' page, and two in the preview."""
    monkeypatch.setattr(search, "PREVIEW_CANDIDATES", 2)
    monkeypatch.setattr(search, "CANDIDATES", 5)
    preview = client.get(URL, {"q": "zanzibar"}).context["found"]
    assert preview.group(search.Kind.ISSUE).candidates == 2
    assert preview.group(search.Kind.ISSUE).count >= 3  # beyond the preview: estimated
    assert preview.group(search.Kind.ISSUE).estimated == search.uses_full_text()
    response = client.get(URL, {"q": "zanzibar", "kind": "issues"})
    issues = response.context["found"].group(search.Kind.ISSUE)
    assert (issues.candidates, issues.count, issues.estimated) == (5, 3, False)
    assert len(response.context["results"]) == 3
    assert "first matches are ranked and shown" not in response.content.decode()
    people = response.context["found"].group(search.Kind.LEADER)
    assert (people.candidates, people.count) == (2, 2)


def test_count_labels():
    assert search.count_label(1234) == "1,234"
    assert search.count_label(383_517, estimated=True) == "about 380,000"
    assert search.count_label(57, estimated=True) == "about 57"


# Suggestions for the header's search box


def test_suggestions_are_a_fragment_of_links_people_first(
    client, putin, django_assert_max_num_queries
):
    factories.IssueFactory(title="Putin's visit", slug="visit")
    with django_assert_max_num_queries(1):
        response = client.get(SUGGESTIONS_URL, {"q": "Pu"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    links = re.findall(r'<a class="site-search__suggestion[^"]*" href="([^"]*)"', html)
    assert links == ["/leaders/putin/", "/issues/visit/", "/search/?q=Pu"]
    # (ts_headline marks the whole word, the fallback what was typed.)
    assert re.search(r"<mark>Pu(tin)?</mark>", html)
    status = re.search(r'<p id="site-search-status"[^>]*>([^<]*)</p>', html)
    assert 'role="status" data-hx-swap-oob="true"' in status[0]
    assert status[1] == "2 suggestions"
    assert "HX-Request" in response["Vary"]


def test_suggestions_start_words_in_any_script(client, putin):
    html = client.get(SUGGESTIONS_URL, {"q": "пут"}, **HTMX).content.decode()
    assert 'href="/leaders/putin/"' in html
    # Only names and titles are suggested, by the start of a word.
    html = client.get(SUGGESTIONS_URL, {"q": "utin"}, **HTMX).content.decode()
    assert 'href="/leaders/putin/"' not in html
    assert "No suggestions" in html


def test_suggestions_for_nothing_are_empty(client, putin):
    html = client.get(SUGGESTIONS_URL, {"q": "  "}, **HTMX).content.decode()
    assert "<a" not in html
    # The status is emptied too.
    assert 'role="status" data-hx-swap-oob="true"></p>' in html


@pytest.mark.parametrize("q", ["'", ":*", "a & b", "!(", "\x00", "x" * 500, "-", "OR"])
def test_suggestions_survive_any_input(client, putin, q):
    assert client.get(SUGGESTIONS_URL, {"q": q}, **HTMX).status_code == 200


def test_suggestions_without_htmx_go_to_the_search_page(client, putin):
    response = client.get(SUGGESTIONS_URL, {"q": "vladimir  putin"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=vladimir+putin"
    page = client.get(response["Location"])
    assert page.content.decode().lstrip().startswith("<!doctype html>")
    assert kinds_and_records(page)["Person"] == {putin[0]}


@pytest.mark.parametrize(
    "url", ["/", "/issues/", "/leaders/", "/sources/", "/search/", "/issues/harbour-rights/"]
)
def test_every_page_has_the_search_box_in_its_header(client, editing_dossier, url):
    html = client.get(url).content.decode()
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S)[0]
    assert re.search(
        r'<form class="site-search" role="search" aria-label="Site" method="get" '
        r'action="/search/">',
        header,
    )
    assert '<label class="visually-hidden" for="site-search-q">' in header
    assert f'data-hx-get="{SUGGESTIONS_URL}"' in header
    assert 'data-hx-trigger="input changed delay:250ms, search"' in header
    assert 'data-hx-target="#site-search-suggestions"' in header
    assert "<script>" not in header and "style=" not in header


# Nothing a reader may not see


SENTINEL = "Qwxsentinel"


@pytest.fixture
def drafts():
    """The sentinel in every kind of draft: a draft issue (and a published position on it),
    a draft position on a published issue, a draft source."""
    draft_issue = factories.IssueFactory(title=f"{SENTINEL} draft issue", status=DRAFT)
    factories.PositionFactory(issue=draft_issue, summary=f"{SENTINEL} on a draft issue.")
    published = factories.IssueFactory(title="Published")
    factories.PositionFactory(issue=published, summary=f"{SENTINEL} draft.", status=DRAFT)
    factories.SourceFactory(title=f"{SENTINEL} draft source", status=DRAFT)
    event = factories.EventFactory(title=f"{SENTINEL} event", status=DRAFT)
    event.issues.add(published)
    factories.AssessmentFactory(issue=published, rationale=f"{SENTINEL}.", status=DRAFT)


@pytest.mark.parametrize("q", [SENTINEL, SENTINEL.lower(), SENTINEL[:4]])
def test_drafts_never_reach_anonymous_searchers(client, reader, drafts, q):
    for user in (None, reader):
        if user:
            client.force_login(user)
        for params in ({"q": q}, *({"q": q, "kind": kind.slug} for kind in search.Kind)):
            response = client.get(URL, params)
            assert response.context["results"] == []
            assert response.context["found"].total == 0
            html = response.content.decode()
            assert "search-result__title" not in html
            for text in ("draft issue", "on a draft issue", "draft source", "event"):
                assert f"{SENTINEL} {text}" not in html
        html = client.get(SUGGESTIONS_URL, {"q": q}, **HTMX).content.decode()
        assert "site-search__kind" not in html


def test_editors_find_drafts_marked_as_drafts(editor_client, drafts):
    response = editor_client.get(URL, {"q": SENTINEL})
    found = kinds_and_records(response)
    assert set(found) == {"Issue", "Position", "Event", "Assessment", "Source"}
    assert len(found["Position"]) == 2
    assert all(result.is_draft for result in response.context["results"])
    html = editor_client.get(SUGGESTIONS_URL, {"q": SENTINEL[:5]}, **HTMX).content.decode()
    assert "Draft</span>" in html


def test_each_kind_ranks_a_bounded_set_of_candidates(mixed):
    """The statement that ranks and counts takes at most `CANDIDATES + 1` matching rows of
    each kind (in a common table expression with a LIMIT), and ranks only those: never every
    match of a common word."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        search.search("zanzibar", AnonymousUser())
    statement = queries.captured_queries[0]["sql"]
    candidates = re.findall(r"found_(\d) \(id, v, extra\) AS MATERIALIZED", statement)
    assert sorted(map(int, candidates)) == [kind.value for kind in search.Kind]
    # Every kind is previewed here: each ranks the preview's bound.
    assert statement.count(f"LIMIT {search.PREVIEW_CANDIDATES + 1}") == len(search.Kind)
    # Every ranked (or counted) row comes from the candidates, none from a table; tables are
    # read only for the rows shown, joined after the candidates' LIMIT to mark their text and
    # read what their results show.
    selects = statement.split(" UNION ALL ")
    assert len(selects) == 2 * len(search.Kind)
    shown = re.compile(
        r'LIMIT \d+ OFFSET \d+\) AS r JOIN \(SELECT .*? AS d ON d\."shown_key" = r\.id'
    )
    for select in selects[1:]:
        assert re.search(r"FROM found_\d", select)
        assert "issues_" not in shown.sub("", select)
    assert len(shown.findall(statement)) == len(search.Kind)


def test_events_judged_one_by_one_are_the_events_readers_may_see(editor):
    """Search takes its event candidates through `published_each`, the publication policy
    judged event by event: exactly the events `published()` gives readers."""
    from django.contrib.auth.models import AnonymousUser

    from issues.models import Event

    published = factories.IssueFactory()
    draft = factories.IssueFactory(status=PublicationStatus.DRAFT)
    shown = {
        "on a published issue": [published],
        "on a published and a draft issue": [draft, published],
        "on no issue": [],
    }
    hidden = {"on a draft issue only": [draft], "a draft on a published issue": [published]}
    for title, issues in {**shown, **hidden}.items():
        status = PublicationStatus.DRAFT if title.startswith("a draft") else "published"
        factories.EventFactory(title=title, status=status).issues.set(issues)

    def titles(events) -> set[str]:
        return set(events.values_list("title", flat=True))

    assert titles(Event.objects.published_each()) == set(shown)
    assert titles(Event.objects.published_each()) == titles(Event.objects.published())
    assert titles(Event.objects.visible_each_to(AnonymousUser())) == set(shown)
    assert titles(Event.objects.visible_each_to(editor)) == set(shown) | set(hidden)
