"""Site-wide search as you type, in a real browser."""

import re

from playwright.sync_api import Page, expect


def test_search_updates_as_you_type_without_a_page_load(page: Page, live_demo):
    page.goto(f"{live_demo.url}/search/")
    page.evaluate("window.searchMarker = 'still here'")
    page.locator("#search-q").press_sequentially("Crimea", delay=40)
    expect(page).to_have_url(re.compile(r"/search/\?q=Crimea$"))
    expect(page.locator("#search-results")).to_contain_text(
        "Russian attacks on Ukrainian naval ships off Crimea"
    )
    expect(page.locator("#search-results mark").first).to_have_text(re.compile("Crimea", re.I))
    assert page.evaluate("window.searchMarker") == "still here"

    page.go_back()
    expect(page).to_have_url(re.compile(r"/search/$"))
    expect(page.locator("#search-q")).to_be_visible()
