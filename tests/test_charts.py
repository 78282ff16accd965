"""The meeting's outlook board, scenarios, stance matrix and timeline: the numbers computed in
`issues.charts`, and the SVG and tables the meeting page draws from them."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from issues import charts
from issues.labels import all_labels
from issues.models import (
    DatePrecision,
    Effect,
    Event,
    Issue,
    Meeting,
    OutlookAssessment,
    Position,
    Posture,
    PublicationStatus,
    Salience,
)
from tests import factories
from tests.harbour_talks import ISSUE_SLUGS, ISSUES, MEETING, MEETING_URL

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
EFFECT_WORDS = {-2: "Strongly hinders (−2)", -1: "Hinders (−1)"}


def svg_of(body: str, figure_id: str) -> ET.Element:
    """The inline SVG inside `<figure id=figure_id>`, parsed as XML."""
    match = re.search(rf'<figure[^>]* id="{figure_id}">\s*(<svg.*?</svg>)', body, re.S)
    assert match, f"no SVG in #{figure_id}"
    return ET.fromstring(match.group(1))


def classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def board_rows(svg: ET.Element) -> list[ET.Element]:
    return [
        g
        for g in svg.iter(f"{SVG}g")
        if "board__row" in classes(g) and "board__row--overall" not in classes(g)
    ]


def texts(element: ET.Element) -> list[str]:
    return [text.text or "" for text in element.iter(f"{SVG}text")]


def overall_value(body: str) -> str:
    match = re.search(r'id="overall-outlook" data-value="([^"]+)"', body)
    assert match, "no overall outlook on the page"
    return match.group(1)


def assessment(slug: str) -> OutlookAssessment:
    return OutlookAssessment.objects.get(issue__slug=slug, meeting__slug=MEETING)


# The overall outlook ----------------------------------------------------------------------


def terms(*pairs: tuple[int, int]) -> list[SimpleNamespace]:
    return [SimpleNamespace(effect=effect, salience=salience) for effect, salience in pairs]


def test_overall_outlook_is_the_salience_weighted_mean_of_effects():
    # −2 (high), −1 (medium), −1 (high), −1 (medium), as in `tests/dossiers/harbour-talks.yaml`.
    overall = charts.overall_outlook(terms((-2, 3), (-1, 2), (-1, 3), (-1, 2)))
    assert overall.weighted_sum == -13
    assert overall.total_salience == 10
    assert overall.value == Decimal("-1.3")
    assert overall.shown == "−1.3"
    assert overall.effect == Effect.HINDERS
    assert overall.label == "Hinders"
    assert overall.working == (
        "[(−2 × 3) + (−1 × 2) + (−1 × 3) + (−1 × 2)] ÷ (3 + 2 + 3 + 2) = −13 ÷ 10 = −1.3"
    )


@pytest.mark.parametrize(
    ("pairs", "shown", "effect"),
    [
        ([(-2, 1), (-1, 1), (-1, 1)], "−1.3", -1),  # −1.333… to one decimal
        ([(-1, 1), (0, 1)], "−0.5", -1),  # halves go away from zero
        ([(1, 1), (0, 1)], "+0.5", 1),
        ([(2, 1), (1, 3)], "+1.3", 1),  # 5 ÷ 4 = 1.25 → 1.3, nearest step +1
        ([(2, 3), (-2, 3)], "0.0", 0),
        ([(-1, 3), (2, 1), (0, 2), (1, 2)], "+0.1", 0),  # 1 ÷ 8 = 0.125
    ],
)
def test_overall_outlook_rounds_to_one_decimal_and_its_word_to_the_nearest_step(
    pairs, shown, effect
):
    overall = charts.overall_outlook(terms(*pairs))
    assert overall.shown == shown
    assert overall.effect == effect


def test_overall_word_follows_the_figure_shown():
    # −1.45 shows as −1.5, so its word is the one of −2, not of −1: page and word agree.
    overall = charts.overall_outlook(terms((-2, 9), (-1, 11)))  # −29 ÷ 20 = −1.45
    assert overall.shown == "−1.5"
    assert overall.label == "Strongly hinders"


def test_no_assessment_no_overall_outlook():
    assert charts.overall_outlook([]) is None


def test_overall_uses_editors_wording_of_the_effect_scale():
    factories.ScaleLabelFactory(scale="effect", code=Effect.HINDERS, label="Gets in the way")
    assert charts.overall_outlook(terms((-1, 2))).label == "Gets in the way"


# The board's geometry -----------------------------------------------------------------------


def test_board_rows_follow_the_issues_order_with_bars_from_the_zero_line():
    meeting = factories.MeetingFactory()
    second = factories.IssueFactory(title="Beta", order=1)
    first = factories.IssueFactory(title="Alpha", order=1)  # same order: by title
    last = factories.IssueFactory(title="Aardvark", order=2)
    unassessed = factories.IssueFactory(title="Zulu", order=3)
    for issue in (second, first, last, unassessed):
        issue.meetings.add(meeting)
    factories.AssessmentFactory(issue=second, meeting=meeting, effect=2, salience=Salience.LOW)
    factories.AssessmentFactory(issue=first, meeting=meeting, effect=-1, salience=Salience.HIGH)
    factories.AssessmentFactory(issue=last, meeting=meeting, effect=0, salience=Salience.MEDIUM)

    board = charts.outlook_board(meeting.issues.all(), meeting.assessments.all())

    assert [row.issue.title for row in board.rows] == ["Alpha", "Beta", "Aardvark", "Zulu"]
    alpha, beta, aardvark, zulu = board.rows
    # Hinders: a bar one step long to the left of zero, words to its right, thick (high).
    assert (alpha.bar_x, alpha.bar_width) == (
        charts.board.ZERO_X - charts.board.STEP,
        charts.board.STEP,
    )
    assert alpha.bar_height == charts.board.THICKNESS[Salience.HIGH]
    assert (alpha.label_anchor, alpha.effect_text) == ("start", "Hinders (−1)")
    assert alpha.label_x > charts.board.ZERO_X
    # Strongly favours: two steps to the right, words to the left of zero, thin (low).
    assert (beta.bar_x, beta.bar_width) == (charts.board.ZERO_X, 2 * charts.board.STEP)
    assert beta.bar_height == charts.board.THICKNESS[Salience.LOW] < alpha.bar_height
    assert (beta.label_anchor, beta.effect_text) == ("end", "Strongly favours (+2)")
    assert beta.label_x < charts.board.ZERO_X
    # Neutral: a notch on the zero line.
    assert aardvark.bar_x < charts.board.ZERO_X < aardvark.bar_x + aardvark.bar_width
    assert aardvark.effect_text == "Neutral (0)"
    # Not assessed: a row that says so, and counts for nothing.
    assert not zulu.is_assessed and zulu.bar_width == 0
    # Rows do not overlap, and the overall row comes last, inside the chart.
    tops = [row.y for row in board.rows] + [board.overall_row.y]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert board.overall_row.y + charts.board.ROW_HEIGHT <= board.height
    # (2×1 − 1×3 + 0×2) ÷ (1 + 3 + 2) = −1 ÷ 6 = −0.2 → Neutral
    assert board.overall.shown == "−0.2"
    assert board.overall.label == "Neutral"
    assert board.overall_row.bar_width == round(Decimal("0.2") * charts.board.STEP)


def test_long_titles_are_shortened_on_the_chart_only():
    meeting = factories.MeetingFactory()
    issue = factories.IssueFactory(title="A very long issue title " * 4)
    issue.meetings.add(meeting)
    row = charts.outlook_board([issue], []).rows[0]
    assert len(row.title) == charts.TITLE_LENGTH and row.title.endswith("…")
    assert row.issue.title.startswith(row.title[:-1])


# The board on the meeting page ---------------------------------------------------------------


def test_board_svg_has_one_mark_per_issue_in_order_with_values_and_words(client, harbour_talks):
    body = client.get(MEETING_URL).content.decode()
    svg = svg_of(body, "board-chart")

    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    first_title, first_effect = ISSUES[0][1], ISSUES[0][2]
    assert f"{first_title}: {EFFECT_WORDS[first_effect]}" in svg.find(f"{SVG}desc").text

    rows = board_rows(svg)
    assert [g.get("data-issue") for g in rows] == ISSUE_SLUGS
    assert [g.get("data-effect") for g in rows] == [str(effect) for _, _, effect, _ in ISSUES]
    assert [g.get("data-salience") for g in rows] == [str(s) for *_, s in ISSUES]
    for g, (_, title, effect, _) in zip(rows, ISSUES, strict=True):
        assert title in texts(g) and EFFECT_WORDS[effect] in texts(g)
        bars = list(g.iter(f"{SVG}rect"))
        assert len(bars) == 1
        assert int(bars[0].get("x")) + int(bars[0].get("width")) == charts.board.ZERO_X
    # Thickness shows salience: the first issue's high is thicker than the second's medium.
    assert (ISSUES[0][3], ISSUES[1][3]) == (Salience.HIGH, Salience.MEDIUM)
    high_bar, medium_bar = (next(g.iter(f"{SVG}rect")) for g in rows[:2])
    assert int(high_bar.get("height")) > int(medium_bar.get("height"))

    overall = next(g for g in svg.iter(f"{SVG}g") if "board__row--overall" in classes(g))
    assert overall.get("data-effect") == "-1.3"
    assert "Hinders (−1.3)" in texts(overall)
    # The accessible table stays beside the chart.
    assert '<table class="outlook">' in body


def test_page_states_the_overall_outlook_and_its_formula(client, harbour_talks):
    body = client.get(MEETING_URL).content.decode()
    assert overall_value(body) == "-1.3"
    assert "Σ(effect × salience) ÷ Σ(salience)" in body
    assert "= −13 ÷ 10 = −1.3" in body
    assert "<strong>Hinders</strong>" in body


def test_overall_outlook_changes_when_an_assessment_changes(client, harbour_talks):
    assert overall_value(client.get(MEETING_URL).content.decode()) == "-1.3"

    first = assessment(ISSUE_SLUGS[0])
    first.effect = Effect.STRONGLY_FAVOURS
    first.save()

    body = client.get(MEETING_URL).content.decode()
    # (+2×3 − 1×2 − 1×3 − 1×2) ÷ 10 = −0.1, nearest step 0
    assert overall_value(body) == "-0.1"
    assert "<strong>Neutral</strong>" in body
    rows = board_rows(svg_of(body, "board-chart"))
    assert rows[0].get("data-effect") == "2"
    assert "Strongly favours (+2)" in texts(rows[0])


def test_readers_see_published_assessments_only_and_editors_see_drafts(
    client, editor, harbour_talks
):
    first = assessment(ISSUE_SLUGS[0])
    first.status = PublicationStatus.DRAFT
    first.save()

    body = client.get(MEETING_URL).content.decode()
    rows = board_rows(svg_of(body, "board-chart"))
    assert [g.get("data-issue") for g in rows] == ISSUE_SLUGS  # the issue is published
    assert rows[0].get("data-effect") is None
    assert "Not assessed yet" in texts(rows[0])
    assert overall_value(body) == "-1.0"  # (−2 − 3 − 2) ÷ 7
    assert "Includes draft assessments" not in body

    client.force_login(editor)
    body = client.get(MEETING_URL).content.decode()
    rows = board_rows(svg_of(body, "board-chart"))
    assert rows[0].get("data-effect") == "-2"
    assert f"{ISSUES[0][1]} (draft)" in texts(rows[0])
    assert overall_value(body) == "-1.3"
    assert "Includes draft assessments" in body


def test_draft_issue_appears_nowhere_on_the_meeting_page_for_readers(client, editor, harbour_talks):
    meeting = Meeting.objects.get(slug=MEETING)
    draft = factories.IssueFactory(
        title="Secret draft", slug="secret-draft", status=PublicationStatus.DRAFT
    )
    draft.meetings.add(meeting)
    factories.AssessmentFactory(issue=draft, meeting=meeting, effect=2)
    factories.PositionFactory(issue=draft, summary="Draft position text")

    body = client.get(MEETING_URL).content.decode()
    assert "secret-draft" not in body and "Draft position text" not in body
    assert overall_value(body) == "-1.3"

    client.force_login(editor)
    body = client.get(MEETING_URL).content.decode()
    assert [g.get("data-issue") for g in board_rows(svg_of(body, "board-chart"))] == [
        "secret-draft",  # order 0 comes first
        *ISSUE_SLUGS,
    ]
    assert "Draft position text" in body


def test_meeting_with_nothing_assessed_says_so(client, db):
    meeting = factories.MeetingFactory()
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "No issue has been assessed yet" in body
    assert board_rows(svg_of(body, "board-chart")) == []
    assert "No position has been recorded" in body
    assert "Nothing dated yet" in body


# Scenarios --------------------------------------------------------------------------------


def test_scenarios_show_likelihood_as_dots_and_words(client, harbour_talks):
    body = client.get(MEETING_URL).content.decode()
    svg = svg_of(body, "scenario-chart")
    assert svg.get("role") == "img"
    scenarios = [g for g in svg.iter(f"{SVG}g") if "scenario" in classes(g)]
    expected = [
        ("A harbour accord", 2, "Unlikely (2 of 5)"),
        ("Open rivalry", 3, "About even (3 of 5)"),
        ("A cold peace", 3, "About even (3 of 5)"),
        ("Polite stalemate", 2, "Unlikely (2 of 5)"),
    ]
    assert len(scenarios) == len(expected)
    for g, (title, likelihood, words) in zip(scenarios, expected, strict=True):
        assert g.get("data-likelihood") == str(likelihood)
        assert texts(g) == [title, words]
        dots = list(g.iter(f"{SVG}circle"))
        assert len(dots) == 5
        assert sum("scenario__dot--filled" in classes(dot) for dot in dots) == likelihood


# Stance matrix ----------------------------------------------------------------------------


EMPTY_CELL = '<td class="stance stance--none"><span class="visually-hidden">No position</span></td>'


def matrix_rows(body: str) -> dict[str, list[str]]:
    """Row header → each cell's words ("Hardline (−2)" or "—"), from the rendered table."""
    table = re.search(r'<table class="stances" id="stance-matrix">(.*?)</table>', body, re.S)
    assert table, "no stance matrix"
    rows = {}
    for row in re.findall(r"<tr class=\"stances__row.*?</tr>", table.group(1), re.S):
        header = re.sub(r"<[^>]+>", "", re.search(r"<th scope=\"row\">(.*?)</th>", row).group(1))
        cells = []
        for cell in re.findall(r"<td.*?</td>", row, re.S):
            link = re.search(r'class="stance__link"[^>]*>(.*?)</a>', cell)
            if not link:
                assert cell == EMPTY_CELL  # the dash is drawn by the style sheet
            cells.append(re.sub(r"<[^>]+>", "", link.group(1)) if link else "—")
        rows[header.replace(" all voices", "").strip()] = cells
    return rows


def test_stance_matrix_shows_each_sides_and_leaders_latest_posture(client, harbour_talks):
    body = client.get(MEETING_URL).content.decode()
    assert '<th scope="col"><a href="/issues/harbours/">Harbours</a></th>' in body
    # Columns: harbours, fisheries, river tolls, rail link.
    assert matrix_rows(body) == {
        "Nordavia": [
            "Mixed (0)",
            "Hardline (−2)",
            "Hardline (−2)",  # Vale's of last month, after the undated ones of Marr and Lunn
            "Leans hardline (−1)",  # its officials now, after Vale's talks of last month
        ],
        "Ilse Marr": ["—", "—", "Mixed (0)", "—"],  # a participant
        "Oren Vale": ["Mixed (0)", "—", "Hardline (−2)", "Leans cooperative (+1)"],
        "Petra Lunn": ["—", "—", "Hardline (−2)", "—"],
        "Unnamed officials and others (Nordavia)": [
            "—",
            "Hardline (−2)",  # the Nordavian government, not Marr
            "—",
            "Leans hardline (−1)",
        ],
        "Sudmark": [
            "Hardline (−2)",
            "Leans hardline (−1)",  # tied with "Leans cooperative": both of the same month
            "Leans hardline (−1)",
            "Leans hardline (−1)",
        ],
        "Tomas Brek": ["—", "—", "—", "—"],  # a participant who said nothing
        "Unnamed officials and others (Sudmark)": [
            "Hardline (−2)",
            "Leans hardline (−1)",
            "Leans hardline (−1)",
            "Leans hardline (−1)",
        ],
    }
    # Rows link to the positions behind them; cells to the latest position itself.
    assert '<a href="/issues/?side=XN">Nordavia</a>' in body
    assert '<a href="/leaders/oren-vale/">Oren Vale</a>' in body
    lunn = Position.objects.get(leader__slug="petra-lunn")
    assert f'href="/issues/river-tolls/#position-{lunn.pk}"' in body
    assert 'class="stance stance--m2"' in body  # colour as a second signal


def test_stance_cell_is_the_latest_current_position(harbour_talks):
    issue = Issue.objects.get(slug="rail-link")
    ours = list(issue.positions.filter(country__code="XN").select_related("country"))
    matrix = charts.stance_matrix([issue], ours)
    side_row = next(row for row in matrix.rows if row.kind == "side")
    cell = side_row.cells[0]
    assert cell.latest.attribution == "Nordavian officials"  # this month's, over last month's
    assert [p.attribution for p in cell.tied] == ["Nordavian officials"]  # same month, posture
    assert cell.count == 3 and cell.css == "m1" and cell.code == "−1"

    newer = factories.PositionFactory(
        issue=issue,
        country=side_row.country,
        leader=None,
        attribution="The Nordavian rail office",
        posture=Posture.COOPERATIVE,
        stated_on=date(2022, 5, 5),  # after the whole of April
    )
    matrix = charts.stance_matrix([issue], [*ours, newer])
    assert matrix.rows[0].cells[0].latest == newer
    assert matrix.rows[0].cells[0].label == "Cooperative"
    assert not matrix.rows[0].cells[0].is_tie


def test_withdrawn_positions_leave_the_matrix(client, harbour_talks):
    before = matrix_rows(client.get(MEETING_URL).content.decode())
    assert before["Nordavia"][3] == "Leans hardline (−1)"
    assert before["Oren Vale"][3] == "Leans cooperative (+1)"

    for officials in Position.objects.filter(
        attribution="Nordavian officials", issue__slug="rail-link"
    ):
        officials.withdrawn_at = timezone.now()
        officials.save()
    lunn = Position.objects.get(leader__slug="petra-lunn")
    lunn.withdrawn_at = timezone.now()
    lunn.save()

    after = matrix_rows(client.get(MEETING_URL).content.decode())
    assert after["Nordavia"][3] == "Leans cooperative (+1)"  # the next latest, Vale's
    assert after["Unnamed officials and others (Nordavia)"][3] == "—"
    assert "Petra Lunn" not in after  # no current position left, and not a participant


def _meeting_with_positions(count: int) -> Meeting:
    us = factories.CountryFactory(code="US")
    ru = factories.CountryFactory(code="RU")
    host = factories.LeaderFactory(country=us, name="Host")
    guest = factories.LeaderFactory(country=ru, name="Guest")
    meeting = factories.MeetingFactory()
    meeting.participants.set([host, guest])
    issues = [factories.IssueFactory(order=n) for n in range(3)]
    for issue in issues:
        issue.sides.set([us, ru])
        issue.meetings.add(meeting)
        factories.AssessmentFactory(issue=issue, meeting=meeting)
    factories.ScenarioFactory(meeting=meeting)
    speakers = [(us, host), (ru, guest), (us, None), (ru, factories.LeaderFactory(country=ru))]
    for n in range(count):
        country, leader = speakers[n % len(speakers)]
        factories.PositionFactory(
            issue=issues[n % len(issues)],
            country=country,
            leader=leader,
            posture=n % 5 - 2,
            stated_on=date(2018, 1, 1) + timedelta(days=n),
            source=factories.SourceFactory(),
        )
        if n % 10 == 0:
            factories.EventFactory().meetings.add(meeting)
    return meeting


@pytest.mark.parametrize("count", [5, 100])
def test_meeting_page_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    meeting = _meeting_with_positions(count)
    all_labels()  # cached in production, shared by every page
    with django_assert_max_num_queries(10):  # 9, and What changed (1)
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    # Bounded: the latest position of each voice on each issue (3 issues, 4 voices).
    assert body.count('class="timeline-axis__item timeline-axis__item--position"') == min(count, 12)
    assert len(board_rows(svg_of(body, "board-chart"))) == 3


@pytest.mark.parametrize("count", [5, 100])
def test_meeting_page_query_count_for_editors(client, editor, django_assert_max_num_queries, count):
    meeting = _meeting_with_positions(count)
    client.force_login(editor)
    with django_assert_max_num_queries(15):  # and What changed (1)
        assert client.get(meeting.get_absolute_url()).status_code == 200


# Timeline ---------------------------------------------------------------------------------


def test_timeline_groups_events_and_positions_by_period_in_date_order(db):
    issue = factories.IssueFactory(title="Fisheries")
    country = factories.CountryFactory(code="RU")
    seizure = factories.EventFactory(title="Seizure", occurred_on=date(2018, 11, 25))
    treaty = factories.EventFactory(title="Treaty", occurred_on=date(2018, 10, 20))
    undated = factories.EventFactory(
        title="Regatta", occurred_on=date(2018, 1, 1), occurred_on_precision=DatePrecision.YEAR
    )
    warning = factories.PositionFactory(
        issue=issue,
        country=country,
        attribution="Russian officials",
        stated_on=date(2018, 11, 1),
        stated_on_precision=DatePrecision.MONTH,
    )

    periods = charts.timeline([seizure, treaty, undated], [warning])

    assert [(p.datetime, p.precision) for p in periods] == [
        ("2018", DatePrecision.YEAR),
        ("2018-10", DatePrecision.MONTH),
        ("2018-11", DatePrecision.MONTH),
    ]
    assert [[item.title for item in p.items] for p in periods] == [
        ["Regatta"],
        ["Treaty"],
        ["Russian officials (Russia)", "Seizure"],
    ]
    position = periods[2].items[0]
    assert position.kind == "position" and position.datetime == "2018-11"
    assert position.url == f"/issues/{issue.slug}/#position-{warning.pk}"
    assert position.anchor == f"timeline-position-{warning.pk}"
    assert periods[2].items[1].datetime == "2018-11-25"


def test_meeting_timeline_lists_events_and_positions_with_fuzzy_dates(
    client, editor, harbour_talks
):
    client.force_login(editor)
    body = client.get(MEETING_URL).content.decode()
    timeline = body[body.index('id="meeting-timeline"') :]
    closed = "Northern harbour closed"  # this week
    assert timeline.index("Winter summit in Harbourtown") < timeline.index(closed)
    assert timeline.index(closed) < timeline.index("Quota treaty would lapse")
    assert '<time datetime="2022-04">this week (April 2022)</time>' in timeline
    assert '<time datetime="2022-03">last month (March 2022)</time>' in timeline  # Vale's visit
    assert '<time datetime="2021-12">December 2021</time>' in timeline  # the winter summit
    # The regatta: undated, before the bulletin, filed under the year
    assert '<time datetime="2022">before the bulletin, undated (2022)</time>' in timeline
    events = Event.objects.filter(meetings__slug=MEETING).count()
    assert timeline.count('class="timeline-axis__item timeline-axis__item--event"') == events
    # The latest position of each voice on each issue.
    voices = (
        Position.objects.filter(issue__meetings__slug=MEETING)
        .values_list("issue", "country", "leader")
        .distinct()
        .count()
    )
    assert voices < Position.objects.count()  # so the bound is exercised
    assert timeline.count('class="timeline-axis__item timeline-axis__item--position"') == voices


def test_timeline_include_works_on_its_own(rf, harbour_talks):
    from django.template.loader import render_to_string

    issue = Issue.objects.get(slug="fisheries")
    html = render_to_string(
        "issues/_timeline.html",
        {"events": issue.events.all(), "positions": issue.positions.current()},
    )
    assert html.count("timeline-axis__item--event") == issue.events.count() == 2
    assert html.count("timeline-axis__item--position") == issue.positions.count() == 3
    assert "Quota treaty would lapse" in html


# Content Security Policy --------------------------------------------------------------------


@pytest.mark.parametrize("url", [MEETING_URL, "/compare/?a=XN&b=XS"])
def test_charts_need_no_inline_style_or_script(client, harbour_talks, url):
    body = client.get(url).content.decode()
    assert " style=" not in body
    assert "<style" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert not re.search(r"\son[a-z]+=", body)  # no event handler attributes


def test_a_bounded_stance_matrix_keeps_the_participants_first_and_works_out_only_their_cells(
    db, monkeypatch
):
    from issues.charts import stance

    side = factories.CountryFactory(code="XQ", name="Quorland")
    issues = [factories.IssueFactory() for _ in range(3)]
    voices = [factories.LeaderFactory(country=side, name=f"Voice {n:02}") for n in range(12)]
    participant = voices[7]
    positions = [
        factories.PositionFactory(issue=issue, country=side, leader=voice)
        for issue in issues
        for voice in voices
    ]
    worked_out = []  # a call of `latest` for each cell worked out
    original = stance.latest

    def counted(mine, key):
        worked_out.append(mine)
        return original(mine, key)

    monkeypatch.setattr(stance, "latest", counted)

    matrix = charts.stance_matrix(issues, positions, leaders=[participant], max_rows=3)

    assert [row.label for row in matrix.rows] == ["Quorland", "Voice 07", "Voice 00"]
    assert matrix.hidden == 1 + 12 - 3  # the side and its twelve voices, three kept
    assert len(worked_out) == 3 * len(issues)  # cells of the kept rows only
    assert matrix.rows[1].cells[0].latest.leader == participant
