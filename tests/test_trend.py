"""The outlook over time on the meeting page: the geometry computed in `issues.charts`, and the
SVG and the editors' notes the page draws from the revision history."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client

from issues import charts, services
from issues.dates import FuzzyDate
from issues.dossier.write import dossier_import
from issues.models import (
    DatePrecision,
    Meeting,
    OutlookAssessment,
    PublicationStatus,
    Source,
)
from tests import factories

pytestmark = pytest.mark.django_db

TREND = Path(__file__).with_name("dossiers") / "trend.yaml"
MEETING_URL = "/meetings/synthetic-trend-meeting/"
SVG = "{http://www.w3.org/2000/svg}"
T0 = datetime(2018, 11, 24, 23, 0, tzinfo=UTC)
PLOT = charts.trend.TREND_RIGHT - charts.trend.TREND_LEFT


def issue(pk: int, title: str) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, slug=title.lower(), title=title)


def revision(issue_id: int, when: datetime, effect: int, salience: int = 2, note: str = ""):
    return SimpleNamespace(
        issue_id=issue_id,
        history_date=when,
        effect=effect,
        salience=salience,
        history_change_reason=note,
    )


def scenario_revision(pk: int, when: datetime, likelihood: int, note: str = ""):
    return SimpleNamespace(
        id=pk, history_date=when, likelihood=likelihood, history_change_reason=note
    )


# The geometry ---------------------------------------------------------------------------------


def test_one_series_per_issue_one_point_per_revision_on_a_padded_time_axis():
    a, b = issue(1, "Alpha"), issue(2, "Beta")
    chart = charts.trend_chart(
        [a, b],
        [
            revision(1, T0, -1, note="first look"),
            revision(1, T0 + timedelta(days=2), -2, note="worse"),
            revision(2, T0 + timedelta(days=1), 1),
        ],
        [],
        [],
    )

    # Two days of revisions, padded by the 12-hour minimum on each side: three days.
    assert chart.start == T0 - timedelta(hours=12)
    assert chart.end == T0 + timedelta(days=2, hours=12)
    [panel] = chart.panels
    assert panel.kind == "effect"
    assert [s.key for s in panel.series] == ["alpha", "beta"]
    alpha, beta = panel.series
    assert [p.value for p in alpha.points] == [-1, -2]
    assert [p.value for p in beta.points] == [1]
    # x: the share of the time axis; the first revision is half a day into three days.
    assert alpha.points[0].x == round(charts.trend.TREND_LEFT + PLOT / 6, 1) == 86.7
    assert beta.points[0].x == round(charts.trend.TREND_LEFT + PLOT / 2, 1) == 192.0
    assert alpha.points[1].x == round(charts.trend.TREND_LEFT + PLOT * 5 / 6, 1) == 297.3
    # Small multiples: a row each, +2 at the top of its plot, a step per level. A value is
    # drawn on its own level's line, never nudged off it to keep series apart.
    assert alpha.plot_top == charts.trend.ROWS_TOP["effect"] + charts.trend.ROW_PLOT == 78
    assert beta.plot_top == alpha.plot_bottom + charts.trend.ROW_GAP + charts.trend.ROW_PLOT
    assert [level.y for level in alpha.levels] == [114, 105, 96, 87, 78]
    assert [level.label for level in alpha.levels] == ["−2", "", "0", "", "+2"]
    level_y = {v: level.y for v, level in zip(range(-2, 3), alpha.levels, strict=True)}
    assert [p.y for p in alpha.points] == [level_y[-1], level_y[-2]] == [105, 114]
    beta_y = {v: level.y for v, level in zip(range(-2, 3), beta.levels, strict=True)}
    assert [p.y for p in beta.points] == [beta_y[1]]
    assert (panel.plot_top, panel.plot_bottom) == (alpha.plot_top, beta.plot_bottom)
    # Steps: a value holds until the next revision, the last to the end of the plot.
    assert alpha.path == "M 86.7 105 H 297.3 V 114 H 350"
    assert beta.path == f"M 192.0 {beta_y[1]} H 350"
    assert (alpha.css, beta.css) == ("trend__series--1", "trend__series--2")
    assert alpha.legend_text == "Alpha: Strongly hinders (−2)"
    assert alpha.points[0].text == (
        "Alpha, 24 November 2018, 23:00 UTC: Hinders (−1), salience Medium: may be raised"
    )


def test_notes_are_listed_oldest_first_with_their_issue_or_scenario():
    a = issue(1, "Alpha")
    s = SimpleNamespace(pk=7, title="Estrangement")
    chart = charts.trend_chart(
        [a],
        [revision(1, T0 + timedelta(days=1), -2, note="worse"), revision(1, T0, -1, note="first")],
        [s],
        [
            scenario_revision(7, T0 + timedelta(hours=1), 3, note="even"),
            scenario_revision(7, T0, 2),
        ],
    )
    assert [(n.when, n.subject, n.note) for n in chart.notes] == [
        (T0, "Alpha", "first"),
        (T0 + timedelta(hours=1), "Estrangement", "even"),
        (T0 + timedelta(days=1), "Alpha", "worse"),
    ]
    effect, likelihood = chart.panels
    assert likelihood.kind == "likelihood"
    assert likelihood.top == effect.height + charts.trend.PANEL_GAP
    [series] = likelihood.series
    assert series.key == "scenario-7"
    assert [p.value for p in series.points] == [2, 3]
    five = likelihood.plot_top
    step = charts.trend.LIKELIHOOD_STEP
    assert [p.y for p in series.points] == [five + 3 * step, five + 2 * step]
    assert [p.r for p in series.points] == [charts.trend.LIKELIHOOD_RADIUS] * 2
    assert chart.height == likelihood.top + likelihood.height + 4


def test_an_issues_dots_are_sized_by_its_salience_with_a_key():
    chart = charts.trend_chart(
        [issue(1, "Alpha")],
        [
            revision(1, T0, -1, salience=1),
            revision(1, T0 + timedelta(days=1), -1, salience=2),
            revision(1, T0 + timedelta(days=2), -1, salience=3),
        ],
        [],
        [],
    )
    [panel] = chart.panels
    [series] = panel.series
    radii = [p.r for p in series.points]
    assert radii == sorted(radii) and len(set(radii)) == 3  # low, medium, high
    assert [(k.label, k.r) for k in panel.salience_key] == list(
        zip(["low", "medium", "high"], radii, strict=True)
    )
    assert len({p.y for p in series.points}) == 1  # the same value, on the same line
    assert "salience Low" in series.points[0].text


def test_the_meetings_day_is_on_the_axis_before_any_outcome():
    """A true time axis reaches the meeting's day and marks it, so that forecasts read as
    made before (or after) it; a month or a period has no one place, so it is not drawn."""
    day = date(2018, 11, 30)
    chart = charts.trend_chart(
        [issue(1, "Alpha")],
        [revision(1, T0, -1)],
        [],
        [],
        meeting_dates=FuzzyDate(day, day),
    )
    [panel] = chart.panels
    [series] = panel.series
    moment = datetime(2018, 11, 30, tzinfo=UTC)
    assert chart.start < T0 < moment < chart.end
    share = (moment - chart.start) / (chart.end - chart.start)
    assert panel.meeting_x == round(charts.trend.TREND_LEFT + share * PLOT, 1)
    assert series.points[0].x < panel.meeting_x
    assert series.mark is None and [row.kind for row in panel.key_rows] == ["meeting"]
    assert chart.meeting is not None and not chart.meeting.recorded
    assert chart.meeting.text == "The meeting, 30 November 2018"

    vague = charts.trend_chart(
        [issue(1, "Alpha")],
        [revision(1, T0, -1)],
        [],
        [],
        meeting_dates=FuzzyDate(date(2018, 1, 1), date(2018, 12, 31), DatePrecision.YEAR),
    )
    assert vague.meeting is None and vague.panels[0].meeting_x is None


def test_the_description_says_each_value_and_since_when():
    chart = charts.trend_chart(
        [issue(1, "Alpha")],
        [
            revision(1, T0, -1),
            revision(1, T0 + timedelta(hours=2), -1),
            revision(1, T0 + timedelta(days=2), 0),
        ],
        [],
        [],
    )
    assert chart.description == (
        "Effect on the meeting. Alpha: Hinders (−1) from 24 November 2018, "
        "Neutral (0) from 26 November 2018."
    )


def test_time_ticks_fall_on_midnights_inside_the_axis_and_are_few():
    chart = charts.trend_chart(
        [issue(1, "Alpha")],
        [revision(1, T0, -1), revision(1, T0 + timedelta(days=1, hours=13), -2)],
        [],
        [],
    )
    assert [t.label for t in chart.time_ticks] == ["25 Nov 2018", "26 Nov 2018", "27 Nov 2018"]
    for tick in chart.time_ticks:
        assert chart.start <= tick.when <= chart.end
        assert tick.when.hour == 0
        assert charts.trend.TREND_LEFT <= tick.x <= charts.trend.TREND_RIGHT
    assert chart.time_ticks[-1].anchor == "end"  # at the right edge: its words stay inside

    years = charts.trend_chart(
        [issue(1, "Alpha")],
        [revision(1, T0, -1), revision(1, T0 + timedelta(days=8 * 365), 0)],
        [],
        [],
    )
    assert 1 <= len(years.time_ticks) <= charts.trend.MAX_TIME_TICKS
    assert all(re.fullmatch(r"\d{4}", tick.label) for tick in years.time_ticks)


def test_no_revision_no_chart_and_unknown_issues_are_left_out():
    assert charts.trend_chart([issue(1, "Alpha")], [], [], []) is None
    chart = charts.trend_chart(
        [issue(1, "Alpha")], [revision(1, T0, 0), revision(9, T0, 1)], [], []
    )
    assert [s.key for s in chart.panels[0].series] == ["alpha"]


# The meeting page -----------------------------------------------------------------------------


def trend_svg(body: str) -> ET.Element:
    match = re.search(r'<figure[^>]* id="trend-chart">\s*(<svg.*?</svg>)', body, re.S)
    assert match, "no trend chart"
    return ET.fromstring(match.group(1))


def series_of(svg: ET.Element, kind: str) -> dict[str, list[ET.Element]]:
    """Series key → its points, in the panel of `kind` ("effect" or "likelihood")."""
    panel = next(g for g in svg.iter(f"{SVG}g") if g.get("data-kind") == kind)
    return {
        g.get("data-series"): [
            c for c in g.iter(f"{SVG}circle") if c.get("class") == "trend__point"
        ]
        for g in panel.iter(f"{SVG}g")
        if "trend__series" in g.get("class", "").split()
    }


def notes(body: str) -> list[str]:
    listed = re.search(r'<ol class="trend-notes__list" id="trend-notes">(.*?)</ol>', body, re.S)
    assert listed, "no notes"
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    ]


@pytest.fixture
def dossier(db):
    """`tests/dossiers/trend.yaml`: two issues and two scenarios of one meeting, revised
    between 1 and 10 February 2021, every revision with its editors' note."""
    dossier_import(TREND.read_bytes())


def test_the_trend_has_a_series_per_issue_and_a_point_per_revision(client, dossier):
    body = client.get(MEETING_URL).content.decode()
    svg = trend_svg(body)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.startswith("The outlook over time")
    description = svg.find(f"{SVG}desc").text
    assert "Harbours (synthetic): Hinders (−1) from 1 February 2021" in description
    assert "Strongly hinders (−2) from 10 February 2021" in description

    effect = series_of(svg, "effect")
    assert list(effect) == ["synthetic-harbours", "synthetic-tariffs"]
    assert [p.get("data-value") for p in effect["synthetic-harbours"]] == ["-1", "-2"]
    assert [p.get("data-when") for p in effect["synthetic-harbours"]] == [
        "2021-02-01T00:00:00+00:00",
        "2021-02-10T12:00:00+00:00",
    ]
    assert [p.get("data-value") for p in effect["synthetic-tariffs"]] == ["1"]
    likelihood = series_of(svg, "likelihood")
    assert len(likelihood) == 2
    assert [[p.get("data-value") for p in points] for points in likelihood.values()] == [
        ["2"],
        ["4", "3"],
    ]


def test_the_editors_notes_are_listed_by_date_issue_and_note(client, dossier):
    listed = notes(client.get(MEETING_URL).content.decode())
    assert listed == [  # by date, then by what the note is on
        "1 February 2021 — A synthetic stalemate — first look at the stalemate",
        "1 February 2021 — Harbours (synthetic) — first look at harbours",
        "5 February 2021 — A synthetic deal — first look at the deal",
        "5 February 2021 — Tariffs (synthetic) — first look at tariffs",
        "10 February 2021 — A synthetic stalemate — after the talks stalled",
        "10 February 2021 — Harbours (synthetic) — after the talks stalled",
    ]


def test_an_edit_adds_a_point_and_its_note(client, editor, dossier):
    assessment = OutlookAssessment.objects.get(issue__slug="synthetic-tariffs")
    services.record_update(
        record=assessment,
        editor=editor,
        edit=services.Edit(values={"effect": 0}, note="talks on strategic stability resumed"),
        expected_version=assessment.version,
    )
    body = client.get(MEETING_URL).content.decode()
    points = series_of(trend_svg(body), "effect")["synthetic-tariffs"]
    assert [p.get("data-value") for p in points] == ["1", "0"]
    today = datetime.now(UTC)
    assert notes(body)[-1] == (
        f"{today.day} {today:%B %Y} — Tariffs (synthetic) — talks on strategic stability resumed"
    )


def test_readers_see_published_revisions_only(client, editor, dossier):
    meeting = Meeting.objects.get()
    trade = factories.IssueFactory(title="Trade", slug="trade", order=9)
    trade.meetings.add(meeting)
    draft = services.record_create(
        record=OutlookAssessment(issue=trade, meeting=meeting),
        editor=editor,
        edit=services.Edit(
            values={"effect": 1, "salience": 1, "rationale": "Drafting."},
            note="a first draft",
            as_draft=True,
            citations=services.Citations(sources=[Source.objects.get()], locator="para. 1"),
        ),
    )
    services.record_publish(record=draft, editor=editor, note="published")

    reader_body = client.get(MEETING_URL).content.decode()
    assert len(series_of(trend_svg(reader_body), "effect")["trade"]) == 1
    assert not any("a first draft" in note for note in notes(reader_body))
    client.force_login(editor)
    editor_body = client.get(MEETING_URL).content.decode()
    assert len(series_of(trend_svg(editor_body), "effect")["trade"]) == 2
    assert any("Trade — a first draft" in note for note in notes(editor_body))


def test_an_issue_draft_now_has_no_series_for_readers(client, dossier):
    trade = factories.IssueFactory(title="Trade", slug="trade", status=PublicationStatus.DRAFT)
    trade.meetings.add(Meeting.objects.get())
    factories.AssessmentFactory(issue=trade, meeting=Meeting.objects.get())
    assert "trade" not in series_of(trend_svg(client.get(MEETING_URL).content.decode()), "effect")


def test_the_trend_as_of_a_day_stops_at_that_day(client, dossier):
    before = client.get(MEETING_URL, {"as_of": "2021-01-25"}).content.decode()
    assert "there is no trend to draw" in before  # the meeting, but no outlook yet
    body = client.get(MEETING_URL, {"as_of": "2021-02-03"}).content.decode()
    effect = series_of(trend_svg(body), "effect")
    assert [p.get("data-value") for p in effect["synthetic-harbours"]] == ["-1"]
    assert "synthetic-tariffs" not in effect
    assert len(notes(body)) == 2


def test_nothing_assessed_no_trend(client, db):
    meeting = factories.MeetingFactory(slug="empty")
    body = Client().get(meeting.get_absolute_url()).content.decode()
    assert "there is no trend to draw" in body
    assert 'id="trend-chart"' in body


def test_the_trend_needs_no_inline_style_and_colours_by_class(client, dossier):
    body = client.get(MEETING_URL).content.decode()
    figure = body[
        body.index('id="trend-chart"') : body.index("</figure>", body.index('id="trend-chart"'))
    ]
    assert " style=" not in figure and " fill=" not in figure and " stroke=" not in figure
    assert re.findall(r'class="trend__series (trend__series--\d)"', figure)[:4] == [
        "trend__series--1",
        "trend__series--2",
        "trend__series--1",
        "trend__series--2",
    ]


def test_a_day_before_the_meeting_was_recorded_has_no_trend_but_a_400(client, dossier):
    assert client.get(MEETING_URL, {"as_of": date(2021, 1, 19).isoformat()}).status_code == 400
