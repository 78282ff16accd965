"""Site-wide search as you type, in a real browser."""

import re

from playwright.sync_api import Page, expect


def test_search_updates_as_you_type_without_a_page_load(page: Page, live_reader):
    page.goto(f"{live_reader.url}/search/")
    page.evaluate("window.searchMarker = 'still here'")
    page.locator("#search-q").press_sequentially("ferry", delay=40)
    expect(page).to_have_url(re.compile(r"/search/\?q=ferry$"))
    expect(page.locator("#search-results")).to_contain_text(
        "Ostranian coast guard seizes a Valdorian ferry off Kells Point"
    )
    expect(page.locator("#search-results mark").first).to_have_text(re.compile("ferry", re.I))
    assert page.evaluate("window.searchMarker") == "still here"

    page.go_back()
    expect(page).to_have_url(re.compile(r"/search/$"))
    expect(page.locator("#search-q")).to_be_visible()
