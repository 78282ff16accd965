"""A leader's name in native script carries its own language tag, which the pages give as
`lang`; a country's code is no language (Ukraine is UA, its language uk)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from issues.dossier.export import dossier_export
from issues.dossier.write import dossier_import
from issues.models import Leader
from tests import factories
from tests.test_dossier_files import as_bytes, problems_of, synthetic

pytestmark = pytest.mark.django_db


def native_span(page: str) -> str:
    start = page.index('<span class="native"')
    return page[start : page.index(">", start) + 1]


def test_the_leader_page_marks_the_native_name_in_its_language(client):
    leader = factories.LeaderFactory(
        native_name="Володимир", native_name_lang="uk", country=factories.CountryFactory(code="UA")
    )
    page = client.get(leader.get_absolute_url()).content.decode()
    assert native_span(page) == '<span class="native" lang="uk">'
    listing = client.get("/leaders/").content.decode()
    assert '<span lang="uk">(Володимир)</span>' in listing
    assert 'lang="ua"' not in page + listing


def test_a_native_name_of_no_known_language_is_not_given_the_countrys_code(client):
    argentina = factories.CountryFactory(code="AR")
    leader = factories.LeaderFactory(native_name="Nomen", country=argentina)
    page = client.get(leader.get_absolute_url()).content.decode()
    assert native_span(page) == '<span class="native">'
    assert 'lang="ar"' not in page


@pytest.mark.parametrize("tag", ["RU", "Russian", "ru_RU", "r"])
def test_a_tag_that_is_no_language_tag_is_refused_by_the_database(tag):
    leader = factories.LeaderFactory()
    with pytest.raises(ValidationError, match="language tag"):
        Leader(name="X", slug="x", country=leader.country, native_name_lang=tag).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Leader.objects.filter(pk=leader.pk).update(native_name_lang=tag)


def test_the_dossier_file_carries_the_tag_and_refuses_a_bad_one():
    document = synthetic()
    document["leaders"][0].update(native_name="Lídr A", native_name_lang="cs")
    dossier_import(as_bytes(document))
    assert Leader.objects.get(slug="synthetic-leader-a").native_name_lang == "cs"
    exported = dossier_export(everything=True, include_drafts=True)
    leader = next(item for item in exported["leaders"] if item["slug"] == "synthetic-leader-a")
    assert leader["native_name_lang"] == "cs"

    document["leaders"][1]["native_name_lang"] = "Testish"
    assert any(p.startswith("leaders[1]") and "language tag" in p for p in problems_of(document))


def test_the_api_gives_the_tag(client):
    leader = factories.LeaderFactory(native_name="Nomen", native_name_lang="la")
    body = client.get(f"/api/leaders/{leader.slug}").json()
    assert body["native_name_lang"] == "la"
