"""At most `BUDGET` queries for any page a reader opens, whatever an issue holds: the same
pages with 5 positions on one issue and with 5,000 (written in bulk), on a meeting whose
outcome is recorded and scored (the costliest state of the issue and meeting pages)."""

import os
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from issues import time_travel
from issues.caching import bump_generation
from issues.labels import all_labels
from issues.models import Analysis, Event, Issue, Position, Source
from tests import factories
from tests.resolved import resolved_meeting

# Every reader page fits in this many queries. The issue and meeting pages are the costliest:
# 9, and one for "What changed" (the outlooks' revisions then and now, and the positions
# added or withdrawn since, as one union).
BUDGET = 10


def crowd(issue: Issue, count: int) -> None:
    """`count` positions on `issue`, half each side, each with a source of its own, a
    leader for every other one, an event for every tenth and an analysis for every
    hundredth: written in bulk, so that 5,000 take a moment."""
    us = factories.CountryFactory(code="US")
    ru = factories.CountryFactory(code="RU")
    issue.sides.set([us, ru])
    leader = factories.LeaderFactory(slug="speaker", name="A speaker", country=ru)
    sources = Source.objects.bulk_create(
        Source(title=f"Crowd source {n}", publisher="Publisher", kind="article")
        for n in range(count)
    )
    Position.objects.bulk_create(
        Position(
            issue=issue,
            country=ru if n % 2 else us,
            leader=leader if n % 2 else None,
            attribution="Officials",
            kind="rhetoric",
            posture=(n % 5) - 2,
            summary=f"Crowd position {n} about sanctions.",
            stated_on=date(2018, 1, 1) + timedelta(days=n % 2000),
            source=source,
            locator="para. 1",
            status="published",
        )
        for n, source in enumerate(sources)
    )
    Position.objects.sync_leader_names()
    events = Event.objects.bulk_create(
        Event(title=f"Crowd event {n}", occurred_on=date(2018, 1, 1) + timedelta(days=n))
        for n in range(0, count, 10)
    )
    issue.events.add(*events)
    Analysis.objects.bulk_create(
        Analysis(source=source, issue=issue, author="An author", locator="p. 1", text="Judged.")
        for source in sources[::100]
    )
    # And a revision of every kind for the history page, links (topics, citations) included.
    factories.PositionFactory(issue=issue, country=us, summary="A position with a revision.")
    event = factories.EventFactory(title="An event with a revision")
    event.issues.add(issue)
    factories.EventCitationFactory(event=event)
    issue.topics.add(factories.TopicFactory(name="A topic added later"))


@pytest.fixture(params=[5, 5000], ids=lambda count: f"{count}-positions")
def archive(request, db):
    meeting = resolved_meeting()
    issue = meeting.issues.get(slug="trade")
    crowd(issue, request.param)
    all_labels()  # cached in production, shared by every page
    return {"meeting": meeting, "issue": issue, "count": request.param}


def reader_pages(archive) -> dict[str, str]:
    meeting, issue = archive["meeting"], archive["issue"]
    source = Position.objects.filter(issue=issue).first().source
    return {
        "home": "/",
        "summit": meeting.summit.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "issue": issue.get_absolute_url(),
        "issue positions": f"{issue.get_absolute_url()}positions/",
        "issue positions, filtered": f"{issue.get_absolute_url()}positions/?side=RU&page=2",
        "history": f"{issue.get_absolute_url()}history/",
        "browse": "/issues/",
        "browse, filtered": "/issues/?posture=2&side=RU",
        "leader list": "/leaders/",
        "leader": "/leaders/speaker/",
        "source list": "/sources/",
        "source": source.get_absolute_url(),
        "search": "/search/?q=sanctions",
        "search, one kind": "/search/?q=sanctions&kind=positions&page=2",
        "compare": "/compare/?a=US&b=RU",
        "track record": "/track-record/",
        "site feed": "/feed/",
        "issue feed": f"{issue.get_absolute_url()}feed/",
        "meeting feed": f"{meeting.get_absolute_url()}feed/",
        "leader feed": "/leaders/speaker/feed/",
        "track record feed": "/track-record/feed/",
        "method": "/about/method/",
    }


def test_every_reader_page_fits_the_budget(client, archive):
    over = {}
    for name, url in reader_pages(archive).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        print(f"{name}: {len(queries)}")
        if os.environ.get("SHOW_QUERIES") in (name, "all"):
            for query in queries.captured_queries:
                print("   ", query["sql"][:600])
        if len(queries) > BUDGET:
            over[name] = [q["sql"][:300] for q in queries.captured_queries]
    assert not over, over


# An editor's issue page is never cached for a reader, nor shared with a browser or a CDN.
# When it is built, it reads no more than a reader's page and a few queries of its own: the
# session, the user, the user's and the groups' permissions, and every pending draft edit of
# what the page shows (one query, whatever the kinds of record).
EDITOR_EXTRA = 5


def test_an_editors_issue_page_fits_the_budget_with_drafts_and_edit_controls(
    editor_client, editor, archive
):
    issue = archive["issue"]
    newest = Position.objects.filter(issue=issue).order_by("-stated_on", "pk").first()
    factories.DraftFactory(record=newest, data={"summary": "A pending rewording"}, author=editor)
    factories.DraftFactory(record=issue, data={"title": "A pending title"}, author=editor)
    url = issue.get_absolute_url()
    editor_client.get(url)  # the session's first use writes nothing counted below
    bump_generation()  # and the page is built anew
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert len(queries) <= BUDGET + EDITOR_EXTRA, [q["sql"][:200] for q in queries]
    # Built once for the editors' permissions at this generation, then only the viewer's own
    # queries, the session and the user (tests/test_editor_page_cache.py).
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(url).status_code == 200
    assert len(queries) <= 2, [q["sql"][:200] for q in queries]
    page = response.content.decode()
    assert "Draft edit" in page and "A pending rewording" in page  # the position's draft
    assert "2 drafts waiting to be published." in page  # and the issue's, in the editor bar
    assert f"/issues/{issue.slug}/positions/{newest.pk}/edit/" in page
    assert "no-store" in response["Cache-Control"]


def as_of_pages(archive) -> dict[str, str]:
    """The pages that can be shown as they stood at the end of a day: today's end, so that
    everything the archive holds is shown, read from the revision tables."""
    meeting, issue = archive["meeting"], archive["issue"]
    day = f"?as_of={time_travel.today_utc().isoformat()}"
    return {
        "summit, as of a day": f"{meeting.summit.get_absolute_url()}{day}",
        "meeting, as of a day": f"{meeting.get_absolute_url()}{day}",
        "issue, as of a day": f"{issue.get_absolute_url()}{day}",
    }


def test_every_page_as_of_a_day_fits_the_budget(client, archive):
    over = {}
    for name, url in as_of_pages(archive).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert "as it stood at the end of" in response.content.decode(), name
        print(f"{name}: {len(queries)}")
        if os.environ.get("SHOW_QUERIES") in (name, "all"):
            for query in queries.captured_queries:
                print("   ", query["sql"][:600])
        if len(queries) > BUDGET:
            over[name] = len(queries)
    assert not over, over
