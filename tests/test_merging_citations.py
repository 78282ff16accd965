"""A conflicting edit of a record that cites sources merges its citations too: the sources
cited and their locator are compared with the version the editor started from, kept
without asking when only one side changed them, and asked about when both did."""

import pytest

from issues import merging, services
from issues.models import OutlookAssessment, Source
from issues.selectors import source_label
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
URL = "/issues/fisheries/outlook/the-bilateral/edit/"


@pytest.fixture
def sources(one_outlook) -> tuple[Source, Source, Source]:
    first = Source.objects.get()
    return first, factories.SourceFactory(title="Second"), factories.SourceFactory(title="Third")


@pytest.fixture
def base(one_outlook, editor, sources) -> OutlookAssessment:
    """The outlook as both editors open it: a revision citing the first source."""
    return cite(one_outlook, editor, [sources[0]], "para. 1")


def cite(assessment, editor, cited, locator: str) -> OutlookAssessment:
    return services.record_update(
        record=assessment,
        editor=editor,
        edit=services.Edit(
            values={}, citations=services.Citations(sources=list(cited), locator=locator)
        ),
        expected_version=assessment.version,
    )


def outlook_data(assessment, cited, locator: str, version: int, **extra) -> dict:
    return {
        "effect": assessment.effect,
        "salience": assessment.salience,
        "deliverable": assessment.deliverable,
        "rationale": assessment.rationale,
        "sources": [source.pk for source in cited],
        "locator": locator,
        "version": version,
        "note": "",
        "action": "publish",
        **extra,
    }


def saved_citations(assessment) -> tuple[set[str], set[str]]:
    citations = assessment.citations.select_related("source")
    return {c.source.title for c in citations}, {c.locator for c in citations}


def test_the_merge_compares_the_citations_three_ways(base, editor, sources):
    first, second, _ = sources
    theirs = cite(OutlookAssessment.objects.get(pk=base.pk), editor, [first, second], "para. 1")

    merge = merging.three_way(
        current=theirs,
        mine={"rationale": base.rationale, "sources": [first], "locator": "para. 9"},
        base_version=base.version,
        labels={},
    )

    fields = {field.name: field for field in merge.fields}
    assert fields["sources"].base == (first.pk,)
    assert fields["sources"].theirs == tuple(sorted((first.pk, second.pk)))
    assert (fields["sources"].side, fields["sources"].kept) == ("theirs", "theirs")
    assert (fields["locator"].side, fields["locator"].kept) == ("mine", "mine")
    assert fields["sources"].shown_theirs == f"{source_label(first)}; {source_label(second)}"
    assert not merge.colliding


def test_their_new_source_is_kept_when_i_changed_only_the_locator(
    editor_client, editor, base, sources
):
    first, second, _ = sources
    stale = outlook_data(base, [first], "para. 9", base.version)
    theirs = cite(OutlookAssessment.objects.get(pk=base.pk), editor, [first, second], "para. 1")

    response = editor_client.post(URL, stale, headers=HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert "Nothing collides" in body and "Changed by them" in body
    assert f'<option value="{second.pk}" selected>' in body  # merged into the form
    assert 'value="para. 9"' in body
    merged = outlook_data(base, [first, second], "para. 9", theirs.version)
    assert editor_client.post(URL, merged, headers=HTMX).status_code == 200
    assert saved_citations(base) == ({first.title, "Second"}, {"para. 9"})


@pytest.mark.parametrize("keep", ["theirs", "mine"])
def test_sources_changed_on_both_sides_are_asked_about(editor_client, editor, base, sources, keep):
    first, second, third = sources
    stale = outlook_data(base, [first, third], "para. 1", base.version)
    theirs = cite(OutlookAssessment.objects.get(pk=base.pk), editor, [first, second], "para. 1")

    response = editor_client.post(URL, stale, headers=HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert "1 field changed on both sides" in body
    assert 'name="keep_sources"' in body and 'name="colliding" value="sources"' in body
    resolved = outlook_data(
        base, [first, third], "para. 1", theirs.version, colliding="sources", keep_sources=keep
    )
    assert editor_client.post(URL, resolved, headers=HTMX).status_code == 200
    kept = {"theirs": {first.title, "Second"}, "mine": {first.title, "Third"}}[keep]
    assert saved_citations(base)[0] == kept


def test_a_resolution_left_out_shows_the_citations_again(editor_client, editor, base, sources):
    first, second, third = sources
    theirs = cite(OutlookAssessment.objects.get(pk=base.pk), editor, [first, second], "para. 1")
    unresolved = outlook_data(
        base,
        [first, third],
        "para. 1",
        theirs.version,
        colliding="sources",
        merge_base=base.version,
    )

    response = editor_client.post(URL, unresolved, headers=HTMX)

    assert response.status_code == 422
    assert "Choose which version to keep." in response.content.decode()
    assert saved_citations(base)[0] == {first.title, "Second"}
