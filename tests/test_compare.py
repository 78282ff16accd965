"""Compare, `/compare/?a=&b=`: two leaders or sides side by side, issue by issue."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from issues.labels import all_labels
from issues.models import Country, Position, Posture, PublicationStatus
from tests import factories
from tests.harbour_talks import ISSUE_SLUGS, MEETING_TITLE, MEETING_URL

pytestmark = pytest.mark.django_db


def comparison(body: str) -> dict[str, list[str]]:
    """Issue slug → each column's words: the posture label, or "—"."""
    table = re.search(r'<table class="compare" id="comparison">(.*?)</table>', body, re.S)
    assert table, "no comparison table"
    rows = {}
    for slug, row in re.findall(r'<tr data-issue="([^"]+)">(.*?)</tr>', table.group(1), re.S):
        cells = re.findall(r"<td.*?</td>", row, re.S)
        rows[slug] = [
            match.group(1) if (match := re.search(r'class="scale__label">([^<]+)<', cell)) else "—"
            for cell in cells
        ]
    return rows


def errors(body: str) -> str:
    match = re.search(
        r'<div class="errors" role="alert" id="compare-errors">(.*?)</div>', body, re.S
    )
    assert match, "no error message on the page"
    return re.sub(r"<[^>]+>", "", match.group(1))


@pytest.fixture
def dossier(db):
    """Two sides with several voices each on four issues, dated so that each side's latest
    position on an issue is a different voice's."""
    us, ru = factories.CountryFactory(code="US"), factories.CountryFactory(code="RU")
    president = factories.LeaderFactory(slug="us-president", name="President A", country=us)
    adviser = factories.LeaderFactory(slug="us-adviser", name="Adviser B", country=us)
    deputy = factories.LeaderFactory(slug="us-deputy", name="Deputy C", country=us)
    factories.LeaderFactory(slug="ru-president", name="President D", country=ru)
    fisheries, railways, ports, pipelines = (
        factories.IssueFactory(slug=slug, order=order)
        for order, slug in enumerate(["fisheries", "railways", "ports", "pipelines"])
    )

    def said(issue, side, posture, summary, day, leader=None):
        factories.PositionFactory(
            issue=issue,
            country=side,
            leader=leader,
            attribution="" if leader else "Officials",
            posture=posture,
            summary=summary,
            stated_on=date(2018, 11, day),
        )

    said(fisheries, us, Posture.MIXED, "Keeps the fishing talks open.", 1, adviser)
    said(fisheries, ru, Posture.MIXED, "Asks for a quota.", 2)
    said(fisheries, ru, Posture.LEANS_HARDLINE, "Warns the fleet.", 3)
    said(fisheries, ru, Posture.HARDLINE, "Seized the fishing boats.", 4)
    said(railways, us, Posture.HARDLINE, "Calls the railway a provocation.", 5, president)
    said(railways, ru, Posture.LEANS_HARDLINE, "Defends the railway.", 5)
    said(ports, us, Posture.MIXED, "Told the port authority to report to him.", 1, president)
    said(ports, us, Posture.HARDLINE, "Wants the harbour closed.", 5, deputy)
    said(ports, us, Posture.HARDLINE, "Calls the harbour a threat.", 10, adviser)
    said(ports, ru, Posture.LEANS_HARDLINE, "Keeps the harbour open.", 6)
    said(pipelines, us, Posture.LEANS_COOPERATIVE, "Says his pipeline talks went well.", 1, adviser)
    said(pipelines, us, Posture.LEANS_HARDLINE, "Doubts the pipeline.", 20)
    said(pipelines, ru, Posture.LEANS_HARDLINE, "Delays the pipeline.", 7)


def test_without_parameters_the_page_explains_and_offers_the_form(client, dossier):
    response = client.get("/compare/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Compare leaders and sides" in body
    assert "A side stands for all its voices" in body
    assert '<form class="filters compare-form" method="get" action="/compare/">' in body
    assert '<label for="id_a">First leader or side</label>' in body
    assert '<label for="id_b">Second leader or side</label>' in body
    assert '<option value="US">United States</option>' in body
    assert '<option value="ru-president">President D (Russia)</option>' in body
    assert 'id="comparison"' not in body and 'role="alert"' not in body
    assert 'href="/compare/?a=RU&amp;b=US"' in body  # an example to start from


def test_two_sides_issue_by_issue(client, dossier):
    response = client.get("/compare/", {"a": "US", "b": "RU"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>United States and Russia, issue by issue</h1>" in body
    assert comparison(body) == {
        "fisheries": ["Mixed", "Hardline"],
        "railways": ["Hardline", "Leans hardline"],
        "ports": ["Hardline", "Leans hardline"],
        "pipelines": ["Leans hardline", "Leans hardline"],
    }
    # Summaries side by side, with who said it (a side has many voices), and a link to each.
    assert "Officials</strong>: Seized the fishing boats." in body
    seized = Position.objects.get(summary="Seized the fishing boats.")
    assert f'href="/issues/fisheries/#position-{seized.pk}"' in body
    assert "latest of 3" in body
    # The form keeps the choice.
    assert '<option value="US" selected>United States</option>' in body
    assert '<option value="RU" selected>Russia</option>' in body


def test_two_leaders_issue_by_issue(client, dossier):
    response = client.get("/compare/", {"a": "us-president", "b": "us-adviser"})
    assert response.status_code == 200
    body = response.content.decode()
    assert comparison(body) == {
        "fisheries": ["—", "Mixed"],
        "railways": ["Hardline", "—"],
        "ports": ["Mixed", "Hardline"],
        "pipelines": ["—", "Leans cooperative"],
    }
    assert "Told the port authority to report to him." in body


def test_a_leader_with_no_position_against_another(client, dossier):
    body = client.get("/compare/", {"a": "us-president", "b": "ru-president"}).content.decode()
    assert comparison(body) == {"railways": ["Hardline", "—"], "ports": ["Mixed", "—"]}


def test_a_leader_against_a_side(client, dossier):
    body = client.get("/compare/", {"a": "us-deputy", "b": "RU"}).content.decode()
    assert comparison(body)["ports"] == ["Hardline", "Leans hardline"]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_of(body: str, slug: str) -> str:
    match = re.search(rf'<tr data-issue="{slug}">(.*?)</tr>', body, re.S)
    assert match, f"no row for {slug}"
    return match.group(1)


def test_a_silent_leader_is_said_so_with_the_other_voices_of_the_side(client, harbour_talks):
    body = client.get("/compare/", {"a": "ilse-marr", "b": "tomas-brek"}).content.decode()
    said = text(row_of(body, "river-tolls"))
    voices = sorted(
        {
            p.speaker
            for p in Position.objects.filter(
                issue__slug="river-tolls", country__code="XS", withdrawn_at__isnull=True
            )
        }
    )
    assert voices  # Sudmark has voices on the issue, none of them Brek's
    assert "No recorded position of Tomas Brek on this issue; Sudmark’s other voices:" in said
    for voice in voices:
        assert voice in said


def test_a_dead_end_between_leaders_suggests_the_sides(client, harbour_talks):
    body = client.get("/compare/", {"a": "ilse-marr", "b": "tomas-brek"}).content.decode()
    suggestion = re.search(r'<p class="notice" id="compare-sides-instead">(.*?)</p>', body, re.S)
    assert suggestion, "no suggestion to compare the sides"
    assert 'href="/compare/?a=XN&amp;b=XS"' in suggestion.group(1)
    assert "Nordavia and Sudmark" in text(suggestion.group(1))
    # Leaders who share an issue are not sent elsewhere.
    body = client.get("/compare/", {"a": "ilse-marr", "b": "oren-vale"}).content.decode()
    assert "compare-sides-instead" not in body


def test_each_row_names_its_meetings(client, harbour_talks):
    body = client.get("/compare/", {"a": "XN", "b": "XS"}).content.decode()
    for slug in ISSUE_SLUGS:
        assert (
            f'<span class="compare__meetings"><a href="{MEETING_URL}">{MEETING_TITLE}</a></span>'
        ) in row_of(body, slug)


def test_a_meeting_filter_keeps_its_issues_and_lists_those_nobody_spoke_on(client, harbour_talks):
    other = factories.MeetingFactory(title="Another meeting", slug="another-meeting")
    elsewhere = factories.IssueFactory(title="Elsewhere", slug="elsewhere")
    elsewhere.meetings.add(other)
    factories.PositionFactory(issue=elsewhere, country=Country.objects.get(code="XN"))
    quiet = factories.IssueFactory(title="Quiet", slug="quiet")
    quiet.meetings.add(other)

    everything = client.get("/compare/", {"a": "XN", "b": "XS"}).content.decode()
    # "quiet": neither has a position, and no meeting was chosen
    assert set(comparison(everything)) == {*ISSUE_SLUGS, "elsewhere"}

    params = {"a": "XN", "b": "XS", "meeting": "another-meeting"}
    response = client.get("/compare/", params)
    assert response.status_code == 200
    body = response.content.decode()
    assert comparison(body) == {"elsewhere": ["Mixed", "—"], "quiet": ["—", "—"]}
    assert "No recorded position of any voice of Sudmark on this issue." in text(
        row_of(body, "elsewhere")
    )
    assert text(row_of(body, "quiet")).count("No recorded position of any voice of") == 2
    assert 'On the issues of <a href="/meetings/another-meeting/">Another meeting</a> only.' in body
    assert '<option value="another-meeting" selected>' in body


def test_an_unknown_meeting_is_a_400(client, harbour_talks):
    response = client.get("/compare/", {"a": "XN", "b": "XS", "meeting": "<nowhere>"})
    assert response.status_code == 400
    assert "“&lt;nowhere&gt;” is not a meeting with issues" in errors(response.content.decode())


def test_sides_come_first_among_the_choices(client, harbour_talks):
    body = client.get("/compare/").content.decode()
    assert body.index('<optgroup label="Sides (all their voices)">') < body.index(
        '<optgroup label="Leaders">'
    )


def test_neither_has_a_position(client, dossier):
    factories.LeaderFactory(slug="nobody", name="Nobody", country=factories.CountryFactory())
    response = client.get("/compare/", {"a": "nobody", "b": "ru-president"})
    assert response.status_code == 200
    assert "Neither Nobody nor President D has a recorded position yet." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a": "US"}, "Choose the second leader or side (b)."),
        ({"b": "RU"}, "Choose the first leader or side (a)."),
        ({"a": "", "b": ""}, "Choose the first leader or side (a)."),
        ({"a": "US", "b": "nobody"}, "“nobody” is neither a leader nor a side."),
        ({"a": "us", "b": "RU"}, "“us” is neither a leader nor a side."),
        ({"a": "<b>x</b>", "b": "RU"}, "“&lt;b&gt;x&lt;/b&gt;” is neither a leader nor a side."),
        ({"a": "US", "b": "US"}, "Choose two different leaders or sides: both are United States."),
        (
            {"a": "us-adviser", "b": "us-adviser"},
            "Choose two different leaders or sides: both are Adviser B.",
        ),
    ],
)
def test_bad_choices_are_a_400_with_a_clear_message(client, dossier, params, message):
    response = client.get("/compare/", params)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in errors(body)
    assert 'id="comparison"' not in body
    assert '<form class="filters compare-form"' in body  # to try again


def test_field_errors_are_tied_to_their_select(client, dossier):
    body = client.get("/compare/", {"a": "nobody", "b": "RU"}).content.decode()
    assert 'aria-describedby="id_a_error"' in body
    assert '<li id="id_a_error">' in body


def test_draft_issues_are_compared_for_editors_only(client, editor, dossier):
    draft = factories.IssueFactory(
        title="Secret draft", slug="secret-draft", status=PublicationStatus.DRAFT
    )
    us = factories.CountryFactory(code="US")
    factories.PositionFactory(issue=draft, country=us, summary="Draft position text")

    body = client.get("/compare/", {"a": "US", "b": "RU"}).content.decode()
    assert "secret-draft" not in body and "Draft position text" not in body

    client.force_login(editor)
    body = client.get("/compare/", {"a": "US", "b": "RU"}).content.decode()
    assert comparison(body)["secret-draft"] == ["Mixed", "—"]
    assert "Draft position text" in body


def test_withdrawn_positions_are_left_out(client, dossier):
    adviser = Position.objects.get(leader__slug="us-adviser", issue__slug="fisheries")
    adviser.withdrawn_at = timezone.now()
    adviser.save()
    body = client.get("/compare/", {"a": "us-adviser", "b": "RU"}).content.decode()
    assert comparison(body)["fisheries"] == ["—", "Hardline"]


@pytest.mark.parametrize("count", [5, 100])
def test_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    us = factories.CountryFactory(code="US")
    ru = factories.CountryFactory(code="RU")
    leader = factories.LeaderFactory(slug="speaker", country=ru)
    issues = [factories.IssueFactory(order=n) for n in range(4)]
    for n in range(count):
        factories.PositionFactory(
            issue=issues[n % 4],
            country=ru if n % 2 else us,
            leader=leader if n % 2 else None,
            stated_on=date(2018, 1, 1) + timedelta(days=n),
            source=factories.SourceFactory(),
        )
    meeting = factories.MeetingFactory(slug="the-meeting")
    for issue in issues:
        issue.meetings.add(meeting)
    all_labels()  # cached in production, shared by every page
    # The choices (sides, leaders, meetings), each party's latest positions, the rows'
    # meetings, and the other voices of the leader's side where the leader is silent.
    with django_assert_max_num_queries(7):
        response = client.get("/compare/", {"a": "US", "b": "speaker"})
    assert response.status_code == 200
    assert len(comparison(response.content.decode())) == 4
    with django_assert_max_num_queries(8):  # and the meeting's issues
        response = client.get("/compare/", {"a": "US", "b": "speaker", "meeting": "the-meeting"})
    assert response.status_code == 200
    assert len(comparison(response.content.decode())) == 4
