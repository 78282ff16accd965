"""Downloads for researchers: positions as CSV and JSON with the browse filters, an issue
as its dossier file, citation files, and "Cite this page" offering them."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.test import Client

from issues.dossier.write import dossier_import
from issues.models import Country, Issue, Source
from tests import factories

pytestmark = pytest.mark.django_db

SYNTHETIC = Path(__file__).with_name("dossiers") / "synthetic.yaml"


@pytest.fixture
def dossier(db):
    dossier_import(SYNTHETIC.read_bytes())
    issue = Issue.objects.get(slug="synthetic-water-rights")
    factories.PositionFactory(
        issue=issue,
        country=Country.objects.get(code="XA"),
        summary="SECRET draft position",
        status="draft",
    )
    return issue


def test_positions_csv_is_utf8_with_bom_and_filtered_like_browse(client, dossier):
    response = client.get("/positions.csv?side=XB")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["summary"] for row in rows] == ["Examplia offers a synthetic joint commission."]
    assert rows[0]["stated_on_precision"] == "month"


def test_positions_json_keeps_drafts_from_readers(editor_client, dossier):
    readers = json.loads(Client().get("/positions.json").content)["positions"]
    assert len(readers) == 2
    assert "SECRET" not in json.dumps(readers)
    editors = json.loads(editor_client.get("/positions.json").content)["positions"]
    assert len(editors) == 3


def test_bad_filters_are_400_not_500(client, dossier):
    assert client.get("/positions.csv?posture=9").status_code == 400
    assert client.get("/positions.json?date_from=yesterday").status_code == 400


def test_one_issues_positions(client, dossier):
    other = factories.IssueFactory(status="published")
    factories.PositionFactory(issue=other)
    rows = json.loads(client.get(f"/positions.json?issue={dossier.slug}").content)["positions"]
    assert {row["issue"] for row in rows} == {dossier.slug}


def test_an_issue_as_its_dossier_file_imports_back(client, dossier):
    text = client.get("/issues/synthetic-water-rights/dossier.yaml").content.decode()
    document = yaml.safe_load(text)
    assert [i["slug"] for i in document["issues"]] == ["synthetic-water-rights"]
    assert "SECRET" not in text
    as_json = json.loads(client.get("/issues/synthetic-water-rights/dossier.json").content)
    assert as_json == document
    assert client.get("/issues/synthetic-draft-issue/dossier.yaml").status_code == 404
    assert not dossier_import(text.encode()).wrote_anything


def test_a_source_as_bibtex_ris_and_csl_json(client, dossier):
    source = Source.objects.get(url="https://example.org/synthetic/report")
    bib = client.get(f"/sources/{source.pk}/cite.bib").content.decode()
    assert bib.startswith(f"@techreport{{source{source.pk},")
    assert "title = {{A synthetic report for tests}}" in bib
    assert "url = {https://example.org/synthetic/report}" in bib
    ris = client.get(f"/sources/{source.pk}/cite.ris").content.decode()
    assert ris.startswith("TY  - RPRT\r\n") and ris.endswith("ER  - \r\n")
    assert "DA  - 2020/02/01" in ris
    csl = json.loads(client.get(f"/sources/{source.pk}/cite.json").content)
    assert csl[0]["type"] == "report"
    assert csl[0]["issued"] == {"date-parts": [[2020, 2, 1]]}
    draft = factories.SourceFactory(status="draft")
    assert client.get(f"/sources/{draft.pk}/cite.bib").status_code == 404
    assert client.get(f"/sources/{source.pk}/cite.doc").status_code == 404


def test_bibtex_escapes_what_would_break_it():
    from issues.citations import bibtex, source_reference

    source = factories.SourceFactory.build(pk=9, title="50% of {braces} & more")
    assert "title = {{50\\% of \\{braces\\} \\& more}}" in bibtex(source_reference(source))


def test_cite_this_page_offers_the_downloads_with_a_copy_button(client, dossier):
    page = client.get("/issues/synthetic-water-rights/").content.decode()
    assert 'data-copy="citation-text"' in page
    for url in (
        "/issues/synthetic-water-rights/cite.bib",
        "/issues/synthetic-water-rights/cite.ris",
        "/issues/synthetic-water-rights/cite.json",
        "/issues/synthetic-water-rights/dossier.yaml",
        "/positions.csv?issue=synthetic-water-rights",
    ):
        assert url in page
    assert "js/copy.js" in page and "<script>" not in page
    bib = client.get("/issues/synthetic-water-rights/cite.bib").content.decode()
    assert bib.startswith("@online{dossier-synthetic-water-rights,")
    assert "http://testserver/issues/synthetic-water-rights/" in bib


def test_browse_links_downloads_with_its_filters(client, dossier):
    page = client.get("/issues/?side=XB").content.decode()
    assert "/positions.csv?side=XB" in page and "/positions.json?side=XB" in page


def test_a_download_matches_dates_by_interval_as_browse_does(client, dossier):
    """A position dated "November 2018" overlaps a filter from 15 November: browse lists it,
    so the download of that browse page must hold it too."""
    factories.PositionFactory(
        issue=dossier,
        country=Country.objects.get(code="XA"),
        summary="Stated some time in November",
        stated_on=date(2018, 11, 1),
        stated_on_precision="month",
    )
    query = "date_from=2018-11-15&date_to=2018-11-20"
    assert "Stated some time in November" in client.get(f"/issues/?{query}").content.decode()
    assert "Stated some time in November" in client.get(f"/positions.csv?{query}").content.decode()
