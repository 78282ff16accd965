"""The outlook over time and the timeline carry the meeting's recorded outcome: a line at the
meeting's date with a mark per issue and scenario on the trend, an outcome entry on the
timeline; read like everything else on the page, live or as it stood on a past day."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from issues import charts
from issues.models import IssueOutcome, MeetingOutcome, MeetingResult, Resolution, ScenarioOutcome
from tests import factories
from tests.resolved import MEETING_DAY, PUBLISHED_ON, backdate, resolved_meeting

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
URL = "/meetings/example-bilateral/"


def trend_svg(body: str) -> ET.Element:
    match = re.search(r'<figure[^>]* id="trend-chart">\s*(<svg.*?</svg>)', body, re.S)
    assert match, "no trend chart"
    return ET.fromstring(match.group(1))


def marks(svg: ET.Element) -> dict[str, tuple[str, str]]:
    """Each series' outcome mark: its state and the words of its <title>."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        series = group.get("data-series")
        if series is None:
            continue
        for path in group.iter(f"{SVG}path"):
            if path.get("data-outcome"):
                found[series] = (path.get("data-outcome"), path.findtext(f"{SVG}title"))
    return found


def meeting_lines(svg: ET.Element) -> list[ET.Element]:
    return [
        line
        for line in svg.iter(f"{SVG}line")
        if "trend__meeting" in line.get("class", "") and line.findtext(f"{SVG}title")
    ]


def timeline_of(body: str) -> str:
    return body[body.index('id="meeting-timeline"') :]


def revision(issue_id: int, when: datetime, effect: int) -> SimpleNamespace:
    """An assessment's revision, as the trend reads it."""
    return SimpleNamespace(
        issue_id=issue_id, history_date=when, effect=effect, salience=2, history_change_reason=""
    )


def published_before_the_meeting(meeting) -> None:
    """Date the meeting's and its issues' revisions with its forecasts, on 1 June 2025, so
    that a page can be read as of any later day."""
    from issues.models import Issue, Meeting

    backdate(Meeting.history.filter(id=meeting.pk), PUBLISHED_ON)
    backdate(Issue.history.filter(id__in=meeting.issues.values("pk")), PUBLISHED_ON)


def recorded_at(moment: datetime) -> None:
    for history in (MeetingOutcome.history, IssueOutcome.history, ScenarioOutcome.history):
        history.update(history_date=moment)


def scenario_key(title: str) -> str:
    from issues.models import Scenario

    return f"scenario-{Scenario.objects.get(title=title).pk}"


# The resolved meeting ---------------------------------------------------------------------


def test_the_trend_marks_the_meeting_and_what_became_of_each_issue_and_scenario(client):
    resolved_meeting()

    body = client.get(URL).content.decode()
    svg = trend_svg(body)

    found = marks(svg)
    assert found["trade"][0] == "yes" and found["water"][0] == "no"
    assert "Trade, at the meeting, 10 June 2025: raised" in found["trade"][1]
    assert "Example joint statement (test data), para. 1" in found["trade"][1]
    assert "Water, at the meeting, 10 June 2025: not raised" in found["water"][1]
    assert found[scenario_key("Rupture")][0] == "no"
    assert "Thaw, at the meeting, 10 June 2025: came true" in found[scenario_key("Thaw")][1]
    # A dashed line at the meeting's date in each panel, and keys to read the marks by.
    assert len(meeting_lines(svg)) == 2
    keys = [g.get("data-key") for g in svg.iter(f"{SVG}g") if g.get("data-key")]
    assert keys == ["meeting", "yes", "no", "yes", "no"]
    assert "The meeting, 10 June 2025: held" in "".join(svg.itertext())
    # In words, for those who do not see the chart.
    desc = svg.findtext(f"{SVG}desc")
    assert "The meeting, 10 June 2025: held; Borders: raised; Trade: raised; Water: not raised" in (
        desc
    )
    assert "Surprise: came true." in desc
    notes = body[
        body.index('id="trend-outcome"') : body.index(
            "</section>", body.index('id="trend-outcome"')
        )
    ]
    assert "<strong>Held</strong>: Test data: the two sides met for an hour." in notes
    assert "Water: not raised" in notes and "Rupture: did not come true" in notes


def test_the_marks_sit_at_the_meetings_date_on_the_value_that_held_then(db):
    meeting = resolved_meeting()
    trade = meeting.issues.get(slug="trade")
    recorded = charts.trend.RecordedOutcome(
        MeetingOutcome.objects.get(meeting=meeting),
        {trade.pk: IssueOutcome.objects.get(meeting=meeting, issue=trade)},
        {},
    )
    published = datetime(2025, 6, 1, 9, tzinfo=UTC)
    revisions = [
        revision(trade.pk, published, effect=1),
        # Revised after the meeting: the mark stays on the value that held at the meeting.
        revision(trade.pk, published + timedelta(days=20), effect=-2),
    ]

    chart = charts.trend_chart(
        [trade], revisions, [], [], outcome=recorded, meeting_dates=meeting.dates
    )

    assert chart is not None
    [series] = chart.panels[0].series
    first, later = series.points
    assert series.mark is not None
    assert first.x < series.mark.x < later.x
    assert series.mark.y == first.y  # +1, not the later −2
    assert chart.panels[0].meeting_x == series.mark.x
    assert chart.start < datetime(2025, 6, 10, tzinfo=UTC) < chart.end


def test_the_time_axis_reaches_the_meeting_when_every_revision_came_before(db):
    meeting = resolved_meeting()
    chart = charts.trend_chart(
        list(meeting.issues.order_by("order")),
        [revision(i.pk, datetime(2025, 5, 1, tzinfo=UTC), effect=0) for i in meeting.issues.all()],
        [],
        [],
        outcome=charts.trend.RecordedOutcome(MeetingOutcome.objects.get(meeting=meeting)),
        meeting_dates=meeting.dates,
    )
    assert chart is not None
    assert chart.end > datetime(2025, 6, 10, tzinfo=UTC)
    assert chart.panels[0].meeting_x is not None
    assert chart.panels[0].meeting_x <= chart.right
    # No issue outcome recorded: the meeting's line, and no mark.
    assert all(series.mark is None for series in chart.panels[0].series)
    assert [row.kind for row in chart.panels[0].key_rows] == ["meeting"]


def test_the_timeline_carries_the_outcome_with_its_source(client):
    resolved_meeting()

    timeline = timeline_of(client.get(URL).content.decode())

    entry = timeline[timeline.index('id="timeline-outcome"') :]
    entry = entry[: entry.index("</li>")]
    assert "timeline-axis__item--outcome" in timeline
    assert '<time datetime="2025-06-10">10 June 2025</time>' in entry
    assert ">Outcome</span>" in entry
    assert "Example bilateral: held" in entry
    assert "Test data: the two sides met for an hour." in entry
    assert "Example joint statement (test data)</a>, para. 1" in entry


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (MeetingResult.CANCELLED, "cancelled"),
        (MeetingResult.POSTPONED, "postponed"),
        (MeetingResult.INFORMAL, "held informally"),
    ],
)
def test_the_timeline_says_how_the_meeting_ended(client, result, words):
    resolved_meeting(result=result)
    timeline = timeline_of(client.get(URL).content.decode())
    assert f"Example bilateral: {words}" in timeline
    assert f"The meeting, 10 June 2025: {words}" in client.get(URL).content.decode()


def test_the_outcome_comes_after_the_days_events_on_the_timeline(db):
    meeting = resolved_meeting()
    event = factories.EventFactory(title="Arrival", occurred_on=MEETING_DAY)
    recorded = charts.trend.RecordedOutcome(MeetingOutcome.objects.get(meeting=meeting))

    [period] = charts.timeline([event], [], outcome=recorded, meeting_dates=meeting.dates)

    assert [item.kind for item in period.items] == ["event", "outcome"]
    assert period.items[1].source == recorded.meeting.source


# Nothing recorded -------------------------------------------------------------------------


def test_without_an_outcome_neither_chart_carries_one(client):
    resolved_meeting(resolve=False)

    body = client.get(URL).content.decode()

    svg = trend_svg(body)
    assert marks(svg) == {}
    # The meeting's day is still on the axis, marked as a date, with nothing on it.
    lines = meeting_lines(svg)
    assert len(lines) == 2 and {line.findtext(f"{SVG}title") for line in lines} == {
        "The meeting, 10 June 2025"
    }
    assert [g.get("data-key") for g in svg.iter(f"{SVG}g") if g.get("data-key")] == ["meeting"]
    assert 'id="trend-outcome"' not in body
    assert "timeline-axis__item--outcome" not in body
    assert "a diamond on a row says what became" not in body


# As of a past day -------------------------------------------------------------------------


def test_as_of_a_day_before_the_recording_the_outcome_is_not_shown(client):
    meeting = resolved_meeting()
    published_before_the_meeting(meeting)
    recorded_at(datetime(2025, 6, 12, 9, tzinfo=UTC))

    body = client.get(URL, {"as_of": "2025-06-11"}).content.decode()

    assert "You are viewing this page as it stood" in body
    svg = trend_svg(body)  # the forecasts published by then are drawn...
    assert marks(svg) == {}  # ...but no outcome: the meeting's day, and nothing on it
    assert all(
        line.findtext(f"{SVG}title") == "The meeting, 10 June 2025" for line in meeting_lines(svg)
    )
    assert "timeline-axis__item--outcome" not in body
    assert 'id="trend-outcome"' not in body
    # The meeting's state, too, is as it stood then: past, with no outcome yet.
    assert 'data-state="past"' in body and 'data-state="held"' not in body


def test_as_of_a_day_after_the_recording_the_outcome_recorded_then_is_shown(client):
    meeting = resolved_meeting()
    published_before_the_meeting(meeting)
    recorded_at(datetime(2025, 6, 12, 9, tzinfo=UTC))
    # Corrected later: the water issue was raised after all.
    water = IssueOutcome.objects.get(issue__slug="water")
    water.raised = Resolution.YES
    water.save()

    then = client.get(URL, {"as_of": "2025-06-13"}).content.decode()
    now = client.get(URL).content.decode()

    assert marks(trend_svg(then))["water"][0] == "no"
    assert marks(trend_svg(now))["water"][0] == "yes"
    assert "Example bilateral: held" in timeline_of(then)
    assert 'data-state="held"' in then


def test_as_of_a_day_the_scenarios_outcomes_and_sources_are_those_recorded_then(client):
    meeting = resolved_meeting()
    published_before_the_meeting(meeting)
    surprise = ScenarioOutcome.objects.get(scenario__title="Surprise")
    surprise_scenario = surprise.scenario
    surprise.delete()  # not recorded with the others...
    recorded_at(datetime(2025, 6, 12, 9, tzinfo=UTC))
    # ...but today; and a correction, today, of one recorded then.
    ScenarioOutcome.objects.create(
        scenario=surprise_scenario, came_true=Resolution.NO, source=factories.SourceFactory()
    )
    rupture = ScenarioOutcome.objects.get(scenario__title="Rupture")
    rupture.came_true = Resolution.YES
    rupture.save()

    then = client.get(URL, {"as_of": "2025-06-13"}).content.decode()
    now = client.get(URL).content.decode()

    then_marks, now_marks = marks(trend_svg(then)), marks(trend_svg(now))
    assert scenario_key("Surprise") not in then_marks and now_marks[scenario_key("Surprise")]
    assert then_marks[scenario_key("Rupture")][0] == "no"
    assert now_marks[scenario_key("Rupture")][0] == "yes"
    assert then_marks[scenario_key("Thaw")][0] == "yes"
    # Each outcome read then comes with its source, as on the live page.
    assert "Example joint statement (test data), para. 1" in then_marks["trade"][1]
    assert "Example joint statement (test data), para. 1" in then_marks[scenario_key("Thaw")][1]
    assert "Example joint statement (test data)</a>, para. 1" in timeline_of(then)


def test_a_deleted_outcome_shows_neither_today_nor_as_of_today(client):
    meeting = resolved_meeting()
    MeetingOutcome.objects.get(meeting=meeting).delete()

    today = datetime.now(UTC).date().isoformat()
    for body in (client.get(URL), client.get(URL, {"as_of": today})):
        text = body.content.decode()
        assert "timeline-axis__item--outcome" not in text
        assert marks(trend_svg(text)) == {}


# Readers and queries ------------------------------------------------------------------------


def test_an_outcome_shows_only_on_series_the_reader_may_see(client, editor):
    """Outcomes have no drafts: they are public once recorded, as on the board. A draft
    issue's series, and so its mark, stays hidden from readers."""
    meeting = resolved_meeting()
    water = meeting.issues.get(slug="water")
    water.status = "draft"
    water.save()

    reader_marks = marks(trend_svg(client.get(URL).content.decode()))
    client.force_login(editor)
    editor_marks = marks(trend_svg(client.get(URL).content.decode()))

    assert "water" not in reader_marks and "trade" in reader_marks
    assert "water" in editor_marks


@pytest.mark.parametrize("more", [0, 8])
@pytest.mark.parametrize("resolve", [False, True])
def test_the_outcome_costs_no_query_per_issue(client, django_assert_max_num_queries, resolve, more):
    meeting = resolved_meeting(resolve=resolve)
    source = factories.SourceFactory()
    for n in range(more):
        issue = factories.IssueFactory(title=f"More {n}")
        issue.meetings.add(meeting)
        factories.AssessmentFactory(issue=issue, meeting=meeting)
        if resolve:
            IssueOutcome.objects.create(
                meeting=meeting, issue=issue, raised=Resolution.NO, source=source
            )

    # The issues' and scenarios' outcomes, and scores, are read with the issues and scenarios:
    # 9 queries, the scale labels (cached in production), and What changed (1), outcome or not.
    with django_assert_max_num_queries(11):
        body = client.get(URL).content.decode()
    assert len(marks(trend_svg(body))) == ((7 + more) if resolve else 0)

    day = datetime.now(UTC).date().isoformat()
    # As of a day, the meeting's outcome and its issues' and scenarios' as recorded then are
    # one query, read with the meeting, and the issues' sides come with the issues: 10, as
    # every reader page (the scale labels were cached by the page above), outcome or not.
    with django_assert_max_num_queries(10):
        body = client.get(URL, {"as_of": day}).content.decode()
    assert len(marks(trend_svg(body))) == ((7 + more) if resolve else 0)


def test_each_cell_of_the_outcome_tables_is_named_for_phones(client):
    """On a phone the board's and the track record's tables read as a card per row, each
    cell named by its column (`data-label`, shown by the style sheet), with the roles of a
    table kept explicit."""
    resolved_meeting()
    for url, table in [
        (URL, 'id="outcome-issues"'),
        (URL, 'id="outcome-scenarios"'),
        ("/track-record/", 'class="track-items table-stack"'),
    ]:
        body = client.get(url).content.decode()
        start = body.index(table)
        rows = body[start : body.index("</table>", start)]
        assert "table-stack" in body[start - 80 : start + 80]
        cells = re.findall(r"<td[^>]*>", rows)
        assert cells and all("data-label=" in cell for cell in cells)
        # Shown as blocks on a phone, they keep a table's meaning for screen readers.
        assert all('role="cell"' in cell for cell in cells)
        assert all('role="row"' in row for row in re.findall(r"<tr[^>]*>", rows))


def test_marks_at_the_same_value_each_sit_on_their_own_row_at_the_meetings_date(db):
    """Small multiples: series at the same value no longer hide one another, so every mark is
    at the meeting's date, on its own row's line for the value that held then."""
    meeting = resolved_meeting()
    issues = list(meeting.issues.order_by("order", "title"))
    recorded = charts.trend.RecordedOutcome(
        MeetingOutcome.objects.get(meeting=meeting),
        {row.issue_id: row for row in IssueOutcome.objects.filter(meeting=meeting)},
        {},
    )
    # All three at the same value on the day of the meeting, the last revision.
    revisions = [revision(i.pk, datetime(2025, 6, 10, tzinfo=UTC), effect=-1) for i in issues]

    chart = charts.trend_chart(
        issues, revisions, [], [], outcome=recorded, meeting_dates=meeting.dates
    )

    assert chart is not None
    [panel] = chart.panels
    rows = [series for series in panel.series if series.mark]
    assert len(rows) == 3
    for series in rows:
        assert series.mark is not None
        assert series.mark.x == panel.meeting_x
        minus_one = next(level for level in series.levels if level.y == series.points[0].y)
        assert series.plot_top <= minus_one.y <= series.plot_bottom
        assert series.mark.y == series.points[0].y == series.plot_top + 3 * charts.trend.EFFECT_STEP
    assert len({series.mark.y for series in rows if series.mark}) == 3  # one row each
    assert max(s.mark.x for s in rows if s.mark) + charts.trend.MARK <= chart.width


# The issue page's timeline ------------------------------------------------------------------


def issue_timeline(body: str) -> str:
    start = body.index('<h2 id="timeline">')
    return body[start : body.index("</section>", start)]


def test_the_issue_timeline_says_what_became_of_the_issue_at_the_meeting(client):
    resolved_meeting()

    body = client.get("/issues/water/").content.decode()

    timeline = issue_timeline(body)
    entry = timeline[timeline.index('id="outcome-example-bilateral"') :]
    entry = entry[: entry.index("</li>")]
    assert '<time datetime="2025-06-10">10 June 2025</time>' in entry
    assert 'href="/meetings/example-bilateral/">Example bilateral</a>: Held; not raised' in entry
    assert "Water came up." in entry
    # Its source is numbered with the page's sources.
    number = re.search(r'href="#source-(\d+)"', entry)
    assert number and f'id="source-{number.group(1)}"' in body
    assert "Example joint statement (test data)" in body


def test_the_issue_timeline_has_no_outcome_before_one_is_recorded(client):
    resolved_meeting(resolve=False)
    body = client.get("/issues/water/").content.decode()
    assert 'id="outcome-example-bilateral"' not in body


def test_the_issue_timeline_as_of_a_day_shows_the_outcome_recorded_by_then(client):
    meeting = resolved_meeting()
    published_before_the_meeting(meeting)
    recorded_at(datetime(2025, 6, 12, 9, tzinfo=UTC))

    before = client.get("/issues/water/", {"as_of": "2025-06-11"}).content.decode()
    after = client.get("/issues/water/", {"as_of": "2025-06-13"}).content.decode()

    assert "You are viewing this page as it stood" in before
    assert 'id="outcome-example-bilateral"' not in before
    assert 'id="outcome-example-bilateral"' in after


@pytest.mark.parametrize("meetings", [1, 6])
def test_the_issue_pages_outcomes_cost_no_query_per_meeting(
    client, django_assert_max_num_queries, meetings
):
    resolved_meeting()
    water = IssueOutcome.objects.get(issue__slug="water").issue
    source = factories.SourceFactory()
    for n in range(meetings - 1):
        other = factories.MeetingFactory(title=f"Another {n}")
        water.meetings.add(other)
        MeetingOutcome.objects.create(meeting=other, result=MeetingResult.HELD, source=source)
        IssueOutcome.objects.create(
            meeting=other, issue=water, raised=Resolution.YES, source=source
        )

    # 9, the scale labels, What changed (1); outcomes come with the meetings
    with django_assert_max_num_queries(11):
        body = client.get("/issues/water/").content.decode()
    assert body.count("timeline__item--outcome") == meetings
    day = datetime.now(UTC).date().isoformat()
    # As of a day, the meetings' outcomes and the issue's at them are one query, outcome or
    # not: 9 (the scale labels were cached by the page above).
    with django_assert_max_num_queries(9):
        body = client.get("/issues/water/", {"as_of": day}).content.decode()
    assert body.count("timeline__item--outcome") == meetings


def test_an_outcome_moved_to_another_meeting_later_still_shows_where_it_was_then(client):
    meeting = resolved_meeting()
    published_before_the_meeting(meeting)
    recorded_at(datetime(2025, 6, 12, 9, tzinfo=UTC))
    water = IssueOutcome.objects.get(issue__slug="water")
    water.meeting = factories.MeetingFactory(title="Elsewhere")  # a correction, today
    water.save()

    then = marks(trend_svg(client.get(URL, {"as_of": "2025-06-13"}).content.decode()))
    now = marks(trend_svg(client.get(URL).content.decode()))
    today = datetime.now(UTC).date().isoformat()
    as_of_today = marks(trend_svg(client.get(URL, {"as_of": today}).content.decode()))

    assert then["water"][0] == "no"
    assert "water" not in now and "trade" in now
    assert "water" not in as_of_today and "trade" in as_of_today
