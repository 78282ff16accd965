"""Limits on everything: every text field has a maximum in the database and the forms, the
request body is bounded, and malformed input is a 4xx or a form message, never a 500."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from issues.models import Draft, OutlookAssessment, Position
from tests import factories
from tests.test_editing import assessment_data, position_data

pytestmark = pytest.mark.django_db

OUTLOOK_EDIT = "/issues/fisheries/outlook/the-bilateral/edit/"  # of `one_outlook`
NEW_POSITION = "/issues/fisheries/positions/new/"


def text_fields():
    for model in apps.get_app_config("issues").get_models():
        if model._meta.model_name.startswith("historical"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField)) and field.concrete:
                yield model, field


def test_every_text_field_has_a_maximum():
    unbounded = [f"{m.__name__}.{f.name}" for m, f in text_fields() if not f.max_length]
    assert unbounded == []


def test_every_long_text_field_has_its_maximum_in_the_database():
    """A TextField's max_length is a form rule only; a check constraint holds it in the
    database. (CharFields are varchar(max_length) on PostgreSQL.)"""
    for model, field in text_fields():
        if isinstance(field, models.TextField) and not isinstance(field, models.CharField):
            names = {c.name for c in model._meta.constraints}
            assert f"_{field.name}_max_length" in " ".join(names), f"{model.__name__}.{field.name}"


def test_the_database_refuses_an_over_long_text_past_the_forms(one_outlook):
    position = Position.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.filter(pk=position.pk).update(summary="x" * 2001)


def test_a_20000_character_position_summary_is_refused_with_a_message(editor_client, one_outlook):
    before = Position.objects.count()
    response = editor_client.post(NEW_POSITION, position_data(summary="x" * 20_000))
    assert response.status_code in (400, 422)
    assert "at most 2000 characters" in response.content.decode()
    assert Position.objects.count() == before


@pytest.mark.parametrize("length", [101, 150, 200])
def test_an_edit_note_of_up_to_200_characters_is_kept_with_the_revision(
    editor_client, one_outlook, length
):
    assessment = one_outlook
    note = "n" * length
    response = editor_client.post(OUTLOOK_EDIT, assessment_data(assessment, note=note))
    assert response.status_code in (200, 302)
    assert assessment.history.latest().history_change_reason == note


def test_a_longer_edit_note_is_a_form_message(editor_client, one_outlook):
    assessment = one_outlook
    version = assessment.version
    response = editor_client.post(OUTLOOK_EDIT, assessment_data(assessment, note="n" * 201))
    assert response.status_code in (400, 422)
    assert "at most 200 characters" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.version == version


def test_a_draft_note_of_200_characters_publishes(editor_client, one_outlook):
    assessment = one_outlook
    editor_client.post(OUTLOOK_EDIT, assessment_data(assessment, note="d" * 200, action="draft"))
    draft = Draft.objects.get()
    assert draft.note == "d" * 200
    response = editor_client.post(f"/drafts/{draft.pk}/publish/")
    assert response.status_code == 302
    assert assessment.history.latest().history_change_reason == "d" * 200


def test_publishing_a_draft_whose_record_was_deleted_says_why(editor_client, one_outlook):
    assessment = one_outlook
    editor_client.post(OUTLOOK_EDIT, assessment_data(assessment, action="draft"))
    draft = Draft.objects.get()
    OutlookAssessment.objects.filter(pk=assessment.pk).delete()
    response = editor_client.post(f"/drafts/{draft.pk}/publish/", follow=True)
    assert response.status_code == 200
    assert "has been deleted since" in response.content.decode()
    assert Draft.objects.filter(pk=draft.pk).exists()
    assert editor_client.post(f"/drafts/{draft.pk}/discard/").status_code == 302
    assert not Draft.objects.exists()


def test_a_request_body_over_the_limit_is_refused(editor_client, one_outlook, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    editor_client.raise_request_exception = False
    response = editor_client.post(NEW_POSITION, position_data(summary="x" * 100_000))
    assert response.status_code == 400


def test_a_body_with_too_many_fields_is_refused(editor_client, one_outlook):
    editor_client.raise_request_exception = False
    data = {f"field{number}": "x" for number in range(2500)}
    assert editor_client.post("/edit/preview/", data).status_code == 400


HOSTILE_EDITOR_URLS = [
    "/edit/sources/?source_query=%00",
    "/edit/sources/?source_query=" + "x" * 5000,
    "/edit/sources/?source_query=%FF%FE",
    "/admin/issues/position/?q=%00",
    "/admin/issues/position/?stated_on__gte=99999-01-01",
    "/admin/issues/position/?stated_on__year=99999999999",
    "/admin/issues/position/?stated_on__year=2018&stated_on__month=13",
    "/admin/issues/source/?published_on__year=-1",
    "/admin/issues/source/?published_on__year=%00",
    "/admin/issues/event/?occurred_on__year=1e9",
    "/admin/issues/source/?kind__exact=%00",
    "/admin/issues/issue/?status__exact=%00",
    "/admin/issues/outlookassessment/?effect__exact=99999999999999999999",
    "/admin/issues/scenario/?likelihood__exact=abc",
    "/admin/issues/leader/?country__id__exact=%00",
    "/admin/issues/leader/?country__id__exact=99999999999999999999999",
    "/admin/issues/issue/?o=999",
    "/admin/issues/issue/?p=99999999999999",
    "/admin/issues/issue/99999999999999999999999/change/",
    "/admin/issues/issue/%00/change/",
    "/issues/fisheries/?as_of=99999-01-01",
    "/issues/fisheries/?as_of=%00",
    "/issues/?date_from=99999-01-01",
    "/issues/?date_from=0000-00-00&q=%00",
    "/search/?q=%00",
    "/search/?q=" + "x" * 100_000,
    "/compare/?a=%00&b=" + "y" * 5000,
    "/sources/99999999999999999999999/",
]


@pytest.mark.parametrize("url", HOSTILE_EDITOR_URLS)
def test_hostile_addresses_are_4xx_never_500(client, one_outlook, superuser, url):
    client.force_login(superuser)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)


def test_a_nul_byte_in_the_query_string_is_dropped(client, one_outlook):
    client.raise_request_exception = False
    response = client.get("/search/?q=a%00b")
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text limits")
def test_the_longest_texts_stay_under_postgresqls_full_text_limit(one_outlook):
    """A tsvector holds at most 1 MB; the longest issue the limits allow is far below it."""
    issue = factories.IssueFactory(
        slug="long", summary="word " * 200, background=" ".join(f"w{n}" for n in range(3300))
    )
    issue.save()
    assert issue.pk
