"""An in-place save keeps the rest of the page true: the editor bar's count of drafts and
the citation numbers, without a reload."""

from datetime import date

from playwright.sync_api import Page, expect

from issues.models import Country, Issue, Position, PublicationStatus, Source
from tests import factories
from tests.browser.editors import sign_in_editor
from tests.browser.test_editing_in_browser import ISSUE, open_outlook, signed_in_editor

__all__ = ["signed_in_editor"]  # the fixture, shared with the editing tests


def test_save_as_draft_updates_the_editor_bar(signed_in_editor: Page):
    page = signed_in_editor
    bar = page.locator("#editor-bar")
    expect(bar).to_contain_text("Nothing waiting to be published.")
    form = open_outlook(page)
    form.get_by_label("Rationale").fill("A drafted reading.")
    form.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#edit-status")).to_have_text("Saved as a draft.")
    expect(bar).to_contain_text("1 draft waiting to be published.")
    expect(bar.get_by_role("button", name="Publish all drafts")).to_be_visible()


def test_citation_numbers_follow_an_outlook_edit(page: Page, live_reader):
    # The one source the strait's outlook and positions cite (its events cite another).
    first = Source.objects.get(url="https://example.org/reader/strained-table")
    second = factories.SourceFactory(
        title="Ostranian coast guard readout", status=PublicationStatus.PUBLISHED
    )
    cited_second = Position.objects.create(
        issue=Issue.objects.get(slug="kells-strait"),
        country=Country.objects.get(code="XV"),
        attribution="Officials",
        kind="rhetoric",
        posture=0,
        summary="Cites the readout.",
        stated_on=date(2025, 5, 30),
        source=second,
        locator="para. 2",
        status=PublicationStatus.PUBLISHED,
    )
    # Signed in only now, so that the page shows the new position.
    sign_in_editor(page, live_reader.url, ISSUE, username="numbering-editor")

    readout = page.locator(f"#position-{cited_second.pk} a.cite")
    expect(readout).to_have_text("[2]")
    form = open_outlook(page)
    form.get_by_label("Cited sources").select_option(str(second.pk))
    form.get_by_role("button", name="Save and publish").click()

    # The outlook now cites the readout first: it is source 1, the preview source 2.
    expect(page.locator("#source-1")).to_contain_text("Ostranian coast guard readout")
    expect(readout).to_have_text("[1]")
    expect(readout).to_have_attribute("href", "#source-1")
    others = page.locator(f'article.position a.cite[data-source="{first.pk}"]')
    assert others.count() > 0
    for index in range(others.count()):
        expect(others.nth(index)).to_have_text("[2]")
