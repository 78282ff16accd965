"""The methodology page in Chromium: each chart's "How to read this chart" link lands on its
section, and the page fits a phone."""

from playwright.sync_api import Page, expect

from issues.pages.method import CHART_ANCHORS

MEETING = "/meetings/aldren-vostrov-lanterna-2025/"


def test_a_charts_help_link_lands_on_its_section(page: Page, live_reader):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_reader.url}{MEETING}")
    # Folded on a phone: the contents bar opens the section, then its help link is there.
    page.locator("#contents").get_by_role("link", name="Stances").click()
    page.locator('[data-chart-help="stances"]').click()
    page.wait_for_url(f"**/about/method/#{CHART_ANCHORS['stances']}")
    heading = page.get_by_role("heading", name="The stance matrix")
    expect(heading).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_method_page_fits_a_phone(page: Page, live_reader):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_reader.url}/about/method/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How the dossiers are made and read")
    expect(page.locator("#likelihood-words")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
