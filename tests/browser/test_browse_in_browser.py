"""Browse and search in a real browser: updates in place, URL kept, Back works."""

import re

from playwright.sync_api import Page, expect


def test_changing_a_filter_updates_results_and_url_without_a_page_load(
    page: Page, live_reader, page_loads
):
    page.goto(f"{live_reader.url}/issues/")
    expect(page.locator("#result-count")).to_have_text("4 issues")
    assert len(page_loads) == 1

    page.get_by_label("Topic").select_option("rivers")
    expect(page.locator("#result-count")).to_have_text("1 issue matches")
    expect(page).to_have_url(re.compile(r"/issues/\?topic=rivers$"))
    expect(page.locator("#results")).to_contain_text("Alder River dams")

    page.get_by_label("Side").select_option("XV")
    expect(page).to_have_url(re.compile(r"/issues/\?topic=rivers&side=XV$"))
    assert len(page_loads) == 1, "filters must update in place, not reload the page"

    # A copied URL reproduces the view.
    copied = page.url
    fresh = page.context.new_page()
    fresh.goto(copied)
    expect(fresh.locator("#result-count")).to_have_text("1 issue matches")

    # Back returns to the previous view.
    page.go_back()
    expect(page).to_have_url(re.compile(r"topic=rivers$"))
    expect(page.locator("#result-count")).to_have_text("1 issue matches")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/issues/$"))
    expect(page.locator("#result-count")).to_have_text("4 issues")
    # The whole page came back, not just the results.
    expect(page.get_by_label("Topic")).to_have_value("")
    expect(page.get_by_role("heading", name="Browse issues")).to_be_visible()


def test_typing_in_browse_text_filters_as_you_type(page: Page, live_reader, page_loads):
    page.goto(f"{live_reader.url}/issues/")
    page.get_by_label("Text").press_sequentially("Brightwater Accord", delay=30)
    expect(page.locator("#result-count")).to_have_text("1 issue matches")
    expect(page).to_have_url(re.compile(r"q=Brightwater\+Accord"))
    assert len(page_loads) == 1


def test_filters_work_without_javascript(browser, live_reader):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_reader.url}/issues/")
    page.get_by_label("Side").select_option("XO")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"side=XO"))
    expect(page.locator("#result-count")).to_have_text("4 issues match")
    context.close()


def test_every_link_from_the_home_page_leads_somewhere(page: Page, live_reader):
    """A newcomer can follow every link from the home page without a dead end."""
    page.goto(f"{live_reader.url}/")
    hrefs = {
        href
        for href in page.locator("a[href^='/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        if not href.startswith("/admin")
    }
    assert len(hrefs) > 8
    for href in sorted(hrefs):
        response = page.request.get(f"{live_reader.url}{href}")
        assert response.status == 200, href
