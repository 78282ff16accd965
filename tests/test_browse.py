"""Browse, `/issues/`: combinable filters in the query string, htmx fragments, bad input."""

from datetime import date

import pytest

from issues.models import DatePrecision, Posture, PublicationStatus
from tests import factories

pytestmark = pytest.mark.django_db


def result_slugs(response) -> list[str]:
    return [issue.slug for issue in response.context["page"].object_list]


@pytest.fixture
def dossier(db):
    """Four published issues (and a draft) on two sides, with positions dated as a day, a
    month and a period, so that every filter has something to keep and something to drop."""
    us, ru = factories.CountryFactory(code="US"), factories.CountryFactory(code="RU")
    first = factories.LeaderFactory(slug="us-envoy", country=us)
    second = factories.LeaderFactory(slug="us-minister", country=us)
    theirs = factories.LeaderFactory(slug="ru-minister", country=ru)
    meeting = factories.MeetingFactory(slug="the-bilateral")
    fish, rail = factories.TopicFactory(slug="fish"), factories.TopicFactory(slug="rail")
    fisheries, railways, ports, pipelines = (
        factories.IssueFactory(slug=slug, title=title, order=order)
        for order, (slug, title) in enumerate(
            [
                ("fisheries", "Fisheries"),
                ("railways", "Railways"),
                ("ports", "Ports and harbours"),
                ("pipelines", "Pipelines"),
            ]
        )
    )
    factories.IssueFactory(slug="a-draft", title="A draft", status=PublicationStatus.DRAFT)
    fisheries.topics.add(fish)
    railways.topics.add(rail)
    for issue in (fisheries, ports):
        issue.meetings.add(meeting)

    def position(issue, leader, posture, summary, **dated):
        return factories.PositionFactory(
            issue=issue,
            country=leader.country,
            leader=leader,
            posture=posture,
            summary=summary,
            **{"stated_on": date(2018, 11, 28), **dated},
        )

    position(fisheries, theirs, Posture.HARDLINE, "Refuses any quota for the fleet.")
    position(fisheries, first, Posture.MIXED, "Hints at tariff relief for fish.")
    position(
        railways,
        first,
        Posture.HARDLINE,
        "Calls the railway a provocation.",
        stated_on=date(2018, 10, 20),
        stated_until=date(2018, 10, 31),
        stated_on_precision=DatePrecision.PERIOD,
        stated_as="late October",
    )
    position(
        ports,
        first,
        Posture.LEANS_COOPERATIVE,
        "Says his talks on the harbour went well.",
        stated_on=date(2018, 10, 1),
        stated_on_precision=DatePrecision.MONTH,
    )
    position(ports, second, Posture.MIXED, "Keeps the harbour question open.")
    position(
        pipelines,
        second,
        Posture.HARDLINE,
        "Opposes the pipeline outright.",
        stated_on=date(2018, 1, 1),
        stated_on_precision=DatePrecision.YEAR,
    )


def test_without_filters_every_published_issue(client, dossier):
    response = client.get("/issues/")
    assert result_slugs(response) == ["fisheries", "railways", "ports", "pipelines"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"topic": "rail"}, ["railways"]),
        ({"side": "RU", "posture": "-2"}, ["fisheries"]),
        ({"leader": "us-envoy"}, ["fisheries", "railways", "ports"]),
        # Combined on one position: the envoy's cooperative stance is only on ports.
        ({"leader": "us-envoy", "posture": "1"}, ["ports"]),
        ({"leader": "us-minister", "topic": "fish"}, []),
        ({"meeting": "the-bilateral", "side": "US", "posture": "0"}, ["fisheries", "ports"]),
        # Dates compare as intervals: early October meets the positions dated "October" and
        # "2018", not "late October" or a day in November.
        ({"date_from": "2018-10-01", "date_to": "2018-10-15"}, ["ports", "pipelines"]),
        ({"q": "harbours"}, ["ports"]),  # in the title
        ({"q": "tariff relief", "side": "US"}, ["fisheries"]),  # in a position
        ({"q": "harbour", "side": "RU"}, []),  # no Russian position on ports
    ],
)
def test_filters_combine(client, dossier, query, expected):
    response = client.get("/issues/", query)
    assert response.status_code == 200
    assert result_slugs(response) == expected


def test_matched_positions_are_listed_under_each_issue(client, dossier):
    response = client.get("/issues/", {"leader": "us-envoy", "posture": "1"})
    (result,) = response.context["results"]
    assert [p.summary for p in result.matched] == ["Says his talks on the harbour went well."]
    assert result.matched_count == 1
    assert "1 position" in response.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client, dossier):
    response = client.get("/issues/", {"side": "RU"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.strip().startswith('<section id="results"')
    assert "HX-Request" in response["Vary"]


def test_plain_request_gets_the_whole_page_with_the_same_results(client, dossier):
    response = client.get("/issues/", {"side": "RU"})
    body = response.content.decode()
    assert "<html" in body and 'id="results"' in body
    assert '<option value="RU" selected>' in body


def test_empty_state(client, dossier):
    body = client.get("/issues/", {"q": "no such words anywhere"}).content.decode()
    assert "No issue matches these filters" in body
    assert "0 issues match" in body


def test_pagination_keeps_the_filters(client, dossier):
    from tests import factories

    for n in range(25):
        factories.IssueFactory(title=f"Extra {n:02d}", slug=f"extra-{n:02d}", order=9)
    first = client.get("/issues/", {"q": "Extra"})
    assert first.context["page"].paginator.count == 25
    assert 'href="?q=Extra&amp;page=2"' in first.content.decode()
    second = client.get("/issues/", {"q": "Extra", "page": "2"})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize(
    "query",
    [
        {"page": "99999"},
        {"page": "abc"},
        {"q": '"unbalanced'},
        {"q": "a & b | !c :* (d"},
        {"q": "Путин"},
        {"unknown": "value"},
    ],
)
def test_odd_input_gives_a_page_not_an_error(client, dossier, query):
    response = client.get("/issues/", query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"topic": "no-such-topic"}, "Select a valid choice"),
        ({"posture": "5"}, "Select a valid choice"),
        ({"posture": "hardline"}, "Select a valid choice"),
        ({"date_from": "2018-13-45"}, "Enter a valid date"),
        ({"date_from": "2018-12-01", "date_to": "2018-11-01"}, "must not be before"),
        ({"q": "x" * 10_000}, "at most 200 characters"),
    ],
)
def test_invalid_filter_values_are_a_400_with_a_message(client, dossier, query, message):
    response = client.get("/issues/", query)
    assert response.status_code == 400
    assert message in response.content.decode()
