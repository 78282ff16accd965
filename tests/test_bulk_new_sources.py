"""A row of the bulk form may name a new source (title and URL): it is saved with the
rows in one transaction, or nothing is; its problems are shown on its row."""

import pytest
from django.core.exceptions import ValidationError

from issues import services
from issues.models import Position, PublicationStatus, Source
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/issues/tariffs/positions/add/"


@pytest.fixture
def existing() -> Source:
    issue = factories.IssueFactory(slug="tariffs")
    issue.sides.set([factories.CountryFactory(code="US")])
    return factories.SourceFactory(title="Existing briefing")


def row(**changes) -> dict:
    values = {
        "country": factories.CountryFactory(code="US").pk,
        "leader": "",
        "attribution": "U.S. officials",
        "kind": "rhetoric",
        "posture": "-1",
        "summary": "A batch position.",
        "stated_on": "2018-11-26",
        "stated_on_precision": "day",
        "source": "",
        "source_query": "",
        "new_source_title": "",
        "new_source_publisher": "",
        "new_source_url": "",
        "locator": "para. 3",
    }
    return {**values, **changes}


def batch(*rows: dict, action: str = "publish") -> dict:
    data = {
        "positions-TOTAL_FORMS": str(len(rows)),
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "20",
        "note": "",
        "action": action,
    }
    for index, values in enumerate(rows):
        data.update({f"positions-{index}-{name}": value for name, value in values.items()})
    return data


def new_source(title: str, url: str, **changes) -> dict:
    return row(new_source_title=title, new_source_url=url, **changes)


def test_the_rows_offer_a_new_source(editor_client, existing):
    html = editor_client.get(URL).content.decode()
    assert 'name="positions-0-new_source_title"' in html
    assert 'name="positions-0-new_source_url"' in html
    assert 'data-hx-get="/edit/sources/options/?row=2"' in html


def test_a_row_with_a_new_source_saves_both(editor_client, existing):
    data = batch(
        row(source=existing.pk, summary="Cites the briefing."),
        new_source("Kremlin readout", "https://example.org/readout", summary="Cites a new one."),
    )
    response = editor_client.post(URL, data)
    assert response.status_code == 302
    created = Source.objects.get(title="Kremlin readout")
    assert created.url == "https://example.org/readout"
    assert created.status == PublicationStatus.PUBLISHED
    assert Position.objects.get(summary="Cites a new one.").source == created
    assert Position.objects.get(summary="Cites the briefing.").source == existing


def test_a_new_source_of_drafts_stays_private(editor_client, existing):
    data = batch(new_source("Draft readout", "https://example.org/draft"), action="draft")
    assert editor_client.post(URL, data).status_code == 302
    assert Source.objects.get(title="Draft readout").status == PublicationStatus.DRAFT


def test_a_bad_new_source_is_shown_on_its_row_and_nothing_is_saved(editor_client, existing):
    data = batch(
        new_source("Fine readout", "https://example.org/fine"),
        new_source("Broken", "not an address"),
    )
    response = editor_client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_positions-1-new_source_url_error"' in html
    assert 'id="id_positions-0-new_source_url_error"' not in html
    assert not Source.objects.exclude(pk=existing.pk).exists()
    assert not Position.objects.exists()


def test_two_rows_adding_the_same_address_save_nothing(editor_client, existing):
    data = batch(
        new_source("Readout", "https://example.org/same", summary="First."),
        new_source("Readout again", "https://example.org/same", summary="Second."),
    )
    response = editor_client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Another source already has this URL." in html
    assert 'id="row-1"' in html.split("Another source already has this URL.")[0]
    assert not Source.objects.filter(url="https://example.org/same").exists()
    assert not Position.objects.exists()


def test_a_row_refused_at_saving_takes_its_new_source_back(editor_client, existing, monkeypatch):
    """The second row is refused only as it is saved (as a rule of the database would):
    the first row's new source and position, saved in the transaction, are rolled back."""
    saving = services.record_create

    def refuse_the_second(*, record, editor, edit):
        if Position.objects.exists():
            raise ValidationError({"summary": "Refused by the database."})
        return saving(record=record, editor=editor, edit=edit)

    monkeypatch.setattr(services, "record_create", refuse_the_second)
    data = batch(
        new_source("Rolled back", "https://example.org/rolled", summary="First."),
        row(source=existing.pk, summary="Second."),
    )
    response = editor_client.post(URL, data)
    assert response.status_code == 422
    assert "Refused by the database." in response.content.decode()
    assert not Source.objects.filter(title="Rolled back").exists()
    assert not Position.objects.exists()


def test_a_row_both_choosing_and_adding_a_source_is_refused(editor_client, existing):
    data = batch(new_source("Both", "https://example.org/both", source=existing.pk))
    response = editor_client.post(URL, data)
    assert response.status_code == 422
    assert "Choose an existing source or add a new one, not both." in response.content.decode()
    assert not Source.objects.filter(title="Both").exists()
