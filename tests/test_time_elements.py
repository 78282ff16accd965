"""Every `<time datetime>` on a reader page holds a value HTML accepts: a year, a month, a
day, or a moment to the second with its offset, never microseconds and never empty."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from issues.dossier.write import dossier_import
from issues.models import OutlookAssessment, Resolution, Source
from issues.templatetags.dossier import machine_time
from tests import factories
from tests.resolved import record_outcome, resolved_meeting
from tests.test_time_travel import edit

pytestmark = pytest.mark.django_db

ATTRIBUTE = re.compile(r"""\bdatetime\s*=\s*["']([^"']*)["']""")
VALID = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2}))?)?)?")
MICROSECONDS = re.compile(r"\d{2}:\d{2}:\d{2}\.\d+")


SYNTHETIC = Path(__file__).with_name("dossiers") / "synthetic.yaml"
ISSUE = "/issues/synthetic-water-rights/"
MEETING = "/meetings/synthetic-meeting/"


def reader_pages(source: Source) -> dict[str, str]:
    return {
        "home": "/",
        "summit": "/summits/synthetic-summit/",
        "summit as of": "/summits/synthetic-summit/?as_of=2020-02-20",
        "meeting": MEETING,
        "meeting as of today": f"{MEETING}?as_of={datetime.now(UTC).date()}",
        "issue": ISSUE,
        "issue as of": f"{ISSUE}?as_of=2020-02-20",
        "issue positions": f"{ISSUE}positions/",
        "browse": "/issues/?q=synthetic",
        "search": "/search/?q=synthetic",
        "compare": "/compare/?a=XA&b=XB",
        "leaders": "/leaders/",
        "leader": "/leaders/synthetic-leader-a/",
        "sources": "/sources/",
        "source": source.get_absolute_url(),
        "history": f"{ISSUE}history/",
        "track record": "/track-record/",
        "resolved meeting": "/meetings/example-bilateral/",
        "not found": "/no-such-page/",
    }


@pytest.fixture
def every_kind_of_time(db, editor):
    """A small dossier with days, a month and dated revisions, and what brings out each
    other kind of `<time>`: an editor's note on the outlook (the trend's notes), revisions
    recorded after the day they took effect (the history), a multi-year event (a date no
    `<time>` can give), a resolved and rescored meeting."""
    dossier_import(SYNTHETIC.read_bytes())
    assessment = OutlookAssessment.objects.get(issue__slug="synthetic-water-rights")
    edit(assessment, editor, note="Reviewed", effect=-2)
    event = factories.EventFactory(
        title="A treaty in force for years",
        occurred_on=date(2011, 2, 5),
        occurred_until=date(2021, 2, 5),
        occurred_on_precision="period",
        occurred_as="the treaty's term",
    )
    event.issues.add(assessment.issue)
    meeting = resolved_meeting()
    record_outcome(meeting, overrides={"Surprise": Resolution.NO}, reason="statement misread")
    return Source.objects.order_by("pk").first()


def test_no_reader_page_has_an_invalid_datetime(client, every_kind_of_time):
    seen = 0
    for name, url in reader_pages(every_kind_of_time).items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), url
        body = response.content.decode()
        values = ATTRIBUTE.findall(body)
        seen += len(values)
        assert not MICROSECONDS.search(" ".join(values)), (name, values)
        invalid = [value for value in values if not VALID.fullmatch(value)]
        assert not invalid, (name, invalid)
    assert seen > 20


def test_the_pages_measured_show_moments_to_the_second(client, every_kind_of_time):
    """The history, the trend's notes and the rescore log do show moments, so the test
    above reads them, not only days."""
    moment = re.compile(r'datetime="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00"')
    for url in (
        f"{ISSUE}history/",
        "/track-record/",
        f"{MEETING}?as_of={datetime.now(UTC).date()}",
        "/",
        ISSUE,
    ):
        assert moment.search(client.get(url).content.decode()), url
    assert "A treaty in force for years" in client.get(ISSUE).content.decode()


def test_machine_time_gives_a_moment_in_utc_to_the_second_and_a_day_as_the_day():
    moment = datetime(2026, 11, 30, 12, 0, 5, 123456, tzinfo=UTC)
    assert machine_time(moment) == "2026-11-30T12:00:05+00:00"
    assert machine_time(datetime(2026, 11, 30, 12, 0)) == "2026-11-30T12:00:00+00:00"
    assert machine_time(date(2018, 11, 30)) == "2018-11-30"
    assert machine_time(None) == ""
    assert machine_time("not a date") == ""
