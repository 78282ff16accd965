"""Addresses made from names: transliterated, and a name with nothing to make one from asks
for a slug in words."""

import pytest
from django.db import IntegrityError
from django.utils.html import escape

from issues.models import Issue, Leader, Topic
from issues.slugs import no_letters_message, slug_from
from tests import factories
from tests.test_admin import admin_url, form_errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Trump–Putin", "trump-putin"),
        ("Владимир Путин", "vladimir-putin"),
        ("Çavuşoğlu", "cavusoglu"),
        ("G20: Buenos Aires 2018", "g20-buenos-aires-2018"),
        ("🎉🕊️", ""),
    ],
)
def test_a_slug_is_made_in_latin_letters(text, slug):
    assert slug_from(text, 150) == slug


def test_a_long_name_is_cut_at_a_word():
    assert slug_from("arms control negotiations", 16) == "arms-control"


def _new_issue(editor_client, admin_form, title: str, slug: str = "") -> tuple[str, dict]:
    url = admin_url(Issue, "add")
    data = admin_form(editor_client, url)
    data.update(title=title, slug=slug, summary="Tariffs and sanctions.", status="draft")
    return url, data


def test_an_issue_left_without_a_slug_gets_one_from_its_title(editor_client, admin_form):
    url, data = _new_issue(editor_client, admin_form, "Trump–Putin")

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert Issue.objects.get().slug == "trump-putin"


def test_a_leader_in_cyrillic_gets_a_latin_slug(editor_client, admin_form):
    url = admin_url(Leader, "add")
    data = admin_form(editor_client, url)
    country = factories.CountryFactory(code="RU", name="Russia")
    data.update(name="Сергей Лавров", slug="", country=str(country.pk))

    response = editor_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    assert Leader.objects.get().slug == "sergei-lavrov"


def test_a_slug_given_is_kept(editor_client, admin_form):
    url, data = _new_issue(editor_client, admin_form, "Trump–Putin", slug="meeting")

    assert editor_client.post(url, data).status_code == 302
    assert Issue.objects.get().slug == "meeting"


def test_a_name_without_letters_asks_for_a_slug(editor_client, admin_form):
    url = admin_url(Topic, "add")
    data = admin_form(editor_client, url)
    data.update(name="🎉🕊️", slug="")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert form_errors(response) == {"slug": [no_letters_message("🎉🕊️")]}
    assert escape("has no letters or digits to make an address from; enter a slug") in (
        response.content.decode()
    )
    assert "This field is required" not in response.content.decode()
    assert not Topic.objects.exists()


def test_the_same_slug_saved_twice_at_once_answers_409(editor_client, admin_form, monkeypatch):
    """Two editors add "Trade" at the same moment: both forms pass the uniqueness check,
    the second insert breaks the constraint. Simulated by letting the check pass."""
    factories.IssueFactory(title="Trade", slug="trade")
    url, data = _new_issue(editor_client, admin_form, "Trade")
    monkeypatch.setattr(Issue, "validate_unique", lambda self, exclude=None: None)

    response = editor_client.post(url, data)

    assert response.status_code == 409
    assert "saved while you were filling in this form" in response.content.decode()
    assert Issue.objects.filter(slug="trade").count() == 1


def test_the_database_holds_the_slug_unique():
    factories.IssueFactory(slug="trade")
    with pytest.raises(IntegrityError):
        factories.IssueFactory(slug="trade")
