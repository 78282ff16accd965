""" "What changed since" in Chromium: the form on the issue page leads to the changes since the
chosen day, told in words with their arrows, on a phone without sideways scrolling; on an
as-of page the form keeps the page's day."""

import re

from playwright.sync_api import Browser, expect

ISSUE = "/issues/kells-strait/"


def test_the_since_form_tells_what_changed_since_the_chosen_day(browser: Browser, live_reader):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_reader.url}{ISSUE}")
    section = page.locator("#what-changed-section")
    expect(section).to_contain_text("the 30 days before the latest change")

    page.get_by_label("What changed since").fill("2025-05-01")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"/issues/kells-strait/\?since=2025-05-01$"))
    expect(page.locator("#what-changed-since")).to_contain_text("Since the end of 1 May 2025")
    listed = page.locator("#what-changed-list")
    expect(listed).to_contain_text("first assessed, effect −2")
    expect(listed).to_contain_text("2 new positions")
    expect(page.get_by_label("What changed since")).to_have_value("2025-05-01")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # On the page as of a day, the form keeps that day.
    page.goto(f"{live_reader.url}{ISSUE}?as_of=2025-06-01")
    page.get_by_label("What changed since").fill("2025-05-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?as_of=2025-06-01&since=2025-05-01$"))
    expect(page.locator("#what-changed-since")).to_contain_text("up to the end of 1 June 2025")
    context.close()
