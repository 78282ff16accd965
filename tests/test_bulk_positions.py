"""Several positions in one submission: all saved through the services, or none."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from issues.models import Country, Position, PublicationStatus, Source
from issues.selectors import SOURCE_CHOICES_LIMIT, source_label
from tests import factories

pytestmark = pytest.mark.django_db

ISSUE = "/issues/harbour-rights/"  # of `tests/dossiers/editing.yaml`
URL = f"{ISSUE}positions/add/"
SIDE, OTHER_SIDE = "XA", "XB"  # the issue's sides


def row(**changes) -> dict:
    values = {
        "country": Country.objects.get(code=SIDE).pk,
        "leader": "",
        "attribution": "Testland officials",
        "kind": "rhetoric",
        "posture": "-1",
        "summary": "A batch position.",
        "stated_on": "2024-02-26",
        "stated_on_precision": "day",
        "source": Source.objects.first().pk,
        "source_query": "",
        "locator": "para. 3",
    }
    return {**values, **changes}


def batch(*rows: dict, total: int | None = None, **extra) -> dict:
    total = len(rows) if total is None else total
    data = {
        "positions-TOTAL_FORMS": str(total),
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "20",
        "note": "",
        "action": "publish",
        **extra,
    }
    for index, values in enumerate(rows):
        data.update({f"positions-{index}-{name}": value for name, value in values.items()})
    return data


def test_the_page_offers_three_rows_and_more_on_request(editor_client, editing_dossier):
    page = editor_client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="positions-TOTAL_FORMS" value="3"' in html
    assert "Position 3" in html and "Position 4" not in html
    assert f'href="{URL}?rows=6"' in html
    six = editor_client.get(URL + "?rows=6").content.decode()
    assert 'name="positions-TOTAL_FORMS" value="6"' in six
    most = editor_client.get(URL + "?rows=999").content.decode()
    assert 'name="positions-TOTAL_FORMS" value="20"' in most


def test_the_issue_page_links_to_it(editor_client, editing_dossier):
    assert f'href="{URL}"' in editor_client.get(ISSUE).content.decode()


def test_three_positions_are_saved_in_one_submission_with_a_revision_each(
    editor_client, editor, editing_dossier
):
    before = Position.objects.count()
    data = batch(
        row(summary="First."),
        row(summary="Second.", posture="1"),
        row(summary="Third.", country=Country.objects.get(code=OTHER_SIDE).pk, attribution="Port"),
        {},  # an empty row is ignored
        total=4,
        note="from the briefing",
    )

    response = editor_client.post(URL, data)

    assert response.status_code == 302
    assert response["Location"] == f"{ISSUE}#positions"
    added = Position.objects.filter(summary__in=["First.", "Second.", "Third."])
    assert Position.objects.count() == before + 3
    for position in added:
        assert position.status == PublicationStatus.PUBLISHED
        (revision,) = position.history.all()
        assert (revision.history_user, revision.history_change_reason) == (
            editor,
            "from the briefing",
        )


def test_a_batch_saved_as_drafts_stays_out_of_readers_sight(editor_client, editing_dossier):
    editor_client.post(URL, batch(row(summary="Drafted batch position."), action="draft"))

    assert Position.objects.get(summary="Drafted batch position.").status == "draft"
    anonymous = Client()
    assert "Drafted batch position." not in anonymous.get(ISSUE).content.decode()


def test_one_bad_row_saves_nothing_and_says_which(editor_client, editing_dossier):
    before = Position.objects.count()
    data = batch(row(summary="Good one."), row(summary="x" * 20_000), row(summary=""))

    response = editor_client.post(URL, data)

    assert response.status_code == 422
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert "at most 2000 characters" in formset.forms[1].errors["summary"][0]
    assert formset.forms[2].errors["summary"] == ["This field is required."]
    assert "Nothing was saved" in response.content.decode()
    assert Position.objects.count() == before


def test_a_row_the_database_refuses_rolls_back_the_rows_before_it(editor_client, editing_dossier):
    """The model's own rule (a leader of the other side) is checked as each row is saved:
    the rows saved before it are undone with it."""
    stranger = factories.LeaderFactory(
        name="Bo Stranger", country=Country.objects.get(code=OTHER_SIDE)
    )
    before = Position.objects.count()
    data = batch(row(summary="Saved, then undone."), row(summary="Wrong side.", leader=stranger.pk))

    response = editor_client.post(URL, data)

    assert response.status_code == 422
    assert response.context["formset"].forms[1].errors
    assert Position.objects.count() == before
    assert not Position.objects.filter(summary="Saved, then undone.").exists()


def test_an_empty_batch_is_refused(editor_client, editing_dossier):
    response = editor_client.post(URL, batch({}, {}, total=2))
    assert response.status_code == 422
    assert "Fill in at least one position." in response.content.decode()


def test_more_rows_than_allowed_are_refused(editor_client, editing_dossier):
    response = editor_client.post(URL, batch(*[row()] * 21))
    assert response.status_code == 422


def test_a_source_is_found_by_typing_without_javascript(editor_client, editing_dossier):
    wanted = factories.SourceFactory(title="Quayside readout", publisher="Port office")
    response = editor_client.post(URL, batch(row(source="", source_query="quayside readout")))

    assert response.status_code == 302
    assert Position.objects.get(summary="A batch position.").source == wanted


def test_a_typed_source_matching_several_offers_just_those(editor_client, editing_dossier):
    factories.SourceFactory(title="Readout", publisher="Port office", published_on="2024-02-26")
    factories.SourceFactory(title="Readout", publisher="Pier office", published_on="2024-03-01")

    response = editor_client.post(URL, batch(row(source="", source_query="readout")))

    assert response.status_code == 422
    html = response.content.decode()
    assert "2 sources match “readout”: choose one." in html
    assert "Readout · Port office · 2024-02-26" in html
    assert "Readout · Pier office · 2024-03-01" in html


def test_a_typed_source_matching_none_says_so(editor_client, editing_dossier):
    response = editor_client.post(URL, batch(row(source="", source_query="no such thing")))
    assert response.status_code == 422
    assert "No source matches “no such thing”." in response.content.decode()


def test_a_row_without_a_source_says_so(editor_client, editing_dossier):
    response = editor_client.post(URL, batch(row(source="")))
    assert response.status_code == 422
    assert "Choose the source of this position." in response.content.decode()


def test_the_source_suggestions_are_bounded_and_labelled(editor_client, editing_dossier):
    for n in range(SOURCE_CHOICES_LIMIT + 5):
        factories.SourceFactory(title=f"Briefing {n:03}", publisher="Port office")

    response = editor_client.get(
        "/edit/sources/options/", {"row": "2", "positions-2-source_query": "briefing"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="positions-2-source"' in html
    assert html.count("<option") == SOURCE_CHOICES_LIMIT + 1
    assert "Briefing 000 · Port office" in html


def test_the_suggestions_refuse_an_unknown_row(editor_client, editing_dossier):
    assert editor_client.get("/edit/sources/options/", {"row": "x"}).status_code == 400
    assert editor_client.get("/edit/sources/options/", {"row": "99"}).status_code == 400


def test_a_chosen_source_outside_the_first_offered_stays_chosen(editor_client, editing_dossier):
    for n in range(SOURCE_CHOICES_LIMIT + 5):
        factories.SourceFactory(title=f"A briefing {n:03}")
    late = factories.SourceFactory(title="Zz last source")

    response = editor_client.post(URL, batch(row(source=late.pk, summary="")))

    assert response.status_code == 422
    assert f'<option value="{late.pk}" selected>{source_label(late)}</option>' in (
        response.content.decode()
    )


@pytest.mark.parametrize("rows", [3, 20])
def test_the_page_costs_the_same_queries_whatever_the_rows(editor_client, editing_dossier, rows):
    for n in range(30):
        factories.SourceFactory(title=f"Source {n}")
    editor_client.get(URL)  # the session and permissions read once
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(f"{URL}?rows={rows}").status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_readers_and_anonymous_visitors_cannot_add(client, reader, editing_dossier):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={URL}")
    assert client.post(URL, batch(row())).status_code == 403
    client.force_login(reader)
    assert client.post(URL, batch(row())).status_code == 403
