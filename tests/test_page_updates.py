"""An in-place save answers with what else on the page changed: the editor bar's count of
drafts and the numbered sources list, swapped out of band."""

import re

import pytest

from issues.models import OutlookAssessment, Position, Source

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ISSUE = "/issues/harbour-rights/"  # of `tests/dossiers/editing.yaml`
OUTLOOK_EDIT = f"{ISSUE}outlook/lighthouse-talks/edit/"


def outlook_data(assessment: OutlookAssessment, **changes) -> dict:
    data = {
        "effect": "-1",
        "salience": "3",
        "deliverable": "",
        "rationale": "Drafted rationale.",
        "sources": [Source.objects.get().pk],
        "locator": "para. 3",
        "version": assessment.version,
        "note": "",
        "action": "draft",
    }
    return {**data, **changes}


def editor_bar(body: str) -> str:
    found = re.search(r'<aside class="editor-bar" id="editor-bar"[^>]*>(.*?)</aside>', body, re.S)
    assert found, "no editor bar in the answer"
    return found.group(0)


def test_a_draft_save_updates_the_editor_bar_out_of_band(editor_client, editing_dossier):
    assessment = OutlookAssessment.objects.get(issue__slug="harbour-rights")
    response = editor_client.post(OUTLOOK_EDIT, outlook_data(assessment), headers=HTMX)
    assert response.status_code == 200
    bar = editor_bar(response.content.decode())
    assert 'data-hx-swap-oob="true"' in bar
    assert "1 draft waiting to be published." in bar and "Publish all drafts" in bar


def test_a_position_draft_counts_too(editor_client, editing_dossier):
    position = Position.objects.filter(issue__slug="harbour-rights").first()
    url = f"{ISSUE}positions/{position.pk}/edit/"
    data = {
        "country": position.country_id,
        "leader": position.leader_id,
        "attribution": position.attribution,
        "kind": position.kind,
        "posture": position.posture,
        "summary": "Drafted summary.",
        "quote": position.quote,
        "stated_on": position.stated_on.isoformat(),
        "stated_on_precision": position.stated_on_precision,
        "stated_until": position.stated_until.isoformat() if position.stated_until else "",
        "stated_as": position.stated_as,
        "source": position.source_id,
        "locator": position.locator,
        "version": position.version,
        "note": "",
        "action": "draft",
    }
    response = editor_client.post(url, data, headers=HTMX)
    assert "1 draft waiting to be published." in editor_bar(response.content.decode())


def test_a_published_save_says_nothing_is_waiting(editor_client, editing_dossier):
    assessment = OutlookAssessment.objects.get(issue__slug="harbour-rights")
    data = outlook_data(assessment, action="publish")
    response = editor_client.post(OUTLOOK_EDIT, data, headers=HTMX)
    assert "Nothing waiting to be published." in editor_bar(response.content.decode())


def test_citations_carry_their_source_for_renumbering(editor_client, editing_dossier):
    """Each citation names its source, and the sources list each source's number: the page
    renumbers every citation from the list it is sent (static/js/editing.js)."""
    source = Source.objects.get()
    page = editor_client.get(ISSUE).content.decode()
    assert f'<li id="source-1" data-source="{source.pk}">' in page
    cites = re.findall(r'<a class="cite" data-source="(\d+)" href="#source-(\d+)"', page)
    assert cites and set(cites) == {(str(source.pk), "1")}
    assessment = OutlookAssessment.objects.get(issue__slug="harbour-rights")
    response = editor_client.post(
        OUTLOOK_EDIT, outlook_data(assessment, action="publish"), headers=HTMX
    )
    body = response.content.decode()
    assert 'id="sources-list" data-hx-swap-oob="true"' in body
    assert f'data-source="{source.pk}"' in body
