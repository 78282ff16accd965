"""Browse, `/issues/`: combinable filters in the query string, htmx fragments, bad input."""

import pytest

pytestmark = pytest.mark.django_db


def result_slugs(response) -> list[str]:
    return [issue.slug for issue in response.context["page"].object_list]


def test_without_filters_every_published_issue(client, demo):
    response = client.get("/issues/")
    assert result_slugs(response) == [
        "ukraine",
        "arms-control",
        "election-meddling",
        "syria-and-iran",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"topic": "syria"}, ["syria-and-iran"]),
        ({"side": "RU", "posture": "-2"}, ["ukraine"]),
        ({"leader": "john-bolton"}, ["ukraine", "election-meddling", "syria-and-iran"]),
        # Combined on one position: Bolton's cooperative stance is only on Syria.
        ({"leader": "john-bolton", "posture": "1"}, ["syria-and-iran"]),
        ({"leader": "mike-pence", "topic": "ukraine"}, []),
        (
            {"meeting": "trump-putin-g20-2018", "side": "US", "posture": "0"},
            ["ukraine", "election-meddling"],
        ),
        # Dates compare as intervals: early October meets the positions "before the
        # article, undated" and "last month", not "late October" or "this week".
        (
            {"date_from": "2018-10-01", "date_to": "2018-10-15"},
            ["arms-control", "election-meddling", "syria-and-iran"],
        ),
        ({"q": "New START"}, ["arms-control"]),
        ({"q": "sanctions relief", "side": "US"}, ["ukraine"]),
    ],
)
def test_filters_combine(client, demo, query, expected):
    response = client.get("/issues/", query)
    assert response.status_code == 200
    assert result_slugs(response) == expected


def test_matched_positions_are_listed_under_each_issue(client, demo):
    response = client.get("/issues/", {"leader": "john-bolton", "posture": "1"})
    (result,) = response.context["results"]
    assert [p.summary[:28] for p in result.matched] == ["Says his meetings in Moscow "]
    assert result.matched_count == 1
    assert "1 position" in response.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client, demo):
    response = client.get("/issues/", {"side": "RU"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.strip().startswith('<section id="results"')
    assert "HX-Request" in response["Vary"]


def test_plain_request_gets_the_whole_page_with_the_same_results(client, demo):
    response = client.get("/issues/", {"side": "RU"})
    body = response.content.decode()
    assert "<html" in body and 'id="results"' in body
    assert '<option value="RU" selected>' in body


def test_empty_state(client, demo):
    body = client.get("/issues/", {"q": "no such words anywhere"}).content.decode()
    assert "No issue matches these filters" in body
    assert "0 issues match" in body


def test_pagination_keeps_the_filters(client, demo):
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
def test_odd_input_gives_a_page_not_an_error(client, demo, query):
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
def test_invalid_filter_values_are_a_400_with_a_message(client, demo, query, message):
    response = client.get("/issues/", query)
    assert response.status_code == 400
    assert message in response.content.decode()
