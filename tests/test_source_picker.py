"""The single position form picks its source like the bulk form: a short list narrowed by
typing, words typed resolved without JavaScript, labels that tell similar sources apart;
and neither form's cost grows with the number of sources."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from issues.forms import PositionEditForm, source_choices
from issues.models import Position, Source
from issues.selectors import SOURCE_CHOICES_LIMIT, source_label
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def issue():
    issue = factories.IssueFactory(slug="tariffs")
    issue.sides.set([factories.CountryFactory(code="US")])
    return issue


def add_url(issue) -> str:
    return f"/issues/{issue.slug}/positions/new/"


def position_data(**changes) -> dict:
    data = {
        "country": factories.CountryFactory(code="US").pk,
        "leader": "",
        "attribution": "U.S. officials",
        "kind": "rhetoric",
        "posture": "-1",
        "summary": "Tariffs stay.",
        "quote": "",
        "stated_on": "2018-11-26",
        "stated_on_precision": "day",
        "source": "",
        "source_query": "",
        "locator": "para. 3",
        "version": "",
        "note": "",
        "action": "publish",
    }
    return {**data, **changes}


def many_sources(count: int) -> None:
    Source.objects.bulk_create(
        Source(title=f"Briefing {n:03}", publisher="State Department") for n in range(count)
    )


def options(html: str, name: str = "source") -> int:
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return select.count("<option")


@pytest.mark.parametrize("count", [5, SOURCE_CHOICES_LIMIT + 30])
def test_the_form_offers_a_short_list_whatever_the_sources(editor_client, issue, count):
    many_sources(count)
    html = editor_client.get(add_url(issue), headers=HTMX).content.decode()
    assert options(html) == min(count, SOURCE_CHOICES_LIMIT) + 1  # and "---------"
    assert 'type="search" name="source_query"' in html
    assert 'data-hx-get="/edit/sources/"' in html


def queries_of_the_form(client, url: str) -> int:
    client.get(url, headers=HTMX)  # the session and permissions read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=HTMX).status_code == 200
    return len(queries)


def test_the_forms_cost_does_not_grow_with_the_sources(editor_client, issue):
    position = factories.PositionFactory(issue=issue)
    edit_url = f"/issues/{issue.slug}/positions/{position.pk}/edit/"
    few = (
        queries_of_the_form(editor_client, add_url(issue)),
        queries_of_the_form(editor_client, edit_url),
    )
    many_sources(SOURCE_CHOICES_LIMIT * 3)
    many = (
        queries_of_the_form(editor_client, add_url(issue)),
        queries_of_the_form(editor_client, edit_url),
    )
    assert few == many


def test_the_positions_own_source_is_offered_and_chosen_even_if_late(editor_client, issue):
    many_sources(SOURCE_CHOICES_LIMIT + 5)
    late = factories.SourceFactory(title="Zz last source", publisher="Kremlin")
    position = factories.PositionFactory(issue=issue, source=late)
    url = f"/issues/{issue.slug}/positions/{position.pk}/edit/"
    html = editor_client.get(url, headers=HTMX).content.decode()
    assert f'<option value="{late.pk}" selected>{source_label(late)}</option>' in html
    assert options(html) == SOURCE_CHOICES_LIMIT + 2


def test_words_naming_one_source_pick_it_without_javascript(editor_client, issue):
    wanted = factories.SourceFactory(title="Kremlin readout", publisher="Kremlin")
    factories.SourceFactory(title="White House statement")
    response = editor_client.post(add_url(issue), position_data(source_query="kremlin readout"))
    assert response.status_code == 302
    assert Position.objects.get(summary="Tariffs stay.").source == wanted


def test_words_naming_several_sources_offer_just_those(editor_client, issue):
    many_sources(10)
    factories.SourceFactory(title="Readout", publisher="Kremlin")
    factories.SourceFactory(title="Readout", publisher="White House")
    response = editor_client.post(add_url(issue), position_data(source_query="readout"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "2 sources match “readout”: choose one." in html
    assert options(html) == 3 and "Choose one of the matches" in html
    assert "Readout · Kremlin" in html and "Briefing 000" not in html
    assert not Position.objects.exists()


def test_words_naming_no_source_say_so(editor_client, issue):
    response = editor_client.post(add_url(issue), position_data(source_query="no such thing"))
    assert response.status_code == 422
    assert "No source matches “no such thing”." in response.content.decode()


def test_sources_that_read_the_same_are_told_apart(db):
    day = date(2018, 11, 26)
    wire = factories.SourceFactory(
        title="Readout", publisher="Reuters", published_on=day, url="https://a.example/1"
    )
    again = factories.SourceFactory(
        title="Readout", publisher="Reuters", published_on=day, url="https://b.example/2"
    )
    unlinked = factories.SourceFactory(title="Readout", publisher="Reuters", published_on=day)
    other = factories.SourceFactory(title="Statement", publisher="Reuters", published_on=day)
    labels = dict(source_choices([wire, again, unlinked, other]))
    assert labels[wire.pk] == "Readout · Reuters · 2018-11-26 · a.example/1"
    assert labels[again.pk] == "Readout · Reuters · 2018-11-26 · b.example/2"
    assert labels[unlinked.pk] == f"Readout · Reuters · 2018-11-26 · no. {unlinked.pk}"
    assert labels[other.pk] == "Statement · Reuters · 2018-11-26"


def test_typing_narrows_the_single_forms_list(editor_client, issue):
    many_sources(SOURCE_CHOICES_LIMIT + 5)
    factories.SourceFactory(title="Kremlin readout")
    response = editor_client.get("/edit/sources/", {"source_query": "kremlin"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<select name="source" id="id_source">' in html
    assert options(html) == 2 and "Kremlin readout" in html
    empty = editor_client.get("/edit/sources/", {"source_query": "nothing"}).content.decode()
    assert "No source matches “nothing”: add it as a new source below." in empty


def test_a_new_source_with_an_address_already_used_is_refused_beside_the_field(
    editor_client, issue
):
    factories.SourceFactory(url="https://example.org/statement")
    data = position_data(
        new_source_title="Statement", new_source_url="https://example.org/statement"
    )
    response = editor_client.post(add_url(issue), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_new_source_url_error"' in html
    assert "“Source" in html and "already has this URL: search for it above." in html
    assert not Position.objects.exists() and Source.objects.count() == 1


def test_the_form_reads_the_offered_sources_once():
    many_sources(3)
    with CaptureQueriesContext(connection) as queries:
        form = PositionEditForm()
    assert len(queries) == 1
    assert len(form.fields["source"].choices) == 4


def test_sources_that_read_the_same_cost_no_more_queries(editor_client, issue):
    for n in range(10):
        factories.SourceFactory(title="Readout", publisher="Reuters", url=f"https://e.org/{n}")
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get("/edit/sources/", {"source_query": "readout"}).content.decode()
    assert "Readout · Reuters · e.org/9" in html
    assert len(queries) <= 5  # the session, the user, the permissions and the sources
