"""The source picker in a browser: the single position form narrows its short list as the
editor types and saves the source picked; the bulk form, with its new-source fields,
passes axe and fits a phone."""

import pytest
from playwright.sync_api import Page, expect

from issues.models import Position, Source
from issues.selectors import SOURCE_CHOICES_LIMIT
from tests import factories
from tests.browser.editors import sign_in_editor
from tests.browser.test_accessibility import violations
from tests.browser.test_editing_in_browser import open_new_position


@pytest.fixture
def archive(transactional_db) -> Source:
    """An issue, and more sources than the picker offers at once; returns the last."""
    issue = factories.IssueFactory(slug="tariffs", title="Tariffs")
    issue.sides.set([factories.CountryFactory(code="US")])
    Source.objects.bulk_create(
        Source(title=f"Briefing {n:03}", publisher="State Department")
        for n in range(SOURCE_CHOICES_LIMIT + 10)
    )
    return factories.SourceFactory(title="Zz Kremlin readout", publisher="Kremlin")


def test_the_single_form_narrows_its_list_as_the_editor_types(page: Page, live_server, archive):
    sign_in_editor(page, live_server.url, "/issues/tariffs/")
    form = open_new_position(page)
    source = form.get_by_label("Source", exact=True)
    expect(source.locator("option")).to_have_count(SOURCE_CHOICES_LIMIT + 1)

    form.get_by_label("Search existing sources").press_sequentially("kremlin", delay=30)
    expect(source.locator("option")).to_have_count(2)
    source.select_option(label="Zz Kremlin readout · Kremlin")
    form.get_by_label("Side").select_option(label="United States")
    form.get_by_label("Attribution").fill("U.S. officials")
    form.get_by_label("Kind").select_option("rhetoric")
    form.get_by_label("Posture").select_option("-1")
    form.get_by_label("Summary").fill("Tariffs stay.")
    form.get_by_role("textbox", name="Date stated", exact=True).fill("2018-11-26")
    form.get_by_label("Locator").fill("para. 1")
    form.get_by_role("button", name="Save and publish").click()

    expect(page.locator("#side-US-list")).to_contain_text("Tariffs stay.")
    assert Position.objects.get(summary="Tariffs stay.").source == archive


def test_the_bulk_form_passes_axe_and_fits_a_phone(page: Page, live_server, archive):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_editor(page, live_server.url, "/issues/tariffs/positions/add/")
    expect(page.locator("#id_positions-0-new_source_url")).to_be_visible()
    assert not violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
